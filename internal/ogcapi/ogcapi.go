// Package ogcapi serves the collections of the catalog as OGC API – Features: Part 1 (Core, GeoJSON,
// HTML, OpenAPI 3.0), Part 2 (coordinate reference systems by reference) and Part 3 (queryables,
// CQL2 filters), under /ogcapi.
//
// Choices where the standards leave room:
//
//   - datetime is the state of the data at that time. For an instant, parcels are taken from
//     their history as they were then; for an interval, every parcel that existed at some time in
//     it, in its latest state within the interval. A date without a time is the whole day (UTC).
//     Sites keep no history of their attributes: datetime selects the sites that existed then, as
//     they are now. The reference layers have no time and refuse datetime.
//   - Paging is keyset paging: next and prev links carry an opaque cursor holding the sort keys
//     of the page's last (or first) feature, so pages do not shift when data changes.
//     numberMatched is a true count in the same snapshot as the page.
//   - Features are built as JSON in PostgreSQL and streamed row by row to the client.
//   - ETags are weak and built from the data version (collection_versions), the request and
//     whether the reader sees internal records, so a repeated request answers 304.
//   - A bbox in a geographic CRS is clipped to the area of use of ETRS89 (Europe), where all
//     landatlas data lie, before it is transformed to the storage CRS.
//   - filter-lang also accepts "cql-text", the name GDAL before 3.7 sends for cql2-text.
package ogcapi

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"

	"landatlas/internal/query"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/catalog"
	"landatlas/internal/httpx"
	"landatlas/internal/openapi"
)

// Config is what the features service needs.
type Config struct {
	// DB is the pool, or the replica router (internal/dbroute) that reads where the request is bound.
	DB       query.DB
	Log      *slog.Logger
	Registry prometheus.Registerer
	// MoreOperations are the operations of the service's other APIs (paths from the host root),
	// documented in the one OpenAPI document with the features API's.
	MoreOperations []openapi.Operation
}

// Service answers the OGC API – Features requests under /ogcapi.
type Service struct {
	db  query.DB
	log *slog.Logger
	// moreOperations are the other APIs' operations (Config.MoreOperations).
	moreOperations []openapi.Operation
	pages          *template.Template
	// counts caches numberMatched by data version and query, so paging through a large result
	// counts it once.
	counts  *lru.Cache[string, int64]
	extents *lru.Cache[string, extent]
	metrics *metrics

	accentMu sync.Mutex
	accent   *bool // whether the database has unaccent (for CQL2 ACCENTI); nil until known
}

// root is the path of the OGC API under the service.
const root = "/ogcapi"

// queryTimeout bounds the database work of one request.
const queryTimeout = 2 * time.Minute

// New builds the service.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Log == nil {
		return nil, errors.New("ogcapi: DB and Log are required")
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("ogcapi: parse page templates: %w", err)
	}
	counts, _ := lru.New[string, int64](4096)
	extents, _ := lru.New[string, extent](64)
	return &Service{
		db: cfg.DB, log: cfg.Log, moreOperations: cfg.MoreOperations, pages: pages,
		counts: counts, extents: extents, metrics: newMetrics(cfg.Registry),
	}, nil
}

// metrics count what the service streams and how often counts come from the cache.
type metrics struct {
	features *prometheus.CounterVec
	counts   *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		features: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_ogcapi_features_total", Help: "Features served by the OGC API, by collection.",
		}, []string{"collection"}),
		counts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_ogcapi_count_total", Help: "numberMatched answers, by source (cache or query).",
		}, []string{"source"}),
	}
	if reg != nil {
		reg.MustRegister(m.features, m.counts)
	}
	return m
}

// request is what every handler first learns about a request.
type request struct {
	r        *http.Request
	root     string // absolute URL of the API root, e.g. http://host/ogcapi
	format   format
	internal bool // the reader sees internal records and properties
}

// begin checks the query parameters every handler shares and negotiates the format.
func (s *Service) begin(r *http.Request, allowed ...string) (*request, error) {
	if err := checkParams(r.URL.Query(), allowed, nil); err != nil {
		return nil, err
	}
	return s.newRequest(r)
}

func (s *Service) newRequest(r *http.Request) (*request, error) {
	f, err := negotiate(r)
	if err != nil {
		return nil, err
	}
	return &request{r: r, root: s.rootURL(r), format: f, internal: auth.FromContext(r.Context()).SeesInternal()}, nil
}

// rootURL is the absolute URL of /ogcapi (LANDATLAS_BASE_URL, or as the client reached it).
func (s *Service) rootURL(r *http.Request) string { return httpx.BaseURL(r) + root }

// collection finds the collection named in the path.
func collection(id string) (catalog.Collection, error) {
	c, ok := catalog.ByID(id)
	if !ok {
		return c, apperr.New(apperr.NotFound, "collection %q does not exist; the collections are %s", id, collectionIDs())
	}
	return c, nil
}

func collectionIDs() string {
	var ids []string
	for _, c := range catalog.Collections() {
		ids = append(ids, c.ID)
	}
	return joinAnd(ids)
}

// dbContext bounds a request's database work.
func dbContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), queryTimeout)
}
