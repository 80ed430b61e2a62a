package ogcapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

// server is the real router on a test database with fixture parcels, listening on 127.0.0.1.
type server struct {
	t     *testing.T
	db    *pgtest.DB
	url   string // of /ogcapi
	token string // a planner's bearer token

	mu       sync.Mutex
	requests []*url.URL // every request the server got, for checks of what clients send
}

// Fixture ids. The fixture has 40 parcels "Testfläche 1..40" in Halle and the Saalekreis; every
// fourth is internal. Parcel 41 is internal and lies far away in the Altenburger Land, so that
// it widens the extent only for signed-in readers.
const (
	fixtureParcels  = 41
	publicParcels   = 30
	hiddenParcel    = 4  // internal, in Halle
	farParcel       = 41 // internal, in Altenburg
	publicSiteName  = "Gewerbepark Ost"
	secretSiteName  = "Jokerfläche Nord"
	secretRemark    = "Eigentümer verhandelt vertraulich"
	fixtureAreaSpan = "15002%"
)

func newServer(t *testing.T) *server {
	t.Helper()
	db := pgtest.New(t, pgtest.Reference)
	s := &server{t: t, db: db}
	s.exec(`
		INSERT INTO sites (district_ags, municipality_ags, external_id, name, publication, source, geom)
		SELECT m.district_ags, m.ags, x.ext, x.name, x.pub::publication, 'test', ST_Multi(ST_Buffer(ST_PointOnSurface(m.geom), 800))
		FROM municipalities m, (VALUES ('S-1', $1, 'public'), ('S-2', $2, 'internal')) x(ext, name, pub)
		WHERE m.ags = '15002000'`, publicSiteName, secretSiteName)
	// Deterministic attributes: use types cycle GE, GI, SO, MI; statuses offered, reserved, sold;
	// every third parcel has a given net area and every fifth no date from which it is available.
	s.exec(`
		WITH m AS (SELECT ags, district_ags, geom, row_number() OVER (ORDER BY ags) AS n
		           FROM municipalities WHERE ags LIKE '15002%' OR ags LIKE '15088%')
		INSERT INTO parcels (district_ags, external_id, municipality_ags, site_id, name, use_type, planning_status,
		    availability, available_from, status, potential_kind, greenfield, ownership, publication, source,
		    remarks, net_area_given_ha, price_min_eur_m2, price_max_eur_m2, geom, valid_from, changed_by)
		SELECT m.district_ags, 'T-' || g, m.ags,
		       (SELECT id FROM sites WHERE external_id = CASE g % 5 WHEN 1 THEN 'S-1' WHEN 2 THEN 'S-2' END),
		       'Testfläche ' || g, (ARRAY['GE','GI','SO','MI'])[1 + g % 4]::use_type, 'in_force',
		       (ARRAY['now','short_term','long_term'])[1 + g % 3]::availability,
		       CASE WHEN g % 5 <> 0 THEN date '2024-01-01' + g * 10 END,
		       (ARRAY['offered','reserved','sold'])[1 + g % 3]::parcel_status, 'brownfield', g % 2 = 0, 'private',
		       CASE WHEN g % 4 = 0 THEN 'internal' ELSE 'public' END::publication, 'test', $1 || ' ' || g,
		       CASE WHEN g % 3 = 0 THEN 0.5 + g / 10.0 END,
		       CASE WHEN g % 2 = 0 THEN 20 + g END, CASE WHEN g % 2 = 0 THEN 40 + g END,
		       ST_Multi(ST_Buffer(ST_Translate(ST_PointOnSurface(m.geom), (g % 4) * 300, 0), 40 + g * 2, 'quad_segs=2')),
		       timestamptz '2020-01-01' + g * interval '1 day', 'test'
		FROM generate_series(1, 40) g JOIN m ON m.n = 1 + g % (SELECT count(*) FROM m)`, secretRemark)
	s.exec(`
		INSERT INTO parcels (district_ags, external_id, municipality_ags, name, use_type, planning_status, availability,
		    status, potential_kind, greenfield, publication, source, remarks, geom, valid_from)
		SELECT m.district_ags, 'T-41', m.ags, 'Testfläche 41', 'GI', 'in_force', 'now', 'offered', 'reserve_bplan', true,
		       'internal', 'test', $1, ST_Multi(ST_Buffer(ST_PointOnSurface(m.geom), 100)), '2020-01-01'
		FROM municipalities m WHERE m.ags LIKE '16077%' ORDER BY m.ags LIMIT 1`, secretRemark)

	token, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (store.Accounts{DB: db.Pool}).Create(context.Background(), "planner", auth.Planner, "", hash); err != nil {
		t.Fatal(err)
	}
	s.token = token
	h, err := httpapi.New(httpapi.Config{DB: db.Pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL)
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	s.url = ts.URL + "/ogcapi"
	return s
}

func (s *server) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
}

// count runs a count query on the database.
func (s *server) count(sql string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// response is an answer of the server.
type response struct {
	*http.Response
	body []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%.300s", r.Request.URL, err, r.body)
	}
}

// do sends a request; path is relative to /ogcapi or an absolute URL (as in links). Headers are
// name/value pairs; "token" as a name sends the planner's bearer token.
func (s *server) do(method, path string, headers ...string) response {
	s.t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = s.url + path
	}
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "token" {
			req.Header.Set("Authorization", "Bearer "+s.token)
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	return response{res, body}
}

func (s *server) get(path string, headers ...string) response {
	s.t.Helper()
	return s.do(http.MethodGet, path, headers...)
}

// getOK gets a document that must be there and decodes it.
func (s *server) getOK(path string, v any, headers ...string) response {
	s.t.Helper()
	r := s.get(path, headers...)
	if r.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: status %d, want 200: %.500s", path, r.StatusCode, r.body)
	}
	if v != nil {
		r.json(s.t, v)
	}
	return r
}

// featureCollection is the part of an items page the tests look at.
type featureCollection struct {
	Type           string    `json:"type"`
	NumberMatched  int       `json:"numberMatched"`
	NumberReturned int       `json:"numberReturned"`
	Features       []feature `json:"features"`
	Links          []link    `json:"links"`
}

type feature struct {
	ID         any            `json:"id"`
	Geometry   geometry       `json:"geometry"`
	Properties map[string]any `json:"properties"`
	Links      []link         `json:"links"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// firstPosition is the first coordinate pair of a (multi)polygon.
func (g geometry) firstPosition(t *testing.T) [2]float64 {
	t.Helper()
	var mp [][][][2]float64
	if err := json.Unmarshal(g.Coordinates, &mp); err != nil || len(mp) == 0 {
		t.Fatalf("geometry %s is not a MultiPolygon: %v", g.Coordinates, err)
	}
	return mp[0][0][0]
}

type link struct {
	Href, Rel, Type, Title string
}

func (fc featureCollection) link(rel string) string {
	for _, l := range fc.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func (fc featureCollection) ids() []int {
	var ids []int
	for _, f := range fc.Features {
		n, _ := f.ID.(float64)
		ids = append(ids, int(n))
	}
	return ids
}

// items gets an items page of parcels.
func (s *server) items(query string, headers ...string) featureCollection {
	s.t.Helper()
	var fc featureCollection
	s.getOK("/collections/parcels/items?"+query, &fc, headers...)
	return fc
}

// problem asserts that a request fails with status and a detail mentioning every part of want.
func (s *server) problem(path string, status int, want ...string) {
	s.t.Helper()
	r := s.get(path)
	var p struct {
		Status int
		Detail string
	}
	if r.StatusCode != status {
		s.t.Errorf("GET %s: status %d, want %d: %.300s", path, r.StatusCode, status, r.body)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		s.t.Errorf("GET %s: Content-Type %q, want application/problem+json", path, ct)
	}
	r.json(s.t, &p)
	for _, w := range want {
		if !strings.Contains(p.Detail, w) {
			s.t.Errorf("GET %s: detail %q does not mention %q", path, p.Detail, w)
		}
	}
}

// seen returns the queries of the requests the server got for a path.
func (s *server) seen(path string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []url.Values
	for _, u := range s.requests {
		if u.Path == path {
			out = append(out, u.Query())
		}
	}
	return out
}

func escape(s string) string { return url.QueryEscape(s) }

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func fmtBBox(minx, miny, maxx, maxy float64) string {
	return "bbox=" + fmtFloat(minx) + "," + fmtFloat(miny) + "," + fmtFloat(maxx) + "," + fmtFloat(maxy)
}
