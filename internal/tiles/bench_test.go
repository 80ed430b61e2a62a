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
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	dto "github.com/prometheus/client_model/go"

	"landatlas/internal/httpx"
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
	b.Cleanup(s.listener.Close)
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
		q, err := newRequest(s.layers["parcels"], false, nil, z, t.X, t.Y)
		if err != nil {
			b.Fatal(err)
		}
		reqs = append(reqs, q)
	}
	return reqs
}

// coldTargets are issue 18's targets for the p50 of a cold tile at 100,000 parcels, by zoom.
var coldTargets = map[int]float64{12: 20, 14: 5, 16: 2}

// BenchmarkTileCold builds parcel tiles without the cache, the way the first request after a write
// does, and runs the same SQL directly through pgx (the same batch, without the byte budget,
// compression and cache); it reports percentiles and tile sizes.
func BenchmarkTileCold(b *testing.B) {
	s, pool := benchService(b)
	ctx := context.Background()
	parcels := countParcels(b, pool)
	for _, z := range []int{8, 10, 12, 14, 16} {
		reqs := benchTiles(b, s, pool, z, 200)
		if z >= 10 {
			// The plan test's check, on the benchmark's data as it is.
			for _, q := range reqs[:10] {
				if err := checkTilePlan(pool, q, "SELECT 1"); err != nil {
					b.Fatalf("z%d tile %d/%d: %v", z, q.x, q.y, err)
				}
			}
		}
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
			p50, p99 := reportPercentiles(b, times)
			slices.Sort(sizes)
			b.ReportMetric(float64(sizes[len(sizes)/2]), "p50-bytes")
			b.ReportMetric(float64(sizes[len(sizes)-1]), "max-bytes")
			target := "no target"
			if t, ok := coldTargets[z]; ok {
				target = fmt.Sprintf("target <= %g ms", t)
			}
			b.Logf("cold z%d at %d parcels: p50 %.2f ms (%s), p99 %.2f ms, p50 %d bytes, max %d bytes (target: no larger than before)",
				z, parcels, p50, target, p99, sizes[len(sizes)/2], sizes[len(sizes)-1])
		})
		b.Run(fmt.Sprintf("z%d/pgx", z), func(b *testing.B) {
			var times []time.Duration
			for i := 0; b.Loop(); i++ {
				q := reqs[i%len(reqs)]
				sql, args := tileSQL(q, levels(q.layer, q.z)[0])
				start := time.Now()
				if _, _, err := s.queryTile(ctx, sql, args); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			reportPercentiles(b, times)
		})
	}
}

func countParcels(b *testing.B, pool *pgxpool.Pool) int {
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM parcels WHERE ended_at IS NULL`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// reportPercentiles reports and returns the p50 and p99 of times in milliseconds.
func reportPercentiles(b *testing.B, times []time.Duration) (p50, p99 float64) {
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	p50, p99 = ms(times[len(times)/2]), ms(times[len(times)*99/100])
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p99, "p99-ms")
	return p50, p99
}

// warmClients is the number of concurrent clients of BenchmarkTileWarm; warmTarget is issue 18's
// target for them.
const (
	warmClients = 4
	warmTarget  = 10000
)

// BenchmarkTileWarm requests cached parcel tiles through the HTTP handler over TCP from
// warmClients clients, as maps do when they pan over tiles they have seen, and reports tiles per
// second and the reads of the data version per request (0: answered from memory).
func BenchmarkTileWarm(b *testing.B) {
	s, pool := benchService(b)
	reqs := benchTiles(b, s, pool, 14, 200)
	r := chi.NewRouter()
	r.Use(httpx.Compress()) // the service's one Accept-Encoding rule decides gzip
	r.Get("/tiles/{collectionId}/{z}/{x}/{y}.mvt", s.Tile())
	srv := httptest.NewServer(r)
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		if _, ok := s.listener.Latest(); ok {
			break
		}
		if time.Since(start) > 30*time.Second {
			b.Fatal("the version listener did not connect in 30 s")
		}
	}
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
	var reads dto.Metric
	if err := s.metrics.versionReads.Write(&reads); err != nil {
		b.Fatal(err)
	}
	readsBefore := reads.GetCounter().GetValue()
	b.ResetTimer()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range warmClients {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				req, _ := http.NewRequest(http.MethodGet, urls[int(i)%len(urls)], nil)
				// Asked for explicitly, gzip is left to the caller to unpack, as a browser does on
				// its own machine; Go's client would otherwise spend the benchmark's CPU on it.
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
	}
	wg.Wait()
	b.StopTimer()
	perSecond := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(perSecond, "req/s")
	if err := s.metrics.versionReads.Write(&reads); err != nil {
		b.Fatal(err)
	}
	perRequest := (reads.GetCounter().GetValue() - readsBefore) / float64(b.N)
	b.ReportMetric(perRequest, "version-reads/op")
	b.Logf("warm z14 tiles at %d parcels: %.0f tiles/s with %d clients (target >= %d), %.3f version reads per tile",
		countParcels(b, pool), perSecond, warmClients, warmTarget, perRequest)
}
