package tiles

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/catalog"
	"landatlas/internal/query"
)

// versions holds the rows of collection_versions: per collection the counter that triggers move on
// with every write, through landatlas or by direct SQL, and the one that moves only with changes
// the public can see.
type versions query.Counters

// of returns the data version of a collection as a reader sees it: the sum of the counters its
// features depend on, which grows whenever any of them does; for anonymous readers the public
// counters, so that their ETags and tile URLs do not tell them that something internal changed. A
// counter that is missing would never move, so its absence is an error rather than a version that
// is never stale.
func (v versions) of(c catalog.Collection, internal bool) (int64, error) {
	sum, err := query.Counters(v).Versions(internal).Sum(c.DataVersions)
	if err != nil {
		return 0, fmt.Errorf("tiles of %s: %w", c.ID, err)
	}
	return sum, nil
}

// versionReadTimeout bounds one read of collection_versions; it serves many requests at once, so
// it runs on its own deadline rather than on any one request's context.
const versionReadTimeout = 5 * time.Second

// versionReader answers "what are the versions now?" with a read of collection_versions that began
// after the question was asked. That is what makes the cache correct: a write that committed before
// a request arrived is always seen. Requests that arrive while a read is running wait for the next
// one and share it, so under load there is at most one read in flight and one waiting, however many
// requests there are.
type versionReader struct {
	db       *pgxpool.Pool
	metrics  *metrics
	onChange func(was, now versions)

	mu      sync.Mutex
	next    *versionRead // the read that has not started yet; new requests join it
	running bool         // a goroutine is working through reads

	// Used by the goroutine working through reads only, one at a time.
	conn *pgx.Conn // the reader's own connection; nil until the first read and after an error
	last versions  // the answer of the latest read, to notice changes
}

// versionRead is one read of collection_versions and the requests waiting for it.
type versionRead struct {
	done chan struct{}
	v    versions
	err  error
}

func newVersionReader(db *pgxpool.Pool, m *metrics, onChange func(was, now versions)) *versionReader {
	return &versionReader{db: db, metrics: m, onChange: onChange}
}

// current returns the versions as of a moment after the call began.
func (r *versionReader) current(ctx context.Context) (versions, error) {
	r.mu.Lock()
	if r.next == nil {
		r.next = &versionRead{done: make(chan struct{})}
		if !r.running {
			r.running = true
			go r.readAll()
		}
	}
	read := r.next
	r.mu.Unlock()
	select {
	case <-read.done:
		return read.v, read.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readAll runs the waiting reads one after another until none is left.
func (r *versionReader) readAll() {
	for {
		r.mu.Lock()
		read := r.next
		r.next = nil
		if read == nil {
			r.running = false
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()

		read.v, read.err = r.read()
		close(read.done)
		if read.err == nil && !maps.Equal(read.v, r.last) {
			if r.last != nil {
				r.onChange(r.last, read.v)
			}
			r.last = read.v
		}
	}
}

// read reads collection_versions on the reader's own connection, so that tile builds holding the
// pool's connections never keep a cache hit waiting. A failed connection is replaced at the next
// read.
func (r *versionReader) read() (versions, error) {
	ctx, cancel := context.WithTimeout(context.Background(), versionReadTimeout)
	defer cancel()
	r.metrics.versionReads.Inc()
	if r.conn == nil {
		conn, err := pgx.ConnectConfig(ctx, r.db.Config().ConnConfig.Copy())
		if err != nil {
			return nil, fmt.Errorf("connect to read collection versions: %w", err)
		}
		r.conn = conn
	}
	v, err := query.ReadCounters(ctx, r.conn)
	if err != nil {
		_ = r.conn.Close(ctx)
		r.conn = nil
		return nil, err
	}
	return versions(v), nil
}
