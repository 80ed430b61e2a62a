package tiles

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	dto "github.com/prometheus/client_model/go"

	"landatlas/internal/store"
)

// The benchmarks read LANDATLAS_BENCH_DATABASE_URL: `make bench` prepares a database with 100,000
// demo parcels (BENCH_PARCELS for another number) and sets it.
const benchEnv = "LANDATLAS_BENCH_DATABASE_URL"

func benchService(b *testing.B) (*Service, *pgxpool.Pool) {
	b.Helper()
	url := os.Getenv(benchEnv)
	if url == "" {
		b.Skipf("%s is not set: `make bench` prepares a database with demo parcels and sets it", benchEnv)
	}
	pool, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	s, err := New(Config{DB: pool, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	return s, pool
}

// benchTiles returns n tiles at zoom z, each holding a parcel drawn at random from those between
// Halle and Leipzig, where the demo data is densest: what a map of the region asks for.
func benchTiles(b *testing.B, s *Service, pool *pgxpool.Pool, z, n int) []request {
	b.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT ST_X(p), ST_Y(p) FROM (
			SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM parcels
			WHERE ended_at IS NULL AND geom && ST_Transform(ST_MakeEnvelope(11.85, 51.25, 12.55, 51.55, 4326), 25832)
			ORDER BY hashint8(id) LIMIT $1) x`, n)
	if err != nil {
		b.Fatal(err)
	}
	points, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (orb.Point, error) {
		var p orb.Point
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil || len(points) == 0 {
		b.Fatalf("no parcels between Halle and Leipzig to benchmark with (%v)", err)
	}
	var reqs []request
	for _, p := range points {
		t := maptile.At(p, maptile.Zoom(z))
		reqs = append(reqs, request{layer: s.layers["parcels"], z: z, x: t.X, y: t.Y})
	}
	return reqs
}

// BenchmarkTileCold builds parcel tiles without the cache, the way the first request after a write
// does, and runs the same SQL directly through pgx (in the same transaction, without the byte
// budget, compression and cache); it reports percentiles and tile sizes.
func BenchmarkTileCold(b *testing.B) {
	s, pool := benchService(b)
	ctx := context.Background()
	for _, z := range []int{8, 11, 14, 16} {
		reqs := benchTiles(b, s, pool, z, 200)
		b.Run(fmt.Sprintf("z%d/build", z), func(b *testing.B) {
			var times []time.Duration
			var sizes []int
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				t, err := s.build(ctx, reqs[i%len(reqs)])
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				sizes = append(sizes, t.size)
			}
			reportPercentiles(b, times)
			slices.Sort(sizes)
			b.ReportMetric(float64(sizes[len(sizes)/2]), "p50-bytes")
			b.ReportMetric(float64(sizes[len(sizes)-1]), "max-bytes")
		})
		b.Run(fmt.Sprintf("z%d/pgx", z), func(b *testing.B) {
			var times []time.Duration
			for i := 0; b.Loop(); i++ {
				q := reqs[i%len(reqs)]
				sql, args := tileSQL(q, levels(q.layer, q.z)[0])
				start := time.Now()
				var version int64
				var mvt []byte
				err := s.inTileTx(ctx, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql, unnamed(args)...).Scan(&version, &mvt) })
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			reportPercentiles(b, times)
		})
	}
}

func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[len(times)*99/100]), "p99-ms")
}

// BenchmarkTileWarm requests cached parcel tiles through the HTTP handler over TCP, as a map does
// when it pans over tiles it has seen, and reports requests per second.
func BenchmarkTileWarm(b *testing.B) {
	s, pool := benchService(b)
	reqs := benchTiles(b, s, pool, 14, 200)
	r := chi.NewRouter()
	r.Get("/tiles/{collectionId}/{z}/{x}/{y}.mvt", s.Tile())
	srv := httptest.NewServer(r)
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var urls []string
	for _, q := range reqs {
		u := fmt.Sprintf("%s/tiles/parcels/%d/%d/%d.mvt", srv.URL, q.z, q.x, q.y)
		if resp, err := client.Get(u); err != nil || resp.StatusCode >= 300 {
			b.Fatalf("warm %s: %v %v", u, resp, err)
		} else {
			resp.Body.Close()
		}
		urls = append(urls, u)
	}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			req, _ := http.NewRequest(http.MethodGet, urls[i%len(urls)], nil)
			// Asked for explicitly, gzip is left to the caller to unpack, as a browser does on its
			// own machine; Go's client would otherwise spend the benchmark's CPU on it.
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	var reads dto.Metric
	if err := s.metrics.versionReads.Write(&reads); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(reads.GetCounter().GetValue()/float64(b.N), "version-reads/op")
}
