package ogcapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"landatlas/internal/apperr"
	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/problem"
	"landatlas/internal/query"
)

// Items serves a page of a collection's features.
func (s *Service) Items() http.HandlerFunc { return problem.Handler(s.log, s.items) }

// Item serves one feature.
func (s *Service) Item() http.HandlerFunc { return problem.Handler(s.log, s.item) }

// items answers the items resource. Errors before the first byte of the body are returned; after
// it the response is cut off, so a client never takes a truncated page for a whole one.
func (s *Service) items(w http.ResponseWriter, r *http.Request) error {
	req, err := s.newRequest(r)
	if err != nil {
		return err
	}
	c, err := collection(chi.URLParam(r, "collectionId"))
	if err != nil {
		return err
	}
	q, err := s.parseItems(req, c)
	if err != nil {
		return err
	}
	ctx, cancel := dbContext(r)
	defer cancel()
	if q.sel.UsesAccent && !s.hasUnaccent(ctx) {
		return invalid("filter", "ACCENTI is not available on this server (the database lacks the unaccent extension)")
	}
	// One snapshot for the version, the count and the page: numberMatched is true for the page.
	return query.Snapshot(ctx, s.db, func(tx pgx.Tx) error { return s.itemsIn(ctx, tx, w, r, req, c, q) })
}

// itemsIn answers the items resource inside the snapshot transaction tx.
func (s *Service) itemsIn(ctx context.Context, tx pgx.Tx, w http.ResponseWriter, r *http.Request, req *request, c catalog.Collection, q *itemsQuery) error {
	version, err := query.Version(ctx, tx, c.DataVersions, req.internal)
	if err != nil {
		return err
	}
	etag := etagOf("items", strconv.FormatInt(version, 10), req.root, r.URL.Path, canonicalQuery(r), req.format.String(),
		strconv.FormatBool(req.internal))
	if done := s.preconditions(w, req, etag); done {
		return nil
	}
	matched, err := s.count(ctx, tx, q, version)
	if err != nil {
		return dbError(err)
	}
	w.Header().Set("Content-Crs", q.out.header())
	if req.format == formatHTML {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/geo+json")
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	// The HTML page says plainly when the data are made up; the extent knows (and is cached).
	synthetic := false
	if req.format == formatHTML {
		ext, err := s.extent(ctx, c, req.internal, version)
		if err != nil {
			return err
		}
		synthetic = ext.Synthetic
	}
	sql, args := q.pageSQL()
	rows, err := tx.Query(ctx, sql, append([]any{pageMode}, args...)...)
	if err != nil {
		return dbError(err)
	}
	defer rows.Close()
	// The first row is read before the status is sent, so that a query that fails at once is
	// answered with a problem document.
	more := rows.Next()
	if !more && rows.Err() != nil {
		return dbError(rows.Err())
	}
	page := &pageStream{rows: rows, more: more, keys: len(q.orderKeys()), props: q.props, limit: q.limit, cursor: q.cursor}
	w.WriteHeader(http.StatusOK)
	if req.format == formatHTML {
		err = s.writeItemsHTML(w, req, q, page, matched, synthetic)
	} else {
		err = writeItemsJSON(w, req, q, page, matched)
	}
	s.metrics.features.WithLabelValues(c.ID).Add(float64(page.returned))
	return err // after the status: problem.Handler cuts the response off
}

// count returns numberMatched. Counts are cached by data version and query, which makes paging
// through a large result cost one count; a write anywhere moves the version on.
func (s *Service) count(ctx context.Context, tx pgx.Tx, q *itemsQuery, version int64) (int64, error) {
	sql, args := q.countSQL()
	a, _ := json.Marshal(args)
	key := strconv.FormatInt(version, 10) + "\x00" + sql + "\x00" + string(a)
	if n, ok := s.counts.Get(key); ok {
		s.metrics.counts.WithLabelValues("cache").Inc()
		return n, nil
	}
	var n int64
	if err := tx.QueryRow(ctx, sql, append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&n); err != nil {
		return 0, err
	}
	s.counts.Add(key, n)
	s.metrics.counts.WithLabelValues("query").Inc()
	return n, nil
}

// dbError turns errors caused by the request's values into 400s: coordinates outside a CRS's
// area, and data exceptions (SQLSTATE class 22) such as a division by zero in a filter.
func dbError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch {
	case strings.HasPrefix(pe.Message, "transform:"):
		return apperr.New(apperr.Invalid, "a coordinate of bbox or filter lies outside the area where its CRS is defined (%s)", pe.Message)
	case strings.HasPrefix(pe.Code, "22"):
		return apperr.New(apperr.Invalid, "the request cannot be evaluated: %s", pe.Message)
	}
	return err
}

// item answers the single-feature resource. A feature the reader may not see is answered exactly
// like one that does not exist.
func (s *Service) item(w http.ResponseWriter, r *http.Request) error {
	req, err := s.begin(r, itemParams...)
	if err != nil {
		return err
	}
	c, err := collection(chi.URLParam(r, "collectionId"))
	if err != nil {
		return err
	}
	fid := chi.URLParam(r, "featureId")
	notFound := apperr.New(apperr.NotFound, "collection %s has no feature %q", c.ID, fid)
	q := &itemsQuery{coll: c, internal: req.internal}
	qv := r.URL.Query()
	if q.out, err = parseCRS("crs", param(qv, "crs")); err != nil {
		return err
	}
	if q.props, err = parseProperties(param(qv, "properties"), c, req.internal); err != nil {
		return err
	}
	q.args = &query.Args{}
	if q.sel, err = (query.Selection{Collection: c, Internal: req.internal}).Build(q.args); err != nil {
		return err
	}
	var id any = fid
	if c.IDType == cql2.Integer {
		n, err := strconv.ParseInt(fid, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != fid { // one URL per feature: no "007" or "+7"
			return notFound
		}
		id = n
	}
	ctx, cancel := dbContext(r)
	defer cancel()
	sql, args := q.itemSQL(id)
	feature, err := s.feature(ctx, q, sql, args)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Crs", q.out.header())
	self := req.root + "/collections/" + c.ID + "/items/" + urlPathEscape(fid)
	if req.format == formatHTML {
		return s.renderItemHTML(w, req, c, q, self, feature)
	}
	links := []link{
		{Href: withQuery(self, qv, "f", "json"), Rel: "self", Type: mediaGeoJSON, Title: "this feature"},
		{Href: withQuery(self, qv, "f", "html"), Rel: "alternate", Type: mediaHTML, Title: "this feature as HTML"},
		{Href: req.root + "/collections/" + c.ID + "?f=json", Rel: "collection", Type: mediaJSON, Title: c.Title},
	}
	lj, _ := json.Marshal(links)
	body := append(feature[:len(feature)-1:len(feature)-1], `,"links":`...)
	body = append(append(body, lj...), "}\n"...)
	return s.send(w, req, mediaGeoJSON, body)
}

// feature reads the one feature sql selects as GeoJSON, or pgx.ErrNoRows.
func (s *Service) feature(ctx context.Context, q *itemsQuery, sql string, args []any) ([]byte, error) {
	rows, err := s.db.Query(ctx, sql, append([]any{pageMode}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, pgx.ErrNoRows
	}
	f, err := featureJSON(nil, q.props, rows, 0)
	if err != nil {
		return nil, err
	}
	return f, rows.Err()
}
