package dbroute_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/dbroute"
	"landatlas/internal/devdb"
	"landatlas/internal/pgtest"
	"landatlas/internal/query"
	"landatlas/internal/store"
)

// Standby is a streaming standby of the test primary, stopped and removed when t ends.
type Standby struct {
	Cluster *devdb.Cluster
	URL     string // of the test's database on the standby
}

// startStandby copies the test server (LANDATLAS_TEST_DATABASE_URL) with pg_basebackup -R into a
// temporary directory and starts it on a free local port. It skips t only where PostgreSQL's
// server programs are missing, as make deps installs them.
func startStandby(t *testing.T, database string) *Standby {
	t.Helper()
	if err := devdb.Installed(); err != nil {
		t.Skipf("no PostgreSQL server programs to start a standby: %v", err)
	}
	cfg, err := pgx.ParseConfig(os.Getenv(pgtest.EnvURL))
	if err != nil {
		t.Fatalf("%s: %v", pgtest.EnvURL, err)
	}
	if cfg.Host != "127.0.0.1" && cfg.Host != "localhost" {
		t.Fatalf("%s names host %s: a standby can be started only of a local test server", pgtest.EnvURL, cfg.Host)
	}
	// The postgres system user runs the standby and must reach its directory: not t.TempDir (0700).
	base, err := os.MkdirTemp("", "landatlas-standby-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &devdb.Cluster{Dir: filepath.Join(base, "standby"), Port: freePort(t), Database: database, Fast: true,
		PrimaryPort: int(cfg.Port), Log: testLog{t}}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Errorf("stop standby: %v", err)
		}
		os.RemoveAll(base)
	})
	if err := c.Start(context.Background()); err != nil {
		t.Fatalf("start standby: %v", err)
	}
	return &Standby{Cluster: c, URL: c.URL()}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) { l.t.Logf("%s", b); return len(b), nil }

// waitFor polls cond every 100 ms, at most 60 s, and fails t with what it waited for.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 600 {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited 60 s for %s", what)
}

// inRecovery asks where a read of ctx runs: true on the standby.
func inRecovery(t *testing.T, ctx context.Context, r *dbroute.Router) bool {
	t.Helper()
	var yes bool
	if err := r.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&yes); err != nil {
		t.Fatalf("read through the router: %v", err)
	}
	return yes
}

func TestReplicaReadsFallbackAndReadYourWrites(t *testing.T) {
	db := pgtest.New(t, pgtest.Empty)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `CREATE TABLE notes (id int PRIMARY KEY); INSERT INTO notes VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	sb := startStandby(t, db.Name)
	rp, err := store.OpenReplicaPool(sb.URL, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	r, err := dbroute.New(db.Pool, []*pgxpool.Pool{rp}, dbroute.Options{MaxLag: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go r.Run(runCtx)
	waitFor(t, "the standby to join the rotation", func() bool { return r.Status()[0].InRotation })

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
	waitFor(t, "the writer's reads to return to the standby", func() bool {
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
	waitFor(t, "the restarted standby to return to the rotation", func() bool { return r.Status()[0].InRotation })
	if !inRecovery(t, r.For(ctx, 0), r) {
		t.Fatal("reads did not return to the restarted standby")
	}
	if st := r.Status()[0]; st.LagSeconds > 10 || st.Problem != "" {
		t.Fatalf("status of the restarted standby: %+v", st)
	}
	fmt.Fprint(testLog{t}, "standby status: ", r.Status()[0])
}
