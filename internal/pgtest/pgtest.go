// Package pgtest gives each test its own PostGIS database, copied from a migrated template
// (CREATE DATABASE ... TEMPLATE ...), the way pgtestdb does. The server is named by
// LANDATLAS_TEST_DATABASE_URL (make test starts a throwaway cluster and sets it); without it a test
// that needs PostGIS fails: it never skips.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/geodata"
	"landatlas/internal/demo"
	"landatlas/internal/store"
	"landatlas/migrations"
)

// EnvURL names the variable holding the test server's URL.
const EnvURL = "LANDATLAS_TEST_DATABASE_URL"

// Template says what a test database starts with.
type Template int

// The templates.
const (
	Empty     Template = iota // no schema: for migration tests
	Reference                 // migrated, with districts, municipalities and infrastructure
	Demo                      // Reference plus the demo data set (default size, seed 1)
)

// demoNow is the "today" of the demo data in test templates, fixed so every run sees the same data.
const demoNowUnix = 1782820800 // 2026-06-30T12:00:00Z

// DemoNow is the "today" the Demo template's data was generated for.
func DemoNow() time.Time { return time.Unix(demoNowUnix, 0).UTC() }

// DB is a test's own database.
type DB struct {
	Pool *pgxpool.Pool
	URL  string
	Name string
}

// New creates a database for t from the template and drops it when t ends, unless t failed:
// then it is kept for inspection and its name is logged.
func New(t testing.TB, tpl Template) *DB {
	t.Helper()
	ctx := context.Background()
	adminURL := os.Getenv(EnvURL)
	if adminURL == "" {
		t.Fatalf("%s is not set: tests need a PostGIS server; run `make test`, which starts one", EnvURL)
	}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatalf("connect to test PostGIS at %s: %v", EnvURL, err)
	}
	defer admin.Close(ctx)

	source := "template0"
	if tpl != Empty {
		source, err = ensureTemplate(ctx, admin, adminURL, tpl)
		if err != nil {
			t.Fatalf("prepare template database: %v", err)
		}
	}
	name := dbName(t.Name())
	if _, err := admin.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, source)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	url := withDatabase(adminURL, name)
	pool, err := store.Open(ctx, url)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		if t.Failed() {
			t.Logf("test database %s kept for inspection: psql %s", name, url)
			return
		}
		conn, err := pgx.Connect(context.Background(), adminURL)
		if err != nil {
			t.Logf("drop %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return &DB{Pool: pool, URL: url, Name: name}
}

// ensureTemplate makes the template database once per server and content: its name carries a hash
// of the migrations and the geodata, and an advisory lock keeps parallel test binaries from
// building it twice.
func ensureTemplate(ctx context.Context, admin *pgx.Conn, adminURL string, tpl Template) (string, error) {
	name := fmt.Sprintf("landatlas_tpl%d_%s", tpl, contentHash())
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(7342001)`); err != nil {
		return "", err
	}
	defer admin.Exec(ctx, `SELECT pg_advisory_unlock(7342001)`)
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building)); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE template0`, building)); err != nil {
		return "", err
	}
	if err := fill(ctx, withDatabase(adminURL, building), tpl); err != nil {
		return "", fmt.Errorf("fill template %s: %w", building, err)
	}
	// Renamed only when complete, so a half-built template is never used.
	if _, err := admin.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, name)); err != nil {
		return "", err
	}
	return name, nil
}

func fill(ctx context.Context, url string, tpl Template) error {
	pool, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := store.Migrate(ctx, pool); err != nil {
		return err
	}
	if _, err := store.LoadReference(ctx, pool, geodata.FS); err != nil {
		return err
	}
	if tpl != Demo {
		return nil
	}
	munis, junctions, err := demo.Inputs(ctx, pool)
	if err != nil {
		return err
	}
	data, err := demo.Generate(munis, junctions, demo.Options{Parcels: 2500, Seed: 1, Now: DemoNow()})
	if err != nil {
		return err
	}
	if err := demo.Load(ctx, pool, data, func(int, int) {}); err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `VACUUM ANALYZE`)
	return err
}

// contentHash fingerprints what a template is made of, so a changed migration makes a new one.
func contentHash() string {
	h := sha256.New()
	for _, fsys := range []fs.FS{migrations.FS, geodata.FS} {
		_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			h.Write([]byte(path))
			h.Write(b)
			return err
		})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

func dbName(testName string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	base := unsafeChars.ReplaceAllString(strings.ToLower(testName), "_")
	if len(base) > 40 {
		base = base[:40]
	}
	return "t_" + base + "_" + hex.EncodeToString(b)
}

// withDatabase replaces the database of a postgres:// URL.
func withDatabase(url, db string) string {
	rest, query, _ := strings.Cut(url, "?")
	if i := strings.LastIndex(rest, "/"); i > len("postgres://") {
		rest = rest[:i]
	}
	if query != "" {
		return rest + "/" + db + "?" + query
	}
	return rest + "/" + db
}
