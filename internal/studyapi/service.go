// Package studyapi serves the potential study under /api/v1/study: supply, take-up and reach,
// demand and balance, large sites, the explainable site search, nearby parcels, the constraint
// overlay, the parcels behind a figure, and stored study runs with their exports and printable
// report. Every endpoint takes the same scope, filter and as_of parameters and answers with what
// the reader may see: the public counts public parcels only.
package studyapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// Config is what the study service needs.
type Config struct {
	DB  *pgxpool.Pool
	Log *slog.Logger
	// Now is the clock ("today" for as_of); nil means time.Now.
	Now func() time.Time
}

// Service answers the study's requests.
type Service struct {
	store studystore.Store
	log   *slog.Logger
	now   func() time.Time
}

// New builds the service.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Log == nil {
		return nil, fmt.Errorf("studyapi: DB and Log are required")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: studystore.New(cfg.DB), log: cfg.Log, now: now}, nil
}

// selectionParams are the parameters every study endpoint takes.
var selectionParams = []string{"scope", "land", "district", "municipality", "polygon", "filter", "filter-lang", "as_of"}

// Query echoes what an answer was computed for.
type Query struct {
	Reader      string           `json:"reader"`
	AsOf        *time.Time       `json:"as_of"`
	Scope       study.Scope      `json:"scope"`
	Filter      string           `json:"filter,omitempty"`
	DataVersion map[string]int64 `json:"data_version"`
}

// request is a parsed study request: the selection and the raw parameters.
type request struct {
	sel    studystore.Selection
	values url.Values
}

// parse reads the selection of a request and refuses parameters the endpoint does not know, so a
// misspelt "distict=15088" is an error and not a silent answer for the whole region.
func (s *Service) parse(r *http.Request, extra ...string) (request, error) {
	v := r.URL.Query()
	allowed := append(slices.Clone(selectionParams), extra...)
	for name := range v {
		if !slices.Contains(allowed, name) {
			return request{}, apperr.New(apperr.Invalid, "%s: unknown parameter; this endpoint takes %s", name, strings.Join(allowed, ", "))
		}
	}
	scope, err := study.ParseScope(v.Get)
	if err != nil {
		return request{}, err
	}
	if lang := v.Get("filter-lang"); lang != "" && lang != "cql2-text" {
		return request{}, apperr.New(apperr.Invalid, "filter-lang: only cql2-text is accepted by the study endpoints")
	}
	asOf, err := study.ParseAsOf(v.Get("as_of"), s.now())
	if err != nil {
		return request{}, err
	}
	return request{values: v, sel: studystore.Selection{
		Internal: auth.FromContext(r.Context()).SeesInternal(), Scope: scope, Filter: v.Get("filter"), AsOf: asOf,
	}}, nil
}

// respond computes an answer on one snapshot of the data and writes {"query": ..., name: result},
// the query echo carrying the data version of that snapshot.
func (s *Service) respond(w http.ResponseWriter, r *http.Request, req request, name string, compute func(studystore.Store) (any, error)) {
	q := Query{Reader: "public", Scope: req.sel.Scope, Filter: req.sel.Filter}
	if req.sel.Internal {
		q.Reader = "internal"
	}
	if !req.sel.AsOf.IsZero() {
		q.AsOf = &req.sel.AsOf
	}
	var result any
	err := s.store.Snapshot(r.Context(), func(st studystore.Store) error {
		var err error
		if result, err = compute(st); err != nil {
			return err
		}
		q.DataVersion, err = st.DataVersion(r.Context(), req.sel.Internal)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	problem.JSON(w, "application/json", http.StatusOK, map[string]any{"query": q, name: result})
}

func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	problem.Write(w, r, s.log, err)
}

// number reads a float parameter with a default and an allowed range.
func number(v url.Values, name string, def, lo, hi float64) (float64, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < lo || f > hi {
		return 0, apperr.New(apperr.Invalid, "%s: give a number from %g to %g", name, lo, hi)
	}
	return f, nil
}

// integer reads an int parameter with a default and an allowed range.
func integer(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, apperr.New(apperr.Invalid, "%s: give a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

// page reads limit and offset.
func page(v url.Values, def, max int) (limit, offset int, err error) {
	if limit, err = integer(v, "limit", def, 1, max); err != nil {
		return 0, 0, err
	}
	offset, err = integer(v, "offset", 0, 0, 1_000_000)
	return limit, offset, err
}

// parcelsHref links the parcels behind a figure: our GeoJSON of the selection at the same date.
func parcelsHref(filter string, asOf string) string {
	v := url.Values{"filter": {filter}}
	if filter == "" {
		v = url.Values{}
	}
	if asOf != "" {
		v.Set("as_of", asOf)
	}
	return "/api/v1/study/parcels?" + v.Encode()
}

// itemsHref links the same parcels in the OGC API (current state only).
func itemsHref(filter string) string {
	v := url.Values{"filter-lang": {"cql2-text"}}
	if filter != "" {
		v.Set("filter", filter)
	}
	return "/ogcapi/collections/parcels/items?" + v.Encode()
}
