package tiles

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/auth"
	"landatlas/internal/catalog"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
)

// tileJSON is a TileJSON 3.0.0 document (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0).
type tileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Attribution  string        `json:"attribution,omitempty"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []vectorLayer `json:"vector_layers"`
}

type vectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// layerMeta holds the facts of a TileJSON document that take a query, for the data versions they
// were read at.
type layerMeta struct {
	version, regionVersion int64
	bounds                 [4]float64 // the region, west, south, east, north in WGS84
	synthetic              bool       // the collection holds synthetic demo data
}

// TileJSON serves the TileJSON 3.0 document of a collection. Its tiles URL carries the current
// data version, so clients may cache the tiles for good, and the filter, if one is given.
func (s *Service) TileJSON() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.layer(chi.URLParam(r, "collectionId"))
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		internal := auth.FromContext(r.Context()).SeesInternal()
		if _, err := s.selection(r, c, internal); err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		v, err := s.versions.current(r.Context())
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		meta, err := s.layerMeta(r.Context(), c, v)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		version, err := v.of(c, internal)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		query := url.Values{"v": {strconv.FormatInt(version, 10)}}
		if f := r.URL.Query().Get("filter"); strings.TrimSpace(f) != "" {
			query.Set("filter", f)
			if fc := r.URL.Query().Get("filter-crs"); fc != "" {
				query.Set("filter-crs", fc)
			}
		}
		doc := tileJSON{
			TileJSON:    "3.0.0",
			Name:        c.Title,
			Description: c.Description + " Tiles without features answer 204 No Content.",
			Attribution: attribution(c, meta.synthetic),
			Scheme:      "xyz",
			Tiles:       []string{baseURL(r) + "/tiles/" + url.PathEscape(c.ID) + "/{z}/{x}/{y}.mvt?" + query.Encode()},
			MinZoom:     0,
			MaxZoom:     maxDataZoom,
			Bounds:      meta.bounds,
			Center:      [3]float64{round6((meta.bounds[0] + meta.bounds[2]) / 2), round6((meta.bounds[1] + meta.bounds[3]) / 2), 8},
			VectorLayers: []vectorLayer{{
				ID: c.ID, Description: layerDescription(c), MinZoom: 0, MaxZoom: maxDataZoom, Fields: fields(c, internal),
			}},
		}
		w.Header().Add("Vary", "Authorization")
		w.Header().Set("Cache-Control", "no-cache")
		problem.JSON(w, "application/json", http.StatusOK, doc)
	}
}

// layerMeta returns the region's bounds and whether a collection holds demo data, read again only
// when the data changed (any change: the internal counters).
func (s *Service) layerMeta(ctx context.Context, c catalog.Collection, v versions) (layerMeta, error) {
	version, err := v.of(c, true)
	if err != nil {
		return layerMeta{}, err
	}
	want := layerMeta{version: version, regionVersion: v["districts"].Internal}
	s.metaMu.Lock()
	m, ok := s.meta[c.ID]
	s.metaMu.Unlock()
	if ok && m.version == want.version && m.regionVersion == want.regionVersion {
		return m, nil
	}
	synthetic := "false"
	if c.Synthetic != "" {
		synthetic = "EXISTS (SELECT 1 FROM " + c.FromClause("") + " WHERE " + c.Synthetic + ")"
	}
	m = want
	// On the primary: a lagging replica's bounds would be kept under the primary's newer version.
	err = s.primary.QueryRow(ctx, `
		SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b), `+synthetic+`
		FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS b FROM districts) region`).
		Scan(&m.bounds[0], &m.bounds[1], &m.bounds[2], &m.bounds[3], &m.synthetic)
	if err != nil {
		return layerMeta{}, fmt.Errorf("tilejson of %s: %w", c.ID, err)
	}
	for i := range m.bounds {
		m.bounds[i] = round6(m.bounds[i])
	}
	s.metaMu.Lock()
	s.meta[c.ID] = m
	s.metaMu.Unlock()
	return m, nil
}

// attribution credits the data's source and says when it is made up.
func attribution(c catalog.Collection, synthetic bool) string {
	parts := []string{}
	if c.Attribution != "" {
		parts = append(parts, c.Attribution)
	}
	if synthetic {
		parts = append(parts, "synthetic demo data")
	}
	return strings.Join(parts, "; ")
}

// layerDescription tells a style author how the layer is drawn at each zoom.
func layerDescription(c catalog.Collection) string {
	d := c.Title + "; a feature's MVT id is its id."
	if !featureIDs(c) {
		d = c.Title + "; features are named by their ags attribute."
	}
	if c.TilePointsBelow > 0 {
		d += fmt.Sprintf(" Below zoom %d features are points (Point geometry), clustered where they crowd: a cluster has count > 1, "+
			"the sum of each area and the value its members share of every other attribute.", c.TilePointsBelow)
	}
	return d + " A shape smaller than a pixel is drawn as a point; any tile that would exceed 500 KB is drawn as clusters."
}

// fields describes the attributes of a collection's tiles for a reader.
func fields(c catalog.Collection, internal bool) map[string]string {
	f := map[string]string{
		"count": "Number of features a point stands for (only on points: clusters and features drawn as points)",
	}
	for _, p := range tileProperties(c, internal) {
		d := p.Title
		if p.Unit != "" {
			d += " (" + p.Unit + ")"
		}
		if len(p.Enum) > 0 {
			d += ": " + strings.Join(p.Enum, ", ")
		}
		f[p.Name] = d
	}
	return f
}

// baseURL is the scheme and host of links: LANDATLAS_BASE_URL, or as the client reached us.
func baseURL(r *http.Request) string { return httpx.BaseURL(r) }

func round6(f float64) float64 { return math.Round(f*1e6) / 1e6 }
