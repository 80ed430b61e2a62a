// Package studystore is the PostGIS adapter of the potential study: the queries behind supply,
// take-up, large sites, site search, nearby parcels, the constraint overlay and stored study runs.
// Every query selects its parcels the same way (Selection): who reads, which scope, which CQL2
// filter, and which date, so a figure and the list of parcels behind it always agree.
package studystore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/apperr"
	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/region"
	"landatlas/internal/study"
)

// querier is what a pool and a transaction have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store answers the study's questions from PostGIS.
type Store struct {
	pool *pgxpool.Pool
	db   querier
}

// New returns a store on a pool.
func New(pool *pgxpool.Pool) Store { return Store{pool: pool, db: pool} }

// Snapshot runs fn on a store whose queries all see one snapshot of the data (a read-only,
// repeatable-read transaction), so the figures of an answer fit together and to the data version
// it reports. A store already in a snapshot runs fn in it.
func (s Store) Snapshot(ctx context.Context, fn func(Store) error) error {
	return s.inTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// inTx runs fn in a transaction. (JIT compilation, which added hundreds of milliseconds to the
// study's queries, is off for the whole pool: see store.Open.)
func (s Store) inTx(ctx context.Context, opt pgx.TxOptions, fn func(Store) error) error {
	if s.db != querier(s.pool) {
		return fn(s)
	}
	return pgx.BeginTxFunc(ctx, s.pool, opt, func(tx pgx.Tx) error {
		return fn(Store{pool: s.pool, db: tx})
	})
}

// Selection says which parcels a figure counts: with whose eyes (Internal: planners see internal
// parcels, the public only public ones), where (Scope), which (Filter, CQL2 text over the parcels'
// queryables) and when (AsOf, the state from the history; zero for the current state).
type Selection struct {
	Internal bool
	Scope    study.Scope
	Filter   string
	AsOf     time.Time
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

// parcelsCollection is the catalog's parcels collection: its joins, queryables and visibility.
var parcelsCollection = func() catalog.Collection {
	c, ok := catalog.ByID("parcels")
	if !ok {
		panic("catalog has no parcels collection")
	}
	return c
}()

// query collects the bind arguments of a statement as it is built.
type query struct{ args []any }

// arg binds v and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// selection returns the FROM clause (aliases t parcel, d district, m municipality, s site) and the
// WHERE conditions of a selection over the parcels' states at its time.
func (q *query) selection(sel Selection) (from string, where []string, err error) {
	at := ""
	if !sel.AsOf.IsZero() {
		at = q.arg(sel.AsOf)
	}
	from = parcelsCollection.FromClause(at)
	where, err = q.conditions(sel, at != "")
	return from, where, err
}

// versions returns the FROM clause and conditions of a selection over every state of every parcel
// (parcel_versions), for questions about changes such as take-up; the caller bounds the time.
func (q *query) versions(sel Selection) (from string, where []string, err error) {
	from = strings.Replace(parcelsCollection.From, "{{rows}}", "parcel_versions t", 1)
	where, err = q.conditions(sel, true)
	return from, where, err
}

func (q *query) conditions(sel Selection, atTime bool) ([]string, error) {
	where := parcelsCollection.Where(sel.Internal, atTime)
	where = append(where, q.scope(sel.Scope, parcelColumns)...)
	if sel.IDs != nil {
		where = append(where, "t.id = ANY ("+q.arg(sel.IDs)+")")
	}
	if sel.Filter != "" {
		cond, err := q.filter(sel.Filter, sel.Internal)
		if err != nil {
			return nil, err
		}
		where = append(where, cond)
	}
	return where, nil
}

// filter compiles a CQL2 text filter against the queryables the reader may see: a filter on an
// internal property by the public is an unknown property, like in the features API.
func (q *query) filter(text string, internal bool) (string, error) {
	e, err := cql2.ParseText(text)
	if err != nil {
		return "", apperr.New(apperr.Invalid, "filter: %v", err)
	}
	cond, args, err := cql2.Compile(e, parcelsCollection.Queryables(internal), cql2.CompileOptions{
		ArgOffset: len(q.args), FilterSRID: 4326, StorageSRID: region.StorageSRID,
	})
	if err != nil {
		return "", apperr.New(apperr.Invalid, "filter: %v", err)
	}
	q.args = append(q.args, args...)
	return cond, nil
}

// scopeColumns names the SQL a scope is applied to, for parcels or for sites.
type scopeColumns struct{ land, district, municipality, geom string }

var (
	parcelColumns = scopeColumns{"d.land", "t.district_ags", "t.municipality_ags", "t.geom"}
	siteColumns   = scopeColumns{"sd.land", "s.district_ags", "s.municipality_ags", "s.geom"}
)

// scope returns the conditions of a scope: any of its areas, and its polygon. A polygon selects
// what intersects it, as the CQL2 S_INTERSECTS of the same polygon does, so a figure's filter
// link lists the same parcels.
func (q *query) scope(sc study.Scope, c scopeColumns) []string {
	var areas, w []string
	if len(sc.Lands) > 0 {
		areas = append(areas, c.land+" = ANY ("+q.arg(sc.Lands)+"::text[])")
	}
	if len(sc.Districts) > 0 {
		areas = append(areas, c.district+" = ANY ("+q.arg(sc.Districts)+"::bpchar[])")
	}
	if len(sc.Municipalities) > 0 {
		areas = append(areas, c.municipality+" = ANY ("+q.arg(sc.Municipalities)+"::bpchar[])")
	}
	if len(areas) > 0 {
		w = append(w, "("+strings.Join(areas, " OR ")+")")
	}
	if sc.Polygon != "" {
		w = append(w, fmt.Sprintf("ST_Intersects(%s, ST_Transform(ST_GeomFromText(%s, 4326), %d))", c.geom, q.arg(sc.Polygon), region.StorageSRID))
	}
	return w
}

// where joins conditions with AND; no conditions select everything.
func where(conds []string) string {
	if len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " AND ")
}

// constraintSummary joins each parcel's worst constraint: pc.severe is true when it has a severe
// one, pc.parcel_id is not null when it has any.
const constraintSummary = ` LEFT JOIN (SELECT parcel_id, bool_or(severity = 'severe') AS severe
	FROM parcel_constraints GROUP BY parcel_id) pc ON pc.parcel_id = t.id`

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
	rows, err := s.db.Query(ctx, `SELECT collection, CASE WHEN $1 THEN version ELSE public_version END FROM collection_versions
		WHERE collection IN ('parcels', 'sites', 'constraints', 'infrastructure', 'districts', 'municipalities')`, internal)
	if err != nil {
		return nil, fmt.Errorf("data version: %w", err)
	}
	out := map[string]int64{}
	var name string
	var v int64
	_, err = pgx.ForEachRow(rows, []any{&name, &v}, func() error { out[name] = v; return nil })
	if err != nil {
		return nil, fmt.Errorf("data version: %w", err)
	}
	return out, nil
}

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
