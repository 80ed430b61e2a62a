package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
)

// plumbingServer is the real router over a test database with the given configuration.
func plumbingServer(t *testing.T, db *pgtest.DB, cfg httpapi.Config) string {
	t.Helper()
	cfg.DB, cfg.Log = db.Pool, slog.New(slog.DiscardHandler)
	cfg.Uploads.TempDir = t.TempDir()
	h, err := httpapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// answer is a response as a test looks at it.
type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) detail() string {
	var doc struct{ Detail string }
	_ = json.Unmarshal([]byte(a.body), &doc)
	return doc.Detail
}

func fetch(t *testing.T, method, url string, headers ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		if h == "" {
			continue
		}
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// Bad query strings, numbers and paths are 4xx problems naming what to fix, on every family
// of endpoints, and change nothing.
func TestBadInputIs4xxEverywhere(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := plumbingServer(t, db, httpapi.Config{})
	editor, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	before := parcelCounts(t, db)
	for _, c := range []struct {
		method, path string
		status       int
		want         string
	}{
		// A ";" that Go's url.ParseQuery drops silently: today's "everything" answers.
		{"GET", "/ogcapi/collections/parcels/items?filter=id=1;", 400, `holds a ";" in "filter=id=1;"`},
		{"GET", "/ogcapi/collections/parcels/items?bbox=12,51,12.01,51.01;", 400, `holds a ";" in "bbox=12,51,12.01,51.01;"`},
		{"GET", "/api/v1/study/supply?district=15088;", 400, `holds a ";" in "district=15088;"`},
		{"GET", "/tiles/parcels.json?filter=id=1;", 400, `holds a ";"`},
		{"GET", "/tiles/parcels/14/8800/5400.mvt?filter=id=1;", 400, `holds a ";"`},
		{"GET", "/api/v1/uploads?district=15088;", 400, `holds a ";"`},
		{"POST", "/api/v1/uploads?district=15088&crs=EPSG:25833;", 400, `holds a ";" in "crs=EPSG:25833;"`},
		{"GET", "/api/v1/study/supply?district=15088%zz", 400, "malformed %-escape"},
		// NaN, Inf and numbers beyond float64.
		{"GET", "/api/v1/study/supply?min_site_ha=NaN", 400, `parameter min_site_ha: "NaN" is not allowed; give a number from 0 to 10000`},
		{"GET", "/api/v1/study/supply?motorway_km=Inf", 400, "parameter motorway_km: "},
		{"GET", "/api/v1/study/supply?min_site_ha=1e400", 400, "parameter min_site_ha: "},
		{"GET", "/api/v1/study/balance?margin=NaN", 400, `parameter margin: "NaN" is not allowed`},
		{"GET", "/api/v1/study/balance?employment=15088:NaN:0.02", 400, "employment"},
		{"GET", "/api/v1/study/nearby?point=NaN,NaN", 400, `parameter point: "NaN,NaN" is not allowed; give lon,lat in WGS84`},
		{"GET", "/api/v1/study/nearby?point=12.1,51.4&distance_m=-Inf", 400, "parameter distance_m: "},
		{"GET", "/api/v1/study/large-sites?distance_m=NaN", 400, "parameter distance_m: "},
		{"GET", "/api/v1/study/parcels?limit=99999999999999999999", 400, "parameter limit: "},
		{"GET", "/ogcapi/collections/parcels/items?bbox=NaN,51,12,52", 400, "parameter bbox: "},
		{"GET", "/ogcapi/collections/parcels/items?net_area_ha=NaN", 400, `parameter net_area_ha: "NaN" is not a number`},
		// Control characters in paths and values.
		{"GET", "/ogcapi/collections/municipalities/items/%00", 404, "control character U+0000"},
		{"GET", "/api/v1/parcels/%00/history", 404, "control character U+0000"},
		{"GET", "/ogcapi/collections/parcels/items?filter=name%3D%27%00%27", 400, "parameter filter: the value holds the control character U+0000"},
		{"GET", "/api/v1/study/supply?filter=name%3D%27%1B%27", 400, "control character U+001B"},
		// Unknown and repeated parameters say so, in one wording everywhere.
		{"GET", "/api/v1/study/supply?distict=15088", 400, `unknown query parameter "distict"; allowed here: scope`},
		{"GET", "/ogcapi/collections/parcels/items?limt=5", 400, `unknown query parameter "limt"; allowed here: f, limit`},
		{"GET", "/api/v1/study/supply?district=15088&district=15002", 400, `query parameter "district" is given 2 times`},
		{"POST", "/api/v1/uploads?distrct=15088", 400, `unknown query parameter "distrct"; allowed here: district, mode, crs`},
		{"GET", "/api/v1/uploads?limit=NaN", 400, `parameter limit: "NaN" is not allowed; give a whole number from 1 to 100`},
		{"GET", "/api/v1/uploads?before=-1", 400, `parameter before: "-1" is not allowed`},
		{"GET", "/api/v1/uploads?district=99999", 400, `parameter district: "99999" is not allowed`},
	} {
		a := fetch(t, c.method, base+c.path, "Authorization: Bearer "+editor)
		if a.status != c.status || a.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(a.detail(), c.want) {
			t.Errorf("%s %s: %d %s %q, want %d saying %q", c.method, c.path, a.status, a.header.Get("Content-Type"), a.detail(), c.status, c.want)
		}
	}
	// A NUL in an upload's file name reaches no database text column.
	up := client{t, base, editor}
	if code, body, _ := up.upload(parcelsFile(t, db, "15088", 1, "angeboten"), "flaechen.geojson", map[string]string{"filename": "flaechen\x00.geojson"}); code != http.StatusBadRequest || !strings.Contains(detail(body), "NUL") {
		t.Errorf("an upload named with a NUL: %d %v, want 400 naming the NUL", code, body)
	}
	if after := parcelCounts(t, db); after != before {
		t.Errorf("bad requests changed the parcels: %v, then %v", before, after)
	}
}

// Unknown paths under the APIs are 404 problem documents; only the web app's own routes
// answer its page.
func TestUnknownPathsAre404(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := plumbingServer(t, db, httpapi.Config{})
	for _, p := range []string{"/api", "/api/v1/nope", "/api/v1/study/nope", "/api/v1/uploads/1/nope", "/ogcapi/nope",
		"/ogcapi/collections/parcels/nope", "/tiles", "/tiles/parcels/1/2.mvt", "/nope", "/study/nope/deeper"} {
		a := fetch(t, "GET", base+p)
		if a.status != http.StatusNotFound || a.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(a.detail(), "there is nothing at "+p) {
			t.Errorf("GET %s: %d %s %q, want a 404 problem", p, a.status, a.header.Get("Content-Type"), a.body)
		}
	}
	for _, p := range []string{"/", "/study", "/study/", "/study/run/3", "/search", "/upload", "/upload/7", "/parcel/12", "/parcel/12/print"} {
		if a := fetch(t, "GET", base+p); a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: %d %s, want the web app's page", p, a.status, a.header.Get("Content-Type"))
		}
	}
	if a := fetch(t, "DELETE", base+"/api/v1/districts"); a.status != http.StatusMethodNotAllowed || !strings.Contains(a.detail(), "DELETE is not allowed") {
		t.Errorf("DELETE /api/v1/districts: %d %s", a.status, a.body)
	}
}

// Every JSON, GeoJSON, CSV and HTML answer is compressed by the one middleware, by the one
// Accept-Encoding rule ("*" accepts gzip).
func TestEveryKindOfResponseIsCompressed(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := plumbingServer(t, db, httpapi.Config{})
	for _, p := range []string{"/api/v1/districts", "/ogcapi/collections/municipalities/items?limit=20", "/ogcapi/api",
		"/ogcapi/collections?f=html", "/api/v1/uploads/fields", "/api/v1/study/search/presets"} {
		for enc, want := range map[string]string{"gzip": "gzip", "*": "gzip", "gzip;q=0, *": "", "identity": ""} {
			a := fetch(t, "GET", base+p, "Accept-Encoding: "+enc)
			if a.status != http.StatusOK || a.header.Get("Content-Encoding") != want {
				t.Errorf("GET %s with Accept-Encoding %q: %d, Content-Encoding %q, want %q", p, enc, a.status, a.header.Get("Content-Encoding"), want)
			}
		}
	}
}

// The one conditional-request rule answers 304 on every API family.
func TestConditionalRequestsEverywhere(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := plumbingServer(t, db, httpapi.Config{})
	for _, p := range []string{"/api/v1/districts", "/api/v1/study/supply", "/ogcapi/collections/municipalities/items?limit=3",
		"/ogcapi/collections/districts", "/tiles/municipalities/10/546/340.mvt"} {
		first := fetch(t, "GET", base+p)
		etag := first.header.Get("ETag")
		if first.status != http.StatusOK || etag == "" {
			t.Errorf("GET %s: %d with ETag %q", p, first.status, etag)
			continue
		}
		for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag, "*"} {
			if a := fetch(t, "GET", base+p, "If-None-Match: "+inm); a.status != http.StatusNotModified || a.body != "" {
				t.Errorf("GET %s with If-None-Match %s: %d, want 304 without a body", p, inm, a.status)
			}
		}
		if a := fetch(t, "GET", base+p, `If-None-Match: "other"`); a.status != http.StatusOK {
			t.Errorf("GET %s with another ETag: %d, want 200", p, a.status)
		}
	}
}

// Vector tiles are cached gzipped; they follow the same rule, "*" included.
func TestTilesFollowTheOneAcceptEncodingRule(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := plumbingServer(t, db, httpapi.Config{})
	const halle = "/tiles/municipalities/10/546/340.mvt" // Halle (Saale)
	plain := fetch(t, "GET", base+halle, "Accept-Encoding: identity")
	if plain.status != http.StatusOK || plain.header.Get("Content-Encoding") != "" || len(plain.body) == 0 {
		t.Fatalf("GET %s without gzip: %d %q, %d bytes", halle, plain.status, plain.header.Get("Content-Encoding"), len(plain.body))
	}
	for enc, want := range map[string]string{"gzip": "gzip", "*": "gzip", "gzip;q=0, *": "", "br": ""} {
		a := fetch(t, "GET", base+halle, "Accept-Encoding: "+enc)
		if a.status != http.StatusOK || a.header.Get("Content-Encoding") != want {
			t.Errorf("GET %s with Accept-Encoding %q: %d, Content-Encoding %q, want %q", halle, enc, a.status, a.header.Get("Content-Encoding"), want)
		}
		if want == "" && a.body != plain.body {
			t.Errorf("Accept-Encoding %q: the plain tile differs", enc)
		}
	}
}

// A failing query of changes.geojson is a problem document, not a 200 with an empty body.
func TestUploadChangesFailureIsAnError(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}
	code, body, hdr := editor.upload(parcelsFile(t, db, "15088", 2, "angeboten"), "flaechen.geojson", nil)
	if code != http.StatusAccepted {
		t.Fatalf("upload: %d %v", code, body)
	}
	if u := editor.waitChecked(hdr.Get("Location")); u["status"] != "ready" {
		t.Fatalf("upload: %v", u)
	}
	if _, err := db.Pool.Exec(context.Background(), `ALTER TABLE upload_endings RENAME TO upload_endings_gone`); err != nil {
		t.Fatal(err)
	}
	a := fetch(t, "GET", base+hdr.Get("Location")+"/changes.geojson", "Authorization: Bearer "+tok)
	if a.status != http.StatusInternalServerError || a.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(a.detail(), "request id") {
		t.Errorf("changes.geojson with a failing query: %d %s %q, want a 500 problem", a.status, a.header.Get("Content-Type"), a.body)
	}
}

// With the database down, requests are 503 with Retry-After, and /readyz does not tell
// anonymous callers the database's user, name or address.
func TestDatabaseDownIs503WithoutDetails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	pool, err := pgxpool.New(context.Background(), "postgres://landatlas_secret_user@"+addr+"/landatlas_secret_db?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	h, err := httpapi.New(httpapi.Config{DB: pool, Log: slog.New(slog.DiscardHandler), Uploads: httpapi.UploadConfig{TempDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(addr)
	for _, p := range []string{"/readyz", "/api/v1/districts", "/ogcapi/collections/parcels/items", "/api/v1/study/supply"} {
		a := fetch(t, "GET", srv.URL+p)
		if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
			t.Errorf("GET %s with the database down: %d, Retry-After %q; want 503 with Retry-After", p, a.status, a.header.Get("Retry-After"))
		}
		for _, secret := range []string{"landatlas_secret_user", "landatlas_secret_db", port, "127.0.0.1"} {
			if strings.Contains(a.body, secret) {
				t.Errorf("GET %s tells %q: %s", p, secret, a.body)
			}
		}
	}
}

// "bearer" is the same scheme as "Bearer" (RFC 9110); other schemes are refused.
func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := plumbingServer(t, db, httpapi.Config{})
	tok, _ := token(t, db, auth.Planner, "", "Regionalplanung")
	for _, h := range []string{"Bearer " + tok, "bearer " + tok, "BEARER  " + tok} {
		a := fetch(t, "GET", base+"/api/v1/session", "Authorization: "+h)
		if a.status != http.StatusOK || !strings.Contains(a.body, `"signed_in":true`) {
			t.Errorf("Authorization %q: %d %s", strings.Replace(h, tok, "<token>", 1), a.status, a.body)
		}
	}
	if a := fetch(t, "GET", base+"/api/v1/session", "Authorization: Basic "+tok); a.status != http.StatusUnauthorized || !strings.Contains(a.detail(), `"Bearer <token>"`) {
		t.Errorf("Basic: %d %s", a.status, a.body)
	}
}

// LANDATLAS_BASE_URL makes the links; the Host header no longer does.
func TestBaseURLMakesTheLinks(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := plumbingServer(t, db, httpapi.Config{BaseURL: "https://atlas.example.org"})
	for _, p := range []string{"/ogcapi", "/ogcapi/collections/municipalities/items?limit=1", "/tiles/municipalities.json", "/ogcapi/api"} {
		req, _ := http.NewRequest("GET", base+p, nil)
		req.Host = "evil.example.com"
		req.Header.Set("X-Forwarded-Host", "evil2.example.com")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "https://atlas.example.org/") || strings.Contains(string(b), "evil") {
			t.Errorf("GET %s behind a proxy: %d, want links to https://atlas.example.org only: %.300s", p, resp.StatusCode, b)
		}
	}
}

// /metrics shows what editors do: not to the public. With a token it answers its bearer.
func TestMetricsAreNotPublic(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	open := plumbingServer(t, db, httpapi.Config{})
	if a := fetch(t, "GET", open+"/metrics"); a.status != http.StatusNotFound || !strings.Contains(a.detail(), "LANDATLAS_METRICS_ADDR") {
		t.Errorf("/metrics without a metrics setting: %d %s, want 404 naming the settings", a.status, a.body)
	}
	const secret = "metrics-secret-0123456789"
	guarded := plumbingServer(t, db, httpapi.Config{MetricsToken: secret})
	for _, h := range []string{"", "Authorization: Bearer wrong-token-0123456789"} {
		if a := fetch(t, "GET", guarded+"/metrics", h); a.status != http.StatusUnauthorized || strings.Contains(a.body, "landatlas_http") {
			t.Errorf("/metrics with %q: %d, want 401", h, a.status)
		}
	}
	if a := fetch(t, "GET", guarded+"/metrics", "Authorization: Bearer "+secret); a.status != http.StatusOK || !strings.Contains(a.body, "landatlas_http_requests_total") {
		t.Errorf("/metrics with the token: %d %.200s", a.status, a.body)
	}
}

// Only the upload route waits long for a body: elsewhere a client trickling its request is cut
// off at the server's ReadTimeout.
func TestOnlyUploadsGetALongReadTimeout(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	h, err := httpapi.New(httpapi.Config{DB: db.Pool, Log: slog.New(slog.DiscardHandler), Uploads: httpapi.UploadConfig{TempDir: t.TempDir()},
		Timeouts: httpapi.Timeouts{ReadHeader: 5 * time.Second, Read: 200 * time.Millisecond, Upload: time.Minute, Write: time.Minute, Idle: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config = httpapi.Timeouts{ReadHeader: 5 * time.Second, Read: 200 * time.Millisecond, Write: time.Minute, Idle: time.Minute}.HTTPServer(h)
	srv.Start()
	defer srv.Close()
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	trickle := func(path, contentType string, body string) (string, error) {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", path, tok, contentType, len(body))
		half := len(body) / 2
		if _, err := io.WriteString(conn, body[:half]); err != nil {
			return "", err
		}
		time.Sleep(time.Second) // well past the 200 ms of Read
		_, _ = io.WriteString(conn, body[half:])
		_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		return bufio.NewReader(conn).ReadString('\n')
	}
	if line, err := trickle("/api/v1/study/search", "application/json", `{"criteria":{"min_net_ha":2}}`); err == nil && strings.Contains(line, "200") {
		t.Errorf("a trickled search was answered %q; want the connection cut off at the read timeout", line)
	}
	file := string(parcelsFile(t, db, "15088", 1, "angeboten"))
	line, err := trickle("/api/v1/uploads?district=15088&filename=f.geojson", "application/geo+json", file)
	if err != nil || !strings.Contains(line, "202") {
		t.Errorf("a trickled upload: %q, %v; want 202 Accepted", line, err)
	}
}
