// Package httpapi is the HTTP face of landatlas: routing, authentication, errors and the
// handlers of the JSON API. Handlers get their dependencies explicitly from Server.
package httpapi

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"landatlas/internal/apperr"
	"landatlas/internal/dbroute"
	"landatlas/internal/enquiryapi"
	"landatlas/internal/notify"
	"landatlas/internal/ogcapi"
	"landatlas/internal/store"
	"landatlas/internal/studyapi"
	"landatlas/internal/tiles"
)

// Config is what the server needs from the outside.
type Config struct {
	DB *pgxpool.Pool
	// Replicas are hot standbys of DB (LANDATLAS_DATABASE_REPLICA_URLS): the reads of the features
	// API, tiles, study and exports go to one in rotation (internal/dbroute).
	Replicas []*pgxpool.Pool
	// ReplicaMaxLag takes a replica out of rotation that lags more; 0 means dbroute.DefaultMaxLag.
	ReplicaMaxLag time.Duration
	Log           *slog.Logger
	Version       string
	// Web is the built front end (web/dist), or nil to serve the "how to build it" page.
	Web fs.FS
	// CORSOrigins lists origins allowed to call the API from a browser ("*" for any).
	CORSOrigins []string
	// Basemaps are the external base maps of the map's layer switch (ParseBasemaps); the map
	// falls back to our own layers without them.
	Basemaps []Basemap
	// GeocoderURL is an optional address geocoder (CheckGeocoderURL); the search box works without it.
	GeocoderURL string
	// TileCacheBytes sizes the in-memory vector tile cache: 0 for the default, tiles.NoCache for none.
	TileCacheBytes int64
	// Uploads holds the limits of district uploads.
	Uploads UploadConfig
	// BaseURL is the public scheme and host of the service behind a reverse proxy (e.g.
	// "https://landatlas.example.org"); links carry it. Empty: taken from each request.
	BaseURL string
	// Registry collects the metrics; nil makes one. Pass it to serve MetricsHandler elsewhere.
	Registry *prometheus.Registry
	// MetricsToken, when set, serves /metrics on the main address to its bearer; without it
	// /metrics is not served there.
	MetricsToken string
	// Timeouts bounds the reading of requests; the upload route gets Timeouts.Upload.
	Timeouts Timeouts
	// Background ends the server's background work (the sweep of interrupted uploads) when it is
	// done; nil runs it as long as the process.
	Background context.Context
	// Enquiries holds the settings of the demand side (issue 14).
	Enquiries enquiryapi.Settings
	// Jobs, when set, runs the scheduled jobs of the demand side (outbox, retention, reminders)
	// until it ends.
	Jobs context.Context
}

// Timeouts are the server's time limits. Reading a body gets Read on every route but the
// upload, which gets Upload: a client trickling a request ties up a connection only so long.
type Timeouts struct {
	ReadHeader, Read, Upload, Write, Idle time.Duration
}

// DefaultTimeouts are the limits serve runs with.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Upload:     10 * time.Minute, // large district files over slow lines
	Write:      5 * time.Minute,  // large streamed exports
	Idle:       2 * time.Minute,
}

// HTTPServer is an http.Server for h with the timeouts t.
func (t Timeouts) HTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write, IdleTimeout: t.Idle}
}

// Server holds the dependencies the handlers share.
type Server struct {
	cfg       Config
	log       *slog.Logger
	registry  *prometheus.Registry
	db        *dbroute.Router
	metrics   *httpMetrics
	accounts  store.Accounts
	districts store.Districts
	features  *ogcapi.Service
	tiles     *tiles.Service
	uploads   *uploadService
	study     *studyapi.Service
	router    chi.Router
	contacts  store.Contacts
	enquiries *enquiryapi.Service
}

var errBadAuthHeader = apperr.New(apperr.Unauthorized, `the Authorization header must be "Bearer <token>"`)

// New builds the HTTP handler of the service.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Log == nil {
		return nil, errors.New("httpapi: DB and Log are required")
	}
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	if cfg.Timeouts == (Timeouts{}) {
		cfg.Timeouts = DefaultTimeouts
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s := &Server{
		cfg:       cfg,
		log:       cfg.Log,
		registry:  reg,
		metrics:   newHTTPMetrics(reg),
		accounts:  store.Accounts{DB: cfg.DB},
		districts: store.Districts{DB: cfg.DB},
		contacts:  store.Contacts{DB: cfg.DB},
	}
	var err error
	if s.db, err = dbroute.New(cfg.DB, cfg.Replicas, dbroute.Options{MaxLag: cfg.ReplicaMaxLag, Log: cfg.Log, Registry: reg}); err != nil {
		return nil, err
	}
	background := cfg.Background
	if background == nil {
		background = context.Background()
	}
	go s.db.Run(background)
	if s.features, err = ogcapi.New(ogcapi.Config{DB: s.db, Log: cfg.Log, Registry: reg, MoreOperations: moreOperations()}); err != nil {
		return nil, err
	}
	// The data versions of the collections, heard of by LISTEN; the listener lives as long as the pool.
	versions := notify.Start(cfg.DB, cfg.Log, notify.Options{})
	if s.tiles, err = tiles.New(tiles.Config{DB: cfg.DB, Reads: s.db, Log: cfg.Log, Registry: reg, CacheBytes: cfg.TileCacheBytes, Versions: versions}); err != nil {
		return nil, err
	}
	if s.study, err = studyapi.New(studyapi.Config{DB: s.db, Log: cfg.Log}); err != nil {
		return nil, err
	}
	if s.enquiries, err = enquiryapi.New(enquiryapi.Config{DB: cfg.DB, Log: cfg.Log, Settings: cfg.Enquiries}); err != nil {
		return nil, err
	}
	if cfg.Jobs != nil {
		go s.enquiries.RunJobs(cfg.Jobs)
	}
	s.uploads = newUploadService(cfg)
	s.router = s.routes()
	return s, nil
}

// ServeHTTP answers a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Routes lists the routes, for documentation and its tests.
func (s *Server) Routes() chi.Routes { return s.router }

// Wait waits until the uploads being read or applied in the background have finished, so that a
// server shutting down closes its pool only after them.
func (s *Server) Wait() { s.uploads.importer.Wait() }
