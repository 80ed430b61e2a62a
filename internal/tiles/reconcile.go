package tiles

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"landatlas/internal/query"
)

// A write to parcels drops only the cached parcel tiles it touched. The version trigger moves the
// layer's data version with every statement, and a tile cached under the old version is no
// longer found; parcel_changes (migration 013) says where each statement wrote, so the tiles
// elsewhere are kept under the new version instead of being built again, at every zoom. This is
// done after the change, by one goroutine, in the order the changes were heard: until it is done
// a request for a kept tile misses and builds it, so a tile of old data is never served.

// areaLayer is the layer whose tiles are kept by area, and areaCounters the counters a statement
// on its table moves (bump_collection_version('parcels', 'sites')): a step of any other counter
// the layer depends on was a write elsewhere, which drops every tile of the layer.
const areaLayer = "parcels"

var areaCounters = []string{"parcels", "sites"}

// areaPad is the margin around a tile, as a share of its side, inside which a write changes the
// tile: shapes reach buffer units beyond the edge; the rest is room for the transformation of
// the extents to longitude and latitude.
const areaPad = 2 * float64(buffer) / extent

// reconcileTimeout bounds the read of the change log for one change.
const reconcileTimeout = 10 * time.Second

// areaJob is a change of the versions whose parcel tiles are reconciled by area.
type areaJob struct {
	was, now query.Counters
}

// areaChange is what parcel_changes says about the statements between two versions of a reader's
// layer: whether every step is one of them (covered), and the boxes of what they wrote.
type areaChange struct {
	covered bool
	boxes   []orb.Bound // longitude/latitude
}

// byArea tells whether the change from was to now of the parcel layer can be reconciled by area:
// only the counters a parcels statement moves have moved, and the internal ones (which move with
// every statement) moved forward.
func byArea(c []string, was, now query.Counters) bool {
	if len(was) == 0 {
		return false // the first versions read: nothing is cached under older ones
	}
	moved := false
	for _, name := range c {
		w, n := was[name], now[name]
		if w == n {
			continue
		}
		if !slices.Contains(areaCounters, name) || n.Internal < w.Internal {
			return false
		}
		moved = true
	}
	return moved
}

// areaQueue holds the area jobs in the order their changes were heard; one goroutine at a time
// works through it and ends when it is empty.
type areaQueue struct {
	mu      sync.Mutex
	jobs    []areaJob
	running bool
}

// queueArea queues a job and starts the worker when none runs.
func (s *Service) queueArea(job areaJob) {
	q := &s.areas
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, job)
	if !q.running {
		q.running = true
		go s.reconcileAreas()
	}
}

// reconcileAreas runs the queued area jobs in order until none is left.
func (s *Service) reconcileAreas() {
	q := &s.areas
	for {
		q.mu.Lock()
		if len(q.jobs) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		job := q.jobs[0]
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		s.reconcile(context.Background(), job)
	}
}

// reconcile keeps the parcel tiles of job.was that no statement up to job.now touched, under the
// versions of job.now, for both kinds of reader, and drops the rest.
func (s *Service) reconcile(ctx context.Context, job areaJob) {
	c := s.layers[areaLayer]
	changes, err := s.readChanges(ctx, job)
	for _, internal := range []bool{false, true} {
		was, err1 := versions(job.was).of(c, internal)
		now, err2 := versions(job.now).of(c, internal)
		role := layerRole{c.ID, internal}
		ch := changes[internal]
		if err != nil || err1 != nil || err2 != nil {
			ch = areaChange{}
		}
		if err != nil {
			s.log.Warn("tile cache: the change log could not be read; every parcel tile of the change is dropped", "error", err)
		}
		s.cache.keepUntouched(role, was, now, ch)
	}
}

// readChanges reads parcel_changes for the statements between job.was and job.now and checks,
// for each kind of reader, that every step of the counters it sees is one of them.
func (s *Service) readChanges(ctx context.Context, job areaJob) (map[bool]areaChange, error) {
	ctx, cancel := context.WithTimeout(ctx, reconcileTimeout)
	defer cancel()
	rows, err := s.db.Query(ctx, `
		SELECT counters, public_moved, b IS NOT NULL, coalesce(ST_XMin(b), 0), coalesce(ST_YMin(b), 0), coalesce(ST_XMax(b), 0), coalesce(ST_YMax(b), 0)
		FROM parcel_changes,
		     LATERAL (SELECT ST_Transform(ST_Segmentize(ST_SetSRID(extent::geometry, 25832), 500), 4326) AS b) g
		WHERE (counters -> 'parcels' ->> 0)::bigint > $1 AND (counters -> 'parcels' ->> 0)::bigint <= $2`,
		job.was["parcels"].Internal, job.now["parcels"].Internal)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// steps are the counter values the logged statements moved the counters to, by reader.
	steps := map[bool]map[string]map[int64]bool{false: {}, true: {}}
	var boxes []orb.Bound
	for rows.Next() {
		var counters map[string][2]int64
		var publicMoved, hasBox bool
		var b orb.Bound
		if err := rows.Scan(&counters, &publicMoved, &hasBox, &b.Min[0], &b.Min[1], &b.Max[0], &b.Max[1]); err != nil {
			return nil, err
		}
		for _, name := range areaCounters {
			for internal, m := range steps {
				if m[name] == nil {
					m[name] = map[int64]bool{}
				}
				switch {
				case internal:
					m[name][counters[name][0]] = true
				case publicMoved:
					m[name][counters[name][1]] = true
				}
			}
		}
		if hasBox {
			boxes = append(boxes, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[bool]areaChange{}
	for internal, m := range steps {
		covered := true
		for _, name := range areaCounters {
			w, n := job.was[name].Public, job.now[name].Public
			if internal {
				w, n = job.was[name].Internal, job.now[name].Internal
			}
			for v := w + 1; v <= n; v++ {
				covered = covered && m[name][v]
			}
		}
		out[internal] = areaChange{covered: covered, boxes: boxes}
	}
	return out, nil
}

// touches tells whether a write inside one of the boxes can change the tile.
func (ch areaChange) touches(z int, x, y uint32) bool {
	b := maptile.New(x, y, maptile.Zoom(z)).Bound()
	pad := areaPad * (b.Max[0] - b.Min[0])
	b = b.Pad(pad)
	for _, box := range ch.boxes {
		if b.Intersects(box) {
			return true
		}
	}
	return false
}
