package tiles

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the tile service's series on /metrics.
type metrics struct {
	hits, misses *prometheus.CounterVec   // by collection
	evictions    *prometheus.CounterVec   // by reason: size (LRU) or stale (older data version)
	cacheBytes   prometheus.Gauge         // bytes held by the cache
	cacheEntries prometheus.Gauge         // tiles held by the cache
	buildSeconds *prometheus.HistogramVec // by collection and zoom
	tileBytes    *prometheus.HistogramVec // MVT bytes before compression, by collection
	coarsened    *prometheus.CounterVec   // tiles drawn coarser to fit MaxTileBytes, by collection
	versionReads prometheus.Counter       // reads of collection_versions
	// kept counts tiles a write elsewhere did not touch, kept under the new data version.
	kept prometheus.Counter
	// listenerVersions counts requests that took the data version from the listener, without a query.
	listenerVersions prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_tile_cache_hits_total", Help: "Vector tiles answered from the cache, by collection.",
		}, []string{"collection"}),
		misses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_tile_cache_misses_total", Help: "Vector tiles built because the cache did not hold them, by collection.",
		}, []string{"collection"}),
		evictions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_tile_cache_evictions_total",
			Help: "Tiles removed from the cache: reason size (least recently used) or stale (their data changed).",
		}, []string{"reason"}),
		cacheBytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "landatlas_tile_cache_bytes", Help: "Bytes held by the tile cache.",
		}),
		cacheEntries: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "landatlas_tile_cache_entries", Help: "Tiles held by the tile cache.",
		}),
		buildSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "landatlas_tile_build_seconds", Help: "Time to build a vector tile in PostGIS, by collection and zoom.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"collection", "zoom"}),
		tileBytes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "landatlas_tile_bytes", Help: "Size of built vector tiles before compression, by collection.",
			Buckets: prometheus.ExponentialBuckets(256, 4, 8),
		}, []string{"collection"}),
		coarsened: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_tile_coarsened_total", Help: "Tiles drawn with coarser clusters to stay within the byte budget, by collection.",
		}, []string{"collection"}),
		versionReads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "landatlas_tile_version_reads_total", Help: "Reads of collection_versions; concurrent requests share one.",
		}),
		kept: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "landatlas_tile_cache_kept_total", Help: "Cached parcel tiles a write did not touch, kept under the new data version.",
		}),
		listenerVersions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "landatlas_tile_listener_versions_total", Help: "Tile requests that took the data version from the change listener, without a query.",
		}),
	}
	for _, c := range []prometheus.Collector{m.hits, m.misses, m.evictions, m.cacheBytes, m.cacheEntries,
		m.buildSeconds, m.tileBytes, m.coarsened, m.versionReads, m.kept, m.listenerVersions} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("tiles: register metrics: %w", err)
		}
	}
	return m, nil
}
