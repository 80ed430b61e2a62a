package importer_test

import (
	"bufio"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"landatlas/internal/importer"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// benchParcels is the size of the benchmark's upload (BENCH_UPLOAD_PARCELS to change).
func benchParcels() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_UPLOAD_PARCELS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// writeGridGeoPackage writes n parcels of Saalekreis as a GeoPackage in EPSG:25832: squares of
// 60 m on a 100 m grid, each inside one piece of the district, with the required attributes.
func writeGridGeoPackage(b *testing.B, db *pgtest.DB, dir string, n int) string {
	b.Helper()
	rows, err := db.Pool.Query(context.Background(), `
		WITH parts AS MATERIALIZED (SELECT ST_Subdivide(geom, 64) AS g FROM districts WHERE ags = '15088'),
		box AS (SELECT ST_Extent(g) AS e FROM parts),
		cells AS (
			SELECT ST_MakeEnvelope(x, y, x + 60, y + 60, 25832) AS g
			FROM box, generate_series(floor(ST_XMin(e))::int, ceil(ST_XMax(e))::int, 100) x,
			     generate_series(floor(ST_YMin(e))::int, ceil(ST_YMax(e))::int, 100) y
		)
		SELECT json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(c.g, 2)::json, 'properties', json_build_object(
			'kennung', 'B-' || row_number() OVER (), 'nutzungsart', (ARRAY['GE', 'GI', 'SO'])[1 + (row_number() OVER ()) % 3],
			'planungsrecht', 'rechtskräftig', 'verfuegbarkeit', 'sofort', 'status', 'angeboten', 'potenzialart', 'Baulücke',
			'eigentum', 'kommunal', 'oeffentlich', 'ja', 'preis_min', 20 + (row_number() OVER ()) % 30))::text
		FROM cells c WHERE EXISTS (SELECT 1 FROM parts p WHERE ST_CoveredBy(c.g, p.g))
		LIMIT $1`, n)
	if err != nil {
		b.Fatal(err)
	}
	seq := filepath.Join(dir, "grid.geojsonl")
	f, err := os.Create(seq)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	count := 0
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Fatal(err)
		}
		w.WriteString(line)
		w.WriteByte('\n')
		count++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	f.Close()
	if count != n {
		b.Fatalf("the district holds only %d grid squares, want %d", count, n)
	}
	gpkg := filepath.Join(dir, "grid.gpkg")
	ogr2ogr(b, "-f", "GPKG", "-a_srs", "EPSG:25832", "-nln", "flaechen", gpkg, seq)
	os.Remove(seq)
	return gpkg
}

// peakHeap samples the Go heap while a benchmark runs.
type peakHeap struct {
	peak atomic.Uint64
	stop chan struct{}
}

func watchHeap() *peakHeap {
	p := &peakHeap{stop: make(chan struct{})}
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse+m.StackInuse > p.peak.Load() {
				p.peak.Store(m.HeapInuse + m.StackInuse)
			}
			select {
			case <-p.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return p
}

// vmHWM reads the peak resident memory of this process from /proc/self/status, in bytes.
func vmHWM() uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkImportGeoPackage imports 100,000 parcels from a GeoPackage end to end: read through
// GDAL, check every rule, preview and apply, into a district of a fresh database. It reports the
// time of the whole and of its parts, the peak Go heap, the process's peak resident memory and
// ogr2ogr's. The targets are under 60 s and under 500 MB.
func BenchmarkImportGeoPackage(b *testing.B) {
	if os.Getenv(pgtest.EnvURL) == "" && os.Getenv("LANDATLAS_BENCH_DATABASE_URL") != "" {
		b.Setenv(pgtest.EnvURL, os.Getenv("LANDATLAS_BENCH_DATABASE_URL"))
	}
	n := benchParcels()
	dir := b.TempDir()
	setup := pgtest.New(b, pgtest.Reference)
	gpkg := writeGridGeoPackage(b, setup, dir, n)
	var total, check, apply time.Duration
	heap := watchHeap()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db := pgtest.New(b, pgtest.Reference)
		uploads := store.Uploads{DB: db.Pool}
		svc := importer.New(importer.Config{Uploads: uploads, TempDir: dir, Log: slog.New(slog.NewTextHandler(os.Stderr, nil))})
		up, err := uploads.Create(context.Background(), store.NewUpload{DistrictAGS: "15088", ChangedBy: "bench", Mode: upload.Replace, Filename: "grid.gpkg"})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.StartTimer()
		start := time.Now()
		u, err := svc.Process(context.Background(), up, gpkg, nil)
		if err != nil || u.Status != upload.Ready {
			b.Fatalf("import: %v %s %s", err, u.Status, u.Message)
		}
		checked := time.Now()
		if _, err := uploads.Apply(context.Background(), u.ID, nil, 0); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		check += checked.Sub(start)
		apply += time.Since(checked)
		b.StopTimer()
		var current int
		db.QueryRow(b, `SELECT count(*) FROM parcels WHERE ended_at IS NULL`).Scan(&current)
		if current != n {
			b.Fatalf("%d parcels after the import, want %d", current, n)
		}
		db.Pool.Close()
		b.StartTimer()
	}
	close(heap.stop)
	var children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	secs := total.Seconds() / float64(b.N)
	b.ReportMetric(secs, "s/import")
	b.ReportMetric(check.Seconds()/float64(b.N), "s-read+check+preview")
	b.ReportMetric(apply.Seconds()/float64(b.N), "s-apply")
	b.ReportMetric(float64(heap.peak.Load())/(1<<20), "MB-peak-heap")
	b.ReportMetric(float64(vmHWM())/(1<<20), "MB-peak-RSS")
	b.ReportMetric(float64(children.Maxrss)/1024, "MB-ogr2ogr-RSS")
	b.ReportMetric(float64(n), "parcels")
	if secs > 60 {
		b.Errorf("importing %d parcels took %.1f s, the target is under 60 s", n, secs)
	}
	if rss := vmHWM(); rss > 500<<20 {
		b.Errorf("peak resident memory %d MB, the target is under 500 MB", rss>>20)
	}
}
