// Package studyapi serves the potential study under /api/v1/study: supply, take-up and reach,
// demand and balance, large sites, the explainable site search, nearby parcels, the constraint
// overlay, the parcels behind a figure, and stored study runs with their exports and printable
// report. Every endpoint takes the same scope, filter and as_of parameters and answers with what
// the reader may see: the public counts public parcels only.
package studyapi

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"landatlas/internal/query"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/enquirystore"
	"landatlas/internal/httpx"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// Config is what the study service needs.
type Config struct {
	DB  query.DB // the pool, or the replica router
	Log *slog.Logger
	// Now is the clock ("today" for as_of); nil means time.Now.
	Now func() time.Time
}

// Service answers the study's requests.
type Service struct {
	store studystore.Store
	// enquiries are the demand side's store, for the balance's demand from enquiries.
	enquiries enquirystore.Store
	log       *slog.Logger
	now       func() time.Time
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
	return &Service{store: studystore.New(cfg.DB), enquiries: enquirystore.Store{DB: cfg.DB}, log: cfg.Log, now: now}, nil
}

// selectionParams are the parameters every study endpoint takes.
var selectionParams = []string{"scope", "land", "district", "municipality", "polygon", "filter", "filter-lang", "filter-crs", "as_of"}

// Query echoes what an answer was computed for.
type Query struct {
	Reader      string           `json:"reader"`
	AsOf        *time.Time       `json:"as_of"`
	Scope       study.Scope      `json:"scope"`
	Filter      string           `json:"filter,omitempty"`
	FilterCRS   string           `json:"filter_crs,omitempty"`
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
	if err := httpx.CheckParams(v, append(slices.Clone(selectionParams), extra...), nil, ""); err != nil {
		return request{}, err
	}
	scope, err := study.ParseScope(v.Get)
	if err != nil {
		return request{}, err
	}
	if lang := v.Get("filter-lang"); lang != "" && lang != "cql2-text" {
		return request{}, apperr.New(apperr.Invalid, "filter-lang: only cql2-text is accepted by the study endpoints")
	}
	filterCRS, err := study.ParseFilterCRS(v.Get("filter-crs"), scope)
	if err != nil {
		return request{}, err
	}
	asOf, err := study.ParseAsOf(v.Get("as_of"), s.now())
	if err != nil {
		return request{}, err
	}
	return request{values: v, sel: studystore.Selection{
		Internal: auth.FromContext(r.Context()).SeesInternal(), Scope: scope, Filter: v.Get("filter"), FilterCRS: filterCRS, AsOf: asOf,
	}}, nil
}

// respond computes an answer on one snapshot of the data and writes {"query": ..., name: result},
// the query echo carrying the data version of that snapshot.
func (s *Service) respond(w http.ResponseWriter, r *http.Request, req request, name string, compute func(studystore.Store) (any, error)) error {
	q := Query{Reader: "public", Scope: req.sel.Scope, Filter: req.sel.Filter, FilterCRS: req.values.Get("filter-crs")}
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
		return err
	}
	b, err := json.Marshal(map[string]any{"query": q, name: result})
	if err != nil {
		return fmt.Errorf("encode the %s answer: %w", name, err)
	}
	httpx.SendCached(w, r, "application/json", append(b, '\n'), req.sel.Internal)
	return nil
}

// page reads limit and offset.
func page(v url.Values, def, max int) (limit, offset int, err error) {
	if limit, err = httpx.Integer(v, "limit", def, 1, max); err != nil {
		return 0, 0, err
	}
	offset, err = httpx.Integer(v, "offset", 0, 0, 1_000_000)
	return limit, offset, err
}

// parcelsHref links the parcels behind a figure: our GeoJSON of the selection at the same date.
func parcelsHref(filter, filterCRS, asOf string) string {
	v := url.Values{}
	if filter != "" {
		v.Set("filter", filter)
		if filterCRS != "" {
			v.Set("filter-crs", filterCRS)
		}
	}
	if asOf != "" {
		v.Set("as_of", asOf)
	}
	return "/api/v1/study/parcels?" + v.Encode()
}

// itemsHref links the same parcels in the OGC API (current state only).
func itemsHref(filter, filterCRS string) string {
	v := url.Values{"filter-lang": {"cql2-text"}}
	if filter != "" {
		v.Set("filter", filter)
		if filterCRS != "" {
			v.Set("filter-crs", filterCRS)
		}
	}
	return "/ogcapi/collections/parcels/items?" + v.Encode()
}
