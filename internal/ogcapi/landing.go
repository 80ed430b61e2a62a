package ogcapi

import (
	"context"
	"net/http"
	"slices"

	"landatlas/internal/cql2"
	"landatlas/internal/problem"
)

const (
	serviceTitle       = "landatlas – industrial and commercial land in Mitteldeutschland"
	serviceDescription = "Parcels and sites of industrial and commercial land of nine districts in Saxony, " +
		"Saxony-Anhalt and Thuringia, with districts, municipalities, infrastructure and constraint areas, " +
		"as OGC API – Features (Parts 1, 2 and 3 with CQL2). Without a token only published records and attributes are shown."
)

// Landing serves the landing page.
func (s *Service) Landing() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.begin(r, docParams...)
		if err != nil {
			return err
		}
		links := []link{
			{Href: req.root + "?f=json", Rel: "self", Type: mediaJSON, Title: "this document"},
			{Href: req.root + "?f=html", Rel: "alternate", Type: mediaHTML, Title: "this document as HTML"},
			{Href: req.root + "/api", Rel: "service-desc", Type: mediaOpenAPI, Title: "the API definition (OpenAPI 3.0)"},
			{Href: req.root + "/api.html", Rel: "service-doc", Type: mediaHTML, Title: "the API documentation"},
			{Href: req.root + "/conformance?f=json", Rel: "conformance", Type: mediaJSON, Title: "conformance classes implemented"},
			{Href: req.root + "/conformance?f=json", Rel: "http://www.opengis.net/def/rel/ogc/1.0/conformance", Type: mediaJSON, Title: "conformance classes implemented"},
			{Href: req.root + "/collections?f=json", Rel: "data", Type: mediaJSON, Title: "the collections"},
			{Href: req.root + "/collections?f=json", Rel: "http://www.opengis.net/def/rel/ogc/1.0/data", Type: mediaJSON, Title: "the collections"},
		}
		doc := struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			Links       []link `json:"links"`
		}{serviceTitle, serviceDescription, links}
		if req.format == formatHTML {
			err = s.sendHTML(w, req, "landing", page{Title: serviceTitle, JSON: req.root + "?f=json", Body: doc})
		} else {
			err = s.sendJSON(w, req, mediaJSON, doc)
		}
		return err
	})
}

// Conformance serves the conformance declaration.
func (s *Service) Conformance() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.begin(r, docParams...)
		if err != nil {
			return err
		}
		doc := struct {
			ConformsTo []string `json:"conformsTo"`
		}{s.conformance(r.Context())}
		if req.format == formatHTML {
			err = s.sendHTML(w, req, "conformance", page{Title: "Conformance", JSON: req.root + "/conformance?f=json",
				Crumbs: []crumb{{"conformance", ""}}, Body: doc.ConformsTo})
		} else {
			err = s.sendJSON(w, req, mediaJSON, doc)
		}
		return err
	})
}

// conformance lists exactly the classes implemented. Sorting (sortby) and property selection
// (properties) are implemented but their classes are not final standards, so not declared.
func (s *Service) conformance(ctx context.Context) []string {
	const (
		part1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
		part2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/"
		part3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
	)
	classes := []string{
		part1 + "core", part1 + "oas30", part1 + "html", part1 + "geojson",
		part2 + "crs",
		part3 + "queryables", part3 + "queryables-query-parameters", part3 + "filter", part3 + "features-filter",
	}
	for _, c := range cql2.ConformanceClasses() {
		if c == "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison" && !s.hasUnaccent(ctx) {
			continue
		}
		classes = append(classes, c)
	}
	return slices.Clip(classes)
}

// hasUnaccent reports whether the database has the unaccent function CQL2's ACCENTI needs. The
// answer is kept once known.
func (s *Service) hasUnaccent(ctx context.Context) bool {
	s.accentMu.Lock()
	defer s.accentMu.Unlock()
	if s.accent != nil {
		return *s.accent
	}
	var ok bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'unaccent')`).Scan(&ok); err != nil {
		return false
	}
	s.accent = &ok
	return ok
}
