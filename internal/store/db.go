// Package store is the PostGIS adapter of landatlas: connecting, migrating, loading reference
// layers and the queries behind the service's endpoints. SQL lives here, next to the code that scans it.
package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/notify"
)

// DefaultPoolSize is how many connections a pool holds unless told otherwise. pgx's own default
// (4 on 2 cores, or the number of cores) runs dry as soon as a few requests wait on a slow query.
const DefaultPoolSize = 16

// Open connects a pool to the database at url and checks that it answers: OpenPool with the
// default size.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) { return OpenPool(ctx, url, 0) }

// OpenPool connects a pool of poolSize connections (0: pool_max_conns from the URL, else
// DefaultPoolSize) to the database at url and checks that it answers.
func OpenPool(ctx context.Context, url string, poolSize int) (*pgxpool.Pool, error) {
	cfg, err := poolConfig(url, poolSize)
	if err != nil {
		return nil, fmt.Errorf("LANDATLAS_DATABASE_URL is not a valid PostgreSQL URL: %w", err)
	}
	// Every connection hears of the commits made on it before the commit returns, so that caches
	// of data versions (the tiles') never serve a write of this process late.
	bind := notify.Prepare(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect database: %w", err)
	}
	bind(pool)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database at %s:%d does not answer: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return pool, nil
}

// OpenReplicaPool makes a pool of a read replica with the settings of OpenPool. It connects
// lazily and does not check that the replica answers: the replica router (internal/dbroute)
// keeps a replica that does not answer out of rotation until it does.
func OpenReplicaPool(url string, poolSize int) (*pgxpool.Pool, error) {
	cfg, err := poolConfig(url, poolSize)
	if err != nil {
		return nil, fmt.Errorf("not a valid PostgreSQL URL: %w", err)
	}
	return pgxpool.NewWithConfig(context.Background(), cfg)
}

func poolConfig(url string, poolSize int) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	switch {
	case poolSize > 0:
		cfg.MaxConns = int32(poolSize)
	case !strings.Contains(url, "pool_max_conns"):
		cfg.MaxConns = DefaultPoolSize
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "landatlas"
	// PostGIS functions carry high planner costs, which make PostgreSQL JIT-compile short spatial
	// queries: measured 0.3-4 s of compiling for queries that run in milliseconds.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	// Plans are made for each query's arguments. A generic plan of a prepared statement cannot see
	// a bounding box or a filter value: it guessed a handful of rows where a box held 22,000, and it
	// evaluates a transformed box or a CQL2 literal again for every row instead of once. Planning
	// the page query costs about 1 ms.
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	return cfg, nil
}
