package httpapi_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
	"landatlas/internal/studytest"
)

// badRequest is one hostile or malformed request of the corpus.
type badRequest struct {
	name   string
	method string
	path   string
	// who sends it: "" the public, "editor", "planner", "admin", or a raw Authorization header value.
	who         string
	contentType string
	body        string
}

// badFile is one hostile or malformed upload of the corpus: it must end failed or invalid with a
// message that says what is wrong (never "internal error").
type badFile struct {
	name     string
	filename string
	body     []byte
	query    string
}

// dataFingerprint is a digest of everything a bad request must not change: parcels and their
// history, sites, uploads and study runs.
func dataFingerprint(t *testing.T, db *pgtest.DB, withUploads bool) string {
	t.Helper()
	uploads := "SELECT ''"
	if withUploads {
		uploads = "SELECT u::text FROM uploads u"
	}
	var fp string
	err := db.Pool.QueryRow(context.Background(), `SELECT md5(coalesce(string_agg(x, '|' ORDER BY x), '')) FROM (
		SELECT p::text AS x FROM parcels p UNION ALL SELECT h::text FROM parcel_history h
		UNION ALL SELECT s::text FROM sites s UNION ALL SELECT r::text FROM study_runs r
		UNION ALL SELECT m::text FROM district_mappings m UNION ALL `+uploads+`) q`).Scan(&fp)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func zipOf(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// corpusRequests are the requests of the corpus, by endpoint family.
func corpusRequests(runID, uploadID int64) []badRequest {
	var rs []badRequest
	add := func(family string, method, path, who, contentType, body string) {
		rs = append(rs, badRequest{family + " " + method + " " + path, method, path, who, contentType, body})
	}
	long := strings.Repeat("x", 20000)

	// Tokens: malformed, unknown, revoked, over-long.
	for _, h := range []string{"Bearer", "Bearer ", "Bearer la_unknown", "Basic dXNlcjpwYXNz", "Token abc", "Bearer " + long,
		"Bearer la_" + strings.Repeat("A", 43), "bearerla_x", "Bearer la_x la_y", "revoked"} {
		add("token", http.MethodGet, "/api/v1/districts", h, "", "")
	}
	add("token", http.MethodGet, "/api/v1/session", "Bearer la_unknown", "", "")

	// OGC API Features.
	items := "/ogcapi/collections/parcels/items"
	for _, q := range []string{"bbox=a,b,c,d", "bbox=12,51", "bbox=12,51,13", "bbox=12,51,13,52,14", "bbox=13,52,12,51", "bbox=12,95,13,96",
		"limit=-1", "limit=abc", "limit=0", "limit=1e3", "limit=NaN", "bbox=NaN,51,12,52", "bbox=12,51,Inf,52", "offset=-5", "offset=abc",
		"crs=EPSG:9999999", "crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/xyz"), "bbox-crs=foo&bbox=1,2,3,4",
		"datetime=garbage", "datetime=2026-13-45", "datetime=2026-01-01/2026-02-30", "datetime=2030-01-01/2020-01-01",
		"filter=" + url.QueryEscape("status = "), "filter=" + url.QueryEscape("nosuchfield = 1"), "filter=" + url.QueryEscape("status = 'offered' AND"),
		"filter=" + url.QueryEscape("S_INTERSECTS(geometry, POLYGON((1 2, 3 4)))"), "filter=" + url.QueryEscape("remarks = 'x'"),
		"filter=" + url.QueryEscape("net_area_ha > 'abc'"), "filter=" + url.QueryEscape(strings.Repeat("(", 500)+"1=1"+strings.Repeat(")", 500)),
		"filter=" + url.QueryEscape("status IN ("+strings.Repeat("'a',", 5000)+"'a')"), "filter-lang=cql2-xml&filter=a", "filter=" + long,
		"filter=" + url.QueryEscape("status = 'offered\x00'"), "filter=" + url.QueryEscape("CASEI(name) LIKE 1"),
		"properties=nosuchfield", "properties=remarks", "sortby=nosuchfield", "sortby=-nosuch", "f=xlsx", "skipGeometry=maybe",
		// Go's url.ParseQuery drops a pair with a ";" and reports an error that used to be ignored:
		// these answered 200 with every parcel.
		"filter=id=1;", "bbox=12,51,12.01,51.01;", "limit=5;offset=10",
	} {
		add("ogcapi", http.MethodGet, items+"?"+q, "", "", "")
	}
	add("ogcapi", http.MethodGet, "/ogcapi/collections/nosuch/items", "", "", "")
	add("ogcapi", http.MethodGet, "/ogcapi/collections/nosuch", "", "", "")
	add("ogcapi", http.MethodGet, "/ogcapi/collections/parcels/items/abc", "", "", "")
	add("ogcapi", http.MethodGet, "/ogcapi/collections/parcels/items/99999999999999999999", "", "", "")
	add("ogcapi", http.MethodGet, "/ogcapi/collections/parcels/items/-1", "", "", "")
	add("ogcapi", http.MethodGet, "/ogcapi/collections/parcels/items?filter="+url.QueryEscape("remarks = 'x'"), "", "", "")

	// Vector tiles.
	for _, p := range []string{"/tiles/parcels/99/0/0.mvt", "/tiles/parcels/3/8/0.mvt", "/tiles/parcels/3/0/8.mvt", "/tiles/parcels/-1/0/0.mvt",
		"/tiles/parcels/a/b/c.mvt", "/tiles/parcels/14/99999999999/0.mvt", "/tiles/nosuch/1/0/0.mvt", "/tiles/nosuch.json",
		"/tiles/parcels/10/550/340.mvt?filter=" + url.QueryEscape("nosuchfield = 1"), "/tiles/parcels/10/550/340.mvt?filter=" + url.QueryEscape("remarks = 'x'")} {
		add("tiles", http.MethodGet, p, "", "", "")
	}

	// Study figures.
	for _, q := range []string{"/api/v1/study/supply?district=99999", "/api/v1/study/supply?district=abc", "/api/v1/study/supply?group_by=nosuch",
		"/api/v1/study/supply?group_by=ownership", "/api/v1/study/supply?min_site_ha=-1", "/api/v1/study/supply?min_site_ha=Inf", "/api/v1/study/supply?min_site_ha=abc",
		"/api/v1/study/supply?motorway_km=0", "/api/v1/study/supply?as_of=garbage", "/api/v1/study/supply?as_of=2999-01-01",
		"/api/v1/study/supply?as_of=1900-01-01", "/api/v1/study/supply?filter=" + url.QueryEscape("owner_willing = 'yes'"),
		"/api/v1/study/supply?municipality=123", "/api/v1/study/supply?land=Bayern", "/api/v1/study/supply?polygon=" + url.QueryEscape("POLYGON((1 2))"),
		"/api/v1/study/supply?nosuch=1", "/api/v1/study/take-up?from=abc", "/api/v1/study/take-up?from=2030&to=2020",
		"/api/v1/study/balance?margin=abc", "/api/v1/study/balance?margin=-5", "/api/v1/study/balance?target_year=1800",
		"/api/v1/study/balance?target_year=abc", "/api/v1/study/large-sites?distance_m=-1", "/api/v1/study/large-sites?distance_m=abc",
		"/api/v1/study/large-sites?min_net_ha=0", "/api/v1/study/large-sites?distance_m=1e9",
		"/api/v1/study/nearby?point=abc", "/api/v1/study/nearby?point=200,100", "/api/v1/study/nearby?point=12", "/api/v1/study/nearby",
		"/api/v1/study/nearby?parcel=abc", "/api/v1/study/nearby?parcel=99999999", "/api/v1/study/nearby?point=12,51&k=-1",
		"/api/v1/study/nearby?point=12,51&distance_m=-1", "/api/v1/study/nearby?point=12,51&k=100000000",
		"/api/v1/study/search?preset=nosuch", "/api/v1/study/constraints?parcel=abc", "/api/v1/study/parcels?limit=-1",
		"/api/v1/study/parcels?filter=" + url.QueryEscape("status ="),
		"/api/v1/study/supply?district=15088;", "/api/v1/study/supply?min_site_ha=NaN", "/api/v1/study/balance?margin=NaN",
		"/api/v1/study/nearby?point=NaN,NaN",
	} {
		add("study", http.MethodGet, q, "", "", "")
	}

	// Monitoring: quality, the report and its comparison, the Excel-ready tables.
	for _, q := range []string{"/api/v1/study/quality?fresh_months=NaN", "/api/v1/study/quality?fresh_months=-1", "/api/v1/study/quality?sort=x",
		"/api/v1/study/quality?sort=-", "/api/v1/study/monitoring?as_of=notadate", "/api/v1/study/monitoring?campaign=abc",
		"/api/v1/study/monitoring?campaign=999999", "/api/v1/study/monitoring?previous=2026-02-30", "/api/v1/study/monitoring/indicators.csv?format=bad",
		"/api/v1/study/compare?from=2025-13-45", "/api/v1/study/compare", "/api/v1/study/compare?from=2025-01-01&to=garbage",
		"/api/v1/study/tables/nope.csv", "/api/v1/study/tables/nope.xlsx", "/api/v1/study/tables/supply.csv?format=bad",
		"/api/v1/study/tables/supply.csv?district=15088;",
	} {
		add("monitoring", http.MethodGet, q, "", "", "")
	}
	for _, p := range []string{"/api/v1/campaigns/abc", "/api/v1/campaigns/-1", "/api/v1/campaigns/999999", "/api/v1/campaigns/abc/reminders.csv",
		"/api/v1/campaigns?limit=abc", "/api/v1/campaigns/1?x=1"} {
		add("campaigns", http.MethodGet, p, "planner", "", "")
	}
	add("campaigns", http.MethodGet, "/api/v1/campaigns", "", "", "")
	for _, body := range []string{"", "{", "[]", `{"nosuch":1}`, `{"reference_date":"notadate"}`, `{"reference_date":"2026-13-45"}`,
		`{"title":"` + long + `"}`, strings.Repeat("[", 100000)} {
		add("campaigns", http.MethodPost, "/api/v1/campaigns", "admin", "application/json", body)
	}
	add("campaigns", http.MethodPost, "/api/v1/campaigns", "", "application/json", `{}`)
	add("campaigns", http.MethodPost, "/api/v1/campaigns", "planner", "application/json", `{"title":"x","reference_date":"2026-12-31"}`)
	for _, body := range []string{"", "{", "[]", `{"preset":"nosuch"}`, `{"criteria":{"min_net_ha":"abc"}}`, `{"unknown":1}`,
		`{"criteria":{"max_distance_km":{"nosuch":5}}}`, `{"weights":{"area":-1}}`, "{\"criteria\":{\"use_types\":[\"\x00\"]}}",
		`{"criteria":` + strings.Repeat("[", 10000) + `}`} {
		add("study-search", http.MethodPost, "/api/v1/study/search", "", "application/json", body)
	}

	// Study runs.
	for _, body := range []string{"", "{", `{"title":""}`, `{"title":"` + long + `"}`, `{"title":"x","audience":"everyone"}`,
		`{"title":"x","audience":"public","group_by":["ownership"]}`, `{"title":"x","as_of":"2999-01-01"}`, `{"title":"x","nosuch":1}`,
		`{"title":"x","min_site_ha":-1}`, `{"title":"x","search":{"preset":"nosuch"}}`, `{"title":"x","filter":"status ="}`,
		`{"title":"x","large_sites":{"distance_m":-1}}`, `{"title":"x","demand":{"target_year":1800}}`} {
		add("runs", http.MethodPost, "/api/v1/study/runs", "planner", "application/json", body)
	}
	add("runs", http.MethodPost, "/api/v1/study/runs", "", "application/json", `{"title":"x"}`)
	add("runs", http.MethodPost, "/api/v1/study/runs", "editor", "application/json", `{"title":"x"}`)
	for _, p := range []string{"abc", "-1", "0", "99999999999999999999", "999999"} {
		add("runs", http.MethodGet, "/api/v1/study/runs/"+p, "", "", "")
		add("runs", http.MethodGet, "/api/v1/study/runs/"+p+"/tables.xlsx", "", "", "")
	}
	add("runs", http.MethodGet, fmt.Sprintf("/api/v1/study/runs/%d/tables/nosuch.xlsx", runID), "planner", "", "")
	add("runs", http.MethodGet, fmt.Sprintf("/api/v1/study/runs/%d/tables.xlsx", runID), "", "", "") // an internal run, for the public
	add("runs", http.MethodGet, fmt.Sprintf("/api/v1/study/runs/%d/tables/nosuch.csv", runID), "planner", "", "")
	add("runs", http.MethodGet, fmt.Sprintf("/api/v1/study/runs/%d", runID), "", "", "") // an internal run, for the public
	add("runs", http.MethodGet, "/api/v1/study/runs?limit=-1", "", "", "")
	add("runs", http.MethodGet, "/api/v1/study/runs?limit=abc", "", "", "")

	// Uploads, mappings, history.
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson", "", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson", "planner", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=14713&filename=x.geojson", "editor", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=99999&filename=x.geojson", "editor", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson&mode=delete", "editor", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson&crs=EPSG:abc", "editor", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson&crs=EPSG:25833;", "editor", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson&mapping=%7B", "editor", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088", "editor", "application/geo+json", "{}")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson", "editor", "multipart/form-data; boundary=zzz", "--zzz\r\nbroken")
	add("uploads", http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson", "editor", "application/geo+json", strings.Repeat(" ", 5<<20))
	for _, p := range []string{"/api/v1/uploads/abc", "/api/v1/uploads/-1", "/api/v1/uploads/999999", "/api/v1/uploads?limit=-1",
		"/api/v1/uploads?district=abc", "/api/v1/uploads/999999/changes.geojson"} {
		add("uploads", http.MethodGet, p, "editor", "", "")
	}
	add("uploads", http.MethodGet, "/api/v1/uploads", "", "", "")
	add("uploads", http.MethodPost, "/api/v1/uploads/999999/apply", "editor", "", "")
	add("uploads", http.MethodPost, "/api/v1/uploads/abc/preview", "editor", "", "")
	add("uploads", http.MethodPost, fmt.Sprintf("/api/v1/uploads/%d/apply", uploadID), "", "", "")
	add("uploads", http.MethodPost, fmt.Sprintf("/api/v1/uploads/%d/apply", uploadID), "editor", "", "") // failed upload
	for _, body := range []string{"{", `{"columns":{"x":"nosuchfield"}}`, `{"nosuch":1}`, `{"values":{"status":{"a":"nosuchcode"}}}`, strings.Repeat("[", 100000)} {
		add("mapping", http.MethodPut, "/api/v1/districts/15088/mapping", "editor", "application/json", body)
	}
	add("mapping", http.MethodPut, "/api/v1/districts/14713/mapping", "editor", "application/json", "{}")
	add("mapping", http.MethodPut, "/api/v1/districts/99999/mapping", "editor", "application/json", "{}")
	add("mapping", http.MethodPut, "/api/v1/districts/15088/mapping", "", "application/json", "{}")
	for _, p := range []string{"abc", "-1", "0", "99999999", "99999999999999999999"} {
		add("history", http.MethodGet, "/api/v1/parcels/"+p+"/history", "", "", "")
	}
	return rs
}

// corpusFiles are hostile and malformed uploads, of every format.
func corpusFiles(t *testing.T) []badFile {
	feature := `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[11.9,51.4],[11.91,51.4],[11.91,51.41],[11.9,51.4]]]},"properties":%s}`
	return []badFile{
		{name: "empty GeoJSON", filename: "x.geojson", body: []byte("")},
		{name: "binary as GeoJSON", filename: "x.geojson", body: []byte("\x00\x01\x02\xff\xfe")},
		{name: "cut-off GeoJSON", filename: "x.geojson", body: []byte(`{"type":"FeatureCollection","features":[{"type":"Feat`)},
		{name: "nested GeoJSON", filename: "x.geojson", body: []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":` + strings.Repeat("[", 5000))},
		{name: "blank GeoJSON", filename: "x.geojson", body: append([]byte(`{"type":"FeatureCollection","features":[`), bytes.Repeat([]byte(" "), 9<<20)...)},
		{name: "NUL property", filename: "x.geojson", body: []byte(`{"type":"FeatureCollection","features":[` + fmt.Sprintf(feature, `{"kennung":"a\u0000b","na\u0000me":"x"}`) + `]}`)},
		{name: "javascript exposé", filename: "x.geojson", body: []byte(`{"type":"FeatureCollection","features":[` + fmt.Sprintf(feature, `{"kennung":"a","expose":"javascript:alert(1)"}`) + `]}`)},
		{name: "points, not polygons", filename: "x.geojson", body: []byte(`{"type":"Feature","geometry":{"type":"Point","coordinates":[12,51]},"properties":{}}`)},
		{name: "GeoJSON sequence of garbage", filename: "x.geojsonl", body: []byte("{}\n[]\n17\n")},
		{name: "zip, not a zip", filename: "x.zip", body: []byte("PK\x03\x04 broken")},
		{name: "zip with two entries of one name", filename: "x.zip", body: zipOf(t, [2]string{"a.geojson", "{}"}, [2]string{"a.geojson", "{}"})},
		{name: "zip slip", filename: "x.zip", body: zipOf(t, [2]string{"../../evil.geojson", "{}"})},
		{name: "zip of nothing", filename: "x.zip", body: zipOf(t, [2]string{"readme.txt", "hello"})},
		{name: "zip in a zip", filename: "x.zip", body: zipOf(t, [2]string{"inner.zip", string(zipOf(t, [2]string{"a.geojson", "{}"}))})},
		{name: "shapefile without .shx and .dbf", filename: "x.zip", body: zipOf(t, [2]string{"a.shp", "not a shapefile"})},
		{name: "broken GeoPackage", filename: "x.gpkg", body: []byte("SQLite format 3\x00 broken")},
		{name: "broken KML", filename: "x.kml", body: []byte(`<?xml version="1.0"?><kml><Document><Placemark>`)},
		{name: "KML layer --formats", filename: "x.kml", body: []byte(`<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>--formats</name><Placemark><name>x</name><Polygon><outerBoundaryIs><LinearRing><coordinates>11.9,51.4 11.91,51.4 11.91,51.41 11.9,51.4</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Folder></Document></kml>`)},
		{name: "KML with an external entity", filename: "x.kml", body: []byte(`<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml><Document><name>&x;</name></Document></kml>`)},
		{name: "GML without features", filename: "x.gml", body: []byte(`<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml"></gml:FeatureCollection>`)},
		{name: "CSV without geometry", filename: "x.csv", body: []byte("kennung,name\n1,a\n")},
		{name: "CSV with broken WKT", filename: "x.csv", body: []byte("kennung,WKT\n1,\"POLYGON((1 2, 3\"\n")},
		{name: "FlatGeobuf garbage", filename: "x.fgb", body: []byte("fgb\x03fgb\x00 garbage")},
		{name: "DXF garbage", filename: "x.dxf", body: []byte("0\nSECTION\n2\nENTITIES\n0\nENDSEC\n")},
		{name: "geocentric CRS", filename: "x.geojson", query: "&crs=EPSG:4978", body: []byte(`{"type":"FeatureCollection","features":[` + fmt.Sprintf(feature, `{"kennung":"a"}`) + `]}`)},
		{name: "unknown format", filename: "x.exe", body: []byte("MZ\x90\x00")},
		{name: "VRT pointing at a server file", filename: "x.vrt", body: []byte(`<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>`)},
	}
}

// TestBadInputCorpus sends more than 100 hostile or malformed requests across every endpoint
// family and uploads a hostile file of every format: each request gets a 4xx with a message,
// each upload ends failed or invalid with a message, and nothing of the data changes.
func TestBadInputCorpus(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	studytest.Load(t, db)
	base := newServer(t, db, httpapi.UploadConfig{MaxBytes: 4 << 20})
	editorToken, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	plannerToken, _ := token(t, db, auth.Planner, "", "planner")
	adminToken, _ := token(t, db, auth.Admin, "", "admin")
	revoked, revokedID := token(t, db, auth.Planner, "", "old planner")
	if err := (store.Accounts{DB: db.Pool}).Revoke(context.Background(), revokedID); err != nil {
		t.Fatal(err)
	}
	editor := client{t, base, editorToken}
	planner := client{t, base, plannerToken}
	code, run, _ := planner.do(http.MethodPost, "/api/v1/study/runs", "application/json", strings.NewReader(`{"title":"intern","as_of":"2026-06-30"}`))
	if code != http.StatusCreated {
		t.Fatalf("create run: %d %v", code, run)
	}
	_, failed, hdr := editor.do(http.MethodPost, "/api/v1/uploads?district=15088&filename=x.geojson", "application/geo+json", strings.NewReader("{"))
	if u := editor.waitChecked(hdr.Get("Location")); u["status"] != "failed" {
		t.Fatalf("a broken file: %v, want failed", u)
	}

	requests := corpusRequests(int64(run["id"].(float64)), int64(failed["id"].(float64)))
	files := corpusFiles(t)
	if n := len(requests) + len(files); n < 100 {
		t.Fatalf("the corpus holds %d requests, want at least 100", n)
	}
	t.Logf("%d requests, %d raw requests, %d files", len(requests), 5, len(files))
	before := dataFingerprint(t, db, true)
	for _, r := range requests {
		auth := map[string]string{"editor": "Bearer " + editorToken, "planner": "Bearer " + plannerToken, "admin": "Bearer " + adminToken, "revoked": "Bearer " + revoked}[r.who]
		if auth == "" {
			auth = r.who
		}
		code, body := send(t, base, r.method, r.path, auth, r.contentType, r.body)
		if code < 400 || code > 499 || len(strings.TrimSpace(body)) == 0 || strings.Contains(body, "internal error") {
			t.Errorf("%s: %d %.300q, want a 4xx with a message", r.name, code, body)
		}
	}
	// Control characters in headers and the request line, which Go's client refuses to send.
	for _, raw := range []string{
		"GET /api/v1/districts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer la_\x00x\r\n\r\n",
		"GET /api/v1/districts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer la_\x7fx\r\n\r\n",
		"GET /api/v1/districts HTTP/1.1\r\nHost: x\r\nX-Evil: a\x01b\r\n\r\n",
		"GET /api/v1/dis tricts HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /api/v1/districts HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-Long: "+strings.Repeat("a", 8000)+"\r\n", 200) + "\r\n",
	} {
		if code := rawRequest(t, base, raw); code < 400 || code > 499 {
			t.Errorf("raw request %.60q: %d, want a 4xx", raw, code)
		}
	}
	if after := dataFingerprint(t, db, true); after != before {
		t.Errorf("the bad requests changed the data (fingerprint %s, was %s)", after, before)
	}

	before = dataFingerprint(t, db, false)
	for _, f := range files {
		path := "/api/v1/uploads?district=15088&filename=" + url.QueryEscape(f.filename) + f.query
		code, u, hdr := editor.do(http.MethodPost, path, "application/octet-stream", bytes.NewReader(f.body))
		if code >= 400 && code <= 499 && detail(u) != "" {
			continue // refused at once, with a message
		}
		if code != http.StatusAccepted {
			t.Errorf("upload %s: %d %v, want 202 or a 4xx with a message", f.name, code, u)
			continue
		}
		u = editor.waitChecked(hdr.Get("Location"))
		msg := fmt.Sprint(u["message"], u["report"])
		if (u["status"] != "failed" && u["status"] != "invalid") || strings.Contains(msg, "internal error") || len(msg) < 10 {
			t.Errorf("upload %s: %v %.300s, want failed or invalid with a message", f.name, u["status"], msg)
		}
	}
	if after := dataFingerprint(t, db, false); after != before {
		t.Errorf("the hostile uploads changed the data (fingerprint %s, was %s)", after, before)
	}
}

// send makes one request with an optional Authorization header and returns status and body.
func send(t *testing.T, base, method, path, authorization, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, string(b)
}

// rawRequest writes a request as it is to the server and returns the status of the answer.
func rawRequest(t *testing.T, base, raw string) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("raw request %.60q: %v", raw, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
