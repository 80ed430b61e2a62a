package tiles_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"landatlas/internal/auth"
	"landatlas/internal/catalog"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
	"landatlas/internal/tiles"
)

// server is the real router over a test database.
type server struct {
	t     *testing.T
	db    *pgtest.DB
	url   string
	token string // a planner's bearer token
}

func newServer(t *testing.T, tpl pgtest.Template) *server {
	t.Helper()
	return newServerWith(t, tpl, httpapi.Config{})
}

// newServerWith is newServer with settings of cfg (its DB and Log are the test's).
func newServerWith(t *testing.T, tpl pgtest.Template, cfg httpapi.Config) *server {
	t.Helper()
	db := pgtest.New(t, tpl)
	cfg.DB, cfg.Log = db.Pool, slog.New(slog.DiscardHandler)
	if cfg.MetricsToken == "" {
		cfg.MetricsToken = metricsToken
	}
	h, err := httpapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	token, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (store.Accounts{DB: db.Pool}).Create(context.Background(), "tiles test", auth.Planner, "", hash); err != nil {
		t.Fatal(err)
	}
	return &server{t: t, db: db, url: srv.URL, token: token}
}

// parcel is a fixture parcel: a square of side metres around a point of a municipality.
type parcel struct {
	externalID, useType, publication string
	municipality                     string  // AGS; default Halle (Saale)
	east, north                      float64 // offset in metres from the municipality's PointOnSurface
	side                             float64 // default 80 m
	siteID                           int64
}

func (s *server) insertParcel(p parcel) int64 {
	s.t.Helper()
	if p.municipality == "" {
		p.municipality = "15002000"
	}
	if p.side == 0 {
		p.side = 80
	}
	var site *int64
	if p.siteID != 0 {
		site = &p.siteID
	}
	var id int64
	err := s.db.Pool.QueryRow(context.Background(), `
		INSERT INTO parcels (district_ags, external_id, municipality_ags, site_id, name, use_type, planning_status,
		    availability, status, potential_kind, greenfield, publication, source, geom, changed_by)
		SELECT left($2, 5), $1, $2, $7, 'Testfläche ' || $1, $3::use_type, 'in_force', 'now', 'offered', 'infill_gap', true,
		       $4::publication, 'test',
		       ST_Multi(ST_Expand(ST_Translate(ST_PointOnSurface(m.geom), $5, $6), $8 / 2)), 'test'
		FROM municipalities m WHERE m.ags = $2
		RETURNING id`, p.externalID, p.municipality, p.useType, p.publication, p.east, p.north, site, p.side).Scan(&id)
	if err != nil {
		s.t.Fatalf("insert parcel %s: %v", p.externalID, err)
	}
	return id
}

// tileOf returns the tile at zoom z that holds the centre of a parcel (or site, with table "sites").
func (s *server) tileOf(table string, id int64, z maptile.Zoom) maptile.Tile {
	s.t.Helper()
	var lon, lat float64
	err := s.db.Pool.QueryRow(context.Background(), `
		SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM `+table+` WHERE id = $1) x`, id).
		Scan(&lon, &lat)
	if err != nil {
		s.t.Fatal(err)
	}
	return maptile.At(orb.Point{lon, lat}, z)
}

// response is an answer with its tile decoded.
type response struct {
	status int
	header http.Header
	body   []byte
	layers mvt.Layers
}

// get requests a path; withToken sends the planner's token; extra headers are "Name: value".
func (s *server) get(path string, withToken bool, headers ...string) response {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.url+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if withToken {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: body}
	if resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") == tiles.ContentType {
		if r.layers, err = mvt.Unmarshal(body); err != nil {
			s.t.Fatalf("GET %s: decode tile: %v", path, err)
		}
	}
	return r
}

func tilePath(collection string, t maptile.Tile, query string) string {
	p := fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", collection, t.Z, t.X, t.Y)
	if query != "" {
		p += "?" + query
	}
	return p
}

// features returns the features of the tile's only layer by id (MVT feature id).
func (r response) features(t *testing.T, layer string) map[int64]map[string]any {
	t.Helper()
	out := map[int64]map[string]any{}
	if r.status == http.StatusNoContent {
		return out
	}
	if r.status != http.StatusOK {
		t.Fatalf("tile answered %d: %s", r.status, r.body)
	}
	if len(r.layers) != 1 || r.layers[0].Name != layer {
		t.Fatalf("tile has layers %v, want exactly %q", layerNames(r.layers), layer)
	}
	for _, f := range r.layers[0].Features {
		id, ok := f.ID.(float64) // the decoder's type for MVT ids
		if !ok {
			continue // a cluster
		}
		out[int64(id)] = f.Properties
	}
	return out
}

func layerNames(ls mvt.Layers) []string {
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	return names
}

// tileProperties are the attribute names the catalog puts into tiles of a collection for a reader.
func tileProperties(t *testing.T, collection string, internal bool) []string {
	t.Helper()
	c, ok := catalog.ByID(collection)
	if !ok {
		t.Fatalf("no collection %s", collection)
	}
	var names []string
	for _, p := range c.Visible(internal) {
		if p.Tile {
			names = append(names, p.Name)
		}
	}
	slices.Sort(names)
	return names
}

func TestTileShowsParcelsWithTheirTileAttributes(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	gi := s.insertParcel(parcel{externalID: "GI-1", useType: "GI", publication: "public"})
	hidden := s.insertParcel(parcel{externalID: "INT-1", useType: "GE", publication: "internal", east: -100})
	tile := s.tileOf("parcels", gi, 14)
	if s.tileOf("parcels", hidden, 14) != tile {
		t.Fatal("fixture parcels should share a tile at zoom 14")
	}

	r := s.get(tilePath("parcels", tile, ""), false)
	if ct := r.header.Get("Content-Type"); ct != tiles.ContentType {
		t.Fatalf("Content-Type %q, want %q", ct, tiles.ContentType)
	}
	public := r.features(t, "parcels")
	f, ok := public[gi]
	if !ok {
		t.Fatalf("public GI parcel %d is not in its tile; features: %v", gi, public)
	}
	if f["use_type"] != "GI" || f["id"] != float64(gi) {
		t.Errorf("parcel %d has use_type %v and id %v, want GI and %d", gi, f["use_type"], f["id"], gi)
	}
	if got, want := slices.Sorted(maps.Keys(f)), tileProperties(t, "parcels", false); !slices.Equal(got, want) {
		t.Errorf("public tile attributes %v, want the catalog's public tile properties %v", got, want)
	}
	if _, ok := public[hidden]; ok {
		t.Errorf("internal parcel %d is in the public tile", hidden)
	}
	if g := r.layers[0].Features[0].Geometry.GeoJSONType(); g != "Polygon" {
		t.Errorf("at zoom 14 a parcel is a %s, want its polygon", g)
	}

	internal := s.get(tilePath("parcels", tile, ""), true).features(t, "parcels")
	if len(internal) != 2 {
		t.Fatalf("a planner sees %d parcels in the tile, want the public and the internal one", len(internal))
	}
	if internal[hidden]["publication"] != "internal" || internal[gi]["publication"] != "public" {
		t.Errorf("publication attributes %v and %v, want internal and public", internal[hidden]["publication"], internal[gi]["publication"])
	}
	if got, want := slices.Sorted(maps.Keys(internal[gi])), tileProperties(t, "parcels", true); !slices.Equal(got, want) {
		t.Errorf("planner's tile attributes %v, want the catalog's tile properties %v", got, want)
	}
}

func TestTileFilterSeesOnlyWhatTheReaderMayQuery(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	gi := s.insertParcel(parcel{externalID: "GI-1", useType: "GI", publication: "public"})
	ge := s.insertParcel(parcel{externalID: "GE-1", useType: "GE", publication: "public", east: 150})
	tile := s.tileOf("parcels", gi, 15)

	got := s.get(tilePath("parcels", tile, "filter="+url.QueryEscape("use_type = 'GI'")), false).features(t, "parcels")
	if _, ok := got[gi]; !ok || len(got) != 1 {
		t.Errorf("filter use_type = 'GI' gives parcels %v, want only %d (not the GE parcel %d)", slices.Collect(maps.Keys(got)), gi, ge)
	}
	for _, c := range []struct {
		filter string
		token  bool
		want   int
	}{
		{"publication = 'internal'", false, http.StatusBadRequest},
		{"remarks IS NULL", false, http.StatusBadRequest},
		{"use_type = ", false, http.StatusBadRequest},
		{"use_type = 'XX'", false, http.StatusBadRequest},
		{"publication = 'internal'", true, http.StatusNoContent},
		{"S_INTERSECTS(geometry, BBOX(11.9, 51.4, 12.1, 51.55))", false, http.StatusOK},
	} {
		r := s.get(tilePath("parcels", tile, "filter="+url.QueryEscape(c.filter)), c.token)
		if r.status != c.want {
			t.Errorf("filter %q (token %v): status %d, want %d: %s", c.filter, c.token, r.status, c.want, r.body)
		}
	}
	if r := s.get(tilePath("parcels", tile, "filter=id>0&filter-lang=cql2-json"), false); r.status != http.StatusBadRequest {
		t.Errorf("filter-lang=cql2-json: status %d, want 400 (tiles take cql2-text)", r.status)
	}
}

func TestSiteAggregatesCountOnlyVisibleParcels(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	var site int64
	err := s.db.Pool.QueryRow(context.Background(), `
		INSERT INTO sites (district_ags, municipality_ags, external_id, name, publication, source, geom)
		SELECT '15002', m.ags, 'S-1', 'Teststandort', 'public', 'test', ST_Multi(ST_Expand(ST_PointOnSurface(m.geom), 400))
		FROM municipalities m WHERE m.ags = '15002000' RETURNING id`).Scan(&site)
	if err != nil {
		t.Fatal(err)
	}
	s.insertParcel(parcel{externalID: "P-PUB", useType: "GI", publication: "public", siteID: site, side: 100})
	s.insertParcel(parcel{externalID: "P-INT", useType: "GI", publication: "internal", siteID: site, side: 200, east: 200})
	tile := s.tileOf("sites", site, 14)

	// Net area is 0.65 × gross where not given: 0.65 ha public, 2.6 ha internal.
	for _, c := range []struct {
		token bool
		want  float64
	}{{false, 0.65}, {true, 3.25}} {
		sites := s.get(tilePath("sites", tile, ""), c.token).features(t, "sites")
		got, _ := sites[site]["net_offered_ha"].(float64)
		if diff := got - c.want; diff > 1e-6 || diff < -1e-6 {
			t.Errorf("token %v: site's net_offered_ha = %v, want %v", c.token, sites[site]["net_offered_ha"], c.want)
		}
	}
}

func TestTileChangesAtOnceWhenTheDataChanges(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	id := s.insertParcel(parcel{externalID: "GI-1", useType: "GI", publication: "public"})
	path := tilePath("parcels", s.tileOf("parcels", id, 14), "")

	first := s.get(path, false)
	if got := first.features(t, "parcels")[id]["use_type"]; got != "GI" {
		t.Fatalf("use_type %v, want GI", got)
	}
	again := s.get(path, false)
	if hits := s.metric(`landatlas_tile_cache_hits_total{collection="parcels"}`); hits != 1 {
		t.Errorf("after the same request twice, %v cache hits, want 1", hits)
	}
	etag := again.header.Get("ETag")
	if etag == "" || etag != first.header.Get("ETag") {
		t.Fatalf("ETags %q and %q, want the same non-empty one", first.header.Get("ETag"), etag)
	}
	if r := s.get(path, false, "If-None-Match: "+etag); r.status != http.StatusNotModified || len(r.body) != 0 {
		t.Errorf("If-None-Match with the current ETag: status %d with %d bytes, want 304 without body", r.status, len(r.body))
	}

	if _, err := s.db.Pool.Exec(context.Background(), `UPDATE parcels SET use_type = 'SO' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	changed := s.get(path, false, "If-None-Match: "+etag)
	if changed.status != http.StatusOK {
		t.Fatalf("after the write, If-None-Match with the old ETag: status %d, want 200 with the new tile", changed.status)
	}
	if got := changed.features(t, "parcels")[id]["use_type"]; got != "SO" {
		t.Errorf("right after the UPDATE the tile says use_type %v, want SO", got)
	}
	if changed.header.Get("ETag") == etag {
		t.Errorf("the ETag %s did not change with the data", etag)
	}

	if _, err := s.db.Pool.Exec(context.Background(), `UPDATE parcels SET publication = 'internal' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if r := s.get(path, false); r.status != http.StatusNoContent {
		t.Errorf("after the parcel became internal, the public tile answered %d, want 204 (empty)", r.status)
	}
}

// An anonymous reader's ETags and tile URLs carry the public data version: an edit of internal
// parcels alone must not change them (the public could tell that something internal changed),
// while a signed-in reader's tile ETag moves with it; a public edit moves both.
func TestInternalEditsDoNotShowInAnonymousETags(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	public := s.insertParcel(parcel{externalID: "PUB-1", useType: "GI", publication: "public"})
	hidden := s.insertParcel(parcel{externalID: "INT-1", useType: "GI", publication: "internal", east: 200})
	tile := tilePath("parcels", s.tileOf("parcels", public, 14), "")
	items := "/ogcapi/collections/parcels/items?limit=5"
	tileJSONVersion := func(withToken bool) string {
		var doc struct {
			Tiles []string `json:"tiles"`
		}
		if err := json.Unmarshal(s.get("/tiles/parcels.json", withToken).body, &doc); err != nil || len(doc.Tiles) != 1 {
			t.Fatalf("TileJSON: %v %v", err, doc)
		}
		u, err := url.Parse(doc.Tiles[0])
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("v")
	}
	type etags struct{ tile, items, tileJSON, signedInTile string }
	read := func() etags {
		var e etags
		for _, r := range []struct {
			path      string
			withToken bool
			into      *string
		}{{tile, false, &e.tile}, {items, false, &e.items}, {tile, true, &e.signedInTile}} {
			resp := s.get(r.path, r.withToken)
			if resp.status != http.StatusOK || resp.header.Get("ETag") == "" {
				t.Fatalf("GET %s: status %d, ETag %q; want 200 with an ETag", r.path, resp.status, resp.header.Get("ETag"))
			}
			*r.into = resp.header.Get("ETag")
		}
		e.tileJSON = tileJSONVersion(false)
		return e
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := s.db.Pool.Exec(context.Background(), sql, args...); err != nil {
			t.Fatal(err)
		}
	}

	before := read()
	exec(`UPDATE parcels SET name = 'Geheim', remarks = 'intern' WHERE id = $1`, hidden)
	s.insertParcel(parcel{externalID: "INT-2", useType: "GE", publication: "internal", east: -200})
	after := read()
	if after.tile != before.tile {
		t.Errorf("an internal-only edit changed the anonymous tile's ETag from %s to %s", before.tile, after.tile)
	}
	if after.items != before.items {
		t.Errorf("an internal-only edit changed the anonymous items ETag from %s to %s", before.items, after.items)
	}
	if after.tileJSON != before.tileJSON {
		t.Errorf("an internal-only edit changed the version in the anonymous TileJSON's tiles URL from %s to %s", before.tileJSON, after.tileJSON)
	}
	if after.signedInTile == before.signedInTile {
		t.Errorf("an internal edit in the tile left the signed-in reader's tile ETag at %s", after.signedInTile)
	}
	if got := s.get(tile, true).features(t, "parcels")[hidden]["name"]; got != "Geheim" {
		t.Errorf("the signed-in reader's tile names the internal parcel %v, want the new name Geheim", got)
	}

	exec(`UPDATE parcels SET use_type = 'SO' WHERE id = $1`, public)
	changed := read()
	if changed.tile == after.tile || changed.items == after.items || changed.tileJSON == after.tileJSON {
		t.Errorf("a public edit left anonymous ETags or version unchanged: before %+v, after %+v", after, changed)
	}
	if got := s.get(tile, false).features(t, "parcels")[public]["use_type"]; got != "SO" {
		t.Errorf("after the public edit the anonymous tile says use_type %v, want SO", got)
	}
}

// Readers race a writer: a request sent after a write committed must show it, however the reads of
// the data version are shared between concurrent requests and whatever the cache holds.
func TestTileIsNeverOlderThanACommittedWrite(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	id := s.insertParcel(parcel{externalID: "W-0", useType: "GI", publication: "public"})
	path := tilePath("parcels", s.tileOf("parcels", id, 14), "")
	var committed atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := int64(1); i <= 30; i++ {
			name := "Testfläche W-" + strconv.FormatInt(i, 10)
			if _, err := s.db.Pool.Exec(context.Background(), `UPDATE parcels SET name = $2 WHERE id = $1`, id, name); err != nil {
				t.Error(err)
				return
			}
			committed.Store(i)
		}
	}()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				before := committed.Load()
				r := s.get(path, false)
				name, _ := r.features(t, "parcels")[id]["name"].(string)
				seen, err := strconv.ParseInt(strings.TrimPrefix(name, "Testfläche W-"), 10, 64)
				if err != nil {
					t.Errorf("the parcel is named %q, want Testfläche W-<write>", name)
					return
				}
				if seen < before {
					t.Errorf("tile shows write %d after write %d had committed", seen, before)
					return
				}
			}
		})
	}
	wg.Wait()
	<-done
}

const metricsToken = "tiles-test-metrics"

// metric reads a counter or gauge from /metrics (0 when absent).
func (s *server) metric(series string) float64 {
	s.t.Helper()
	r := s.get("/metrics", false, "Authorization: Bearer "+metricsToken)
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindSubmatch(r.body)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

func TestTileCachingHeaders(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	id := s.insertParcel(parcel{externalID: "GI-1", useType: "GI", publication: "public"})
	tile := s.tileOf("parcels", id, 14)
	var doc struct {
		Tiles []string `json:"tiles"`
	}
	if err := json.Unmarshal(s.get("/tiles/parcels.json", false).body, &doc); err != nil || len(doc.Tiles) != 1 {
		t.Fatalf("TileJSON: %v %v", err, doc)
	}
	u, err := url.Parse(doc.Tiles[0])
	if err != nil {
		t.Fatal(err)
	}
	v := u.Query().Get("v")
	old, _ := strconv.Atoi(v)

	var signedIn struct {
		Tiles []string `json:"tiles"`
	}
	if err := json.Unmarshal(s.get("/tiles/parcels.json", true).body, &signedIn); err != nil || len(signedIn.Tiles) != 1 {
		t.Fatalf("TileJSON signed in: %v %v", err, signedIn)
	}
	su, err := url.Parse(signedIn.Tiles[0])
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		query string
		token bool
		want  string
	}{
		{"v=" + v, false, "public, max-age=31536000, immutable"},
		{"v=" + su.Query().Get("v"), true, "private, max-age=31536000, immutable"},
		{"", false, "public, no-cache"},
		{"v=" + strconv.Itoa(old-1), false, "public, no-cache"},
	} {
		r := s.get(tilePath("parcels", tile, c.query), c.token)
		if got := r.header.Get("Cache-Control"); got != c.want {
			t.Errorf("?%s (token %v): Cache-Control %q, want %q", c.query, c.token, got, c.want)
		}
		if vary := r.header.Values("Vary"); !slices.Contains(vary, "Authorization") {
			t.Errorf("?%s: Vary %v, want Authorization among them", c.query, vary)
		}
	}
	if r := s.get(tilePath("parcels", tile, "v=abc"), false); r.status != http.StatusBadRequest {
		t.Errorf("v=abc: status %d, want 400", r.status)
	}
}

func TestTileRejectsBadCoordinatesAndUnknownCollections(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	for _, c := range []struct {
		path string
		want int
	}{
		{"/tiles/parcels/23/0/0.mvt", http.StatusBadRequest},
		{"/tiles/parcels/-1/0/0.mvt", http.StatusBadRequest},
		{"/tiles/parcels/a/0/0.mvt", http.StatusBadRequest},
		{"/tiles/parcels/2/4/0.mvt", http.StatusBadRequest},
		{"/tiles/parcels/2/0/4.mvt", http.StatusBadRequest},
		{"/tiles/parcels/2/1.5/0.mvt", http.StatusBadRequest},
		{"/tiles/parcels/2/+1/0.mvt", http.StatusBadRequest},
		{"/tiles/parcels/99999999999999999999/0/0.mvt", http.StatusBadRequest},
		{"/tiles/lakes/2/1/1.mvt", http.StatusNotFound},
		{"/tiles/lakes.json", http.StatusNotFound},
		{"/tiles/parcels/0/0/0.mvt", http.StatusNoContent},
		{"/tiles/districts/10/0/0.mvt", http.StatusNoContent},
	} {
		r := s.get(c.path, false)
		if r.status != c.want {
			t.Errorf("GET %s: status %d, want %d: %s", c.path, r.status, c.want, r.body)
		}
		if c.want >= 400 && r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: Content-Type %q, want a problem document", c.path, r.header.Get("Content-Type"))
		}
		if c.want == http.StatusNoContent && len(r.body) != 0 {
			t.Errorf("GET %s: empty tile with %d bytes of body", c.path, len(r.body))
		}
	}
}

// tileJSONDoc is the part of a TileJSON document the tests read.
type tileJSONDoc struct {
	TileJSON     string     `json:"tilejson"`
	Tiles        []string   `json:"tiles"`
	Attribution  string     `json:"attribution"`
	MinZoom      int        `json:"minzoom"`
	MaxZoom      int        `json:"maxzoom"`
	Bounds       [4]float64 `json:"bounds"`
	VectorLayers []struct {
		ID     string            `json:"id"`
		Fields map[string]string `json:"fields"`
	} `json:"vector_layers"`
}

func (s *server) tileJSON(collection, query string, withToken bool) tileJSONDoc {
	s.t.Helper()
	path := "/tiles/" + collection + ".json"
	if query != "" {
		path += "?" + query
	}
	r := s.get(path, withToken)
	if r.status != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	var doc tileJSONDoc
	if err := json.Unmarshal(r.body, &doc); err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	return doc
}

func TestTileJSONDescribesTheLayerAndItsTilesURLWorks(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	gi := s.insertParcel(parcel{externalID: "GI-1", useType: "GI", publication: "public"})
	s.insertParcel(parcel{externalID: "GE-1", useType: "GE", publication: "public", east: 150})
	tile := s.tileOf("parcels", gi, 15)

	doc := s.tileJSON("parcels", "filter="+url.QueryEscape("use_type = 'GI'"), false)
	if doc.TileJSON != "3.0.0" || len(doc.Tiles) != 1 || len(doc.VectorLayers) != 1 || doc.VectorLayers[0].ID != "parcels" {
		t.Fatalf("TileJSON %+v: want tilejson 3.0.0, one tiles URL and the layer parcels", doc)
	}
	if !strings.HasPrefix(doc.Tiles[0], s.url+"/tiles/parcels/{z}/{x}/{y}.mvt?") {
		t.Errorf("tiles URL %s, want an absolute URL at %s", doc.Tiles[0], s.url)
	}
	w, so, e, n := doc.Bounds[0], doc.Bounds[1], doc.Bounds[2], doc.Bounds[3]
	if !(w > 10 && w < 12.4 && e > 12.4 && e < 14 && so > 50 && so < 51.4 && n > 51.4 && n < 53) {
		t.Errorf("bounds %v, want the region around 51.4N 12.2E", doc.Bounds)
	}
	if doc.MinZoom != 0 || doc.MaxZoom < 14 || doc.MaxZoom > tiles.MaxZoom {
		t.Errorf("zoom range %d-%d", doc.MinZoom, doc.MaxZoom)
	}
	fields := slices.Sorted(maps.Keys(doc.VectorLayers[0].Fields))
	if want := append(tileProperties(t, "parcels", false), "count"); !slices.Equal(fields, slices.Sorted(slices.Values(want))) {
		t.Errorf("public fields %v, want the public tile properties and count %v", fields, want)
	}
	if f := s.tileJSON("parcels", "", true).VectorLayers[0].Fields; f["publication"] == "" {
		t.Errorf("a planner's TileJSON has no publication field: %v", f)
	}

	// The template carries the filter: only the GI parcel comes back.
	u := strings.NewReplacer("{z}", strconv.Itoa(int(tile.Z)), "{x}", strconv.Itoa(int(tile.X)), "{y}", strconv.Itoa(int(tile.Y))).Replace(doc.Tiles[0])
	r := s.get(strings.TrimPrefix(u, s.url), false)
	if got := r.features(t, "parcels"); len(got) != 1 || got[gi] == nil {
		t.Errorf("the TileJSON's tiles URL %s gives parcels %v, want only the GI parcel %d", u, slices.Collect(maps.Keys(got)), gi)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("the versioned tiles URL answers Cache-Control %q, want immutable", cc)
	}

	// A write moves the version in the URL on.
	if _, err := s.db.Pool.Exec(context.Background(), `UPDATE parcels SET status = 'sold' WHERE id = $1`, gi); err != nil {
		t.Fatal(err)
	}
	if after := s.tileJSON("parcels", "", false).Tiles[0]; versionOf(t, after) <= versionOf(t, doc.Tiles[0]) {
		t.Errorf("after a write the tiles URL is %s, was %s: want a newer v", after, doc.Tiles[0])
	}

	if a := s.tileJSON("districts", "", false).Attribution; !strings.Contains(a, "© GeoBasis-DE / BKG") {
		t.Errorf("districts attribution %q, want © GeoBasis-DE / BKG", a)
	}
	if r := s.get("/tiles/parcels.json?filter="+url.QueryEscape("remarks IS NULL"), false); r.status != http.StatusBadRequest {
		t.Errorf("TileJSON with a filter on an internal property: status %d, want 400", r.status)
	}
}

func versionOf(t *testing.T, tilesURL string) int {
	t.Helper()
	u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(tilesURL))
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.Atoi(u.Query().Get("v"))
	if err != nil {
		t.Fatalf("tiles URL %s has no version: %v", tilesURL, err)
	}
	return v
}

// region is the middle of the nine districts, between Halle and Leipzig.
var region = orb.Point{12.2, 51.4}

func TestLowZoomTilesOfTheDemoStayWithinBudget(t *testing.T) {
	s := newServer(t, pgtest.Demo)
	if a := s.tileJSON("parcels", "", false).Attribution; !strings.Contains(a, "synthetic demo data") {
		t.Errorf("parcels attribution %q, want it to say the demo data is synthetic", a)
	}
	for _, collection := range []string{"parcels", "sites", "districts", "municipalities", "infrastructure", "constraints"} {
		for z := maptile.Zoom(5); z <= 9; z++ {
			center := maptile.At(region, z)
			for _, tile := range []maptile.Tile{center, {X: center.X + 1, Y: center.Y, Z: z}, {X: center.X, Y: center.Y + 1, Z: z}} {
				for _, token := range []bool{false, true} {
					r := s.get(tilePath(collection, tile, ""), token, "Accept-Encoding: identity")
					if r.status != http.StatusOK && r.status != http.StatusNoContent {
						t.Fatalf("%s: %d %s", tilePath(collection, tile, ""), r.status, r.body)
					}
					if len(r.body) > tiles.MaxTileBytes {
						t.Errorf("%s (token %v) has %d bytes, over the budget of %d", tilePath(collection, tile, ""), token, len(r.body), tiles.MaxTileBytes)
					}
				}
			}
		}
	}
	// Parcels are points at low zooms, and the counts of the clusters add up to the parcels: at
	// zoom 4 one tile holds the whole region.
	for _, token := range []bool{false, true} {
		var want int
		err := s.db.Pool.QueryRow(context.Background(),
			`SELECT count(*) FROM parcels WHERE ended_at IS NULL AND (publication = 'public' OR $1)`, token).Scan(&want)
		if err != nil {
			t.Fatal(err)
		}
		if got := countPoints(t, s.get(tilePath("parcels", maptile.At(region, 4), ""), token)); got != want || want == 0 {
			t.Errorf("token %v: the clusters of the zoom 4 tile count %d parcels, want all %d current ones the reader may see", token, got, want)
		}
	}
}

// countPoints sums the count attribute of the points of a tile.
func countPoints(t *testing.T, r response) int {
	t.Helper()
	n := 0
	for _, l := range r.layers {
		for _, f := range l.Features {
			if f.Geometry.GeoJSONType() != "Point" {
				t.Fatalf("a %s in a points tile", f.Geometry.GeoJSONType())
			}
			c, _ := f.Properties["count"].(float64)
			n += int(c)
		}
	}
	return n
}

func TestDenseParcelsStayWithinBudgetAtEveryZoom(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	// 20,000 parcels of 8 × 8 m, 12 m apart, in one block of Leipzig.
	const n = 20000
	_, err := s.db.Pool.Exec(context.Background(), `
		INSERT INTO parcels (district_ags, external_id, municipality_ags, name, use_type, planning_status,
		    availability, status, potential_kind, greenfield, publication, source, geom)
		SELECT '14713', 'D-' || i, m.ags, 'Dichte Fläche ' || i, (ARRAY['GE','GI','SO'])[1 + i % 3]::use_type, 'in_force',
		       'now', 'offered', 'infill_gap', false, 'public', 'test',
		       ST_Multi(ST_Expand(ST_Translate(ST_PointOnSurface(m.geom), (i % 150) * 12, (i / 150) * 12), 4))
		FROM municipalities m, generate_series(0, $1 - 1) AS i WHERE m.ags = '14713000'`, n)
	if err != nil {
		t.Fatal(err)
	}
	var lon, lat float64
	err = s.db.Pool.QueryRow(context.Background(), `
		SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_Translate(ST_PointOnSurface(geom), 900, 800), 4326) AS p
		FROM municipalities WHERE ags = '14713000') x`).Scan(&lon, &lat)
	if err != nil {
		t.Fatal(err)
	}
	for z := maptile.Zoom(6); z <= 16; z++ {
		tile := maptile.At(orb.Point{lon, lat}, z)
		r := s.get(tilePath("parcels", tile, ""), false, "Accept-Encoding: identity")
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", tilePath("parcels", tile, ""), r.status, r.body)
		}
		if len(r.body) > tiles.MaxTileBytes {
			t.Errorf("%s has %d bytes, over the budget of %d", tilePath("parcels", tile, ""), len(r.body), tiles.MaxTileBytes)
		}
		if z <= 8 {
			if got := countPoints(t, r); got != n {
				t.Errorf("%s: clusters count %d parcels, want %d", tilePath("parcels", tile, ""), got, n)
			}
		}
	}
}

func TestTileIsGzippedForClientsThatTakeIt(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	id := s.insertParcel(parcel{externalID: "GI-1", useType: "GI", publication: "public"})
	path := tilePath("parcels", s.tileOf("parcels", id, 14), "")
	plain := s.get(path, false, "Accept-Encoding: identity")
	req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(unzipped, plain.body) {
		t.Errorf("gzipped tile unpacks to %d bytes, the plain tile has %d", len(unzipped), len(plain.body))
	}
}
