package tiles_test

import (
	"context"
	"testing"
	"time"

	"landatlas/internal/pgtest"
)

// A write to a parcel drops the cached tiles it touched, at every zoom, and keeps the others for
// the new data version: a tile elsewhere is answered from the cache after the write, and still
// shows the new state when the write reaches it (a parcel moved into it).
func TestAWriteDropsOnlyTheTilesItTouched(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	near := s.insertParcel(parcel{externalID: "A-1", useType: "GI", publication: "public"})                          // Halle
	far := s.insertParcel(parcel{externalID: "A-2", useType: "GI", publication: "public", municipality: "14713000"}) // Leipzig
	// 20 km north of Halle: outside the box of every write below.
	north := s.insertParcel(parcel{externalID: "A-3", useType: "GI", publication: "public", north: 20000})
	northTile := tilePath("parcels", s.tileOf("parcels", north, 14), "")
	nearTile, farTile := tilePath("parcels", s.tileOf("parcels", near, 14), ""), tilePath("parcels", s.tileOf("parcels", far, 14), "")
	overview := tilePath("parcels", s.tileOf("parcels", near, 9), "")
	if nearTile == farTile {
		t.Fatal("the fixture's parcels lie in one tile")
	}
	for _, withToken := range []bool{false, true} {
		for _, p := range []string{nearTile, farTile, overview} {
			s.get(p, withToken)
		}
	}
	misses := func() float64 { return s.metric(`landatlas_tile_cache_misses_total{collection="parcels"}`) }
	kept := func() float64 { return s.metric("landatlas_tile_cache_kept_total") }
	// waitKept waits until the cache has kept at least n more tiles than before (bounded).
	waitKept := func(before, n float64) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); kept()-before < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the cache kept %v tiles after the write, want at least %v", kept()-before, n)
			}
		}
	}

	ctx := context.Background()
	k0 := kept()
	if _, err := s.db.Pool.Exec(ctx, `UPDATE parcels SET name = 'Geändert A-1' WHERE id = $1`, near); err != nil {
		t.Fatal(err)
	}
	waitKept(k0, 2) // the far tile, for the public and for signed-in readers
	m0 := misses()
	for _, withToken := range []bool{false, true} {
		if got := s.get(farTile, withToken).features(t, "parcels")[far]["name"]; got != "Testfläche A-2" {
			t.Errorf("far tile (signed in %v): parcel %d is named %v, want Testfläche A-2", withToken, far, got)
		}
	}
	if got := misses() - m0; got != 0 {
		t.Errorf("the far tiles were built %v times after a write elsewhere, want 0 (kept in the cache)", got)
	}
	for _, withToken := range []bool{false, true} {
		if got := s.get(nearTile, withToken).features(t, "parcels")[near]["name"]; got != "Geändert A-1" {
			t.Errorf("near tile (signed in %v): parcel %d is named %v, want the new name", withToken, near, got)
		}
	}
	m1 := misses()
	s.get(overview, false)
	if got := misses() - m1; got != 1 {
		t.Errorf("the z9 tile holding the write was built %v times, want 1 (dropped)", got)
	}

	// Moved onto the far parcel: the far tile is touched by the new geometry.
	for _, withToken := range []bool{false, true} {
		s.get(farTile, withToken)
		s.get(northTile, withToken)
	}
	k1 := kept()
	if _, err := s.db.Pool.Exec(ctx, `UPDATE parcels p SET geom = ST_Multi(ST_Buffer(ST_PointOnSurface(q.geom), 20))
		FROM parcels q WHERE p.id = $1 AND q.id = $2`, near, far); err != nil {
		t.Fatal(err)
	}
	waitKept(k1, 2) // the tile in the north; then the job is done
	for _, withToken := range []bool{false, true} {
		f := s.get(farTile, withToken).features(t, "parcels")
		if f[near] == nil || f[far] == nil {
			t.Errorf("far tile (signed in %v) after the move holds %v, want parcels %d and %d", withToken, f, near, far)
		}
		if f := s.get(nearTile, withToken).features(t, "parcels"); f[near] != nil {
			t.Errorf("the old place's tile (signed in %v) still shows parcel %d", withToken, near)
		}
	}

	// A write to another table the layer depends on drops every parcel tile.
	s.get(farTile, false)
	if _, err := s.db.Pool.Exec(ctx, `UPDATE municipalities SET name = name WHERE ags = '14713000'`); err != nil {
		t.Fatal(err)
	}
	m2 := misses()
	s.get(farTile, false)
	if got := misses() - m2; got != 1 {
		t.Errorf("after a write to municipalities the far tile was built %v times, want 1", got)
	}
}
