// Package httpapi is the HTTP face of landatlas: routing, authentication, errors and the
// handlers of the JSON API. Handlers get their dependencies explicitly from Server.
package httpapi

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"landatlas/internal/apperr"
	"landatlas/internal/ogcapi"
	"landatlas/internal/store"
	"landatlas/internal/studyapi"
	"landatlas/internal/tiles"
)

// Config is what the server needs from the outside.
type Config struct {
	DB      *pgxpool.Pool
	Log     *slog.Logger
	Version string
	// Web is the built front end (web/dist), or nil to serve the "how to build it" page.
	Web fs.FS
	// CORSOrigins lists origins allowed to call the API from a browser ("*" for any).
	CORSOrigins []string
	// Basemaps are the external base maps of the map's layer switch (ParseBasemaps); the map
	// falls back to our own layers without them.
	Basemaps []Basemap
	// GeocoderURL is an optional address geocoder (CheckGeocoderURL); the search box works without it.
	GeocoderURL string
	// TileCacheBytes sizes the in-memory vector tile cache.
	TileCacheBytes int64
	// Uploads holds the limits of district uploads.
	Uploads UploadConfig
}

// Server holds the dependencies the handlers share.
type Server struct {
	cfg       Config
	log       *slog.Logger
	registry  *prometheus.Registry
	metrics   *httpMetrics
	accounts  store.Accounts
	districts store.Districts
	features  *ogcapi.Service
	tiles     *tiles.Service
	uploads   *uploadService
	study     *studyapi.Service
}

var errBadAuthHeader = apperr.New(apperr.Unauthorized, `the Authorization header must be "Bearer <token>"`)

// New builds the HTTP handler of the service.
func New(cfg Config) (http.Handler, error) {
	if cfg.DB == nil || cfg.Log == nil {
		return nil, errors.New("httpapi: DB and Log are required")
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s := &Server{
		cfg:       cfg,
		log:       cfg.Log,
		registry:  reg,
		metrics:   newHTTPMetrics(reg),
		accounts:  store.Accounts{DB: cfg.DB},
		districts: store.Districts{DB: cfg.DB},
	}
	var err error
	if s.features, err = ogcapi.New(ogcapi.Config{DB: cfg.DB, Log: cfg.Log, Registry: reg, ExtraPaths: studyapi.OpenAPIPaths()}); err != nil {
		return nil, err
	}
	if s.tiles, err = tiles.New(tiles.Config{DB: cfg.DB, Log: cfg.Log, Registry: reg, CacheBytes: cfg.TileCacheBytes}); err != nil {
		return nil, err
	}
	if s.study, err = studyapi.New(studyapi.Config{DB: cfg.DB, Log: cfg.Log}); err != nil {
		return nil, err
	}
	s.uploads = newUploadService(cfg)
	return s.routes(), nil
}
