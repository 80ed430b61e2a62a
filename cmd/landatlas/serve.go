package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"landatlas/internal/httpapi"
	"landatlas/internal/store"
	"landatlas/web"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := parseServeConfig(fs, args, getenv)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, stdout, stderr)
}

// serve runs the HTTP server until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer) error {
	log := cfg.logger(stderr)
	db, err := openCurrentPool(ctx, cfg.DatabaseURL, cfg.PoolSize)
	if err != nil {
		return err
	}
	defer db.Close()
	var replicas []*pgxpool.Pool
	for i, u := range cfg.ReplicaURLs {
		// A replica that is down at start joins the rotation when it answers: the server starts.
		rp, err := store.OpenReplicaPool(u, cfg.PoolSize)
		if err != nil {
			return fmt.Errorf("LANDATLAS_DATABASE_REPLICA_URLS, replica %d: %w", i+1, err)
		}
		defer rp.Close()
		replicas = append(replicas, rp)
	}
	reg := prometheus.NewRegistry()
	handler, err := httpapi.New(httpapi.Config{
		DB: db, Replicas: replicas, ReplicaMaxLag: cfg.ReplicaLag, Log: log, Version: version, Web: web.Dist(),
		CORSOrigins: cfg.CORSOrigins, Basemaps: cfg.Basemaps, GeocoderURL: cfg.GeocoderURL, TileCacheBytes: cfg.tileCacheBytes(),
		Uploads: cfg.Uploads, BaseURL: cfg.BaseURL, Registry: reg, MetricsToken: cfg.MetricsToken,
		Timeouts: httpapi.DefaultTimeouts, Background: ctx, Enquiries: cfg.Enquiries, Jobs: ctx,
	})
	if err != nil {
		return err
	}
	// Listen first, so a taken port fails at once and not after start-up work.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (LANDATLAS_ADDR): %w", cfg.Addr, err)
	}
	srv := httpapi.DefaultTimeouts.HTTPServer(handler)
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (LANDATLAS_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", httpapi.MetricsHandler(reg))
		msrv := httpapi.DefaultTimeouts.HTTPServer(mux)
		go func() { _ = msrv.Serve(mln) }()
		defer msrv.Close()
		fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", mln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "landatlas %s serving on http://%s\n", version, ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "version", version)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Uploads being read in the background finish before the pool closes (deferred above), so
	// none is left half-read by a planned stop.
	log.Info("waiting for background uploads")
	handler.Wait()
	return nil
}
