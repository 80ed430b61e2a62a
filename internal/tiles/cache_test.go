package tiles

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestCacheKeepsItsByteLimitAndDropsOldVersions(t *testing.T) {
	m, err := newMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	tileOf := func(n int) *tile { return &tile{gzipped: make([]byte, n)} }
	c := newTileCache(3*(1000+entryOverhead), m)
	key := func(x uint32, version int64) tileKey {
		return tileKey{collection: "parcels", z: 14, x: x, y: 1, version: version}
	}
	for x := range uint32(3) {
		c.add(key(x, 1), tileOf(1000))
	}
	c.get(key(0, 1)) // 0 is now used more recently than 1
	c.add(key(3, 2), tileOf(1000))
	if _, ok := c.get(key(1, 1)); ok {
		t.Error("the least recently used tile was kept past the byte limit")
	}
	for _, x := range []uint32{0, 2} {
		if _, ok := c.get(key(x, 1)); !ok {
			t.Errorf("tile %d was evicted, want the least recently used one (1) to go", x)
		}
	}
	if c.bytes > c.limit {
		t.Errorf("cache holds %d bytes, limit %d", c.bytes, c.limit)
	}
	c.add(key(9, 1), tileOf(int(c.limit)))
	if _, ok := c.get(key(9, 1)); ok {
		t.Error("a tile larger than the whole cache was kept")
	}

	c.dropOlder(map[layerRole]int64{{"parcels", false}: 2})
	if c.lru.Len() != 1 || c.bytes != tileOf(1000).cost() {
		t.Errorf("after dropping version 1: %d tiles, %d bytes; want only the version 2 tile", c.lru.Len(), c.bytes)
	}
	if _, ok := c.get(key(3, 2)); !ok {
		t.Error("the tile of the current version was dropped")
	}

	// Signed-in and anonymous readers' tiles carry versions of their own: an internal edit moves
	// only the signed-in one, and the public tile of the same version number stays.
	internalKey := key(3, 2)
	internalKey.internal = true
	c.add(internalKey, tileOf(100))
	c.dropOlder(map[layerRole]int64{{"parcels", false}: 2, {"parcels", true}: 3})
	if _, ok := c.get(internalKey); ok {
		t.Error("a signed-in reader's tile of an older internal version was kept")
	}
	if _, ok := c.get(key(3, 2)); !ok {
		t.Error("the anonymous tile of the current public version was dropped with the internal one")
	}
}
