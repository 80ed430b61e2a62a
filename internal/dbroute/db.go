package dbroute

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The Router is a query.DB: each call reads on the replica its context is bound to (For), else on
// the primary. Exec and read-write transactions always go to the primary. A replica call that
// fails for want of a working connection (the standby stopped, restarts or cancelled the query
// for a conflict with recovery) runs once more on the primary, so a stopping standby fails no
// request. Errors after rows have been read are not retried: part of the answer may be sent.

// Exec runs on the primary: it is how writes are made.
func (r *Router) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return r.primary.Exec(ctx, sql, args...)
}

// Query runs on the bound replica, or the primary.
func (r *Router) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rep := bound(ctx)
	if rep == nil {
		r.metrics.reads.WithLabelValues("primary").Inc()
		return r.primary.Query(ctx, sql, args...)
	}
	rows, err := rep.pool.Query(ctx, sql, args...)
	if err == nil || !r.fallBack(ctx, rep, err) {
		r.metrics.reads.WithLabelValues("replica").Inc()
		return rows, err
	}
	return r.primary.Query(ctx, sql, args...)
}

// QueryRow runs on the bound replica, or the primary.
func (r *Router) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rep := bound(ctx)
	if rep == nil {
		r.metrics.reads.WithLabelValues("primary").Inc()
		return r.primary.QueryRow(ctx, sql, args...)
	}
	return retryRow{r: r, rep: rep, ctx: ctx, sql: sql, args: args}
}

type retryRow struct {
	r    *Router
	rep  *replica
	ctx  context.Context
	sql  string
	args []any
}

func (q retryRow) Scan(dest ...any) error {
	err := q.rep.pool.QueryRow(q.ctx, q.sql, q.args...).Scan(dest...)
	if err == nil || !q.r.fallBack(q.ctx, q.rep, err) {
		q.r.metrics.reads.WithLabelValues("replica").Inc()
		return err
	}
	return q.r.primary.QueryRow(q.ctx, q.sql, q.args...).Scan(dest...)
}

// BeginTx starts a read-only transaction on the bound replica, any other on the primary.
func (r *Router) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	rep := bound(ctx)
	if rep == nil || opts.AccessMode != pgx.ReadOnly {
		r.metrics.reads.WithLabelValues("primary").Inc()
		return r.primary.BeginTx(ctx, opts)
	}
	tx, err := rep.pool.BeginTx(ctx, opts)
	if err == nil || !r.fallBack(ctx, rep, err) {
		r.metrics.reads.WithLabelValues("replica").Inc()
		return tx, err
	}
	return r.primary.BeginTx(ctx, opts)
}

// SendBatch sends b to the bound replica, or the primary. The batch runs again on the primary
// when Close finds the replica's connection broken; the tiles' batches read through Close only.
func (r *Router) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	rep := bound(ctx)
	if rep == nil {
		r.metrics.reads.WithLabelValues("primary").Inc()
		return r.primary.SendBatch(ctx, b)
	}
	return &retryBatch{BatchResults: rep.pool.SendBatch(ctx, b), r: r, rep: rep, ctx: ctx, b: b}
}

type retryBatch struct {
	pgx.BatchResults
	r    *Router
	rep  *replica
	ctx  context.Context
	b    *pgx.Batch
	used bool
}

func (q *retryBatch) Exec() (pgconn.CommandTag, error) { q.used = true; return q.BatchResults.Exec() }
func (q *retryBatch) Query() (pgx.Rows, error)         { q.used = true; return q.BatchResults.Query() }
func (q *retryBatch) QueryRow() pgx.Row                { q.used = true; return q.BatchResults.QueryRow() }

func (q *retryBatch) Close() error {
	err := q.BatchResults.Close()
	if err == nil || q.used || !q.r.fallBack(q.ctx, q.rep, err) {
		q.r.metrics.reads.WithLabelValues("replica").Inc()
		return err
	}
	return q.r.primary.SendBatch(q.ctx, q.b).Close()
}

// fallBack reports whether err of a replica call is the replica's fault (no connection, shutting
// down, starting, a conflict with recovery), so that the call is worth running on the primary.
// It counts the fallback and takes the replica out of rotation until its next good poll.
func (r *Router) fallBack(ctx context.Context, rep *replica, err error) bool {
	if ctx.Err() != nil || errors.Is(err, pgx.ErrNoRows) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code[:2] {
		case "08", "57", "53": // connection exception, operator intervention (shutdown, starting up), insufficient resources
		case "40":
			if pgErr.Code != "40001" { // serialization failure: on a standby, a conflict with recovery
				return false
			}
		default:
			return false // the query itself is wrong: the primary would say the same
		}
	}
	var scanErr pgx.ScanArgError
	if errors.As(err, &scanErr) {
		return false
	}
	r.metrics.fallbacks.WithLabelValues(rep.name).Inc()
	rep.mu.Lock()
	if rep.state.InRotation {
		rep.state.InRotation = false
		rep.state.Problem = "a read on the replica failed"
	}
	rep.mu.Unlock()
	r.log.WarnContext(ctx, "read on replica failed, reading from the primary", "replica", rep.name, "err", err)
	return true
}
