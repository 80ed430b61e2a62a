package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/catalog"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
	"landatlas/internal/query"
	"landatlas/internal/region"
)

// ContentType is the media type of a vector tile.
const ContentType = "application/vnd.mapbox-vector-tile"

// Cache lifetimes for clients: a URL that names the current data version never changes its
// answer; any other must be revalidated (cheaply, by ETag) so that no browser shows old data.
const (
	cacheVersioned   = "max-age=31536000, immutable"
	cacheUnversioned = "no-cache"
)

// Tile serves one vector tile.
func (s *Service) Tile() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, askedVersion, err := s.parseTile(r)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		version, err := s.dataVersion(r.Context(), q.layer, q.internal)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		k := q.key(version)
		versioned := askedVersion == strconv.FormatInt(version, 10)
		if httpx.ETagMatches(r.Header.Get("If-None-Match"), k.etag()) {
			setCaching(w.Header(), q.internal, versioned, k.etag())
			w.WriteHeader(http.StatusNotModified)
			return
		}
		t, err := s.tile(r.Context(), q, k)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		// A tile read on a lagging replica is of an older version than the URL names: it is not
		// the immutable answer for that URL.
		setCaching(w.Header(), q.internal, versioned && t.version == version, t.etag)
		s.writeTile(w, r, t)
	}
}

// tile returns a tile from the cache or builds it.
func (s *Service) tile(ctx context.Context, q request, k tileKey) (*tile, error) {
	if t, ok := s.cache.get(k); ok {
		s.metrics.hits.WithLabelValues(q.layer.ID).Inc()
		return t, nil
	}
	s.metrics.misses.WithLabelValues(q.layer.ID).Inc()
	return s.builds.do(ctx, k, func(ctx context.Context) (*tile, error) { return s.build(ctx, q) })
}

// setCaching tells browsers and CDNs how long they may keep a tile: for good if the URL names the
// current data version, else only until they have checked its ETag. Tiles of signed-in readers
// show internal data and stay private to the browser.
func setCaching(h http.Header, internal, versioned bool, etag string) {
	scope := "public, "
	if internal {
		scope = "private, "
	}
	lifetime := cacheUnversioned
	if versioned {
		lifetime = cacheVersioned
	}
	h.Set("Cache-Control", scope+lifetime)
	h.Add("Vary", "Authorization")
	h.Add("Vary", "Accept-Encoding")
	h.Set("ETag", etag)
}

// writeTile answers with a tile: 204 for one without features, gzip-compressed where the client
// takes it.
func (s *Service) writeTile(w http.ResponseWriter, r *http.Request, t *tile) {
	h := w.Header()
	if t.gzipped == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	h.Set("Content-Type", ContentType)
	if httpx.AcceptsGzip(w) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(t.gzipped)))
		_, _ = w.Write(t.gzipped)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(t.gzipped))
	if err != nil {
		h.Del("Cache-Control")
		problem.Write(w, r, s.log, fmt.Errorf("read cached tile: %w", err))
		return
	}
	h.Set("Content-Length", strconv.Itoa(t.size))
	_, _ = io.Copy(w, zr)
}

// parseTile reads a tile request: the collection, z/x/y, the filter and the reader's role. It
// returns the data version the URL names ("" for none) too.
func (s *Service) parseTile(r *http.Request) (request, string, error) {
	c, err := s.layer(chi.URLParam(r, "collectionId"))
	if err != nil {
		return request{}, "", err
	}
	q := request{layer: c, internal: auth.FromContext(r.Context()).SeesInternal()}
	if q.z, q.x, q.y, err = parseZXY(chi.URLParam(r, "z"), chi.URLParam(r, "x"), chi.URLParam(r, "y")); err != nil {
		return request{}, "", err
	}
	if q.selected, err = s.selection(r, c, q.internal); err != nil {
		return request{}, "", err
	}
	v := r.URL.Query().Get("v")
	if v != "" {
		if _, err := strconv.ParseUint(v, 10, 63); err != nil {
			return request{}, "", apperr.New(apperr.Invalid, "v=%q: v is the data version the TileJSON's tiles URL carries, a whole number", v)
		}
	}
	return q, v, nil
}

// layer finds a collection by the id in the path.
func (s *Service) layer(id string) (catalog.Collection, error) {
	c, ok := s.layers[id]
	if !ok {
		var ids []string
		for _, c := range catalog.Collections() {
			ids = append(ids, c.ID)
		}
		return catalog.Collection{}, apperr.New(apperr.NotFound, "no collection %q: tiles are served for %s", id, strings.Join(ids, ", "))
	}
	return c, nil
}

// parseZXY checks tile coordinates: z from 0 to MaxZoom, x and y from 0 to 2^z - 1.
func parseZXY(zs, xs, ys string) (z int, x, y uint32, err error) {
	zz, zerr := strconv.ParseUint(zs, 10, 8)
	if zerr != nil || zz > MaxZoom {
		return 0, 0, 0, apperr.New(apperr.Invalid, "zoom %q: give a whole number from 0 to %d", zs, MaxZoom)
	}
	n := uint64(1) << zz
	xx, xerr := strconv.ParseUint(xs, 10, 32)
	yy, yerr := strconv.ParseUint(ys, 10, 32)
	if xerr != nil || yerr != nil || xx >= n || yy >= n {
		return 0, 0, 0, apperr.New(apperr.Invalid, "tile %s/%s/%s: at zoom %d, x and y are whole numbers from 0 to %d", zs, xs, ys, zz, n-1)
	}
	return int(zz), uint32(xx), uint32(yy), nil
}

// selection asks the query core for the features of a tile request: the collection as the reader
// may see it, with the filter parameter (CQL2 text) compiled against what the reader may query, as
// for the features API: a filter on a property the reader may not see is an error. A selection
// once built is kept for the following tiles of the same request (errors are not).
func (s *Service) selection(r *http.Request, c catalog.Collection, internal bool) (*selected, error) {
	q := r.URL.Query()
	k := selectionKey{collection: c.ID, internal: internal, lang: q.Get("filter-lang"), filter: q.Get("filter"), crs: q.Get("filter-crs")}
	if sel, ok := s.selections.Get(k); ok {
		return sel, nil
	}
	if k.lang != "" && k.lang != "cql2-text" {
		return nil, apperr.New(apperr.Invalid, "parameter filter-lang: %q: tiles take filters in cql2-text only", k.lang)
	}
	f, err := query.ParseText("filter", k.filter)
	if err != nil {
		return nil, err
	}
	if f != nil {
		c, ok := region.ParseCRS(k.crs)
		if !ok {
			return nil, apperr.New(apperr.Invalid, "parameter filter-crs: %q is not a supported CRS; use one of %s",
				k.crs, strings.Join(region.CRSURIs(), ", "))
		}
		f.SRID, f.LatLon = c.SRID, c.LatLon
	}
	sel, err := selectFeatures(c, internal, f)
	if err != nil {
		return nil, err
	}
	s.selections.Add(k, sel)
	return sel, nil
}

// selectionKey is what a tile request asks for besides its coordinates.
type selectionKey struct {
	collection        string
	internal          bool
	lang, filter, crs string
}

// newRequest is a request for tile z/x/y of a collection as a reader sees it, filtered by f (nil
// for none).
func newRequest(c catalog.Collection, internal bool, f *query.Filter, z int, x, y uint32) (request, error) {
	sel, err := selectFeatures(c, internal, f)
	return request{layer: c, z: z, x: x, y: y, internal: internal, selected: sel}, err
}

// selectFeatures asks the query core for a collection's current features as a reader may see
// them, filtered by f (nil for none).
func selectFeatures(c catalog.Collection, internal bool, f *query.Filter) (*selected, error) {
	a := &query.Args{}
	sel, err := query.Selection{Collection: c, Internal: internal, Filters: []*query.Filter{f}}.Build(a)
	if err != nil {
		return nil, err
	}
	return &selected{sel: sel, args: a}, nil
}
