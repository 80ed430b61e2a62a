package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"landatlas/internal/tiles"
)

func TestTileCacheSizeZeroTurnsTheCacheOff(t *testing.T) {
	for _, c := range []struct {
		mb   string
		want int64
	}{{"0", tiles.NoCache}, {"", 256 << 20}, {"64", 64 << 20}} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		env := map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_TILE_CACHE_MB": c.mb}
		cfg, err := parseServeConfig(fs, nil, func(k string) string { return env[k] })
		if err != nil {
			t.Fatalf("LANDATLAS_TILE_CACHE_MB=%q: %v", c.mb, err)
		}
		if got := cfg.tileCacheBytes(); got != c.want {
			t.Errorf("LANDATLAS_TILE_CACHE_MB=%q: tile cache of %d bytes, want %d", c.mb, got, c.want)
		}
	}
}

func TestReplicaSettings(t *testing.T) {
	for _, c := range []struct {
		urls, lag string
		want      int    // replicas
		err       string // the setting the error names
	}{
		{"", "", 0, ""},
		{"postgres://a/x, postgres://b/x,", "30s", 2, ""},
		{"postgres://a/x,://bad", "", 0, "LANDATLAS_DATABASE_REPLICA_URLS"},
		{"postgres://a/x", "10", 0, "LANDATLAS_REPLICA_MAX_LAG"},
		{"postgres://a/x", "100ms", 0, "LANDATLAS_REPLICA_MAX_LAG"},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		env := map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_DATABASE_REPLICA_URLS": c.urls, "LANDATLAS_REPLICA_MAX_LAG": c.lag}
		cfg, err := parseServeConfig(fs, nil, func(k string) string { return env[k] })
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q, %q: error %v, want one naming %s", c.urls, c.lag, err, c.err)
			}
		case err != nil:
			t.Errorf("%q, %q: %v", c.urls, c.lag, err)
		case len(cfg.ReplicaURLs) != c.want:
			t.Errorf("%q: %d replicas, want %d", c.urls, len(cfg.ReplicaURLs), c.want)
		}
	}
}
