package upload

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"landatlas/internal/region"
)

func TestParseCRS(t *testing.T) {
	for in, want := range map[string]int{
		"EPSG:25833": 25833, "epsg:31468": 31468, "4326": 4326, "urn:ogc:def:crs:EPSG::25832": 25832,
		"urn:ogc:def:crs:EPSG:6.6:3857": 3857, "http://www.opengis.net/def/crs/EPSG/0/25833": 25833,
		"urn:ogc:def:crs:OGC:1.3:CRS84": 4326, "CRS84": 4326,
	} {
		if got, err := ParseCRS(in); err != nil || got != want {
			t.Errorf("ParseCRS(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "UTM32", "EPSG:", "EPSG:12", "25833x"} {
		if _, err := ParseCRS(bad); err == nil || !strings.Contains(err.Error(), "EPSG:25833") {
			t.Errorf("ParseCRS(%q): %v, want an error showing the form", bad, err)
		}
	}
}

// Region boxes roughly as PostGIS computes them for the nine districts with the margin.
var boxes = []RegionBox{
	{25832, orb.Bound{Min: orb.Point{600000, 5590000}, Max: orb.Point{830000, 5770000}}},
	{25833, orb.Bound{Min: orb.Point{200000, 5590000}, Max: orb.Point{430000, 5780000}}},
	{4647, orb.Bound{Min: orb.Point{32600000, 5590000}, Max: orb.Point{32830000, 5770000}}},
	{5650, orb.Bound{Min: orb.Point{33200000, 5590000}, Max: orb.Point{33430000, 5780000}}},
	{31468, orb.Bound{Min: orb.Point{4390000, 5590000}, Max: orb.Point{4610000, 5780000}}},
	{31469, orb.Bound{Min: orb.Point{5200000, 5590000}, Max: orb.Point{5430000, 5780000}}},
	{4326, orb.Bound{Min: orb.Point{10.5, 50.4}, Max: orb.Point{13.4, 52.1}}},
	{3857, orb.Bound{Min: orb.Point{1160000, 6520000}, Max: orb.Point{1490000, 6820000}}},
}

// Every CRS landatlas speaks and every district's usual one is tried when a file's CRS is decided,
// each once: a file in any of them is recognised.
func TestCandidatesCoverTheRegionsCRSs(t *testing.T) {
	seen := map[int]int{}
	for _, c := range Candidates() {
		seen[c.SRID]++
	}
	for srid, n := range seen {
		if n != 1 {
			t.Errorf("EPSG:%d is a candidate %d times", srid, n)
		}
	}
	for _, c := range region.SupportedCRS() {
		if seen[c.SRID] == 0 {
			t.Errorf("%s is served but not recognised in uploads", c.URI)
		}
	}
	for _, d := range region.Districts() {
		if seen[d.UsualSRID] == 0 {
			t.Errorf("%s usually delivers EPSG:%d, which is no candidate", d.Label(), d.UsualSRID)
		}
	}
	if got := NameOf(4647); !strings.Contains(got, "zone prefix 32") {
		t.Errorf("NameOf(4647) = %q, want the zone-prefixed UTM named", got)
	}
}

func TestDecideCRS(t *testing.T) {
	utm33 := []orb.Point{{290000, 5700000}, {300000, 5710000}, {310000, 5690000}}
	latlon := []orb.Point{{51.4, 11.9}, {51.5, 12.3}}
	cases := []struct {
		name     string
		declared int
		source   CRSSource
		centres  []orb.Point
		rule     string
		mentions string
	}{
		{"declared and fitting", 25833, FromFile, utm33, "", ""},
		{"declared but fitting another", 25832, FromFile, utm33, "crs.mismatch", "crs=EPSG:25833"},
		{"undeclared", 0, Unknown, utm33, "crs.missing", "crs=EPSG:25833"},
		{"undeclared Gauss-Krüger", 0, Unknown, []orb.Point{{4510000, 5700000}}, "crs.missing", "EPSG:31468"},
		{"latitude first", 4326, FromRFC7946, latlon, "crs.swapped", "longitude, latitude"},
		{"nowhere", 25832, FromParameter, []orb.Point{{1, 1}, {2, 2}}, "crs.outside", "none of the usual"},
		{"one stray feature is the district check's matter", 25833, FromFile, append(utm33, orb.Point{900000, 1}), "", ""},
		{"no geometry to judge by", 0, Unknown, nil, "", ""},
	}
	for _, c := range cases {
		got := DecideCRS(c.declared, c.source, c.centres, boxes)
		switch {
		case c.rule == "" && got != nil:
			t.Errorf("%s: %s", c.name, got.EN)
		case c.rule != "" && (got == nil || got.Rule != c.rule || !strings.Contains(got.EN, c.mentions)):
			t.Errorf("%s: %+v, want %s mentioning %q", c.name, got, c.rule, c.mentions)
		}
	}
}

func TestGeometryRules(t *testing.T) {
	net := 5.0
	cases := []struct {
		name  string
		facts GeometryFacts
		want  []string
	}{
		{"fine", GeometryFacts{Valid: true, AreaBefore: 10000, AreaAfter: 10000, InsideDistrict: 1}, nil},
		{"repaired a little", GeometryFacts{Valid: false, Reason: "Self-intersection", AreaBefore: 10000, AreaAfter: 10050, InsideDistrict: 1}, []string{"geometry.repaired"}},
		{"repair would change much", GeometryFacts{Valid: false, Reason: "Self-intersection", AreaBefore: 0, AreaAfter: 5000, InsideDistrict: 1}, []string{"geometry.invalid"}},
		{"no area", GeometryFacts{Valid: true, AreaBefore: 0.2, AreaAfter: 0.2, InsideDistrict: 1}, []string{"geometry.zero_area"}},
		{"tiny", GeometryFacts{Valid: true, AreaBefore: 50, AreaAfter: 50, InsideDistrict: 1}, []string{"geometry.small_area"}},
		{"absurd", GeometryFacts{Valid: true, AreaBefore: 3e7, AreaAfter: 3e7, InsideDistrict: 1}, []string{"geometry.absurd_area"}},
		{"mostly elsewhere", GeometryFacts{Valid: true, AreaBefore: 10000, AreaAfter: 10000, InsideDistrict: 0.4, MostlyIn: "Halle (Saale)"}, []string{"geometry.outside_district"}},
		{"94 % inside", GeometryFacts{Valid: true, AreaBefore: 10000, AreaAfter: 10000, InsideDistrict: 0.94}, []string{"geometry.outside_district"}},
		{"net above gross", GeometryFacts{Valid: true, AreaBefore: 10000, AreaAfter: 10000, InsideDistrict: 1, NetAreaHa: &net}, []string{"attribute.range"}},
	}
	for _, c := range cases {
		got := rules(CheckGeometry(c.facts, "Saalekreis"))
		var want []string
		for _, r := range c.want {
			want = append(want, r+"@"+map[bool]string{true: "net_area_given_ha", false: "geometry"}[r == "attribute.range"])
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", c.name, got, want)
		}
	}
	if i := CheckOverlap(Overlap{Feature: 1, OtherID: "L-1", OtherDistrict: "Leipzig", AreaM2: 20, Share: 0.01}); i.Severity != Warning {
		t.Errorf("1 %% overlap with a neighbour: %s, want a warning", i.Severity)
	}
	if i := CheckOverlap(Overlap{Feature: 1, OtherID: "L-1", OtherDistrict: "Leipzig", AreaM2: 2000, Share: 0.2}); i.Severity != Error {
		t.Errorf("20 %% overlap with a neighbour: %s, want an error", i.Severity)
	}
}

func TestShapeOf(t *testing.T) {
	square := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	open := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}}
	if s, i := ShapeOf(orb.Polygon{square}); i != nil || len(s.Polygons) != 1 {
		t.Errorf("polygon: %v", i)
	}
	if s, i := ShapeOf(orb.Collection{orb.Polygon{square}, orb.MultiPolygon{{square}}}); i != nil || len(s.Polygons) != 2 {
		t.Errorf("collection of polygons: %v", i)
	}
	if s, i := ShapeOf(orb.Polygon{open}); i != nil || s.Closed != 1 || !s.Polygons[0][0].Closed() {
		t.Errorf("open ring: %+v %v, want it closed with a note", s, i)
	}
	for _, g := range []orb.Geometry{nil, orb.Point{1, 2}, orb.LineString{{0, 0}, {1, 1}}, orb.Polygon{{{0, 0}, {1, 1}}}, orb.MultiPolygon{}} {
		if _, i := ShapeOf(g); i == nil || i.Severity != Error {
			t.Errorf("ShapeOf(%v) accepted", g)
		}
	}
}
