package tiles_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/tiles"
)

// A warm tile is answered from memory, without reading the data version; and still no tile of an
// old version is served after a write by direct SQL: through the server's pool, the next request
// shows it; by another connection, as soon as its notification has arrived.
func TestWarmTilesNeedNoQueryAndNeverOutliveAWrite(t *testing.T) {
	s := newServer(t, pgtest.Reference)
	id := s.insertParcel(parcel{externalID: "W-1", useType: "GI", publication: "public"})
	path := tilePath("parcels", s.tileOf("parcels", id, 14), "")
	name := func() any { return s.get(path, false).features(t, "parcels")[id]["name"] }

	if got := name(); got != "Testfläche W-1" {
		t.Fatalf("name %v, want Testfläche W-1", got)
	}
	hits := s.metric(`landatlas_tile_cache_hits_total{collection="parcels"}`)
	reads := s.metric("landatlas_tile_version_reads_total")
	for range 20 {
		name()
	}
	if got := s.metric(`landatlas_tile_cache_hits_total{collection="parcels"}`) - hits; got != 20 {
		t.Errorf("20 requests of a cached tile gave %v cache hits, want 20", got)
	}
	if got := s.metric("landatlas_tile_version_reads_total") - reads; got != 0 {
		t.Errorf("20 cache hits read the data version %v times, want none (the listener knows it)", got)
	}

	ctx := context.Background()
	if _, err := s.db.Pool.Exec(ctx, `UPDATE parcels SET name = 'Testfläche W-2' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != "Testfläche W-2" {
		t.Errorf("right after the UPDATE through the server's pool the tile says %v, want Testfläche W-2", got)
	}

	other, err := pgx.Connect(ctx, s.db.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	if _, err := other.Exec(ctx, `UPDATE parcels SET name = 'Testfläche W-3' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	// The notification reaches the server soon after the commit; until then the old tile may be
	// served, never after.
	deadline := time.Now().Add(20 * time.Second)
	for got := name(); got != "Testfläche W-3"; got = name() {
		if got != "Testfläche W-2" || time.Now().After(deadline) {
			t.Fatalf("after an UPDATE by another connection the tile says %v, want Testfläche W-3 once the notification arrived", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := name(); got != "Testfläche W-3" {
		t.Errorf("the tile went back to %v after showing the write", got)
	}
}

// LANDATLAS_TILE_CACHE_MB=0 (tiles.NoCache): every request builds its tile.
func TestNoCacheBuildsEveryTile(t *testing.T) {
	s := newServerWith(t, pgtest.Reference, httpapi.Config{TileCacheBytes: tiles.NoCache})
	id := s.insertParcel(parcel{externalID: "N-1", useType: "GI", publication: "public"})
	path := tilePath("parcels", s.tileOf("parcels", id, 14), "")
	for range 3 {
		if f := s.get(path, false).features(t, "parcels"); f[id]["use_type"] != "GI" {
			t.Fatalf("tile features %v, want parcel %d", f, id)
		}
	}
	if hits, misses := s.metric(`landatlas_tile_cache_hits_total{collection="parcels"}`),
		s.metric(`landatlas_tile_cache_misses_total{collection="parcels"}`); hits != 0 || misses != 3 {
		t.Errorf("without a cache, 3 requests gave %v hits and %v misses, want 0 and 3", hits, misses)
	}
	if b := s.metric("landatlas_tile_cache_bytes"); b != 0 {
		t.Errorf("without a cache, the cache holds %v bytes", b)
	}
}
