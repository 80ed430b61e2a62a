package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
	"github.com/paulmach/orb/maptile"

	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

// benchLikePlanner makes the test database's planner judge as it does on the benchmark's 100,000
// parcels, where it chose a parallel scan of the whole table for a z12 tile: parallel workers cost
// nothing to start or feed and any table is large enough for them.
const benchLikePlanner = `SELECT set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true),
	set_config('min_parallel_table_scan_size', '0', true), set_config('min_parallel_index_scan_size', '0', true)`

// planNode is the part of an EXPLAIN (FORMAT JSON) node the test reads.
type planNode struct {
	NodeType      string     `json:"Node Type"`
	RelationName  string     `json:"Relation Name"`
	IndexName     string     `json:"Index Name"`
	ParallelAware bool       `json:"Parallel Aware"`
	Plans         []planNode `json:"Plans"`
}

func (n planNode) walk(fn func(planNode)) {
	fn(n)
	for _, c := range n.Plans {
		c.walk(fn)
	}
}

// Parcel tiles read the parcels through their spatial index at every zoom of shapes and clusters,
// without parallel workers, even where the planner would find a parallel scan cheaper.
func TestTileQueriesReadParcelsThroughTheSpatialIndex(t *testing.T) {
	db := pgtest.New(t, pgtest.Demo)
	s, err := New(Config{DB: db.Pool, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []int{10, 12, 14, 16} {
		for _, internal := range []bool{false, true} {
			tile := maptile.At(orb.Point{12.2, 51.4}, maptile.Zoom(z))
			q, err := newRequest(s.layers["parcels"], internal, nil, z, tile.X, tile.Y)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkTilePlan(db.Pool, q, benchLikePlanner); err != nil {
				t.Errorf("z%d (internal %v): %v", z, internal, err)
			}
		}
	}
}

// checkTilePlan explains the tile query of q with tileSettings (after the settings of before)
// and says what is wrong unless it reads the parcels through their spatial index only, without
// a parallel plan.
func checkTilePlan(pool *pgxpool.Pool, q request, before string) error {
	ctx := context.Background()
	sql, args := tileSQL(q, levels(q.layer, q.z)[0])
	var plan []struct{ Plan planNode }
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		for _, set := range []string{before, tileSettings} {
			if _, err := tx.Exec(ctx, set); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&plan)
	})
	if err != nil || len(plan) != 1 {
		return fmt.Errorf("explain the tile query: %v", err)
	}
	var seqScans, indexScans []string
	parallel := false
	plan[0].Plan.walk(func(n planNode) {
		parallel = parallel || n.ParallelAware || strings.HasPrefix(n.NodeType, "Gather")
		switch {
		case n.RelationName == "parcels" && strings.Contains(n.NodeType, "Seq Scan"):
			seqScans = append(seqScans, n.NodeType)
		case strings.Contains(n.NodeType, "Index Scan") && strings.HasPrefix(n.IndexName, "parcels_") && strings.HasSuffix(n.IndexName, "geom_idx"):
			indexScans = append(indexScans, fmt.Sprintf("%s on %s", n.NodeType, n.IndexName))
		}
	})
	if len(indexScans) == 0 || len(seqScans) > 0 || parallel {
		return fmt.Errorf("parcels read by %v and %v, parallel %v; want the spatial index only, no parallel plan", indexScans, seqScans, parallel)
	}
	return nil
}

// Each layer of a tile names each attribute key once, also where the planner would read the
// tile in parallel (whose ST_AsMVT combine repeated every key once per worker: 30 keys for 10).
func TestTileLayersNameEachAttributeKeyOnce(t *testing.T) {
	db := pgtest.New(t, pgtest.Demo)
	ctx := context.Background()
	// New connections get the planner settings of benchLikePlanner as the database's defaults, and
	// the leader of a parallel plan leaves the rows to its workers, as it does on large tiles.
	if _, err := db.Pool.Exec(ctx, `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET parallel_setup_cost = 0', current_database());
		EXECUTE format('ALTER DATABASE %I SET parallel_tuple_cost = 0', current_database());
		EXECUTE format('ALTER DATABASE %I SET min_parallel_table_scan_size = 0', current_database());
		EXECUTE format('ALTER DATABASE %I SET min_parallel_index_scan_size = 0', current_database());
		EXECUTE format('ALTER DATABASE %I SET parallel_leader_participation = off', current_database()); END $$`); err != nil {
		t.Fatal(err)
	}
	pool, err := store.Open(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s, err := New(Config{DB: pool, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []int{8, 10, 12, 14} {
		tile := maptile.At(orb.Point{12.2, 51.4}, maptile.Zoom(z))
		q, err := newRequest(s.layers["parcels"], true, nil, z, tile.X, tile.Y)
		if err != nil {
			t.Fatal(err)
		}
		built, err := s.build(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if built.gzipped == nil {
			t.Fatalf("z%d: the tile of the region is empty", z)
		}
		zr, err := gzip.NewReader(bytes.NewReader(built.gzipped))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var vt vectortile.Tile
		if err := vt.Unmarshal(raw); err != nil {
			t.Fatalf("z%d: decode the tile: %v", z, err)
		}
		for _, l := range vt.Layers {
			keys := l.GetKeys()
			if distinct := slices.Compact(slices.Sorted(slices.Values(keys))); len(distinct) != len(keys) || len(keys) == 0 {
				t.Errorf("z%d: layer %s has %d attribute keys for %d distinct ones %v", z, l.GetName(), len(keys), len(distinct), distinct)
			}
		}
	}
}
