package ogcapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"landatlas/internal/catalog"
	"landatlas/internal/problem"
	"landatlas/internal/query"
)

// collectionDoc describes a collection (Part 1 and Part 2).
type collectionDoc struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Attribution string    `json:"attribution,omitempty"`
	ItemType    string    `json:"itemType"`
	Extent      extentDoc `json:"extent"`
	CRS         []string  `json:"crs"`
	StorageCRS  string    `json:"storageCrs"`
	Links       []link    `json:"links"`
}

type extentDoc struct {
	Spatial  *spatialExtent  `json:"spatial,omitempty"`
	Temporal *temporalExtent `json:"temporal,omitempty"`
}

type spatialExtent struct {
	BBox [][4]float64 `json:"bbox"`
	CRS  string       `json:"crs"`
}

type temporalExtent struct {
	Interval [][2]*string `json:"interval"`
	TRS      string       `json:"trs"`
}

// extent is what the data say about a collection's extent, for one kind of reader.
type extent struct {
	BBox      *[4]float64 // CRS84; nil when the reader sees no features
	Start     *time.Time  // earliest state the reader may see
	Synthetic bool        // some of the features are synthetic demo data
}

// syntheticNote is added to the description of a collection that holds demo data.
const syntheticNote = "This collection holds synthetic demo data: these features are made up and describe no real land."

// Collections lists the collections.
func (s *Service) Collections() http.HandlerFunc { return problem.Handler(s.log, s.collections) }

// Collection describes one collection.
func (s *Service) Collection() http.HandlerFunc { return problem.Handler(s.log, s.collection) }

func (s *Service) collections(w http.ResponseWriter, r *http.Request) error {
	req, err := s.begin(r, docParams...)
	if err != nil {
		return err
	}
	ctx, cancel := dbContext(r)
	defer cancel()
	var docs []collectionDoc
	for _, c := range catalog.Collections() {
		d, err := s.describe(ctx, req, c)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	self := req.root + "/collections"
	doc := struct {
		Links       []link          `json:"links"`
		Collections []collectionDoc `json:"collections"`
	}{
		Links: []link{
			{Href: self + "?f=json", Rel: "self", Type: mediaJSON, Title: "this document"},
			{Href: self + "?f=html", Rel: "alternate", Type: mediaHTML, Title: "this document as HTML"},
		},
		Collections: docs,
	}
	if req.format == formatHTML {
		return s.sendHTML(w, req, "collections", page{Title: "Collections", JSON: self + "?f=json",
			Crumbs: []crumb{{"collections", ""}}, Body: docs})
	}
	return s.sendJSON(w, req, mediaJSON, doc)
}

func (s *Service) collection(w http.ResponseWriter, r *http.Request) error {
	req, err := s.begin(r, docParams...)
	if err != nil {
		return err
	}
	c, err := collection(chi.URLParam(r, "collectionId"))
	if err != nil {
		return err
	}
	ctx, cancel := dbContext(r)
	defer cancel()
	d, err := s.describe(ctx, req, c)
	if err != nil {
		return err
	}
	if req.format == formatHTML {
		return s.sendHTML(w, req, "collection", page{Title: c.Title, JSON: req.root + "/collections/" + c.ID + "?f=json",
			Crumbs: []crumb{{"collections", req.root + "/collections?f=html"}, {c.ID, ""}},
			Body:   collectionPage{Doc: d, Properties: c.Visible(req.internal)}})
	}
	return s.sendJSON(w, req, mediaJSON, d)
}

// collectionPage is the HTML view of a collection.
type collectionPage struct {
	Doc        collectionDoc
	Properties []catalog.Property
}

// describe builds a collection's document with its extent as the reader may see it.
func (s *Service) describe(ctx context.Context, req *request, c catalog.Collection) (collectionDoc, error) {
	version, err := query.Version(ctx, s.db, c.DataVersions, req.internal)
	if err != nil {
		return collectionDoc{}, err
	}
	ext, err := s.extent(ctx, c, req.internal, version)
	if err != nil {
		return collectionDoc{}, err
	}
	base := req.root + "/collections/" + c.ID
	d := collectionDoc{
		ID: c.ID, Title: c.Title, Description: c.Description, Attribution: c.Attribution, ItemType: "feature",
		CRS: crsURIs(), StorageCRS: storageCRS.URI,
		Links: []link{
			{Href: base + "?f=json", Rel: "self", Type: mediaJSON, Title: "this collection"},
			{Href: base + "?f=html", Rel: "alternate", Type: mediaHTML, Title: "this collection as HTML"},
			{Href: base + "/items?f=json", Rel: "items", Type: mediaGeoJSON, Title: "the features"},
			{Href: base + "/items?f=html", Rel: "items", Type: mediaHTML, Title: "the features as HTML"},
			{Href: base + "/queryables", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: mediaSchema, Title: "the queryable properties"},
			{Href: base + "/queryables", Rel: "queryables", Type: mediaSchema, Title: "the queryable properties"},
		},
	}
	if ext.Synthetic {
		d.Description += " " + syntheticNote
	}
	if ext.BBox != nil {
		d.Extent.Spatial = &spatialExtent{BBox: [][4]float64{*ext.BBox}, CRS: crs84.URI}
	}
	if c.Temporal != "" {
		var start *string
		if ext.Start != nil {
			v := ext.Start.UTC().Format(time.RFC3339)
			start = &v
		}
		d.Extent.Temporal = &temporalExtent{Interval: [][2]*string{{start, nil}}, TRS: "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
	}
	return d, nil
}

// extent computes a collection's extent from the rows the reader may see (the public extent
// reveals no internal parcel), cached by data version.
func (s *Service) extent(ctx context.Context, c catalog.Collection, internal bool, version int64) (extent, error) {
	key := fmt.Sprintf("%s/%t/%d", c.ID, internal, version)
	if e, ok := s.extents.Get(key); ok {
		return e, nil
	}
	var e extent
	a := &query.Args{}
	sel, err := query.Selection{Collection: c, Internal: internal}.Build(a)
	if err != nil {
		return e, err
	}
	// The storage extent's outline is densified before it is transformed, so the CRS84 box
	// encloses the curved edges.
	sql := "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Extent(ST_Transform(ST_Segmentize(" +
		"ST_SetSRID(e::geometry, " + strconv.Itoa(storageSRID) + "), 500), 4326)) AS b FROM (SELECT ST_Extent(" + c.Geom + ") AS e FROM " +
		sel.From + sel.WhereClause() + ") x WHERE e IS NOT NULL) y WHERE b IS NOT NULL"
	var b [4]float64
	switch err := s.db.QueryRow(ctx, sql, a.Values()...).Scan(&b[0], &b[1], &b[2], &b[3]); {
	case err == nil:
		e.BBox = &b
	case !errors.Is(err, pgx.ErrNoRows):
		return e, fmt.Errorf("extent of %s: %w", c.ID, err)
	}
	if c.Synthetic != "" {
		if err := s.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+sel.From+" WHERE "+sel.Cond(c.Synthetic)+")", a.Values()...).Scan(&e.Synthetic); err != nil {
			return e, fmt.Errorf("demo data in %s: %w", c.ID, err)
		}
	}
	if c.Temporal != "" {
		p, ok := c.Property(c.Temporal, true)
		if !ok {
			return e, fmt.Errorf("extent of %s: the temporal property %q is not in the catalog", c.ID, c.Temporal)
		}
		va := &query.Args{}
		all, err := query.Selection{Collection: c, Internal: internal, Time: query.AllVersions()}.Build(va)
		if err != nil {
			return e, err
		}
		if err := s.db.QueryRow(ctx, "SELECT min("+p.PropertySQL(internal)+") FROM "+all.From+all.WhereClause(), va.Values()...).Scan(&e.Start); err != nil {
			return e, fmt.Errorf("temporal extent of %s: %w", c.ID, err)
		}
	}
	s.extents.Add(key, e)
	return e, nil
}
