package pgtest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/devdb"
)

// Standby is a streaming standby of the test primary, stopped and removed when t ends.
type Standby struct {
	Cluster *devdb.Cluster
	URL     string // of the test's database on the standby
}

// StartStandby copies the test server (LANDATLAS_TEST_DATABASE_URL) with pg_basebackup -R into a
// temporary directory and starts it on a free local port; db is then readable there too. It skips t only where PostgreSQL's
// server programs are missing, as make deps installs them.
func StartStandby(t testing.TB, db *DB) *Standby {
	t.Helper()
	if err := devdb.Installed(); err != nil {
		t.Skipf("no PostgreSQL server programs to start a standby: %v", err)
	}
	cfg, err := pgx.ParseConfig(os.Getenv(EnvURL))
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	if cfg.Host != "127.0.0.1" && cfg.Host != "localhost" {
		t.Fatalf("%s names host %s: a standby can be started only of a local test server", EnvURL, cfg.Host)
	}
	// The postgres system user runs the standby and must reach its directory: not t.TempDir (0700).
	// make test names a directory (LANDATLAS_TEST_STANDBY_DIR) whose standbys it stops in the end,
	// should a test be killed before its cleanup.
	base, err := os.MkdirTemp(os.Getenv("LANDATLAS_TEST_STANDBY_DIR"), "standby-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	// A slot keeps the WAL the standby needs while a test has it stopped: the other tests' new
	// databases would otherwise recycle it, and the restarted standby could never catch up.
	port := freePort(t)
	slot := "landatlas_standby_" + strconv.Itoa(port)
	c := &devdb.Cluster{Dir: filepath.Join(base, "standby"), Port: port, Database: db.Name, Fast: true,
		PrimaryPort: int(cfg.Port), Slot: slot, Log: testLog{t}}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Errorf("stop standby: %v", err)
		}
		os.RemoveAll(base)
		if _, err := db.Pool.Exec(context.Background(), `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`, slot); err != nil {
			t.Errorf("drop replication slot %s: %v", slot, err)
		}
	})
	if err := c.Start(context.Background()); err != nil {
		t.Fatalf("start standby: %v", err)
	}
	return &Standby{Cluster: c, URL: c.URL()}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) { l.t.Logf("%s", b); return len(b), nil }

// WaitFor polls cond every 100 ms, at most 5 minutes, and fails t with what it waited for: a
// standby replays the WAL of every database the other tests create meanwhile, which on a busy
// machine takes a while.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for range 3000 {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited 5 minutes for %s", what)
}
