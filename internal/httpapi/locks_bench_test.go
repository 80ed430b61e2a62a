package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

// BenchmarkReadsDuringLongApply measures the latency of anonymous and editor reads on a pool of
// 4 connections, first with nothing else going on, then while an apply transaction of the same
// editor stays open for BENCH_APPLY_SECONDS (60 by default). It reports the median, the 99th
// percentile and the slowest read of both.
func BenchmarkReadsDuringLongApply(b *testing.B) {
	if os.Getenv(pgtest.EnvURL) == "" && os.Getenv("LANDATLAS_BENCH_DATABASE_URL") != "" {
		b.Setenv(pgtest.EnvURL, os.Getenv("LANDATLAS_BENCH_DATABASE_URL"))
	}
	hold := 60 * time.Second
	if s, err := strconv.Atoi(os.Getenv("BENCH_APPLY_SECONDS")); err == nil && s > 0 {
		hold = time.Duration(s) * time.Second
	}
	db := pgtest.New(b, pgtest.Reference)
	ctx := context.Background()
	pool, err := store.OpenPool(ctx, db.URL, 4)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	h, err := httpapi.New(httpapi.Config{DB: pool, Log: slog.New(slog.DiscardHandler),
		Uploads: httpapi.UploadConfig{TempDir: b.TempDir(), ApplyDelay: hold}})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	tok, hash, err := auth.NewToken()
	if err != nil {
		b.Fatal(err)
	}
	account, err := store.Accounts{DB: db.Pool}.Create(ctx, "Saalekreis GIS", auth.Editor, "15088", hash)
	if err != nil {
		b.Fatal(err)
	}
	editor := client{b, srv.URL, tok}
	_, _, hdr := editor.upload(parcelsFile(b, db, "15088", 50, "angeboten"), "v1.geojson", map[string]string{"district": "15088", "mode": "replace"})
	location := hdr.Get("Location")
	if u := editor.waitChecked(location); u["status"] != "ready" {
		b.Fatalf("upload: %v", u)
	}
	paths := []struct{ token, path string }{{"", "/api/v1/districts"}, {"", "/ogcapi/collections/parcels/items?limit=10"},
		{"", "/readyz"}, {tok, "/api/v1/districts"}, {tok, "/api/v1/uploads?district=15088"}}
	measure := func(d time.Duration) []time.Duration {
		var out []time.Duration
		for end := time.Now().Add(d); time.Now().Before(end); {
			for _, p := range paths {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+p.path, nil)
				if p.token != "" {
					req.Header.Set("Authorization", "Bearer "+p.token)
				}
				start := time.Now()
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: %v %v", p.path, err, resp)
				}
				resp.Body.Close()
				out = append(out, time.Since(start))
			}
		}
		slices.Sort(out)
		return out
	}
	report := func(name string, l []time.Duration) {
		b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, "ms-p50-"+name)
		b.ReportMetric(float64(l[len(l)*99/100].Microseconds())/1000, "ms-p99-"+name)
		b.ReportMetric(float64(l[len(l)-1].Microseconds())/1000, "ms-max-"+name)
		b.ReportMetric(float64(len(l)), "reads-"+name)
	}
	b.ResetTimer()
	report("idle", measure(hold/4))
	applied := make(chan struct{})
	go func() {
		defer close(applied)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+location+"/apply", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	waitIdleInTransaction(b, db)
	// The editor's token was last used long ago: the reads note its use while the apply holds its row.
	if _, err := db.Pool.Exec(ctx, `UPDATE accounts SET last_used_at = now() - interval '2 hours' WHERE id = $1`, account); err != nil {
		b.Fatal(err)
	}
	during := measure(hold - 2*time.Second)
	select {
	case <-applied:
		b.Fatal("the apply ended before the reads did")
	default:
	}
	report("apply", during)
	<-applied
}
