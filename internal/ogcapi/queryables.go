package ogcapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/problem"
)

// object is a JSON object that keeps the order of its members, so documents list properties in
// the catalog's order.
type object []member

type member struct {
	Key   string
	Value any
}

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.Key)
		v, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Queryables serves a collection's queryables as JSON Schema.
func (s *Service) Queryables() http.HandlerFunc { return problem.Handler(s.log, s.queryables) }

// queryable is one row of the queryables, for JSON Schema and HTML.
type queryable struct {
	Name, Title, TitleDE, Unit string
	Schema                     object
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
	props := make(object, len(list))
	for i, q := range list {
		props[i] = member{q.Name, q.Schema}
	}
	doc := object{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", self},
		{"type", "object"},
		{"title", c.Title},
		{"description", "The properties of " + c.ID + " that filter, sortby and property=value parameters accept."},
		{"properties", props},
		{"additionalProperties", false},
	}
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
	list := []queryable{{Name: "geometry", Title: "Geometry", TitleDE: "Geometrie", Schema: object{
		{"title", "Geometry"}, {"format", geomFormat}, {"x-ogc-role", "primary-geometry"},
	}}}
	for _, p := range c.Visible(internal) {
		q, ok := qs[p.Name]
		if !ok || q.Type == cql2.Geometry {
			continue
		}
		sch := object{{"title", p.Title}, {"description", p.TitleDE}}
		sch = append(sch, typeSchema(q.Type)...)
		if len(q.Enum) > 0 {
			sch = append(sch, member{"enum", q.Enum})
		}
		if p.Unit != "" {
			sch = append(sch, member{"x-ogc-unit", p.Unit})
		}
		list = append(list, queryable{Name: p.Name, Title: p.Title, TitleDE: p.TitleDE, Unit: p.Unit, Schema: sch})
	}
	return list
}

// typeSchema is the JSON Schema of a queryable type.
func typeSchema(t cql2.Type) object {
	switch t {
	case cql2.Number:
		return object{{"type", "number"}}
	case cql2.Integer:
		return object{{"type", "integer"}}
	case cql2.Boolean:
		return object{{"type", "boolean"}}
	case cql2.Date:
		return object{{"type", "string"}, {"format", "date"}}
	case cql2.Timestamp:
		return object{{"type", "string"}, {"format", "date-time"}}
	}
	return object{{"type", "string"}}
}

// typeName describes a queryable for people.
func typeName(sch object) string {
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
