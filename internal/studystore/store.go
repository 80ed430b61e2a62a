// Package studystore is the PostGIS adapter of the potential study: the queries behind supply,
// take-up, large sites, site search, nearby parcels, the constraint overlay and stored study runs.
// Every query selects its parcels the same way (Selection): who reads, which scope, which CQL2
// filter, and which date, so a figure and the list of parcels behind it always agree.
package studystore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/apperr"
	"landatlas/internal/catalog"
	"landatlas/internal/query"
	"landatlas/internal/region"
	"landatlas/internal/study"
)

// Store answers the study's questions from PostGIS.
type Store struct {
	pool query.DB
	db   query.Querier
	// conns is where Parallel takes its connections (nil: it runs its functions one by one).
	conns connSource
	// spare holds a token for each connection Parallel has taken beyond the callers' own: at
	// most half the pool, so that side-by-side figures leave the other half to other requests.
	spare chan struct{}
}

// New returns a store on a pool, or on the replica router (internal/dbroute), which reads where
// the request is bound and writes on the primary.
func New(db query.DB) Store {
	conns, ok := db.(connSource)
	if !ok {
		if p, isPool := db.(*pgxpool.Pool); isPool {
			conns = onePool{p}
		}
	}
	spare := 1
	if conns != nil {
		spare = max(1, int(conns.PoolFor(context.Background()).Config().MaxConns/2))
	}
	return Store{pool: db, db: db, conns: conns, spare: make(chan struct{}, spare)}
}

// connSource gives the pool the reads of a context go to, where Parallel takes its connections:
// the replica router, or onePool.
type connSource interface {
	PoolFor(ctx context.Context) *pgxpool.Pool
}

type onePool struct{ *pgxpool.Pool }

func (p onePool) PoolFor(context.Context) *pgxpool.Pool { return p.Pool }

// Snapshot runs fn on a store whose queries all see one snapshot of the data (a read-only,
// repeatable-read transaction), so the figures of an answer fit together and to the data version
// it reports. A store already in a snapshot runs fn in it.
func (s Store) Snapshot(ctx context.Context, fn func(Store) error) error {
	if s.db != query.Querier(s.pool) {
		return fn(s)
	}
	return query.Snapshot(ctx, s.pool, func(tx pgx.Tx) error { return fn(Store{pool: s.pool, db: tx, conns: s.conns, spare: s.spare}) })
}

// Parallel runs fns at once, each on a connection of its own in a read-only transaction that sees
// the snapshot of s (pg_export_snapshot, SET TRANSACTION SNAPSHOT), so figures computed side by
// side fit together as if one query had read them all. A store not yet in a snapshot takes one
// first; a store in a transaction that wrote must not use it (the other connections would not see
// the writes). A function that finds no spare connection (see Store.spare) or no idle one soon
// runs afterwards in s's own transaction: requests that each hold a connection and wait for
// another must not starve the pool.
func (s Store) Parallel(ctx context.Context, fns ...func(Store) error) error {
	if s.db == query.Querier(s.pool) {
		return s.Snapshot(ctx, func(st Store) error { return st.Parallel(ctx, fns...) })
	}
	if len(fns) < 2 {
		for _, fn := range fns {
			if err := fn(s); err != nil {
				return err
			}
		}
		return nil
	}
	var id string
	if err := s.db.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&id); err != nil {
		return fmt.Errorf("export snapshot: %w", err)
	}
	// SET TRANSACTION SNAPSHOT takes no bind parameter: the id PostgreSQL gave is checked instead.
	if !snapshotID.MatchString(id) {
		return fmt.Errorf("export snapshot: unexpected id %q", id)
	}
	errs := make([]error, len(fns))
	later := make([]bool, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.conns == nil {
				later[i+1] = true
				return
			}
			select {
			case s.spare <- struct{}{}:
				defer func() { <-s.spare }()
			default:
				later[i+1] = true
				return
			}
			wait, cancel := context.WithTimeout(ctx, idleConnWait)
			conn, err := s.conns.PoolFor(ctx).Acquire(wait)
			cancel()
			if err != nil {
				later[i+1] = ctx.Err() == nil
				errs[i+1] = ctx.Err()
				return
			}
			defer conn.Release()
			errs[i+1] = pgx.BeginTxFunc(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `SET TRANSACTION SNAPSHOT '`+id+`'`); err != nil {
					// The caller's transaction fell back from a replica to the primary (or the
					// other way round): the function runs in it afterwards.
					later[i+1] = ctx.Err() == nil
					return fmt.Errorf("import snapshot: %w", err)
				}
				return fn(Store{pool: s.pool, db: tx, conns: s.conns, spare: s.spare})
			})
		}()
	}
	errs[0] = fns[0](s)
	wg.Wait()
	for i, fn := range fns {
		if later[i] && errs[0] == nil {
			errs[i] = fn(s)
		}
	}
	return errors.Join(errs...)
}

// snapshotID is what pg_export_snapshot returns (hexadecimal numbers joined by dashes).
var snapshotID = regexp.MustCompile(`^[0-9A-Fa-f]+(-[0-9A-Fa-f]+)*$`)

// idleConnWait is how long Parallel waits for a connection before it runs the function itself.
const idleConnWait = 200 * time.Millisecond

// inTx runs fn in a transaction. (JIT compilation, which added hundreds of milliseconds to the
// study's queries, is off for the whole pool: see store.Open.)
func (s Store) inTx(ctx context.Context, opt pgx.TxOptions, fn func(Store) error) error {
	if s.db != query.Querier(s.pool) {
		return fn(s)
	}
	return pgx.BeginTxFunc(ctx, s.pool, opt, func(tx pgx.Tx) error {
		return fn(Store{pool: s.pool, db: tx, conns: s.conns, spare: s.spare})
	})
}

// Selection says which parcels a figure counts: with whose eyes (Internal: planners see internal
// parcels, the public only public ones), where (Scope), which (Filter, CQL2 text over the parcels'
// queryables) and when (AsOf, the state from the history; zero for the current state).
type Selection struct {
	Internal bool
	Scope    study.Scope
	Filter   string
	// FilterCRS is the CRS of the filter's geometry literals (filter-crs); the zero CRS is CRS84.
	FilterCRS region.CRS
	AsOf      time.Time
	// IDs restricts the selection to these parcels (a stored run's), when not nil.
	IDs []int64
}

// at is the time a selection looks at: as_of, or now for the current state.
func (sel Selection) at() time.Time {
	if sel.AsOf.IsZero() {
		return time.Now()
	}
	return sel.AsOf
}

// parcelsCollection and sitesCollection are the catalog's collections: their joins, queryables
// and visibility.
var parcelsCollection, sitesCollection = mustCollection("parcels"), mustCollection("sites")

func mustCollection(id string) catalog.Collection {
	c, ok := catalog.ByID(id)
	if !ok {
		panic("catalog has no collection " + id)
	}
	return c
}

// stmt is a statement being built: its bind arguments.
type stmt struct{ query.Args }

// arg binds v and returns its placeholder.
func (q *stmt) arg(v any) string { return q.Bind(v) }

// selection asks the query core for the FROM clause (aliases t parcel, d district, m municipality,
// s site) and the WHERE conditions of a selection over the parcels' states at its time.
func (q *stmt) selection(sel Selection) (from string, where []string, err error) {
	return q.build(parcelsCollection, sel, query.At(sel.AsOf))
}

// versions returns the FROM clause and conditions of a selection over every state of every parcel
// (parcel_versions), for questions about changes such as take-up; the caller bounds the time.
func (q *stmt) versions(sel Selection) (from string, where []string, err error) {
	return q.build(parcelsCollection, sel, query.AllVersions())
}

// filter compiles a CQL2 text filter on the parcels as a condition, with the query core's options
// and the queryables the reader may see.
func (q *stmt) filter(text string, internal bool) (string, error) {
	f, err := query.ParseText("filter", text)
	if err != nil || f == nil {
		return "true", err
	}
	return query.Selection{Collection: parcelsCollection, Internal: internal}.Condition(&q.Args, *f)
}

func (q *stmt) build(c catalog.Collection, sel Selection, t query.Time) (string, []string, error) {
	filters, err := sel.filters()
	if err != nil {
		return "", nil, err
	}
	built, err := query.Selection{Collection: c, Internal: sel.Internal, Time: t, Filters: filters, IDs: sel.IDs}.Build(&q.Args)
	return built.From, built.Where, err
}

// filters are the CQL2 filters of a selection: its scope, stated as the figures' links to their
// parcels state it (so a figure and its parcels agree by construction), and its filter. Both are
// compiled against the queryables the reader may see: a filter on an internal property by the
// public is an unknown property, like in the features API.
func (sel Selection) filters() ([]*query.Filter, error) {
	scope, err := query.ParseText("scope", study.ParcelsFilter(sel.Scope, "", nil))
	if err != nil {
		return nil, err
	}
	f, err := query.ParseText("filter", sel.Filter)
	if err != nil {
		return nil, err
	}
	if f != nil {
		f.SRID, f.LatLon = sel.FilterCRS.SRID, sel.FilterCRS.LatLon
	}
	return []*query.Filter{scope, f}, nil
}

// where joins conditions with AND; no conditions select everything.
func where(conds []string) string {
	if len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " AND ")
}

// constraintSummary joins each parcel's worst constraint: pc.severe is true when it has a severe
// one, pc.parcel_id is not null when it has any. The study's figures read the current overlay at
// every date: the constraint layers were loaded without their history, so an overlay of the past
// would be missing the restrictions that held then (see overlayAt for the changes since).
const constraintSummary = ` LEFT JOIN (SELECT parcel_id, bool_or(severity = 'severe') AS severe
	FROM parcel_constraints GROUP BY parcel_id) pc ON pc.parcel_id = t.id`

// overlayAt is the constraint overlay as it was at a time (parcel_constraints_at, migration 009),
// recorded since the overlay keeps its history: for the restrictions added or removed between two
// dates.
func (q *stmt) overlayAt(at time.Time) string {
	return "parcel_constraints_at(" + q.arg(at) + "::timestamptz)"
}

// marketableSQL is MarketableRule in SQL, over a row with the constraint summary joined.
func marketableSQL(internal bool) string {
	cond := "t.status = 'offered' AND t.availability IN ('now', 'short_term') AND NOT coalesce(pc.severe, false)"
	if internal {
		cond += " AND t.owner_willing = 'yes'"
	}
	return cond
}

// DataVersion returns the collection versions a figure was computed from: with as_of it tells
// exactly which data a study run saw. The public gets the versions that move with public changes
// only, so it cannot see that something internal changed.
func (s Store) DataVersion(ctx context.Context, internal bool) (map[string]int64, error) {
	all, err := query.ReadVersions(ctx, s.db, internal)
	if err != nil {
		return nil, fmt.Errorf("data version: %w", err)
	}
	out := map[string]int64{}
	for _, name := range studyTables {
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	return out, nil
}

// studyTables are the tables whose versions a study figure depends on.
var studyTables = []string{"parcels", "sites", "constraints", "infrastructure", "districts", "municipalities"}

// Now returns the database's transaction time: the as_of of a study run "as of now".
func (s Store) Now(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := s.db.QueryRow(ctx, `SELECT now()`).Scan(&t)
	return t, err
}

// notFound turns "no row" into a not-found error with the message given.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.New(apperr.NotFound, format, args...)
	}
	return err
}
