package tiles_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/paulmach/orb/maptile"

	"landatlas/internal/pgtest"
)

// Every tile of zooms 0 to 4 answers, and together the tiles of a zoom count every parcel the
// reader may see: EPSG:25832 is undefined far outside Europe, so the world-wide envelopes of low
// zooms are clipped to the storage area before they are transformed (they answered 500 "Point
// outside of projection domain", or 204 where the region is inside).
func TestEveryLowZoomTileAnswersAndTheRegionIsInside(t *testing.T) {
	s := newServer(t, pgtest.Demo)
	var want int
	if err := s.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM parcels WHERE ended_at IS NULL AND publication = 'public'`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if want == 0 {
		t.Fatal("the demo holds no public parcels")
	}
	for z := maptile.Zoom(0); z <= 4; z++ {
		got := 0
		n := uint32(1) << z
		for x := range n {
			for y := range n {
				tile := maptile.New(x, y, z)
				r := s.get(tilePath("parcels", tile, ""), false)
				if r.status != http.StatusOK && r.status != http.StatusNoContent {
					t.Fatalf("%s: %d %s", tilePath("parcels", tile, ""), r.status, r.body)
				}
				if r.status == http.StatusOK {
					got += countPoints(t, r)
				}
				if d := s.get(tilePath("districts", tile, ""), false); d.status != http.StatusOK && d.status != http.StatusNoContent {
					t.Fatalf("%s: %d %s", tilePath("districts", tile, ""), d.status, d.body)
				}
			}
		}
		if got != want {
			t.Errorf("the %d tiles of zoom %d count %d public parcels, want all %d", n*n, z, got, want)
		}
	}
	region := maptile.At(region, 2)
	if r := s.get(tilePath("districts", region, ""), false); r.status != http.StatusOK {
		t.Errorf("%s, which holds the nine districts, answered %d, want a tile", tilePath("districts", region, ""), r.status)
	}
}
