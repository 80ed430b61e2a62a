// Package tiles serves the catalog's collections as Mapbox vector tiles (MVT) built in PostGIS,
// filtered with CQL2 and cut to what the reader may see, through a cache that is never stale.
//
// A tile is /tiles/{collection}/{z}/{x}/{y}.mvt (Web Mercator XYZ, one layer named after the
// collection); /tiles/{collection}.json is its TileJSON 3.0 document. A tile without features
// answers 204 No Content, which MapLibre treats as an empty tile.
//
// Low zooms stay small: below the collection's TilePointsBelow zoom features are points, clustered
// on a grid of tile units (a cluster carries "count" and, per attribute, the sum for areas or the
// value all its members share); a shape smaller than a pixel is drawn as a point; and a tile that
// would exceed MaxTileBytes is drawn again with coarser clusters until it fits.
//
// The cache (an LRU bounded by bytes) is keyed by the data version of the collection as the reader
// sees it (for anonymous readers the public one, which internal edits do not move). A request
// takes the version from a notify.Listener, without a query; while the listener does not know it
// for sure (not connected, or it heard of a write and reads the versions again) the version is
// read by a query that began after the request arrived (concurrent requests share it). So a tile
// of an old version is never served once the listener has heard of the write, nor after a write
// of this process that called the listener's Sync; see package notify for the gap between a
// commit elsewhere and its notification. Tile URLs that name the current version may be cached by
// browsers for good; others are revalidated by ETag.
package tiles

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"landatlas/internal/catalog"
	"landatlas/internal/notify"
	"landatlas/internal/query"
)

// MaxTileBytes is the budget of one tile before compression: a tile that would be larger is drawn
// coarser until it fits.
const MaxTileBytes = 500 << 10

// DefaultCacheBytes sizes the tile cache when Config.CacheBytes is 0.
const DefaultCacheBytes = 256 << 20

// Zoom limits: tiles are built up to MaxZoom; TileJSON tells clients to overzoom beyond
// maxDataZoom, where a tile unit is already finer than a decimetre.
const (
	MaxZoom     = 22
	maxDataZoom = 16
)

// Config is what the tile service needs.
type Config struct {
	DB *pgxpool.Pool
	// Reads is where tiles and TileJSON are read: the replica router (internal/dbroute), or nil
	// for DB. Data versions are heard of on DB, the primary.
	Reads    query.DB
	Log      *slog.Logger
	Registry prometheus.Registerer // nil: metrics are kept but not exported
	// CacheBytes sizes the in-memory tile cache; 0 means DefaultCacheBytes and NoCache none.
	CacheBytes int64
	// Versions tells the service of new data versions; nil starts a listener of its own on DB.
	Versions *notify.Listener
}

// NoCache as Config.CacheBytes turns the tile cache off: every tile is built (for measurements,
// and behind a CDN).
const NoCache = -1

// selectionsKept is how many compiled selections (layer, reader, filter) the service keeps.
const selectionsKept = 1024

// Service answers tile and TileJSON requests under /tiles.
type Service struct {
	db      query.DB      // tiles are read here: a replica or the primary
	primary *pgxpool.Pool // facts cached under the primary's data versions are read here
	log     *slog.Logger
	metrics *metrics
	cache   *tileCache
	builds  flights
	// buildSlots bounds the tile builds running at once to half the pool's connections, so that a
	// map asking for many uncached low-zoom tiles leaves connections to the rest of the API.
	buildSlots chan struct{}
	versions   *versionReader   // the versions by query, when the listener does not know them
	listener   *notify.Listener // the versions without a query
	layers     map[string]catalog.Collection
	selections *lru.Cache[selectionKey, *selected] // the selections of recent tile requests
	areas      areaQueue                           // changes whose parcel tiles are kept by area

	metaMu sync.Mutex
	meta   map[string]layerMeta // TileJSON facts by collection, for one data version
}

// New builds the service.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Log == nil {
		return nil, errors.New("tiles: DB and Log are required")
	}
	if cfg.CacheBytes < NoCache {
		return nil, fmt.Errorf("tiles: cache size %d bytes: give a positive size, 0 for the default or NoCache", cfg.CacheBytes)
	}
	if cfg.CacheBytes == 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	if cfg.Versions == nil {
		cfg.Versions = notify.Start(cfg.DB, cfg.Log, notify.Options{})
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	m, err := newMetrics(cfg.Registry)
	if err != nil {
		return nil, err
	}
	if cfg.Reads == nil {
		cfg.Reads = cfg.DB
	}
	s := &Service{
		db:         cfg.Reads,
		primary:    cfg.DB,
		log:        cfg.Log,
		metrics:    m,
		cache:      newTileCache(max(0, cfg.CacheBytes), m), // a cache of 0 bytes keeps nothing
		buildSlots: make(chan struct{}, max(1, cfg.DB.Config().MaxConns/2)),
		layers:     map[string]catalog.Collection{},
		meta:       map[string]layerMeta{},
	}
	s.selections, _ = lru.New[selectionKey, *selected](selectionsKept)
	for _, c := range catalog.Collections() {
		if len(c.DataVersions) == 0 {
			return nil, fmt.Errorf("tiles: collection %s names no DataVersions: its tiles could not be cached safely", c.ID)
		}
		s.layers[c.ID] = c
	}
	s.versions = newVersionReader(cfg.DB, m, s.dataVersionsChanged)
	s.listener = cfg.Versions
	s.listener.Subscribe(func(c notify.Change) {
		if c.Reset {
			s.cache.dropAll() // writes may have gone unnoticed while the listener was away
			return
		}
		s.dataVersionsChanged(versions(c.Was), versions(c.Now))
	})
	return s, nil
}

// dataVersionsChanged drops the cached tiles that a write made obsolete; they would never be served
// again, but they would hold cache space until the LRU reached them. Versions only grow; if one
// went back (a restored database), every cached tile goes, lest an old number meet new data.
func (s *Service) dataVersionsChanged(was, now versions) {
	for name, v := range now {
		if v.Internal < was[name].Internal || v.Public < was[name].Public {
			s.cache.dropAll()
			return
		}
	}
	area := byArea(s.layers[areaLayer].DataVersions, query.Counters(was), query.Counters(now))
	current := map[layerRole]int64{}
	for id, c := range s.layers {
		if area && id == areaLayer {
			continue // reconciled by area, after the change
		}
		for _, internal := range []bool{false, true} {
			if v, err := now.of(c, internal); err == nil {
				current[layerRole{id, internal}] = v
			}
		}
	}
	s.cache.dropOlder(current)
	if area {
		s.queueArea(areaJob{was: query.Counters(was), now: query.Counters(now)})
	}
}

// dataVersion returns the current data version of a collection as a reader sees it: the
// listener's, else one read after the call began.
func (s *Service) dataVersion(ctx context.Context, c catalog.Collection, internal bool) (int64, error) {
	if v, ok := s.listener.Latest(); ok {
		s.metrics.listenerVersions.Inc()
		return versions(v).of(c, internal)
	}
	v, err := s.versions.current(ctx)
	if err != nil {
		return 0, err
	}
	return v.of(c, internal)
}
