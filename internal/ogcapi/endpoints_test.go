package ogcapi_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

const (
	crs84URI    = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	epsg4326URI = "http://www.opengis.net/def/crs/EPSG/0/4326"
	epsgURI     = "http://www.opengis.net/def/crs/EPSG/0/"
)

func TestEndpoints(t *testing.T) {
	s := newServer(t)
	for _, c := range []struct {
		path, contentType string
		check             func(t *testing.T, body []byte)
	}{
		{"", "application/json", func(t *testing.T, b []byte) {
			var d struct{ Links []link }
			mustJSON(t, b, &d)
			var rels []string
			for _, l := range d.Links {
				rels = append(rels, l.Rel)
				if !strings.HasPrefix(l.Href, "http://127.0.0.1:") {
					t.Errorf("link %s is not absolute: %s", l.Rel, l.Href)
				}
			}
			for _, want := range []string{"self", "alternate", "service-desc", "service-doc", "conformance", "data"} {
				if !slices.Contains(rels, want) {
					t.Errorf("landing page has no %s link (has %v)", want, rels)
				}
			}
		}},
		{"/conformance", "application/json", func(t *testing.T, b []byte) {
			var d struct{ ConformsTo []string }
			mustJSON(t, b, &d)
			for _, want := range []string{
				"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
				"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
				"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
				"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
				"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
				"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
				"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
				"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
				"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
				"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
				"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
				"http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
			} {
				if !slices.Contains(d.ConformsTo, want) {
					t.Errorf("conformance does not declare %s", want)
				}
			}
		}},
		{"/api", "application/vnd.oai.openapi+json;version=3.0", func(t *testing.T, b []byte) {
			var d struct {
				OpenAPI string
				Paths   map[string]struct {
					Get struct {
						Parameters []struct {
							Name   string
							Schema map[string]any
						}
					}
				}
			}
			mustJSON(t, b, &d)
			if !strings.HasPrefix(d.OpenAPI, "3.0") {
				t.Errorf("openapi = %q", d.OpenAPI)
			}
			for _, p := range []string{"/", "/conformance", "/collections", "/collections/parcels", "/collections/parcels/items",
				"/collections/parcels/items/{featureId}", "/collections/parcels/queryables", "/collections/constraints/items"} {
				if _, ok := d.Paths[p]; !ok {
					t.Errorf("the API definition has no path %s", p)
				}
			}
			var names []string
			for _, p := range d.Paths["/collections/parcels/items"].Get.Parameters {
				names = append(names, p.Name)
			}
			for _, want := range []string{"limit", "bbox", "bbox-crs", "datetime", "crs", "filter", "filter-lang", "filter-crs", "sortby", "properties", "cursor", "use_type"} {
				if !slices.Contains(names, want) {
					t.Errorf("items of parcels have no parameter %s in the API definition", want)
				}
			}
		}},
		{"/api.html", "text/html; charset=utf-8", func(t *testing.T, b []byte) {
			for _, want := range []string{"GET /collections/parcels/items", "filter-lang", "bbox-crs", "<table>"} {
				if !bytes.Contains(b, []byte(want)) {
					t.Errorf("api.html does not show %q", want)
				}
			}
			if bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte("https://cdn")) {
				t.Error("api.html loads outside assets")
			}
		}},
		{"/collections", "application/json", func(t *testing.T, b []byte) {
			var d struct{ Collections []collectionDoc }
			mustJSON(t, b, &d)
			var ids []string
			for _, c := range d.Collections {
				ids = append(ids, c.ID)
			}
			if !slices.Equal(ids, []string{"parcels", "sites", "districts", "municipalities", "infrastructure", "constraints"}) {
				t.Errorf("collections = %v", ids)
			}
		}},
		{"/collections/parcels", "application/json", func(t *testing.T, b []byte) {
			var c collectionDoc
			mustJSON(t, b, &c)
			if c.StorageCRS != epsgURI+"25832" || !slices.Contains(c.CRS, crs84URI) || !slices.Contains(c.CRS, epsgURI+"31469") || len(c.CRS) != 7 {
				t.Errorf("storageCrs %s, crs %v", c.StorageCRS, c.CRS)
			}
			bb := c.Extent.Spatial.BBox[0]
			if bb[0] < 11 || bb[2] > 13 || bb[1] < 51 || bb[3] > 52 || bb[0] >= bb[2] {
				t.Errorf("spatial extent %v is not around Halle", bb)
			}
			if c.Extent.Spatial.CRS != crs84URI {
				t.Errorf("extent crs %s", c.Extent.Spatial.CRS)
			}
			if iv := c.Extent.Temporal.Interval; len(iv) != 1 || iv[0][0] == nil || *iv[0][0] != "2020-01-02T00:00:00Z" || iv[0][1] != nil {
				t.Errorf("temporal extent %v, want from the first public parcel's state (2020-01-02) open to now", iv)
			}
		}},
		{"/collections/parcels/queryables", "application/schema+json", func(t *testing.T, b []byte) {
			var q queryablesDoc
			mustJSON(t, b, &q)
			if q.Schema != "https://json-schema.org/draft/2020-12/schema" || q.Type != "object" {
				t.Errorf("queryables are not a JSON Schema: %s", b[:200])
			}
			if p := q.Properties["use_type"]; p.Type != "string" || !slices.Equal(p.Enum, []string{"GE", "GI", "SO", "MI", "GEe", "GIe"}) {
				t.Errorf("use_type = %+v, want a string with the code list", p)
			}
			if p := q.Properties["available_from"]; p.Type != "string" || p.Format != "date" {
				t.Errorf("available_from = %+v, want a date", p)
			}
			if p := q.Properties["valid_from"]; p.Format != "date-time" {
				t.Errorf("valid_from = %+v, want a date-time", p)
			}
			if p := q.Properties["net_area_ha"]; p.Type != "number" {
				t.Errorf("net_area_ha = %+v, want a number", p)
			}
			if p := q.Properties["geometry"]; p.Format != "geometry-multipolygon" {
				t.Errorf("geometry = %+v", p)
			}
		}},
		{"/collections/parcels/items?limit=3", "application/geo+json", func(t *testing.T, b []byte) {
			var fc featureCollection
			mustJSON(t, b, &fc)
			if fc.Type != "FeatureCollection" || fc.NumberReturned != 3 || len(fc.Features) != 3 || fc.NumberMatched != publicParcels {
				t.Errorf("type %s, returned %d of %d, matched %d", fc.Type, fc.NumberReturned, len(fc.Features), fc.NumberMatched)
			}
			f := fc.Features[0]
			if f.Geometry.Type != "MultiPolygon" || f.Properties["district_name"] == nil || f.Properties["size_class"] == nil ||
				f.Properties["dist_motorway_km"] == nil || f.Properties["net_area_ha"] == nil {
				t.Errorf("feature lacks the useful attributes: %v", f.Properties)
			}
		}},
		{"/collections/parcels/items/1", "application/geo+json", func(t *testing.T, b []byte) {
			var f feature
			mustJSON(t, b, &f)
			if f.ID != 1.0 || f.Properties["name"] != "Testfläche 1" || len(f.Links) < 3 {
				t.Errorf("feature 1 = %v %v, links %v", f.ID, f.Properties["name"], f.Links)
			}
		}},
		{"/collections/districts/items/15002", "application/geo+json", func(t *testing.T, b []byte) {
			var f feature
			mustJSON(t, b, &f)
			if f.ID != "15002" || f.Properties["name"] != "Halle (Saale)" {
				t.Errorf("district 15002 = %v %v", f.ID, f.Properties["name"])
			}
		}},
		{"/collections/municipalities/items?limit=500", "application/geo+json", func(t *testing.T, b []byte) {
			var fc featureCollection
			mustJSON(t, b, &fc)
			if fc.NumberMatched != 187 || len(fc.Features) != 187 || fc.link("next") != "" {
				t.Errorf("municipalities: matched %d, returned %d, next %q", fc.NumberMatched, len(fc.Features), fc.link("next"))
			}
		}},
		{"/collections/infrastructure/items?kind=airport", "application/geo+json", func(t *testing.T, b []byte) {
			var fc featureCollection
			mustJSON(t, b, &fc)
			if fc.NumberMatched != 1 || fc.Features[0].Geometry.Type != "Point" {
				t.Errorf("airports: %d, %v", fc.NumberMatched, fc.Features)
			}
		}},
	} {
		t.Run(c.path, func(t *testing.T) {
			r := s.getOK(c.path, nil)
			if ct := r.Header.Get("Content-Type"); ct != c.contentType {
				t.Errorf("Content-Type %q, want %q", ct, c.contentType)
			}
			if r.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			c.check(t, r.body)
		})
	}
}

type collectionDoc struct {
	ID     string
	Extent struct {
		Spatial struct {
			BBox [][4]float64
			CRS  string
		}
		Temporal struct{ Interval [][2]*string }
	}
	CRS        []string
	StorageCRS string
	Links      []link
}

type queryablesDoc struct {
	Schema     string `json:"$schema"`
	Type       string
	Properties map[string]struct {
		Type, Format string
		Enum         []string
	}
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("not JSON: %v\n%.300s", err, b)
	}
}

func TestBadRequests(t *testing.T) {
	s := newServer(t)
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/collections/parcels/items?limt=5", []string{`"limt"`, "limit", "bbox", "use_type"}},
		{"/collections/parcels/items?limit=5&limit=6", []string{"limit", "2 times"}},
		{"/collections/parcels/items?limit=0", []string{"limit", "1 to 10000"}},
		{"/collections/parcels/items?limit=many", []string{"limit", "1 to 10000"}},
		{"/collections/parcels/items?bbox=1,2,3", []string{"bbox", "4"}},
		{"/collections/parcels/items?bbox=12,52,11,51", []string{"bbox", "north"}},
		{"/collections/parcels/items?bbox=11,51,12,52&bbox-crs=EPSG:25832", []string{"bbox-crs", epsgURI + "25832"}},
		{"/collections/parcels/items?datetime=2022-02-30", []string{"datetime", "instant"}},
		{"/collections/parcels/items?datetime=2023-01-01/2022-01-01", []string{"datetime", "ends before"}},
		{"/collections/districts/items?datetime=2022-01-01", []string{"datetime", "no time dimension", "parcels and sites"}},
		{"/collections/parcels/items?crs=4326", []string{"crs", crs84URI}},
		{"/collections/parcels/items?f=xml", []string{"f", "json or html"}},
		{"/collections/parcels/items?filter=nope%3D1", []string{"filter", `unknown property "nope"`, "net_area_ha"}},
		{"/collections/parcels/items?filter=name%3D", []string{"filter"}},
		{"/collections/parcels/items?filter=name%3D1", []string{"filter", "cannot compare"}},
		{"/collections/parcels/items?filter=use_type%3D'XX'", []string{"filter", "GE, GI"}},
		{"/collections/parcels/items?filter=name%3D'a'&filter-lang=cql3", []string{"filter-lang", "cql2-text", "cql2-json"}},
		{"/collections/parcels/items?filter=name%3D'a'&filter-lang=cql2-json", []string{"filter"}},
		{"/collections/parcels/items?filter=name%3D'a'&filter-crs=x", []string{"filter-crs"}},
		{"/collections/parcels/items?sortby=nope", []string{"sortby", `"nope"`, "net_area_ha"}},
		{"/collections/parcels/items?sortby=name,-name", []string{"sortby", "twice"}},
		{"/collections/parcels/items?properties=name,nope", []string{"properties", `"nope"`}},
		{"/collections/parcels/items?cursor=xyz", []string{"cursor", "next and prev links"}},
		{"/collections/parcels/items?use_type=XX", []string{"use_type", "GE, GI"}},
		{"/collections/parcels/items?net_area_ha=big", []string{"net_area_ha", "not a number"}},
		{"/collections/parcels/items?greenfield=perhaps", []string{"greenfield", "true or false"}},
		{"/collections/parcels/items?filter=net_area_ha/0>1", []string{"filter", "division by zero"}},
		{"/collections/parcels/items?filter=gross_area_ha/(net_area_ha-net_area_ha)>1", []string{"division by zero"}},
		{"/collections/parcels/items/1?limit=5", []string{`"limit"`, "crs, properties"}},
		{"/collections/parcels/items/1?properties=nope", []string{"properties"}},
		{"/collections/parcels?limit=1", []string{`"limit"`}},
		{"/collections?bbox=1,2,3,4", []string{`"bbox"`}},
		{"/conformance?x=1", []string{`"x"`}},
		{"/?x=1", []string{`"x"`}},
		{"/api?f=yaml", []string{"f"}},
		{"/collections/parcels/queryables?filter=x", []string{`"filter"`}},
	} {
		s.problem(c.path, http.StatusBadRequest, c.want...)
	}
}

func TestNotFound(t *testing.T) {
	s := newServer(t)
	for _, p := range []string{"/collections/nope", "/collections/nope/items", "/collections/nope/queryables",
		"/collections/parcels/items/999999", "/collections/parcels/items/abc", "/collections/parcels/items/-1", "/collections/parcels/items/01",
		"/collections/districts/items/99999", "/collections/nope/items/1"} {
		s.problem(p, http.StatusNotFound)
	}
	// An ended parcel is no longer a current feature.
	s.exec(`UPDATE parcels SET ended_at = now(), valid_from = now() WHERE id = 2`)
	s.problem("/collections/parcels/items/2", http.StatusNotFound, "no feature")
}

func TestHTML(t *testing.T) {
	s := newServer(t)
	for _, c := range []struct{ path, want string }{
		{"?f=html", "Collections"},
		{"/conformance?f=html", "conf/core"},
		{"/collections?f=html", "Parcels (Flächen)"},
		{"/collections/parcels?f=html", "net_area_ha"},
		{"/collections/parcels/queryables?f=html", "use_type"},
		{"/collections/parcels/items?f=html&limit=5", "next page"},
		{"/collections/parcels/items/1?f=html", "Testfläche 1"},
		{"/api?f=html", "GET /collections/parcels/items"},
	} {
		r := s.getOK(c.path, nil)
		if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", c.path, ct)
		}
		if !bytes.Contains(r.body, []byte(c.want)) {
			t.Errorf("%s does not show %q", c.path, c.want)
		}
		if !bytes.Contains(r.body, []byte(`rel="alternate" type="application/json"`)) {
			t.Errorf("%s has no link to its JSON", c.path)
		}
	}
	// A browser asks for HTML by its Accept header; the JSON links back to the HTML.
	r := s.getOK("/collections/parcels/items?limit=2", nil, "Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !bytes.Contains(r.body, []byte("<table>")) {
		t.Errorf("Accept: text/html gave %s", r.Header.Get("Content-Type"))
	}
	fc := s.items("limit=2")
	if alt := fc.link("alternate"); !strings.Contains(alt, "f=html") {
		t.Errorf("alternate link %q", alt)
	}
	// Synthetic demo data say so.
	if r := s.getOK("/collections/parcels?f=html", nil); bytes.Contains(r.body, []byte("synthetic demo data")) {
		t.Error("real data are called synthetic")
	}
	s.exec(`UPDATE parcels SET source = 'synthetic demo data (test)' WHERE id = 1`)
	var c struct{ Description string }
	s.getOK("/collections/parcels", &c)
	if !strings.Contains(c.Description, "synthetic demo data") {
		t.Errorf("the description of a collection with demo data does not say so: %q", c.Description)
	}
	if r := s.getOK("/collections/parcels/items?f=html", nil); !bytes.Contains(r.body, []byte("synthetic demo data")) {
		t.Error("the HTML page of demo parcels does not say they are synthetic")
	}
	// Values are escaped.
	s.exec(`UPDATE parcels SET name = '<script>alert(1)</script>' WHERE id = 1`)
	r = s.getOK("/collections/parcels/items/1?f=html", nil)
	if bytes.Contains(r.body, []byte("<script>alert")) {
		t.Error("a parcel name is not escaped in HTML")
	}
}

func TestHeadCachingAndCompression(t *testing.T) {
	s := newServer(t)
	const page = "/collections/parcels/items?limit=5&sortby=-net_area_ha"
	get := s.getOK(page, nil)
	etag := get.Header.Get("ETag")
	if !strings.HasPrefix(etag, `W/"`) || get.Header.Get("Cache-Control") == "" || get.Header.Get("Content-Crs") != "<"+crs84URI+">" {
		t.Fatalf("ETag %q, Cache-Control %q, Content-Crs %q", etag, get.Header.Get("Cache-Control"), get.Header.Get("Content-Crs"))
	}

	head := s.do(http.MethodHead, page)
	if head.StatusCode != http.StatusOK || len(head.body) != 0 || head.Header.Get("ETag") != etag ||
		head.Header.Get("Content-Type") != "application/geo+json" || head.Header.Get("Content-Crs") == "" {
		t.Errorf("HEAD: %d, %d bytes, ETag %q, Content-Type %q", head.StatusCode, len(head.body), head.Header.Get("ETag"), head.Header.Get("Content-Type"))
	}
	for _, p := range []string{"", "/conformance", "/collections", "/collections/parcels", "/collections/parcels/queryables", "/collections/parcels/items/1", "/api"} {
		if r := s.do(http.MethodHead, p); r.StatusCode != http.StatusOK || len(r.body) != 0 {
			t.Errorf("HEAD %s: %d with %d bytes", p, r.StatusCode, len(r.body))
		}
	}

	if r := s.get(page, "If-None-Match", etag); r.StatusCode != http.StatusNotModified || len(r.body) != 0 {
		t.Errorf("repeated request with If-None-Match: %d, want 304", r.StatusCode)
	}
	if r := s.get(page, "If-None-Match", etag, "token", ""); r.StatusCode != http.StatusOK {
		t.Errorf("a planner got 304 for the public's ETag: %d", r.StatusCode)
	}
	if r := s.get("/collections/parcels/items?limit=6&sortby=-net_area_ha", "If-None-Match", etag); r.StatusCode != http.StatusOK {
		t.Errorf("another request with the ETag: %d, want 200", r.StatusCode)
	}
	for _, p := range []string{"/collections/parcels", "/collections/parcels/items/1", "/conformance"} {
		e := s.getOK(p, nil).Header.Get("ETag")
		if r := s.get(p, "If-None-Match", e); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", p, r.StatusCode)
		}
	}
	// Any write, also by direct SQL, moves the data version on.
	s.exec(`UPDATE parcels SET name = 'Umbenannt' WHERE id = 1`)
	if r := s.get(page, "If-None-Match", etag); r.StatusCode != http.StatusOK || r.Header.Get("ETag") == etag {
		t.Errorf("after a change: %d with ETag %q, want 200 and a new ETag", r.StatusCode, r.Header.Get("ETag"))
	}

	for _, p := range []string{page, "/collections", "/api", "/collections/parcels/items?limit=5&f=html"} {
		r := s.get(p, "Accept-Encoding", "gzip")
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s with Accept-Encoding gzip: Content-Encoding %q", p, r.Header.Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || len(plain) <= len(r.body) {
			t.Errorf("%s: gzip body does not inflate: %v", p, err)
		}
	}
	if r := s.get(page); r.Header.Get("Content-Encoding") != "" {
		t.Error("gzip without Accept-Encoding")
	}
}

func TestCRS(t *testing.T) {
	s := newServer(t)
	one := func(query string) (feature, http.Header) {
		t.Helper()
		var fc featureCollection
		r := s.getOK("/collections/parcels/items?id=1&"+query, &fc)
		if len(fc.Features) != 1 {
			t.Fatalf("%s: %d features", query, len(fc.Features))
		}
		return fc.Features[0], r.Header
	}
	f, h := one("")
	lon, lat := f.Geometry.firstPosition(t)[0], f.Geometry.firstPosition(t)[1]
	if lon < 11 || lon > 12.5 || lat < 51 || lat > 52 || h.Get("Content-Crs") != "<"+crs84URI+">" {
		t.Errorf("CRS84: %v, %v, Content-Crs %s", lon, lat, h.Get("Content-Crs"))
	}
	f, h = one("crs=" + epsg4326URI)
	if p := f.Geometry.firstPosition(t); p[0] != lat || p[1] != lon || h.Get("Content-Crs") != "<"+epsg4326URI+">" {
		t.Errorf("EPSG:4326 gives %v, want latitude first (%v, %v)", p, lat, lon)
	}
	f, _ = one("crs=" + epsgURI + "25832")
	if p := f.Geometry.firstPosition(t); p[0] < 600000 || p[0] > 750000 || p[1] < 5600000 || p[1] > 5800000 {
		t.Errorf("EPSG:25832 gives %v", p)
	}
	for _, code := range []string{"25833", "3857", "31468", "31469"} {
		_, h := one("crs=" + epsgURI + code)
		if h.Get("Content-Crs") != "<"+epsgURI+code+">" {
			t.Errorf("crs %s: Content-Crs %s", code, h.Get("Content-Crs"))
		}
	}
	var single feature
	r := s.getOK("/collections/parcels/items/1?crs="+epsgURI+"3857", &single)
	if p := single.Geometry.firstPosition(t); p[0] < 1.2e6 || p[0] > 1.4e6 || r.Header.Get("Content-Crs") != "<"+epsgURI+"3857>" {
		t.Errorf("single feature in EPSG:3857: %v, %s", p, r.Header.Get("Content-Crs"))
	}

	// A box finds the parcels that intersect it, in the axis order of its CRS.
	var b [4]float64
	if err := s.db.Pool.QueryRow(t.Context(), `SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
		FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM parcels WHERE id IN (1, 5)) x`).Scan(&b[0], &b[1], &b[2], &b[3]); err != nil {
		t.Fatal(err)
	}
	inBox := func(srid int, x1, y1, x2, y2 float64) []int {
		t.Helper()
		rows, _ := s.db.Pool.Query(t.Context(), `SELECT id FROM parcels WHERE publication = 'public'
			AND ST_Intersects(geom, ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, $5::int), ($3 - $1) / 64), 25832)) ORDER BY id`,
			x1, y1, x2, y2, srid)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	want := inBox(4326, b[0], b[1], b[2], b[3])
	if !slices.Contains(want, 1) || !slices.Contains(want, 5) || len(want) >= publicParcels {
		t.Fatalf("bbox around parcels 1 and 5 holds %v", want)
	}
	box := func(query string) []int {
		t.Helper()
		return s.items("limit=100&" + query).ids()
	}
	if got := box(fmtBBox(b[0], b[1], b[2], b[3])); !slices.Equal(got, want) {
		t.Errorf("the box in CRS84 finds %v, want %v", got, want)
	}
	if got := box(fmtBBox(b[1], b[0], b[3], b[2]) + "&bbox-crs=" + epsg4326URI); !slices.Equal(got, want) {
		t.Errorf("the box in EPSG:4326 (latitude first) finds %v, want %v", got, want)
	}
	var u [4]float64
	if err := s.db.Pool.QueryRow(t.Context(), `SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
		FROM (SELECT ST_Extent(geom) AS e FROM parcels WHERE id IN (1, 5)) x`).Scan(&u[0], &u[1], &u[2], &u[3]); err != nil {
		t.Fatal(err)
	}
	if got, want := box(fmtBBox(u[0], u[1], u[2], u[3])+"&bbox-crs="+epsgURI+"25832"), inBox(25832, u[0], u[1], u[2], u[3]); !slices.Equal(got, want) || !slices.Contains(got, 5) {
		t.Errorf("the box in EPSG:25832 finds %v, want %v", got, want)
	}
	// A box around the world finds everything; one in Asia nothing.
	if got := s.items("bbox=-180,-90,180,90"); got.NumberMatched != publicParcels {
		t.Errorf("world bbox matches %d, want %d", got.NumberMatched, publicParcels)
	}
	if got := s.items("bbox=100,0,120,10"); got.NumberMatched != 0 {
		t.Errorf("bbox in Asia matches %d", got.NumberMatched)
	}
	if got := s.items("bbox=-20037508,-20037508,20037508,20037508&bbox-crs=" + epsgURI + "3857"); got.NumberMatched != publicParcels {
		t.Errorf("world bbox in EPSG:3857 matches %d, want %d", got.NumberMatched, publicParcels)
	}
	// filter-crs with the latitude-first axis order.
	var c [2]float64
	if err := s.db.Pool.QueryRow(t.Context(), `SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM parcels WHERE id = 7) x`).Scan(&c[0], &c[1]); err != nil {
		t.Fatal(err)
	}
	if got := s.items("filter=" + escape("S_INTERSECTS(geometry, POINT("+fmtFloat(c[1])+" "+fmtFloat(c[0])+"))") + "&filter-crs=" + epsg4326URI).ids(); !slices.Equal(got, []int{7}) {
		t.Errorf("S_INTERSECTS with a point in EPSG:4326 finds %v, want [7]", got)
	}
}
