package dbroute_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/dbroute"
	"landatlas/internal/pgtest"
	"landatlas/internal/query"
	"landatlas/internal/store"
)

// inRecovery asks where a read of ctx runs: true on the standby.
func inRecovery(t *testing.T, ctx context.Context, r *dbroute.Router) bool {
	t.Helper()
	var yes bool
	if err := r.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&yes); err != nil {
		t.Fatalf("read through the router: %v", err)
	}
	return yes
}

// testMaxLag keeps the standby in rotation while it replays the other tests' databases.
const testMaxLag = 2 * time.Minute

func TestReplicaReadsFallbackAndReadYourWrites(t *testing.T) {
	db := pgtest.New(t, pgtest.Empty)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `CREATE TABLE notes (id int PRIMARY KEY); INSERT INTO notes VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	sb := pgtest.StartStandby(t, db)
	rp, err := store.OpenReplicaPool(sb.URL, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	r, err := dbroute.New(db.Pool, []*pgxpool.Pool{rp}, dbroute.Options{MaxLag: testMaxLag})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go r.Run(runCtx)
	pgtest.WaitFor(t, "the standby to join the rotation", func() bool { return r.Status()[0].InRotation })

	// The public reads on the standby: single queries, read-only snapshots and batches.
	pub := r.For(ctx, 0)
	if !dbroute.OnReplica(pub) || !inRecovery(t, pub, r) {
		t.Fatal("a public read in rotation did not run on the standby")
	}
	var snapshotOnStandby, batchOnStandby bool
	if err := query.Snapshot(pub, r, func(tx pgx.Tx) error {
		return tx.QueryRow(pub, `SELECT pg_is_in_recovery()`).Scan(&snapshotOnStandby)
	}); err != nil || !snapshotOnStandby {
		t.Fatalf("snapshot read on the standby: %v, in recovery %v", err, snapshotOnStandby)
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_is_in_recovery()`).QueryRow(func(row pgx.Row) error { return row.Scan(&batchOnStandby) })
	if err := r.SendBatch(pub, b).Close(); err != nil || !batchOnStandby {
		t.Fatalf("batch read on the standby: %v, in recovery %v", err, batchOnStandby)
	}
	// Writes never go to the standby, even from a context bound to it.
	if _, err := r.Exec(pub, `INSERT INTO notes VALUES (2)`); err != nil {
		t.Fatalf("a write through the router: %v", err)
	}

	// Read-your-writes: right after its write, account 7 sees it, wherever its read runs.
	const writer = 7
	for i := 3; i < 13; i++ {
		if _, err := db.Pool.Exec(ctx, `INSERT INTO notes VALUES ($1)`, i); err != nil {
			t.Fatal(err)
		}
		r.Wrote(ctx, writer)
		var n int
		if err := r.QueryRow(r.For(ctx, writer), `SELECT count(*) FROM notes`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != i {
			t.Fatalf("after writing note %d the writer reads %d notes", i, n)
		}
	}
	// Once the standby has replayed the write, the writer reads there again.
	pgtest.WaitFor(t, "the writer's reads to return to the standby", func() bool {
		return dbroute.OnReplica(r.For(ctx, writer))
	})
	var n int
	if err := r.QueryRow(r.For(ctx, writer), `SELECT count(*) FROM notes WHERE pg_is_in_recovery()`).Scan(&n); err != nil || n != 12 {
		t.Fatalf("the writer's read on the standby: %d notes, %v; want 12", n, err)
	}

	// The standby stops: reads bound to it before it stopped still succeed, on the primary.
	bound := r.For(ctx, 0)
	if !dbroute.OnReplica(bound) {
		t.Fatal("no read bound to the standby before stopping it")
	}
	if err := sb.Cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if inRecovery(t, bound, r) {
		t.Fatal("a read on the stopped standby answered from a standby")
	}
	rows, err := r.Query(bound, `SELECT id FROM notes`)
	if err != nil {
		t.Fatalf("a query bound to the stopped standby failed: %v", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil || len(ids) != 12 {
		t.Fatalf("a query bound to the stopped standby: %d rows, %v; want 12", len(ids), err)
	}
	if err := query.Snapshot(bound, r, func(tx pgx.Tx) error { return tx.QueryRow(bound, `SELECT 1`).Scan(new(int)) }); err != nil {
		t.Fatalf("a snapshot bound to the stopped standby failed: %v", err)
	}
	if dbroute.OnReplica(r.For(ctx, 0)) || r.Status()[0].InRotation {
		t.Fatal("the stopped standby is still in rotation")
	}

	// Started again, it returns to the rotation by itself.
	if err := sb.Cluster.Start(ctx); err != nil {
		t.Fatal(err)
	}
	pgtest.WaitFor(t, "the restarted standby to return to the rotation", func() bool { return r.Status()[0].InRotation })
	if !inRecovery(t, r.For(ctx, 0), r) {
		t.Fatal("reads did not return to the restarted standby")
	}
	if st := r.Status()[0]; st.LagSeconds > testMaxLag.Seconds() || st.Problem != "" {
		t.Fatalf("status of the restarted standby: %+v", st)
	}
}
