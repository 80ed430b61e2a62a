package demo_test

import (
	"context"
	"os"
	"testing"

	"landatlas/internal/demo"
	"landatlas/internal/pgtest"
)

// BenchmarkLoad writes a generated data set of 100,000 parcels (with their sites, earlier states
// and constraint areas) into a fresh database with demo.Load: the bulk path of geometry from Go
// to PostGIS. Generating the data is not timed.
func BenchmarkLoad(b *testing.B) {
	if os.Getenv(pgtest.EnvURL) == "" && os.Getenv("LANDATLAS_BENCH_DATABASE_URL") != "" {
		b.Setenv(pgtest.EnvURL, os.Getenv("LANDATLAS_BENCH_DATABASE_URL"))
	}
	setup := pgtest.New(b, pgtest.Reference)
	munis, junctions, err := demo.Inputs(context.Background(), setup.Pool)
	if err != nil {
		b.Fatal(err)
	}
	d, err := demo.Generate(munis, junctions, demo.Options{Parcels: 100000, Seed: 1, Now: pgtest.DemoNow()})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db := pgtest.New(b, pgtest.Reference)
		b.StartTimer()
		if err := demo.Load(context.Background(), db.Pool, d, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		var n int
		db.QueryRow(b, `SELECT count(*) FROM parcels`).Scan(&n)
		if n != len(d.Parcels) {
			b.Fatalf("%d parcels after the load, want %d", n, len(d.Parcels))
		}
		db.Pool.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(d.Sites)+len(d.Parcels)+len(d.History)+len(d.Constraints)), "geometries")
}
