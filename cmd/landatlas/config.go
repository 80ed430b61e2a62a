package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/dbroute"
	"landatlas/internal/enquiryapi"
	"landatlas/internal/httpapi"
	"landatlas/internal/store"
	"landatlas/internal/tiles"
)

// serveConfig is the validated configuration of the server: LANDATLAS_* variables, overridden by flags.
type serveConfig struct {
	DatabaseURL  string
	ReplicaURLs  []string      // hot standbys of DatabaseURL, for reads
	ReplicaLag   time.Duration // a replica lagging more is out of rotation
	PoolSize     int
	Addr         string
	LogLevel     slog.Level
	LogFormat    string
	CORSOrigins  []string
	Basemaps     []httpapi.Basemap
	GeocoderURL  string
	TileCacheMB  int // 0: no tile cache
	Uploads      httpapi.UploadConfig
	BaseURL      string
	MetricsAddr  string
	MetricsToken string
	Enquiries    enquiryapi.Settings
}

// parseServeConfig reads the environment and flags and says which setting is wrong, by name.
func parseServeConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (serveConfig, error) {
	c := serveConfig{}
	fs.StringVar(&c.DatabaseURL, "database-url", getenv("LANDATLAS_DATABASE_URL"), "PostgreSQL URL (LANDATLAS_DATABASE_URL)")
	fs.StringVar(&c.Addr, "addr", envOr(getenv, "LANDATLAS_ADDR", "127.0.0.1:8080"), "listen address (LANDATLAS_ADDR)")
	level := fs.String("log-level", envOr(getenv, "LANDATLAS_LOG_LEVEL", "info"), "debug, info, warn or error (LANDATLAS_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", envOr(getenv, "LANDATLAS_LOG_FORMAT", "text"), "text or json (LANDATLAS_LOG_FORMAT)")
	cors := fs.String("cors-origins", getenv("LANDATLAS_CORS_ORIGINS"), "comma-separated origins allowed by CORS, or * (LANDATLAS_CORS_ORIGINS)")
	basemaps := fs.String("basemap-style", getenv("LANDATLAS_BASEMAP_STYLE"), "base maps of the layer switch: empty for basemap.de, off, a style URL, or map=URL,grey=URL,aerial=URL (LANDATLAS_BASEMAP_STYLE)")
	fs.StringVar(&c.GeocoderURL, "geocoder-url", getenv("LANDATLAS_GEOCODER_URL"), "optional address geocoder, a URL with {q} answering GeoJSON (LANDATLAS_GEOCODER_URL)")
	cacheMB := fs.String("tile-cache-mb", envOr(getenv, "LANDATLAS_TILE_CACHE_MB", "256"), "size of the in-memory vector tile cache in MB, 0 for none (LANDATLAS_TILE_CACHE_MB)")
	fs.StringVar(&c.BaseURL, "base-url", getenv("LANDATLAS_BASE_URL"), "public scheme and host for links behind a reverse proxy, e.g. https://landatlas.example.org (LANDATLAS_BASE_URL)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", getenv("LANDATLAS_METRICS_ADDR"), "separate listen address of /metrics (LANDATLAS_METRICS_ADDR)")
	fs.StringVar(&c.MetricsToken, "metrics-token", getenv("LANDATLAS_METRICS_TOKEN"), "bearer token that reads /metrics on the main address (LANDATLAS_METRICS_TOKEN)")
	replicas := fs.String("database-replica-urls", getenv("LANDATLAS_DATABASE_REPLICA_URLS"), "comma-separated PostgreSQL URLs of hot standbys that serve the reads of features, tiles, study and exports (LANDATLAS_DATABASE_REPLICA_URLS)")
	replicaLag := fs.String("replica-max-lag", envOr(getenv, "LANDATLAS_REPLICA_MAX_LAG", dbroute.DefaultMaxLag.String()), "a replica further behind the primary is out of rotation, e.g. 10s (LANDATLAS_REPLICA_MAX_LAG)")
	poolSize := fs.String("db-pool-size", envOr(getenv, "LANDATLAS_DB_POOL_SIZE", strconv.Itoa(store.DefaultPoolSize)), "database connections the server holds at most (LANDATLAS_DB_POOL_SIZE)")
	uploads := uploadFlags(fs, getenv)
	enquiries := enquiryFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	var err error
	if c.Uploads, err = uploads(); err != nil {
		return c, err
	}
	if c.Enquiries, err = enquiries(); err != nil {
		return c, err
	}
	n, err := strconv.Atoi(*cacheMB)
	if err != nil || n < 0 {
		return c, fmt.Errorf("LANDATLAS_TILE_CACHE_MB %q: give a whole number of megabytes, or 0 for no cache", *cacheMB)
	}
	c.TileCacheMB = n
	if c.PoolSize, err = strconv.Atoi(*poolSize); err != nil || c.PoolSize < 2 || c.PoolSize > 1000 {
		return c, fmt.Errorf("LANDATLAS_DB_POOL_SIZE %q: give a whole number of connections from 2 to 1000", *poolSize)
	}
	for _, u := range strings.Split(*replicas, ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if _, err := pgxpool.ParseConfig(u); err != nil {
			return c, fmt.Errorf("LANDATLAS_DATABASE_REPLICA_URLS: replica %d is not a valid PostgreSQL URL: give comma-separated URLs, e.g. postgres://user@standby:5432/landatlas", len(c.ReplicaURLs)+1)
		}
		c.ReplicaURLs = append(c.ReplicaURLs, u)
	}
	if c.ReplicaLag, err = time.ParseDuration(*replicaLag); err != nil || c.ReplicaLag < time.Second {
		return c, fmt.Errorf("LANDATLAS_REPLICA_MAX_LAG %q: give a duration of at least 1s, e.g. 10s", *replicaLag)
	}
	if c.Basemaps, err = httpapi.ParseBasemaps(*basemaps); err != nil {
		return c, err
	}
	if err := httpapi.CheckGeocoderURL(c.GeocoderURL); err != nil {
		return c, err
	}
	if c.DatabaseURL == "" {
		return c, fmt.Errorf("LANDATLAS_DATABASE_URL is not set: give the PostgreSQL URL, e.g. postgres://user@host:5432/landatlas")
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return c, fmt.Errorf("LANDATLAS_ADDR %q is not host:port: %w", c.Addr, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return c, fmt.Errorf("LANDATLAS_LOG_LEVEL %q: use debug, info, warn or error", *level)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("LANDATLAS_LOG_FORMAT %q: use text or json", c.LogFormat)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return c, fmt.Errorf("LANDATLAS_BASE_URL %q: give the scheme and host the public reaches the service at, e.g. https://landatlas.example.org", c.BaseURL)
		}
		c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return c, fmt.Errorf("LANDATLAS_METRICS_ADDR %q is not host:port: %w", c.MetricsAddr, err)
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return c, fmt.Errorf("LANDATLAS_METRICS_TOKEN is too short: give at least 16 characters (e.g. openssl rand -hex 16)")
	}
	for _, o := range strings.Split(*cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	return c, nil
}

func (c serveConfig) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(httpapi.RequestLogHandler{Handler: h})
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// tileCacheBytes is the size of the tile cache as httpapi takes it.
func (c serveConfig) tileCacheBytes() int64 {
	if c.TileCacheMB == 0 {
		return tiles.NoCache
	}
	return int64(c.TileCacheMB) << 20
}
