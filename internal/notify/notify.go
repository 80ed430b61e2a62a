// Package notify follows the data versions of the published collections without a query per
// request: one connection LISTENs to the notifications the collection_versions triggers send at
// every write (migration 001, channel Channel), and reads collection_versions when one arrives,
// every CheckEvery in case one was lost, and after every reconnect.
//
// What a reader of Latest may rely on:
//   - Once the listener has heard of a commit, Latest never reports versions older than that
//     commit's: from then until the versions are read again, Latest reports none (ok false), and
//     callers fall back to a read of their own.
//   - A write through a pool readied by Prepare (every pool of store.Open: the server's own
//     writes, and tests writing by direct SQL through the server's pool) is heard of before the
//     writer learns that its commit is done: PostgreSQL hands a listening session the
//     notifications of its own commit before it reports the commit. So a request sent after the
//     commit returned never gets an older version (read-your-writes, and what the writer tells
//     others).
//   - A commit by another process (psql, another instance) is heard of when its notification
//     arrives on the listening connection: PostgreSQL signals listeners as the commit completes,
//     typically well under a millisecond before the writer learns of its commit, but a reader
//     told of the commit at once can meet the old versions in that gap. A lost notification is
//     made good by the periodic check.
//   - While the connection is down, Latest reports none; every (re)connect is a Change with
//     Reset, on which caches drop everything, as notifications may have been missed.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"

	"landatlas/internal/query"
)

// Channel is the channel the collection_versions triggers notify on; the payload names the
// collections whose versions moved, comma-separated.
const Channel = "landatlas_collection_changed"

// DefaultCheckEvery is how often the versions are read without a notification.
const DefaultCheckEvery = 5 * time.Second

// Versions are the rows of collection_versions: per collection the counter that triggers move on
// with every write, through landatlas or by direct SQL, and the one that moves only with changes
// the public can see.
type Versions = query.Counters

// Change is what a subscriber hears: the versions before and now. Reset says that the listener
// (re)connected, so that changes may have gone unnoticed: caches keyed by versions drop everything.
type Change struct {
	Was, Now Versions
	Reset    bool
}

// Options tune a Listener; the zero value is the default.
type Options struct {
	// CheckEvery is the period of the read that makes good a lost notification; 0 means
	// DefaultCheckEvery.
	CheckEvery time.Duration
}

// Listener follows collection_versions. It runs until Close or until its pool is closed.
type Listener struct {
	pool  *pgxpool.Pool
	hook  *hook // of the pool, if Prepare readied it
	log   *slog.Logger
	every time.Duration
	stop  context.CancelFunc
	done  chan struct{}

	latest atomic.Pointer[Versions] // known while fresh, else nil: what Latest reports

	mu          sync.Mutex
	known       Versions // the newest counters read, nil before the first read
	fresh       bool     // known holds now: connected, and no write heard of since the read began
	heardAt     uint64   // writes heard of so far
	reread      bool     // a write was heard of since the listener's last read began
	cancelWait  context.CancelFunc
	subscribers []func(Change)
}

// Start connects a listener to the database of pool, in the background, on a connection it
// takes from the pool for good.
func Start(pool *pgxpool.Pool, log *slog.Logger, opts Options) *Listener {
	if opts.CheckEvery <= 0 {
		opts.CheckEvery = DefaultCheckEvery
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Listener{pool: pool, log: log, every: opts.CheckEvery, stop: cancel, done: make(chan struct{})}
	if h, ok := hooks.Load(weak.Make(pool)); ok {
		l.hook = h.(*hook)
		l.hook.add(l)
	}
	go l.run(ctx)
	return l
}

// Close stops the listener and closes its connection.
func (l *Listener) Close() {
	l.stop()
	<-l.done
}

// Latest returns the versions as the listener knows them, without a query; ok is false while it
// does not know them for sure (not connected, or it heard of a write and reads the versions
// again). The map must not be changed.
func (l *Listener) Latest() (v Versions, ok bool) {
	if p := l.latest.Load(); p != nil {
		return *p, true
	}
	return nil, false
}

// Subscribe calls fn with every change of the versions, in order; fn runs with the listener's
// lock held and must be quick.
func (l *Listener) Subscribe(fn func(Change)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.subscribers = append(l.subscribers, fn)
}

// heard takes in the news of a write: Latest reports none until the listener, woken at once,
// has read the versions again.
func (l *Listener) heard() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.heardAt++
	l.reread = true
	l.fresh = false
	l.publish()
	if l.cancelWait != nil {
		l.cancelWait()
	}
}

// learn takes in a read of the versions that began when heardAt was at. With reset it replaces
// what was known (the listener has just connected); otherwise each counter keeps the newest value
// seen. The versions hold now unless a write was heard of after the read began.
func (l *Listener) learn(v Versions, at uint64, reset bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	was := l.known
	now := v
	if !reset {
		now = maps.Clone(v)
		for name, n := range was {
			now[name] = query.Counter{Internal: max(now[name].Internal, n.Internal), Public: max(now[name].Public, n.Public)}
		}
	}
	l.known = now
	l.fresh = at == l.heardAt
	if reset || !maps.Equal(was, now) {
		for _, fn := range l.subscribers {
			fn(Change{Was: was, Now: now, Reset: reset})
		}
	}
	l.publish()
}

// publish sets what Latest reports; l.mu is held.
func (l *Listener) publish() {
	if l.fresh {
		known := l.known
		l.latest.Store(&known)
	} else {
		l.latest.Store(nil)
	}
}

// run keeps a listening connection until ctx ends or the pool closes.
func (l *Listener) run(ctx context.Context) {
	defer close(l.done)
	if l.hook != nil {
		defer l.hook.remove(l)
	}
	backoff := 100 * time.Millisecond
	for {
		err := l.listen(ctx)
		l.mu.Lock()
		l.fresh = false
		l.publish()
		l.mu.Unlock()
		if ctx.Err() != nil || errors.Is(err, puddle.ErrClosedPool) {
			return
		}
		l.log.Warn("listening for data version changes failed; tiles read the versions per request meanwhile", "err", err, "retry_in", backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// listen takes a connection of its own from the pool, LISTENs and reads the versions (a Reset),
// then again after every write heard of and every CheckEvery, until the connection fails.
func (l *Listener) listen(ctx context.Context) error {
	acquireCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	pc, err := l.pool.Acquire(acquireCtx)
	cancel()
	if err != nil {
		return err
	}
	conn := pc.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen on %s: %w", Channel, err)
	}
	reset := true
	for {
		l.mu.Lock()
		at := l.heardAt
		l.reread = false
		l.mu.Unlock()
		v, err := read(ctx, conn)
		if err != nil {
			return err
		}
		l.learn(v, at, reset)
		reset = false
		if err := l.wait(ctx, conn); err != nil {
			return err
		}
	}
}

// wait returns when a write is heard of or CheckEvery has passed. On a pool readied by Prepare,
// notifications reach heard by the pool's hook; on another, WaitForNotification returns them.
func (l *Listener) wait(ctx context.Context, conn *pgx.Conn) error {
	waitCtx, cancel := context.WithTimeout(ctx, l.every)
	defer cancel()
	l.mu.Lock()
	if l.reread {
		l.mu.Unlock()
		return nil
	}
	l.cancelWait = cancel
	l.mu.Unlock()
	n, err := conn.WaitForNotification(waitCtx)
	l.mu.Lock()
	l.cancelWait = nil
	l.mu.Unlock()
	if err != nil && (waitCtx.Err() == nil || ctx.Err() != nil) {
		return fmt.Errorf("wait for notifications: %w", err)
	}
	if n != nil {
		l.heard()
	}
	return nil
}

// hooks holds the hook of each pool readied by Prepare, until the pool is collected.
var hooks sync.Map // weak.Pointer[pgxpool.Pool] → *hook

// hook passes the notifications that reach the connections of a pool to its listeners.
type hook struct {
	mu        sync.Mutex
	listeners []*Listener
}

func (h *hook) add(l *Listener) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.listeners = append(h.listeners, l)
}

func (h *hook) remove(l *Listener) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.listeners = slices.DeleteFunc(h.listeners, func(x *Listener) bool { return x == l })
}

func (h *hook) notified(_ *pgconn.PgConn, n *pgconn.Notification) {
	if n.Channel != Channel {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, l := range h.listeners {
		l.heard()
	}
}

// Prepare readies the connections of a pool made from cfg to tell the pool's listeners of the
// writes made on them: each connection LISTENs on Channel, and PostgreSQL hands a session the
// notifications of its own commit before it reports the commit done. Call bind with the pool.
func Prepare(cfg *pgxpool.Config) (bind func(*pgxpool.Pool)) {
	h := &hook{}
	cfg.ConnConfig.OnNotification = h.notified
	after := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if after != nil {
			if err := after(ctx, c); err != nil {
				return err
			}
		}
		_, err := c.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize())
		return err
	}
	return func(pool *pgxpool.Pool) {
		key := weak.Make(pool)
		hooks.Store(key, h)
		runtime.AddCleanup(pool, func(k weak.Pointer[pgxpool.Pool]) { hooks.Delete(k) }, key)
	}
}

// read reads collection_versions.
func read(ctx context.Context, conn *pgx.Conn) (Versions, error) {
	return query.ReadCounters(ctx, conn)
}
