// Package dbroute sends reads to healthy hot standbys (read replicas) and everything else to the
// primary. A request is bound to one replica by For; the read paths (features, tiles, study and
// exports) take the router as their query.DB and so read where the request was bound, falling
// back to the primary when a replica's connection fails. A poller takes replicas that stop or lag
// out of rotation and brings them back, and each account that has just written reads from the
// primary until a replica has replayed its write (read-your-writes).
package dbroute

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultMaxLag is how far behind the primary a replica may be and still serve reads.
const DefaultMaxLag = 10 * time.Second

// pollInterval is how often the health of every replica is checked.
const pollInterval = time.Second

// Options tunes a Router.
type Options struct {
	// MaxLag takes a replica out of rotation when it has not replayed what the primary had
	// written MaxLag ago; 0 means DefaultMaxLag.
	MaxLag   time.Duration
	Log      *slog.Logger
	Registry prometheus.Registerer // nil: metrics are kept but not exported
}

// Router holds the primary pool and one pool per replica.
type Router struct {
	primary  *pgxpool.Pool
	replicas []*replica
	maxLag   time.Duration
	log      *slog.Logger
	next     atomic.Uint64 // round robin among the replicas that qualify
	metrics  *metrics

	// primaryLSNs are the primary's WAL positions of the last polls, oldest first: a replica's
	// lag in time is the age of the oldest position it has not replayed. (The age of
	// pg_last_xact_replay_timestamp grows while the primary is idle, which is no lag.)
	samplesMu   sync.Mutex
	primaryLSNs []lsnSample

	writesMu sync.Mutex
	writes   map[int64]write // by account
}

type lsnSample struct {
	at  time.Time
	lsn int64
}

type write struct {
	lsn     int64
	expires time.Time
}

type replica struct {
	name string // its place in LANDATLAS_DATABASE_REPLICA_URLS, from 1: no host names in answers
	pool *pgxpool.Pool

	mu    sync.Mutex
	state ReplicaStatus
}

// ReplicaStatus is what the last poll found of a replica.
type ReplicaStatus struct {
	Replica    string  `json:"replica"`
	InRotation bool    `json:"in_rotation"`
	LagBytes   int64   `json:"lag_bytes"`
	LagSeconds float64 `json:"lag_seconds"`
	Problem    string  `json:"problem,omitempty"`
	replayLSN  int64
}

// New builds a router over the primary and the replicas, in the order of the setting. Replicas
// start out of rotation until their first poll; Run polls them.
func New(primary *pgxpool.Pool, replicas []*pgxpool.Pool, opts Options) (*Router, error) {
	if opts.MaxLag == 0 {
		opts.MaxLag = DefaultMaxLag
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	m, err := newMetrics(opts.Registry)
	if err != nil {
		return nil, err
	}
	r := &Router{primary: primary, maxLag: opts.MaxLag, log: opts.Log, metrics: m, writes: map[int64]write{}}
	for i, p := range replicas {
		name := strconv.Itoa(i + 1)
		r.replicas = append(r.replicas, &replica{name: name, pool: p, state: ReplicaStatus{Replica: name, Problem: "not checked yet"}})
	}
	return r, nil
}

// Primary is the primary's pool.
func (r *Router) Primary() *pgxpool.Pool { return r.primary }

// Run polls the replicas every second until ctx ends.
func (r *Router) Run(ctx context.Context) {
	if len(r.replicas) == 0 {
		return
	}
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		r.Poll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Poll checks every replica once: whether it is a standby, how far it has replayed and how far
// behind the primary that is. A replica that does not answer, is no standby or lags more than
// MaxLag leaves the rotation; it returns at the first poll that finds it well.
func (r *Router) Poll(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 2*pollInterval)
	defer cancel()
	var primaryLSN int64
	perr := r.primary.QueryRow(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::int8`).Scan(&primaryLSN)
	now := time.Now()
	if perr == nil {
		r.samplesMu.Lock()
		r.primaryLSNs = append(r.primaryLSNs, lsnSample{at: now, lsn: primaryLSN})
		// Samples older than twice the allowed lag are not needed to tell that a replica lags too much.
		for len(r.primaryLSNs) > 1 && now.Sub(r.primaryLSNs[0].at) > 2*r.maxLag {
			r.primaryLSNs = r.primaryLSNs[1:]
		}
		r.samplesMu.Unlock()
	}
	var wg sync.WaitGroup
	for _, rep := range r.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := r.check(ctx, rep, primaryLSN, perr, now)
			rep.mu.Lock()
			was := rep.state
			rep.state = st
			rep.mu.Unlock()
			if was.InRotation != st.InRotation {
				r.log.Warn("read replica rotation", "replica", rep.name, "in_rotation", st.InRotation, "problem", st.Problem)
			}
			r.metrics.observe(st)
		}()
	}
	wg.Wait()
}

func (r *Router) check(ctx context.Context, rep *replica, primaryLSN int64, perr error, now time.Time) ReplicaStatus {
	st := ReplicaStatus{Replica: rep.name}
	if perr != nil {
		st.Problem = "the primary's WAL position could not be read, so the lag is unknown"
		r.log.Warn("replica poll: primary", "err", perr)
		return st
	}
	var inRecovery bool
	err := rep.pool.QueryRow(ctx, `SELECT pg_is_in_recovery(), coalesce(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'), 0)::int8`).
		Scan(&inRecovery, &st.replayLSN)
	switch {
	case err != nil:
		st.Problem = "the replica does not answer"
		r.log.Debug("replica poll", "replica", rep.name, "err", err)
		return st
	case !inRecovery:
		st.Problem = "the replica is not a standby (promoted?): it no longer follows the primary"
		return st
	}
	st.LagBytes = max(0, primaryLSN-st.replayLSN)
	st.LagSeconds = r.lagSeconds(st.replayLSN, now).Seconds()
	if st.LagSeconds > r.maxLag.Seconds() {
		st.Problem = fmt.Sprintf("the replica lags %.0f s behind the primary, more than LANDATLAS_REPLICA_MAX_LAG (%s)", st.LagSeconds, r.maxLag)
		return st
	}
	st.InRotation = true
	return st
}

// lagSeconds is the age of the oldest primary WAL position the replica has not replayed yet.
func (r *Router) lagSeconds(replay int64, now time.Time) time.Duration {
	r.samplesMu.Lock()
	defer r.samplesMu.Unlock()
	for _, s := range r.primaryLSNs {
		if s.lsn > replay {
			return now.Sub(s.at)
		}
	}
	return 0
}

// Status is what the last poll found of each replica, in the order of the setting.
func (r *Router) Status() []ReplicaStatus {
	out := make([]ReplicaStatus, len(r.replicas))
	for i, rep := range r.replicas {
		rep.mu.Lock()
		out[i] = rep.state
		rep.mu.Unlock()
	}
	return out
}

// Wrote remembers that account has just written: its reads go to the primary until a replica has
// replayed the primary's current WAL position, which is at or after the write's commit. The
// memory is this instance's: another instance behind a load balancer does not know of the write.
// It expires when every replica in rotation must have replayed the write (they lag at most MaxLag).
func (r *Router) Wrote(ctx context.Context, account int64) {
	if len(r.replicas) == 0 {
		return
	}
	var lsn int64
	if err := r.primary.QueryRow(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::int8`).Scan(&lsn); err != nil {
		// Not knowing where the write is, the account reads from the primary until expiry.
		r.log.WarnContext(ctx, "read-your-writes: primary WAL position", "err", err)
		lsn = 1<<63 - 1
	}
	now := time.Now()
	r.writesMu.Lock()
	defer r.writesMu.Unlock()
	for a, w := range r.writes {
		if now.After(w.expires) {
			delete(r.writes, a)
		}
	}
	if w, ok := r.writes[account]; !ok || w.lsn < lsn {
		r.writes[account] = write{lsn: lsn, expires: now.Add(r.maxLag + 3*pollInterval)}
	}
}

// writtenAt is the WAL position a replica must have replayed before account may read from it.
func (r *Router) writtenAt(account int64) int64 {
	r.writesMu.Lock()
	defer r.writesMu.Unlock()
	if w, ok := r.writes[account]; ok && time.Now().Before(w.expires) {
		return w.lsn
	}
	return 0
}

// For binds a read request of account (0 for the public) to a replica in rotation that has
// replayed the account's last write, or to the primary when there is none. The read paths then
// read where ctx says.
func (r *Router) For(ctx context.Context, account int64) context.Context {
	if len(r.replicas) == 0 {
		return ctx
	}
	need := int64(0)
	if account != 0 {
		need = r.writtenAt(account)
	}
	n := uint64(len(r.replicas))
	start := r.next.Add(1)
	for i := range n {
		rep := r.replicas[(start+i)%n]
		rep.mu.Lock()
		ok := rep.state.InRotation && rep.state.replayLSN >= need
		rep.mu.Unlock()
		if ok {
			return context.WithValue(ctx, boundKey{}, rep)
		}
	}
	return ctx
}

type boundKey struct{}

func bound(ctx context.Context) *replica {
	rep, _ := ctx.Value(boundKey{}).(*replica)
	return rep
}

// PoolFor returns the pool the reads of ctx go to: its bound replica, or the primary. Work that
// must share a snapshot with a transaction of ctx (studystore.Parallel) takes its connections
// there.
func (r *Router) PoolFor(ctx context.Context) *pgxpool.Pool {
	if rep := bound(ctx); rep != nil {
		return rep.pool
	}
	return r.primary
}

// OnReplica reports whether ctx is bound to a replica, for tests and logs.
func OnReplica(ctx context.Context) bool { return bound(ctx) != nil }
