package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"landatlas/internal/devdb"
	"landatlas/internal/store"
)

// runDev is `make run`: a project-local PostGIS (unless LANDATLAS_DATABASE_URL names one), the
// schema, the reference layers and the demo data on first start, then the server. Ctrl-C stops the
// server and the local cluster.
func runDev(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", ".data/dev", "directory of the local PostgreSQL cluster")
	port := fs.Int("db-port", 55432, "port of the local PostgreSQL cluster")
	parcels := fs.Int("parcels", 2500, "number of demo parcels to load into an empty database")
	cfg, err := parseServeConfig(fs, args, func(name string) string {
		if name == "LANDATLAS_DATABASE_URL" && getenv(name) == "" {
			return "local" // replaced below by the local cluster's URL
		}
		return getenv(name)
	})
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "local" {
		dir, err := filepath.Abs(*dataDir)
		if err != nil {
			return err
		}
		cluster := &devdb.Cluster{Dir: dir, Port: *port, Database: "landatlas", Log: stdout}
		if err := cluster.Start(ctx); err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := cluster.Stop(stopCtx); err != nil {
				fmt.Fprintln(stderr, "landatlas: stop local PostgreSQL:", err)
			}
		}()
		cfg.DatabaseURL = cluster.URL()
	}
	if err := prepare(ctx, cfg.DatabaseURL, *parcels, stdout, stderr); err != nil {
		return err
	}
	return serve(ctx, cfg, stdout, stderr)
}

// prepare migrates the database, refreshes the reference layers and loads the demo data into an
// empty database.
func prepare(ctx context.Context, url string, parcels int, stdout, stderr io.Writer) error {
	db, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	return seedData(ctx, db, true, parcels, 1, stdout, stderr)
}

func runDevDB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: landatlas devdb start|stop|url [-dir .data/dev] [-port 55432] [-fast] [-standby-of PORT]")
	}
	fs := flag.NewFlagSet("devdb "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("dir", ".data/dev", "directory of the cluster")
	port := fs.Int("port", 55432, "port of the cluster")
	name := fs.String("database", "landatlas", "database to create")
	fast := fs.Bool("fast", false, "no fsync: for throwaway test clusters")
	standbyOf := fs.Int("standby-of", 0, "make the cluster a streaming standby of the cluster on this local port (pg_basebackup -R)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return err
	}
	cluster := &devdb.Cluster{Dir: dir, Port: *port, Database: *name, Fast: *fast, PrimaryPort: *standbyOf, Log: stderr}
	switch args[0] {
	case "start":
		if err := cluster.Start(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, cluster.URL())
		return nil
	case "stop":
		return cluster.Stop(ctx)
	case "url":
		fmt.Fprintln(stdout, cluster.URL())
		return nil
	}
	return fmt.Errorf("unknown devdb command %q: use start, stop or url", args[0])
}
