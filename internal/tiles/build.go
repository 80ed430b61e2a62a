package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// buildTimeout bounds one tile build, which may serve several requests and so runs on its own
// context (see flights).
const buildTimeout = time.Minute

// key returns the cache key of the tile q asks for at a data version.
func (q request) key(version int64) tileKey {
	k := tileKey{collection: q.layer.ID, internal: q.internal, z: q.z, x: q.x, y: q.y, version: version}
	h := q.queryHash(q)
	copy(k.query[:], h[:])
	return k
}

// etag is the entity tag of a tile: its data version and what the query asks for. It is weak
// because the same tile may be built again with its features in another order.
func (k tileKey) etag() string {
	return `W/"` + strconv.FormatInt(k.version, 10) + "-" + hex.EncodeToString(k.query[:8]) + `"`
}

// build draws a tile in PostGIS, coarser level by level until it fits MaxTileBytes, and caches it
// under the data version it was read at.
func (s *Service) build(ctx context.Context, q request) (*tile, error) {
	select {
	case s.buildSlots <- struct{}{}:
		defer func() { <-s.buildSlots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	start := time.Now()
	var version int64
	var mvt []byte
	var err error
	lvls := levels(q.layer, q.z)
	for i, lv := range lvls {
		sql, args := tileSQL(q, lv)
		if version, mvt, err = s.queryTile(ctx, sql, args); err != nil || len(mvt) <= MaxTileBytes {
			break
		}
		if i == len(lvls)-1 {
			s.log.WarnContext(ctx, "tile over budget at its coarsest level", "collection", q.layer.ID,
				"z", q.z, "x", q.x, "y", q.y, "bytes", len(mvt))
			break
		}
		s.metrics.coarsened.WithLabelValues(q.layer.ID).Inc()
	}
	if err != nil {
		return nil, fmt.Errorf("build tile %s/%d/%d/%d: %w", q.layer.ID, q.z, q.x, q.y, err)
	}
	s.metrics.buildSeconds.WithLabelValues(q.layer.ID, strconv.Itoa(q.z)).Observe(time.Since(start).Seconds())
	s.metrics.tileBytes.WithLabelValues(q.layer.ID).Observe(float64(len(mvt)))

	k := q.key(version)
	t := &tile{size: len(mvt), version: version, etag: k.etag()}
	if len(mvt) > 0 {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(mvt)
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("compress tile: %w", err)
		}
		t.gzipped = buf.Bytes()
	}
	s.cache.add(k, t)
	return t, nil
}

// tileSettings are the planner settings of a tile query. A tile reads what lies in its envelope
// through the spatial index, at every zoom and data size: sequential scans are off. Parallel plans
// are off too: PostgreSQL planned dense tiles as a parallel scan of the whole table (the PostGIS
// functions' high costs look cheaper shared among workers), ten times slower than the index on two
// cores, and ST_AsMVT's parallel combine repeats every attribute key of the layer once per worker.
// Plans are custom, made for the tile's arguments, for every query of the pool (store.Open).
const tileSettings = `SELECT set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`

// queryTile runs the query of a tile in a read-only transaction with tileSettings, in one round
// trip (a batch). The query selects the data version and the MVT in one statement, so both come
// from one snapshot. (JIT compilation, which made a z8 tile take seconds, is off for the whole
// pool: see store.Open.)
func (s *Service) queryTile(ctx context.Context, sql string, args []any) (version int64, mvt []byte, err error) {
	b := &pgx.Batch{}
	b.Queue("BEGIN READ ONLY")
	b.Queue(tileSettings)
	b.Queue(sql, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&version, &mvt) })
	b.Queue("COMMIT")
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return 0, nil, err
	}
	return version, mvt, nil
}

// flights lets concurrent requests for the same tile share one build. The build runs on its own
// context until every request waiting for it has gone away: one closed request does not fail the
// others, and the last one to leave cancels the query.
type flights struct {
	mu sync.Mutex
	m  map[tileKey]*flight
}

type flight struct {
	done    chan struct{}
	t       *tile
	err     error
	waiters int
	cancel  context.CancelFunc
}

// do returns the result of build for k, starting it unless a build of k is running.
func (f *flights) do(ctx context.Context, k tileKey, build func(context.Context) (*tile, error)) (*tile, error) {
	f.mu.Lock()
	if f.m == nil {
		f.m = map[tileKey]*flight{}
	}
	fl, ok := f.m[k]
	if !ok {
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), buildTimeout)
		fl = &flight{done: make(chan struct{}), cancel: cancel}
		f.m[k] = fl
		go func() {
			fl.t, fl.err = build(bctx)
			cancel()
			f.mu.Lock()
			if f.m[k] == fl {
				delete(f.m, k)
			}
			f.mu.Unlock()
			close(fl.done)
		}()
	}
	fl.waiters++
	f.mu.Unlock()

	select {
	case <-fl.done:
		return fl.t, fl.err
	case <-ctx.Done():
		f.mu.Lock()
		fl.waiters--
		if fl.waiters == 0 {
			fl.cancel()
			if f.m[k] == fl {
				delete(f.m, k) // a request that comes now starts afresh rather than join a cancelled build
			}
		}
		f.mu.Unlock()
		return nil, ctx.Err()
	}
}
