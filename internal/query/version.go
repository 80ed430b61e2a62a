package query

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is what a pool, a connection and a transaction have in common.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Beginner starts transactions: a pool or a connection.
type Beginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// DB is what the read paths (features, tiles, study) ask of a database: a pool, or the replica
// router (internal/dbroute) that picks a pool per request.
type DB interface {
	Querier
	Beginner
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Snapshot runs fn in a read-only, repeatable-read transaction, so that every query of an answer
// sees one state of the data: a count and its page, a figure and its parcels, a data version and
// what was read under it.
func Snapshot(ctx context.Context, db Beginner, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// Versions holds the rows of collection_versions: a counter per table that statement triggers move
// on with every write, through landatlas or by direct SQL.
type Versions map[string]int64

// ReadVersions reads collection_versions as a reader may see them: for internal readers the
// counters that move with every write, for the public those that move only with changes the
// public can see (public_version), so it cannot tell that something internal changed.
func ReadVersions(ctx context.Context, db Querier, internal bool) (Versions, error) {
	rows, _ := db.Query(ctx, `SELECT collection, CASE WHEN $1 THEN version ELSE public_version END FROM collection_versions`, internal)
	v := Versions{}
	var name string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&name, &n}, func() error { v[name] = n; return nil }); err != nil {
		return nil, fmt.Errorf("read collection versions: %w", err)
	}
	return v, nil
}

// Sum is the data version of features that depend on the named tables (a catalog collection's
// DataVersions): the sum of their counters, which grows whenever any of them does. A counter that
// is missing would never move, so its absence is an error rather than a version never stale.
func (v Versions) Sum(names []string) (int64, error) {
	var sum int64
	for _, name := range names {
		n, ok := v[name]
		if !ok {
			return 0, fmt.Errorf("collection_versions has no row %q", name)
		}
		sum += n
	}
	return sum, nil
}

// Version reads the data version of features that depend on the named tables, as a reader sees it.
func Version(ctx context.Context, db Querier, names []string, internal bool) (int64, error) {
	v, err := ReadVersions(ctx, db, internal)
	if err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v.Sum(names)
}

// Counter is one row of collection_versions: the counter every write moves and the one that moves
// only with changes the public can see.
type Counter struct{ Internal, Public int64 }

// Counters holds every row of collection_versions with both its counters, for a cache that
// serves signed-in and anonymous readers alike: it is invalidated by either and keys each reader's
// answers by the counter that reader may see.
type Counters map[string]Counter

// ReadCounters reads collection_versions with both counters.
func ReadCounters(ctx context.Context, db Querier) (Counters, error) {
	rows, _ := db.Query(ctx, `SELECT collection, version, public_version FROM collection_versions`)
	c := Counters{}
	var name string
	var n Counter
	if _, err := pgx.ForEachRow(rows, []any{&name, &n.Internal, &n.Public}, func() error { c[name] = n; return nil }); err != nil {
		return nil, fmt.Errorf("read collection versions: %w", err)
	}
	return c, nil
}

// Versions returns the counters a reader may see: what ReadVersions would have read.
func (c Counters) Versions(internal bool) Versions {
	v := make(Versions, len(c))
	for name, n := range c {
		v[name] = n.Public
		if internal {
			v[name] = n.Internal
		}
	}
	return v
}

// VersionColumn is the column of collection_versions a reader may see, for SQL that reads the data
// version in the same snapshot as the data.
func VersionColumn(internal bool) string {
	if internal {
		return "version"
	}
	return "public_version"
}
