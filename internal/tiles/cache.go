package tiles

import (
	"math"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// tileKey names a tile of one data version: everything that decides its bytes.
type tileKey struct {
	collection string
	// internal says whose tile it is, and so which data version it carries: a signed-in reader's
	// moves with every write, an anonymous reader's only with changes the public can see.
	internal bool
	z        int
	x, y     uint32
	// query is a hash of the tile's SQL and filter arguments, which carry the reader's role (what
	// rows and attributes it may see) and the normalised filter.
	query   [16]byte
	version int64
}

// tile is a built tile.
type tile struct {
	gzipped []byte // the MVT, gzip-compressed; nil for a tile without features
	size    int    // bytes of the MVT before compression
	version int64  // data version it was built from
	etag    string
}

// entryOverhead approximates the bytes a cache entry holds besides the tile: key, list element,
// map slot.
const entryOverhead = 200

func (t *tile) cost() int64 { return int64(len(t.gzipped)) + entryOverhead }

// tileCache is an LRU of built tiles bounded by bytes.
type tileCache struct {
	metrics *metrics
	limit   int64

	mu    sync.Mutex
	lru   *simplelru.LRU[tileKey, *tile]
	bytes int64
}

func newTileCache(limit int64, m *metrics) *tileCache {
	// The LRU's own bound counts entries; ours is bytes, kept by add.
	lru, _ := simplelru.NewLRU[tileKey, *tile](math.MaxInt, nil)
	return &tileCache{metrics: m, limit: limit, lru: lru}
}

func (c *tileCache) get(k tileKey) (*tile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Get(k)
}

// add stores a tile and evicts the least recently used ones until the cache fits its limit. A tile
// larger than the whole cache is not kept.
func (c *tileCache) add(k tileKey, t *tile) {
	if t.cost() > c.limit {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lru.Contains(k) {
		return // the same tile of the same data, built by a request that raced this one
	}
	c.lru.Add(k, t)
	c.bytes += t.cost()
	for c.bytes > c.limit {
		_, old, _ := c.lru.RemoveOldest()
		c.bytes -= old.cost()
		c.metrics.evictions.WithLabelValues("size").Inc()
	}
	c.report()
}

// layerRole names a collection as one kind of reader sees it, signed in or not: each has a data
// version of its own.
type layerRole struct {
	collection string
	internal   bool
}

// dropOlder removes the tiles of older data versions than the current ones (by collection and
// reader).
func (c *tileCache) dropOlder(current map[layerRole]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.lru.Keys() {
		if k.version < current[layerRole{k.collection, k.internal}] {
			t, _ := c.lru.Peek(k)
			c.lru.Remove(k)
			c.bytes -= t.cost()
			c.metrics.evictions.WithLabelValues("stale").Inc()
		}
	}
	c.report()
}

// keepUntouched moves the tiles of a reader's layer at version was that ch did not touch to
// version now and drops its other tiles older than now; all of them when ch is not covered.
func (c *tileCache) keepUntouched(role layerRole, was, now int64, ch areaChange) {
	if was >= now {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.lru.Keys() {
		if k.collection != role.collection || k.internal != role.internal || k.version >= now {
			continue
		}
		t, _ := c.lru.Peek(k)
		c.lru.Remove(k)
		moved := k
		moved.version = now
		if k.version == was && ch.covered && !ch.touches(k.z, k.x, k.y) && !c.lru.Contains(moved) {
			kept := *t
			kept.version, kept.etag = now, moved.etag()
			c.lru.Add(moved, &kept)
			c.metrics.kept.Inc()
			continue
		}
		c.bytes -= t.cost()
		c.metrics.evictions.WithLabelValues("stale").Inc()
	}
	c.report()
}

// dropAll empties the cache.
func (c *tileCache) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.metrics.evictions.WithLabelValues("stale").Add(float64(c.lru.Len()))
	c.lru.Purge()
	c.bytes = 0
	c.report()
}

func (c *tileCache) report() {
	c.metrics.cacheBytes.Set(float64(c.bytes))
	c.metrics.cacheEntries.Set(float64(c.lru.Len()))
}
