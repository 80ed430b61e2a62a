package httpapi_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
)

// agreementFilter is a CQL2 text filter and the CRS of its geometry literals ("" for CRS84).
type agreementFilter struct {
	name, cql, crs string
}

// The filters cover every CQL2 class /conformance declares, the world BBOX that once matched nothing
// in the study and the tiles, and polygons in CRS84 and through filter-crs in EPSG:4326 (latitude
// first), 25833 and 31468.
func agreementFilters(t *testing.T, db *pgtest.DB) []agreementFilter {
	const halle = "POLYGON((11.8 51.35, 12.6 51.35, 12.6 51.6, 11.8 51.6, 11.8 51.35))"
	in := func(srid int, flip bool) string {
		t.Helper()
		sql := `SELECT ST_AsText(ST_Transform(ST_GeomFromText($1, 4326), $2::int), 3)`
		args := []any{halle, srid}
		if flip {
			sql, args = `SELECT ST_AsText(ST_FlipCoordinates(ST_GeomFromText($1, 4326)), 6)`, args[:1]
		}
		var wkt string
		if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&wkt); err != nil {
			t.Fatalf("transform the test polygon to EPSG:%d: %v", srid, err)
		}
		return wkt
	}
	epsg := func(code int) string { return "http://www.opengis.net/def/crs/EPSG/0/" + strconv.Itoa(code) }
	return []agreementFilter{
		{"world bbox", "S_INTERSECTS(geometry,BBOX(-180,-90,180,90))", ""},
		{"world polygon", "S_INTERSECTS(geometry,POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90)))", ""},
		{"polygon CRS84", "S_INTERSECTS(geometry," + halle + ")", ""},
		{"polygon EPSG:4326 lat/lon", "S_INTERSECTS(geometry," + in(4326, true) + ")", epsg(4326)},
		{"polygon EPSG:25833", "S_INTERSECTS(geometry," + in(25833, false) + ")", epsg(25833)},
		{"polygon EPSG:31468", "S_INTERSECTS(geometry," + in(31468, false) + ")", epsg(31468)},
		{"within", "S_WITHIN(geometry," + halle + ")", ""},
		{"disjoint", "S_DISJOINT(geometry," + halle + ")", ""},
		{"crosses a line", "S_CROSSES(geometry,LINESTRING(11.6 51.0,12.9 51.7))", ""},
		{"bbox and district", "district_ags = '15088' AND S_INTERSECTS(geometry,BBOX(11.5,51.2,12.5,51.7))", ""},
		{"equals code", "use_type = 'GI'", ""},
		{"in", "use_type IN ('GI','GE')", ""},
		{"not in", "use_type NOT IN ('GI')", ""},
		{"between", "net_area_ha BETWEEN 2 AND 10", ""},
		{"not between", "net_area_ha NOT BETWEEN 1 AND 50", ""},
		{"like", "name LIKE '%a%'", ""},
		{"casei", "CASEI(district_name) = CASEI('SAALEKREIS')", ""},
		{"accenti", "ACCENTI(district_name) = ACCENTI('Mansfeld-Sudharz')", ""},
		{"casei like", "CASEI(municipality_name) LIKE CASEI('%LEIPZIG%')", ""},
		{"temporal after", "T_AFTER(valid_from, TIMESTAMP('2019-01-01T00:00:00Z'))", ""},
		{"temporal intersects", "T_INTERSECTS(valid_from, INTERVAL('2016-01-01T00:00:00Z','2020-12-31T00:00:00Z'))", ""},
		{"temporal before date", "T_BEFORE(available_from, DATE('2027-01-01'))", ""},
		{"arithmetic", "net_area_ha * 10000 > 50000", ""},
		{"arithmetic property-property", "gross_area_ha - net_area_ha > 2", ""},
		{"property-property", "net_area_ha < gross_area_ha * 0.62", ""},
		{"is null", "price_min_eur_m2 IS NULL", ""},
		{"is not null and comparison", "price_max_eur_m2 IS NOT NULL AND price_max_eur_m2 >= 40", ""},
		{"boolean", "rail_siding = true", ""},
		{"not", "NOT (status = 'offered')", ""},
		{"or", "status = 'offered' OR availability = 'now'", ""},
		{"investor question", "net_area_ha >= 2 AND use_type = 'GI' AND dist_motorway_km <= 10 AND planning_status = 'in_force'", ""},
		{"broadband", "broadband_mbps >= 1000", ""},
	}
}

// agreementClient reads the API as one reader (token "" is the public).
type agreementClient struct {
	t     *testing.T
	base  string
	token string
}

func (c agreementClient) get(path string) (int, []byte) {
	c.t.Helper()
	return c.send(http.MethodGet, path, nil)
}

func (c agreementClient) send(method, path string, body io.Reader) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// getJSON decodes a 200 answer; anything else fails the test.
func (c agreementClient) getJSON(path string, v any) {
	c.t.Helper()
	code, body := c.get(path)
	if code != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
}

// items pages through the features API and returns numberMatched, the ids of every page, their
// net area and geometry.
func (c agreementClient) items(f agreementFilter, datetime string) (matched int, ids []int64, netHa float64, geoms map[int64]orb.Geometry) {
	c.t.Helper()
	v := url.Values{"filter": {f.cql}, "limit": {"1000"}, "properties": {"id,net_area_ha"}}
	if f.crs != "" {
		v.Set("filter-crs", f.crs)
	}
	if datetime != "" {
		v.Set("datetime", datetime)
		v.Set("skipGeometry", "true")
	}
	next := "/ogcapi/collections/parcels/items?" + v.Encode()
	geoms = map[int64]orb.Geometry{}
	for pages := 0; next != ""; pages++ {
		if pages > 100 {
			c.t.Fatalf("%s: more than 100 pages", f.name)
		}
		var page struct {
			NumberMatched int `json:"numberMatched"`
			Features      []struct {
				ID         int64             `json:"id"`
				Geometry   *geojson.Geometry `json:"geometry"`
				Properties struct {
					NetHa float64 `json:"net_area_ha"`
				} `json:"properties"`
			} `json:"features"`
			Links []struct{ Rel, Href string } `json:"links"`
		}
		c.getJSON(next, &page)
		matched = page.NumberMatched
		for _, ft := range page.Features {
			ids = append(ids, ft.ID)
			netHa += ft.Properties.NetHa
			if ft.Geometry != nil {
				geoms[ft.ID] = ft.Geometry.Geometry()
			}
		}
		next = ""
		for _, l := range page.Links {
			if l.Rel == "next" {
				u, err := url.Parse(l.Href)
				if err != nil {
					c.t.Fatal(err)
				}
				next = u.RequestURI()
			}
		}
	}
	return matched, ids, netHa, geoms
}

// studyParams are the selection parameters of the study endpoints for a filter at a time.
func studyParams(f agreementFilter, asOf string) url.Values {
	v := url.Values{"filter": {f.cql}}
	if f.crs != "" {
		v.Set("filter-crs", f.crs)
	}
	if asOf != "" {
		v.Set("as_of", asOf)
	}
	return v
}

// studyParcels returns the ids /api/v1/study/parcels lists.
func (c agreementClient) studyParcels(f agreementFilter, asOf string) []int64 {
	c.t.Helper()
	v := studyParams(f, asOf)
	v.Set("limit", "10000")
	var fc struct {
		Features []struct {
			ID int64 `json:"id"`
		} `json:"features"`
	}
	c.getJSON("/api/v1/study/parcels?"+v.Encode(), &fc)
	ids := make([]int64, len(fc.Features))
	for i, ft := range fc.Features {
		ids[i] = ft.ID
	}
	return ids
}

// run stores a study run of the filter (created by the planner, for the reader's audience) and
// returns its parcel count and the ids of its parcels CSV as the reader reads it.
func (c agreementClient) run(planner agreementClient, f agreementFilter, asOf string) (int, []int64) {
	c.t.Helper()
	audience := "public"
	if c.token != "" {
		audience = "internal"
	}
	params := map[string]any{"title": "Agreement " + f.name, "audience": audience, "filter": f.cql}
	if f.crs != "" {
		params["filter_crs"] = f.crs
	}
	if asOf != "" {
		params["as_of"] = asOf
	}
	body, err := json.Marshal(params)
	if err != nil {
		c.t.Fatal(err)
	}
	code, out := planner.send(http.MethodPost, "/api/v1/study/runs", strings.NewReader(string(body)))
	if code != http.StatusCreated {
		c.t.Fatalf("%s: create run: %d %s", f.name, code, out)
	}
	var run struct {
		ID      int64 `json:"id"`
		Parcels int   `json:"parcels"`
	}
	if err := json.Unmarshal(out, &run); err != nil {
		c.t.Fatal(err)
	}
	code, csvBody := c.get(fmt.Sprintf("/api/v1/study/runs/%d/tables/parcels.csv", run.ID))
	if code != http.StatusOK {
		c.t.Fatalf("%s: run CSV: %d %s", f.name, code, csvBody)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(csvBody), "\ufeff"))).ReadAll()
	if err != nil || len(rows) == 0 {
		c.t.Fatalf("%s: run CSV: %v (%d rows)", f.name, err, len(rows))
	}
	col := slices.Index(rows[0], "id")
	if col < 0 {
		c.t.Fatalf("%s: run CSV has no id column: %v", f.name, rows[0])
	}
	var ids []int64
	for _, row := range rows[1:] {
		id, err := strconv.ParseInt(row[col], 10, 64)
		if err != nil {
			c.t.Fatalf("%s: run CSV id %q: %v", f.name, row[col], err)
		}
		ids = append(ids, id)
	}
	return run.Parcels, ids
}

// tileIDs returns the parcel ids in the z14 tiles that cover the given parcels' outlines.
func (c agreementClient) tileIDs(f agreementFilter, geoms []orb.Geometry) map[int64]bool {
	c.t.Helper()
	tiles := map[maptile.Tile]bool{}
	for _, g := range geoms {
		b := g.Bound()
		min, max := maptile.At(orb.Point{b.Min.X(), b.Max.Y()}, 14), maptile.At(orb.Point{b.Max.X(), b.Min.Y()}, 14)
		for x := min.X; x <= max.X; x++ {
			for y := min.Y; y <= max.Y; y++ {
				tiles[maptile.New(x, y, 14)] = true
			}
		}
	}
	v := url.Values{"filter": {f.cql}}
	if f.crs != "" {
		v.Set("filter-crs", f.crs)
	}
	ids := map[int64]bool{}
	for tile := range tiles {
		code, body := c.get(fmt.Sprintf("/tiles/parcels/14/%d/%d.mvt?%s", tile.X, tile.Y, v.Encode()))
		switch code {
		case http.StatusNoContent:
			continue
		case http.StatusOK:
		default:
			c.t.Fatalf("%s: tile %v: %d %s", f.name, tile, code, body)
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil {
			c.t.Fatalf("%s: decode tile %v: %v", f.name, tile, err)
		}
		for _, l := range layers {
			for _, ft := range l.Features {
				id, err := strconv.ParseInt(fmt.Sprint(ft.ID), 10, 64)
				if err != nil {
					c.t.Fatalf("%s: tile %v: feature id %v: %v", f.name, tile, ft.ID, err)
				}
				ids[id] = true
			}
		}
	}
	return ids
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// One filter selects the same parcels everywhere: the features API (numberMatched and the ids of
// every page), the study's supply (count and net area), its parcel list, a stored run and its CSV,
// and the vector tiles (current state only: tiles have no time). For the public and a planner,
// now and at a past date.
func TestSelectionAgreesOnEverySurface(t *testing.T) {
	db := pgtest.New(t, pgtest.Demo)
	base := newServer(t, db, httpapi.UploadConfig{})
	plannerToken, _ := token(t, db, auth.Planner, "", "Regionalplanung")
	planner := agreementClient{t, base, plannerToken}
	readers := map[string]agreementClient{"public": {t, base, ""}, "planner": planner}
	const past = "2021-06-30T12:00:00Z"

	filters := agreementFilters(t, db)
	if len(filters) < 30 {
		t.Fatalf("%d filters, the agreement needs at least 30", len(filters))
	}
	nonEmpty := 0
	for _, f := range filters {
		for _, when := range []string{"", past} {
			for _, who := range []string{"public", "planner"} {
				c := readers[who]
				label := fmt.Sprintf("%s / %s / time %q", f.name, who, when)
				matched, ids, netHa, geoms := c.items(f, when)
				if matched != len(ids) {
					t.Errorf("%s: numberMatched %d, but the pages hold %d features", label, matched, len(ids))
				}
				if len(ids) > 0 && when == "" && who == "planner" {
					nonEmpty++
				}
				want := sorted(ids)

				var supply struct {
					Supply struct {
						Total struct {
							Parcels int     `json:"parcels"`
							NetHa   float64 `json:"net_ha"`
						} `json:"total"`
					} `json:"supply"`
				}
				c.getJSON("/api/v1/study/supply?"+studyParams(f, when).Encode(), &supply)
				if got := supply.Supply.Total; got.Parcels != len(ids) || math.Abs(got.NetHa-netHa) > 0.01 {
					t.Errorf("%s: study supply counts %d parcels, %.4f ha net; the features API %d, %.4f ha", label, got.Parcels, got.NetHa, len(ids), netHa)
				}
				if got := sorted(c.studyParcels(f, when)); !slices.Equal(got, want) {
					t.Errorf("%s: /api/v1/study/parcels lists %d parcels, the features API %d", label, len(got), len(want))
				}
				count, runIDs := c.run(planner, f, when)
				if count != len(ids) || !slices.Equal(sorted(runIDs), want) {
					t.Errorf("%s: a stored run counts %d parcels and its CSV lists %d; the features API %d", label, count, len(runIDs), len(ids))
				}
				if when != "" {
					continue
				}
				// The tiles covering (up to) 25 of the matched parcels hold those parcels, and only
				// matched ones.
				var sample []orb.Geometry
				for _, id := range want[:min(len(want), 25)] {
					sample = append(sample, geoms[id])
				}
				inTiles := c.tileIDs(f, sample)
				for _, id := range want[:min(len(want), 25)] {
					if !inTiles[id] {
						t.Errorf("%s: parcel %d matches but is missing from the z14 tiles that cover it", label, id)
					}
				}
				for id := range inTiles {
					if _, ok := slices.BinarySearch(want, id); !ok {
						t.Errorf("%s: parcel %d is in a z14 tile but does not match the filter", label, id)
					}
				}
			}
		}
	}
	if nonEmpty < 25 {
		t.Errorf("only %d of %d filters match any parcel: the agreement proves little", nonEmpty, len(filters))
	}
}

// A filter on an internal property is an unknown property for the public on every surface, and
// a filter that does not parse is a 400 naming the parameter on every surface.
func TestSelectionErrorsAgreeOnEverySurface(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	public := agreementClient{t, base, ""}
	for _, cql := range []string{"owner_willing = 'yes'", "use_type = "} {
		q := url.Values{"filter": {cql}}.Encode()
		for _, path := range []string{"/ogcapi/collections/parcels/items?", "/api/v1/study/supply?", "/api/v1/study/parcels?", "/tiles/parcels/14/8755/5461.mvt?"} {
			code, body := public.get(path + q)
			if code != http.StatusBadRequest || !strings.Contains(string(body), "filter") {
				t.Errorf("GET %s%s: %d %s, want 400 naming the filter", path, q, code, body)
			}
		}
	}
}
