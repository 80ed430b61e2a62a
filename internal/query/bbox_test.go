package query

import (
	"testing"

	"landatlas/internal/region"
)

func TestBBoxIsClippedToTheStorageArea(t *testing.T) {
	area := region.StorageArea
	world := BBox{MinX: -180, MinY: -90, MaxX: 180, MaxY: 90, SRID: 4326, Geographic: true}
	if got := world.Clipped(); len(got) != 1 || got[0].MinX != area[0] || got[0].MaxY != area[3] {
		t.Errorf("world clipped = %+v, want the storage area", got)
	}
	if got := (BBox{MinX: 100, MinY: 0, MaxX: 120, MaxY: 10, SRID: 4326, Geographic: true}).Clipped(); len(got) != 0 {
		t.Errorf("a box in Asia clipped = %+v, want nothing", got)
	}
	// Across the antimeridian and reaching Europe from both sides: two parts.
	if got := (BBox{MinX: 10, MinY: 40, MaxX: -10, MaxY: 60, SRID: 4326, Geographic: true}).Clipped(); len(got) != 2 {
		t.Errorf("antimeridian box clipped = %+v, want two parts", got)
	}
}
