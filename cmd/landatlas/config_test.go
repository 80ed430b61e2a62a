package main

import (
	"flag"
	"io"
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
