package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"

	"landatlas/geodata"
	"landatlas/internal/demo"
	"landatlas/internal/geobuild"
	"landatlas/internal/store"
)

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("database-url", getenv("LANDATLAS_DATABASE_URL"), "PostgreSQL URL (LANDATLAS_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := store.Migrate(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema at migration %d of %d\n", st.Current, st.Expected)
	return nil
}

func runSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("database-url", getenv("LANDATLAS_DATABASE_URL"), "PostgreSQL URL (LANDATLAS_DATABASE_URL)")
	withDemo := fs.Bool("demo", false, "also load the synthetic demo data set (only into a database without parcels)")
	parcels := fs.Int("parcels", 2500, "number of demo parcels (1000000 for benchmarks)")
	seed := fs.Int64("seed", 1, "random seed of the demo generator: the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openCurrentDB(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	return seedData(ctx, db, *withDemo, *parcels, *seed, stdout, stderr)
}

// seedData refreshes the reference layers and, with withDemo, loads the demo data set into a
// database that holds no parcels yet; a database with parcels keeps them.
func seedData(ctx context.Context, db *pgxpool.Pool, withDemo bool, parcels int, seed int64, stdout, stderr io.Writer) error {
	if err := loadReference(ctx, db, stdout); err != nil {
		return err
	}
	if !withDemo {
		return nil
	}
	n, err := store.CountParcels(ctx, db)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(stdout, "database holds %d parcels: keeping them (demo data loads only into a database without parcels)\n", n)
		return nil
	}
	return loadDemo(ctx, db, parcels, seed, stdout, stderr)
}

func loadReference(ctx context.Context, db *pgxpool.Pool, stdout io.Writer) error {
	c, err := store.LoadReference(ctx, db, geodata.FS)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reference layers: %d districts, %d municipalities, %d infrastructure records\n",
		c.Districts, c.Municipalities, c.Infrastructure)
	return nil
}

// loadDemo generates the synthetic demo data set and loads it in bulk with a progress bar.
func loadDemo(ctx context.Context, db *pgxpool.Pool, parcels int, seed int64, stdout, stderr io.Writer) error {
	start := time.Now()
	munis, junctions, err := demo.Inputs(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generating %d synthetic demo parcels (seed %d)\n", parcels, seed)
	data, err := demo.Generate(munis, junctions, demo.Options{Parcels: parcels, Seed: seed, Now: time.Now().UTC()})
	if err != nil {
		return fmt.Errorf("generate demo data: %w", err)
	}
	bar := progressbar.NewOptions(1,
		progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("loading demo data"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
	err = demo.Load(ctx, db, data, func(done, total int) {
		bar.ChangeMax(total)
		_ = bar.Set(done)
	})
	_ = bar.Finish()
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	fmt.Fprintf(stdout, "demo data loaded: %d sites, %d parcels, %d earlier states, %d constraint areas in %s\n",
		len(data.Sites), len(data.Parcels), len(data.History), len(data.Constraints), time.Since(start).Round(time.Millisecond))
	return nil
}

func runGeodata(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "build" {
		return fmt.Errorf("usage: landatlas geodata build [-out geodata]")
	}
	fs := flag.NewFlagSet("geodata build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "geodata", "directory to write the layers to (holds infrastructure_manual.csv)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return geobuild.Build(ctx, *out, stdout)
}

func openDB(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return openPool(ctx, url, 0)
}

// openPool opens a pool of poolSize connections (0: the default, see store.Open).
func openPool(ctx context.Context, url string, poolSize int) (*pgxpool.Pool, error) {
	if url == "" {
		return nil, fmt.Errorf("LANDATLAS_DATABASE_URL is not set (or pass -database-url)")
	}
	return store.OpenPool(ctx, url, poolSize)
}

// openCurrentDB opens the database and refuses one whose schema is behind this binary, naming
// the command that fixes it.
func openCurrentDB(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return openCurrentPool(ctx, url, 0)
}

// openCurrentPool is openCurrentDB with a pool of poolSize connections, for the server.
func openCurrentPool(ctx context.Context, url string, poolSize int) (*pgxpool.Pool, error) {
	db, err := openPool(ctx, url, poolSize)
	if err != nil {
		return nil, err
	}
	if _, err := store.CheckSchema(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
