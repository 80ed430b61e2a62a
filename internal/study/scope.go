package study

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"

	"landatlas/internal/apperr"
	"landatlas/internal/region"
)

// Lands are the three Länder of the region, as the districts table names them.
var Lands = []string{"Sachsen", "Sachsen-Anhalt", "Thüringen"}

// maxPolygonPositions bounds a scope polygon, like cql2.MaxCoordinates bounds a filter.
const maxPolygonPositions = 10000

// Scope is the part of the region a study looks at: the parcels in any of the Länder, districts
// and municipalities it names (a planner picks areas to put together, such as Sachsen and the
// Saalekreis), and, if it has one, in the polygon. The zero Scope is the region.
type Scope struct {
	Lands          []string `json:"land,omitempty"`
	Districts      []string `json:"district,omitempty"`
	Municipalities []string `json:"municipality,omitempty"`
	// Polygon is a polygon or multipolygon in WGS84 longitude/latitude, as WKT.
	Polygon string `json:"polygon,omitempty"`
}

// IsRegion reports whether the scope is the whole region.
func (s Scope) IsRegion() bool {
	return len(s.Lands) == 0 && len(s.Districts) == 0 && len(s.Municipalities) == 0 && s.Polygon == ""
}

// String describes the scope for a report.
func (s Scope) String() string {
	if s.IsRegion() {
		return "Region (9 Kreise)"
	}
	var parts []string
	if len(s.Lands) > 0 {
		parts = append(parts, "Land "+strings.Join(s.Lands, ", "))
	}
	if len(s.Districts) > 0 {
		var names []string
		for _, ags := range s.Districts {
			d, _ := region.DistrictByAGS(ags)
			names = append(names, d.Label()+" ("+ags+")")
		}
		parts = append(parts, "Kreis "+strings.Join(names, ", "))
	}
	if len(s.Municipalities) > 0 {
		parts = append(parts, "Gemeinde "+strings.Join(s.Municipalities, ", "))
	}
	if s.Polygon != "" {
		parts = append(parts, "Polygon")
	}
	return strings.Join(parts, "; ")
}

// DistrictsIn returns the districts the scope can hold parcels of, in AGS order.
func (s Scope) DistrictsIn() []region.District {
	areas := len(s.Lands) > 0 || len(s.Districts) > 0 || len(s.Municipalities) > 0
	var out []region.District
	for _, d := range region.Districts() {
		if !areas || slices.Contains(s.Lands, d.Land) || slices.Contains(s.Districts, d.AGS) ||
			slices.ContainsFunc(s.Municipalities, func(m string) bool { return m[:5] == d.AGS }) {
			out = append(out, d)
		}
	}
	return out
}

// ParseScope reads a scope from request parameters: land, district and municipality take
// comma-separated lists, polygon a WKT or GeoJSON (multi)polygon in WGS84. scope=region may be
// given for clarity and then nothing else.
func ParseScope(get func(string) string) (Scope, error) {
	s := Scope{
		Lands:          splitList(get("land")),
		Districts:      splitList(get("district")),
		Municipalities: splitList(get("municipality")),
	}
	if p := strings.TrimSpace(get("polygon")); p != "" {
		wktText, err := parsePolygon([]byte(p))
		if err != nil {
			return Scope{}, err
		}
		s.Polygon = wktText
	}
	switch get("scope") {
	case "", "region":
	default:
		return Scope{}, apperr.New(apperr.Invalid, "scope: %q is not a scope: use scope=region, or land=, district=, municipality= or polygon=", get("scope"))
	}
	if get("scope") == "region" && !s.IsRegion() {
		return Scope{}, apperr.New(apperr.Invalid, "scope=region cannot be combined with land, district, municipality or polygon")
	}
	return s, s.Check()
}

// UnmarshalJSON reads a scope from a request body: each list may also be a single string, and the
// polygon WKT or a GeoJSON geometry object.
func (s *Scope) UnmarshalJSON(b []byte) error {
	var raw struct {
		Land         json.RawMessage `json:"land"`
		District     json.RawMessage `json:"district"`
		Municipality json.RawMessage `json:"municipality"`
		Polygon      json.RawMessage `json:"polygon"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return apperr.New(apperr.Invalid, "scope: %v (fields: land, district, municipality, polygon)", err)
	}
	var out Scope
	var err error
	if out.Lands, err = stringOrList("scope.land", raw.Land); err != nil {
		return err
	}
	if out.Districts, err = stringOrList("scope.district", raw.District); err != nil {
		return err
	}
	if out.Municipalities, err = stringOrList("scope.municipality", raw.Municipality); err != nil {
		return err
	}
	if len(raw.Polygon) > 0 && string(raw.Polygon) != "null" {
		text := []byte(raw.Polygon)
		var str string
		if json.Unmarshal(raw.Polygon, &str) == nil {
			text = []byte(str)
		}
		if out.Polygon, err = parsePolygon(text); err != nil {
			return err
		}
	}
	if err := out.Check(); err != nil {
		return err
	}
	*s = out
	return nil
}

var (
	districtPattern     = regexp.MustCompile(`^[0-9]{5}$`)
	municipalityPattern = regexp.MustCompile(`^[0-9]{8}$`)
)

// Check says what is wrong with a scope, naming the parameter and what it allows.
func (s Scope) Check() error {
	for _, l := range s.Lands {
		if !slices.Contains(Lands, l) {
			return apperr.New(apperr.Invalid, "land: %q is not a Land of the region: use one of %s", l, strings.Join(Lands, ", "))
		}
	}
	for _, d := range s.Districts {
		if _, ok := region.DistrictByAGS(d); !ok || !districtPattern.MatchString(d) {
			return apperr.New(apperr.Invalid, "district: %q is not one of the nine districts: use a 5-digit AGS such as 15088", d)
		}
	}
	for _, m := range s.Municipalities {
		if !municipalityPattern.MatchString(m) {
			return apperr.New(apperr.Invalid, "municipality: %q is not a municipality AGS: use 8 digits such as 15088205", m)
		}
		if _, ok := region.DistrictByAGS(m[:5]); !ok {
			return apperr.New(apperr.Invalid, "municipality: %q lies outside the nine districts", m)
		}
	}
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func stringOrList(field string, raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return splitList(one), nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, apperr.New(apperr.Invalid, "%s: give a string or a list of strings", field)
	}
	return splitList(strings.Join(list, ",")), nil
}

// parsePolygon reads a WKT or GeoJSON polygon or multipolygon in WGS84 and returns it as WKT.
func parsePolygon(text []byte) (string, error) {
	text = bytes.TrimSpace(text)
	var g orb.Geometry
	if len(text) > 0 && text[0] == '{' {
		gj, err := geojson.UnmarshalGeometry(text)
		if err != nil {
			return "", apperr.New(apperr.Invalid, "polygon: not a GeoJSON geometry: %v", err)
		}
		g = gj.Geometry()
	} else {
		var err error
		if g, err = wkt.Unmarshal(string(text)); err != nil {
			return "", apperr.New(apperr.Invalid, "polygon: not WKT (%v): give POLYGON((lon lat, ...)) or a GeoJSON geometry in WGS84", err)
		}
	}
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return "", apperr.New(apperr.Invalid, "polygon: a %s is not an area: give a Polygon or MultiPolygon", g.GeoJSONType())
	}
	n := 0
	for _, p := range mp {
		if len(p) == 0 {
			return "", apperr.New(apperr.Invalid, "polygon: a polygon without rings")
		}
		for _, ring := range p {
			if len(ring) < 4 || !ring.Closed() {
				return "", apperr.New(apperr.Invalid, "polygon: each ring needs at least 4 positions and must end where it starts")
			}
			for _, pt := range ring {
				if !(pt.Lon() >= -180 && pt.Lon() <= 180 && pt.Lat() >= -90 && pt.Lat() <= 90) { // also NaN
					return "", apperr.New(apperr.Invalid, "polygon: position (%g %g) is not WGS84 longitude/latitude", pt.Lon(), pt.Lat())
				}
			}
			n += len(ring)
		}
	}
	if n > maxPolygonPositions {
		return "", apperr.New(apperr.Invalid, "polygon: %d positions, at most %d are accepted", n, maxPolygonPositions)
	}
	if len(mp) == 1 {
		return wkt.MarshalString(mp[0]), nil
	}
	return wkt.MarshalString(mp), nil
}

// ParseAsOf reads the as_of parameter: a date (the state at the end of that day in the region)
// or an RFC 3339 time. "" is the current state (the zero time). The history knows only the past.
func ParseAsOf(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	var t time.Time
	if d, err := time.ParseInLocation(time.DateOnly, s, Berlin); err == nil {
		t = d.AddDate(0, 0, 1).Add(-time.Microsecond)
	} else if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, "as_of: %q is not a date: use YYYY-MM-DD or an RFC 3339 time", s)
	}
	if t.Year() < 1990 {
		return time.Time{}, apperr.New(apperr.Invalid, "as_of: %s is before any monitoring", s)
	}
	if t.After(now) && dayOf(t) != dayOf(now) {
		return time.Time{}, apperr.New(apperr.Invalid, "as_of: %s is in the future: the history knows only the past", s)
	}
	if t.After(now) {
		t = now // today: the state up to now
	}
	return t, nil
}

// dayOf is the region's calendar day of t.
func dayOf(t time.Time) string { return t.In(Berlin).Format(time.DateOnly) }

// Date is a calendar date in JSON ("2027-12-31").
type Date struct{ time.Time }

// UnmarshalJSON reads YYYY-MM-DD.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date is a string YYYY-MM-DD")
	}
	t, err := time.ParseInLocation(time.DateOnly, s, Berlin)
	if err != nil {
		return fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	d.Time = t
	return nil
}

// MarshalJSON writes YYYY-MM-DD.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.In(Berlin).Format(time.DateOnly))
}

// ParseFilterCRS reads the CRS of a filter's geometry literals (filter-crs; "" is CRS84). A scope
// polygon is in CRS84 and is linked to its parcels inside the same CQL2 text as the filter, so the
// two cannot be given in different CRSs.
func ParseFilterCRS(v string, scope Scope) (region.CRS, error) {
	c, ok := region.ParseCRS(v)
	if !ok {
		return region.CRS{}, apperr.New(apperr.Invalid, "filter-crs: %q is not a supported CRS; use one of %s", v, strings.Join(region.CRSURIs(), ", "))
	}
	if scope.Polygon != "" && c != region.CRS84 {
		return region.CRS{}, apperr.New(apperr.Invalid, "filter-crs: a polygon scope is in CRS84 and cannot be combined with filter-crs %s; put the polygon into the filter instead", v)
	}
	return c, nil
}
