// Package devdb runs a project-local PostgreSQL/PostGIS cluster for development and tests: data
// under a directory of the project (.data/), its own port and socket, never the system cluster.
// As root the server runs as the postgres system user, because initdb refuses root.
package devdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Cluster is a local PostgreSQL cluster in Dir, listening on 127.0.0.1:Port and a socket in Dir.
type Cluster struct {
	Dir      string // absolute; holds pgdata/, the socket and the server log
	Port     int
	Database string
	// Fast trades durability for speed (fsync off): right for throwaway test clusters.
	Fast bool
	// PrimaryPort, when set, makes the cluster a hot standby streaming from the cluster on
	// 127.0.0.1:PrimaryPort: it is copied with pg_basebackup -R instead of initdb, and is read-only.
	// initdb's pg_hba.conf lets 127.0.0.1 replicate, and wal_level=replica is the default.
	PrimaryPort int
	// Slot, with PrimaryPort, names a replication slot pg_basebackup creates on the primary: the
	// primary then keeps the WAL a stopped standby needs to catch up. Whoever sets it drops the
	// slot when the standby is gone, else the primary keeps WAL for ever.
	Slot string
	Log  io.Writer
}

// URL is the connection URL of the cluster's database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, c.Database)
}

func (c *Cluster) dataDir() string { return filepath.Join(c.Dir, "pgdata") }
func (c *Cluster) logFile() string { return filepath.Join(c.Dir, "postgres.log") }

// Start initialises the cluster if needed, starts it if it is not running and creates the
// database if it is missing. It is safe to call on a running cluster.
func (c *Cluster) Start(ctx context.Context) error {
	bin, err := binDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return err
	}
	if err := c.chownToPostgres(c.Dir); err != nil {
		return err
	}
	_, err = os.Stat(filepath.Join(c.dataDir(), "PG_VERSION"))
	switch {
	case errors.Is(err, os.ErrNotExist) && c.PrimaryPort != 0:
		fmt.Fprintf(c.Log, "copying the cluster on 127.0.0.1:%d into %s as a standby\n", c.PrimaryPort, c.dataDir())
		args := []string{"-R", "-D", c.dataDir(), "-h", "127.0.0.1", "-p", strconv.Itoa(c.PrimaryPort), "-U", "postgres", "-X", "stream", "-c", "fast"}
		if c.Slot != "" {
			args = append(args, "-C", "-S", c.Slot)
		}
		if err := c.run(ctx, filepath.Join(bin, "pg_basebackup"), args...); err != nil {
			return fmt.Errorf("pg_basebackup: %w", err)
		}
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(c.Log, "initialising PostgreSQL cluster in %s\n", c.dataDir())
		if err := c.run(ctx, filepath.Join(bin, "initdb"), "-D", c.dataDir(), "-U", "postgres", "-A", "trust",
			"-E", "UTF8", "--locale=C.UTF-8"); err != nil {
			return fmt.Errorf("initdb: %w", err)
		}
	}
	if !c.running(ctx, bin) {
		opts := []string{
			"-p " + strconv.Itoa(c.Port),
			"-k " + c.Dir,
			"-c listen_addresses=127.0.0.1",
			"-c shared_buffers=512MB",
			"-c work_mem=32MB",
			"-c maintenance_work_mem=512MB",
			"-c max_connections=200",
		}
		if c.Fast {
			opts = append(opts, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
		}
		fmt.Fprintf(c.Log, "starting PostgreSQL on 127.0.0.1:%d (log: %s)\n", c.Port, c.logFile())
		if err := c.run(ctx, filepath.Join(bin, "pg_ctl"), "-D", c.dataDir(), "-l", c.logFile(),
			"-o", strings.Join(opts, " "), "-w", "-t", "60", "start"); err != nil {
			return fmt.Errorf("pg_ctl start: %w (see %s)", err, c.logFile())
		}
	}
	if c.PrimaryPort != 0 {
		return nil // read-only: the database comes from the primary
	}
	return c.createDatabase(ctx, bin)
}

// Stop stops the cluster (fast shutdown: sessions are ended, data is kept).
func (c *Cluster) Stop(ctx context.Context) error {
	bin, err := binDir()
	if err != nil {
		return err
	}
	if !c.running(ctx, bin) {
		return nil
	}
	fmt.Fprintf(c.Log, "stopping PostgreSQL in %s\n", c.dataDir())
	return c.run(ctx, filepath.Join(bin, "pg_ctl"), "-D", c.dataDir(), "-m", "fast", "-w", "stop")
}

func (c *Cluster) running(ctx context.Context, bin string) bool {
	if _, err := os.Stat(filepath.Join(c.dataDir(), "postmaster.pid")); err != nil {
		return false
	}
	return c.run(ctx, filepath.Join(bin, "pg_ctl"), "-D", c.dataDir(), "status") == nil
}

func (c *Cluster) createDatabase(ctx context.Context, bin string) error {
	if !databaseName.MatchString(c.Database) {
		return fmt.Errorf("database name %q: use lower-case letters, digits and _", c.Database)
	}
	psql := func(sql string) (string, error) {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "psql"), "-h", c.Dir, "-p", strconv.Itoa(c.Port),
			"-U", "postgres", "-d", "postgres", "-tAc", sql)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("psql: %w: %s", err, out)
		}
		return strings.TrimSpace(string(out)), nil
	}
	exists, err := psql(fmt.Sprintf("SELECT 1 FROM pg_database WHERE datname = '%s'", c.Database))
	if err != nil || exists == "1" {
		return err
	}
	_, err = psql(fmt.Sprintf(`CREATE DATABASE "%s"`, c.Database))
	return err
}

var databaseName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// run executes a PostgreSQL tool, as the postgres user when we are root.
func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "postgres", "--", name}, args...)
		name = "runuser"
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (c *Cluster) chownToPostgres(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres system user (installed with postgresql): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(dir, uid, gid)
}

// binDir finds PostgreSQL's server programs: LANDATLAS_PG_BIN, else the newest
// /usr/lib/postgresql/N/bin that has initdb.
func binDir() (string, error) {
	if dir := os.Getenv("LANDATLAS_PG_BIN"); dir != "" {
		return dir, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", errors.New("no PostgreSQL server found under /usr/lib/postgresql: run `make deps` (installs postgresql-15-postgis-3) or set LANDATLAS_PG_BIN")
	}
	sort.Slice(matches, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[j]))))
		return vi > vj
	})
	return filepath.Dir(matches[0]), nil
}

// Installed says why no cluster can be started here (no PostgreSQL server programs), or nil.
func Installed() error {
	_, err := binDir()
	return err
}
