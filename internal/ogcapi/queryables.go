package ogcapi

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/openapi"
	"landatlas/internal/problem"
)

// Queryables serves a collection's queryables as JSON Schema.
func (s *Service) Queryables() http.HandlerFunc { return problem.Handler(s.log, s.queryables) }

// queryable is one row of the queryables, for JSON Schema and HTML.
type queryable struct {
	Name, Title, TitleDE, Unit string
	Schema                     openapi.Object
}

func (s *Service) queryables(w http.ResponseWriter, r *http.Request) error {
	req, err := s.begin(r, docParams...)
	if err != nil {
		return err
	}
	c, err := collection(chi.URLParam(r, "collectionId"))
	if err != nil {
		return err
	}
	list := queryablesOf(c, req.internal)
	self := req.root + "/collections/" + c.ID + "/queryables"
	if req.format == formatHTML {
		return s.sendHTML(w, req, "queryables", page{Title: "Queryables of " + c.Title, JSON: self + "?f=json",
			Crumbs: []crumb{{"collections", req.root + "/collections?f=html"}, {c.ID, req.root + "/collections/" + c.ID + "?f=html"}, {"queryables", ""}},
			Body:   queryablesPage{Collection: c.ID, Items: req.root + "/collections/" + c.ID + "/items", List: list}})
	}
	props := make(openapi.Object, len(list))
	for i, q := range list {
		props[i] = openapi.Member{Key: q.Name, Value: q.Schema}
	}
	doc := openapi.Schema(
		"$schema", "https://json-schema.org/draft/2020-12/schema",
		"$id", self,
		"type", "object",
		"title", c.Title,
		"description", "The properties of "+c.ID+" that filter, sortby and property=value parameters accept.",
		"properties", props,
		"additionalProperties", false,
	)
	// JSON Schema is application/schema+json; a client that asks only for application/json (GDAL
	// before 3.7) gets the same document under that name.
	media := mediaSchema
	if accept := r.Header.Get("Accept"); strings.Contains(accept, mediaJSON) && !strings.Contains(accept, mediaSchema) {
		media = mediaJSON
	}
	return s.sendJSON(w, req, media, doc)
}

type queryablesPage struct {
	Collection, Items string
	List              []queryable
}

// queryablesOf lists the queryables a reader may see, in the catalog's order, with the geometry
// first.
func queryablesOf(c catalog.Collection, internal bool) []queryable {
	qs := c.Queryables(internal)
	geomFormat := "geometry-any"
	if c.GeomType == "MultiPolygon" {
		geomFormat = "geometry-multipolygon"
	}
	list := []queryable{{Name: "geometry", Title: "Geometry", TitleDE: "Geometrie", Schema: openapi.Schema(
		"title", "Geometry",
		"format", geomFormat,
		"x-ogc-role", "primary-geometry",
	)}}
	for _, p := range c.Visible(internal) {
		q, ok := qs[p.Name]
		if !ok || q.Type == cql2.Geometry {
			continue
		}
		sch := openapi.Schema("title", p.Title, "description", p.TitleDE)
		sch = append(sch, typeSchema(q.Type)...)
		if len(q.Enum) > 0 {
			sch = append(sch, openapi.Member{Key: "enum", Value: q.Enum})
		}
		if p.Unit != "" {
			sch = append(sch, openapi.Member{Key: "x-ogc-unit", Value: p.Unit})
		}
		list = append(list, queryable{Name: p.Name, Title: p.Title, TitleDE: p.TitleDE, Unit: p.Unit, Schema: sch})
	}
	return list
}

// typeSchema is the JSON Schema of a queryable type.
func typeSchema(t cql2.Type) openapi.Object {
	switch t {
	case cql2.Number:
		return openapi.Schema("type", "number")
	case cql2.Integer:
		return openapi.Schema("type", "integer")
	case cql2.Boolean:
		return openapi.Schema("type", "boolean")
	case cql2.Date:
		return openapi.Schema("type", "string", "format", "date")
	case cql2.Timestamp:
		return openapi.Schema("type", "string", "format", "date-time")
	}
	return openapi.Schema("type", "string")
}

// typeName describes a queryable for people.
func typeName(sch openapi.Object) string {
	var typ, format string
	for _, m := range sch {
		switch m.Key {
		case "type":
			typ, _ = m.Value.(string)
		case "format":
			format, _ = m.Value.(string)
		}
	}
	return strings.TrimSpace(typ + " " + format)
}
