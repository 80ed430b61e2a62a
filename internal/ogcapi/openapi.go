package ogcapi

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"landatlas/internal/catalog"
	"landatlas/internal/problem"
)

// apiOperation is one GET operation of the API, the source of both the OpenAPI document and its
// HTML page.
type apiOperation struct {
	Path, ID, Tag, Summary, Description string
	Params                              []apiParam
	Responses                           []apiResponse
}

type apiParam struct {
	Name, In, Description string
	Required              bool
	Schema                object
	// List parameters are comma-separated (style form, explode false).
	List bool
}

type apiResponse struct {
	Status, Description string
	Media               []string
}

// OpenAPI serves the OpenAPI 3 document (service-desc).
func (s *Service) OpenAPI() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.begin(r, docParams...)
		if err != nil {
			return err
		}
		if req.format == formatHTML {
			err = s.apiPage(w, req)
		} else {
			err = s.sendJSON(w, req, mediaOpenAPI, withPaths(openAPIDocument(req.root, operations(req.internal)), s.extraPaths))
		}
		if err != nil {
			return err
		}
		return nil
	})
}

// OpenAPIDoc serves a readable page of the OpenAPI document (service-doc).
func (s *Service) OpenAPIDoc() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.begin(r, docParams...)
		if err == nil {
			if req.format == formatJSON && r.URL.Query().Get("f") == "json" {
				err = s.sendJSON(w, req, mediaOpenAPI, withPaths(openAPIDocument(req.root, operations(req.internal)), s.extraPaths))
			} else {
				err = s.apiPage(w, req)
			}
		}
		if err != nil {
			return err
		}
		return nil
	})
}

func (s *Service) apiPage(w http.ResponseWriter, req *request) error {
	return s.sendHTML(w, req, "api", page{Title: "API definition", JSON: req.root + "/api",
		Crumbs: []crumb{{"api", ""}}, Body: operations(req.internal)})
}

func fParam(json string) apiParam {
	return apiParam{Name: "f", In: "query", Description: "The format of the response: " + json + " or html. Without f, the Accept header decides (JSON unless HTML is preferred).",
		Schema: object{{"type", "string"}, {"enum", []string{"json", "html"}}}}
}

func crsParam(name, what string) apiParam {
	return apiParam{Name: name, In: "query", Description: what + " Default: CRS84 (longitude, latitude). EPSG:4326 has latitude, longitude order.",
		Schema: object{{"type", "string"}, {"format", "uri"}, {"enum", crsURIs()}, {"default", crs84.URI}}}
}

var (
	problemResponses = []apiResponse{
		{"400", "A parameter is unknown or has a value that is not allowed; the problem document says which and what is allowed.", []string{"application/problem+json"}},
		{"500", "An error on the server; the request id in the X-Request-Id header identifies it in the log.", []string{"application/problem+json"}},
	}
	notModified = apiResponse{"304", "The client's copy (If-None-Match) is current.", nil}
	notFound    = apiResponse{"404", "The collection or feature does not exist, or the reader may not see it.", []string{"application/problem+json"}}
)

func ok(description string, media ...string) []apiResponse {
	return append([]apiResponse{{"200", description, append(media, mediaHTML)}, notModified}, problemResponses...)
}

// operations lists the API's operations as a reader sees them: the queryable parameters are
// those the reader may use.
func operations(internal bool) []apiOperation {
	ops := []apiOperation{
		{Path: "/", ID: "getLandingPage", Tag: "Capabilities", Summary: "Landing page",
			Description: "Links to the API definition, the conformance declaration and the collections.",
			Params:      []apiParam{fParam("json")}, Responses: ok("The landing page.", mediaJSON)},
		{Path: "/conformance", ID: "getConformanceDeclaration", Tag: "Capabilities", Summary: "Conformance declaration",
			Description: "The conformance classes this server implements.",
			Params:      []apiParam{fParam("json")}, Responses: ok("The conformance classes.", mediaJSON)},
		{Path: "/api", ID: "getAPIDefinition", Tag: "Capabilities", Summary: "API definition",
			Description: "This OpenAPI 3.0 document.",
			Params:      []apiParam{fParam("json")}, Responses: ok("The API definition.", mediaOpenAPI)},
		{Path: "/api.html", ID: "getAPIDocumentation", Tag: "Capabilities", Summary: "API documentation",
			Description: "The API definition as a readable page.",
			Params:      []apiParam{fParam("json")}, Responses: ok("The API documentation.", mediaOpenAPI)},
		{Path: "/collections", ID: "getCollections", Tag: "Capabilities", Summary: "Collections",
			Description: "The feature collections with their extents and coordinate reference systems.",
			Params:      []apiParam{fParam("json")}, Responses: ok("The collections.", mediaJSON)},
	}
	for _, c := range catalog.Collections() {
		ops = append(ops, collectionOperations(c, internal)...)
	}
	return ops
}

func collectionOperations(c catalog.Collection, internal bool) []apiOperation {
	base := "/collections/" + c.ID
	items := []apiParam{
		fParam("json (GeoJSON)"),
		{Name: "limit", In: "query", Description: "The number of features per page, from 1 to " + strconv.Itoa(maxLimit) + "; larger values are reduced to " + strconv.Itoa(maxLimit) + ".",
			Schema: object{{"type", "integer"}, {"minimum", 1}, {"maximum", maxLimit}, {"default", defaultLimit}}},
		{Name: "bbox", In: "query", List: true, Description: "Only features that intersect the box: minx,miny,maxx,maxy (or 6 numbers with heights) in bbox-crs.",
			Schema: object{{"type", "array"}, {"minItems", 4}, {"maxItems", 6}, {"items", object{{"type", "number"}}}}},
		crsParam("bbox-crs", "The CRS of bbox."),
		{Name: "datetime", In: "query", Description: datetimeDoc(c),
			Schema: object{{"type", "string"}}},
		crsParam("crs", "The CRS of the response's geometries (Content-Crs header)."),
		{Name: "filter", In: "query", Description: "A CQL2 filter on the queryables (" + base + "/queryables), in filter-lang.",
			Schema: object{{"type", "string"}}},
		{Name: "filter-lang", In: "query", Description: "The language of filter. cql-text is accepted as the name of cql2-text used by GDAL before 3.7.",
			Schema: object{{"type", "string"}, {"enum", []string{"cql2-text", "cql2-json", "cql-text"}}, {"default", "cql2-text"}}},
		crsParam("filter-crs", "The CRS of geometries in filter."),
		{Name: "skipGeometry", In: "query", Description: "true answers the features without geometry (\"geometry\": null), for lists and sums that need only properties.",
			Schema: object{{"type", "boolean"}, {"default", false}}},
		{Name: "sortby", In: "query", List: true, Description: "Sort keys: queryable property names, each optionally prefixed with + (ascending, the default) or - (descending).",
			Schema: object{{"type", "array"}, {"items", object{{"type", "string"}, {"pattern", `^[+-]?[a-z0-9_]+$`}}}}},
		{Name: "properties", In: "query", List: true, Description: "The properties to return (default: all).",
			Schema: object{{"type", "array"}, {"items", object{{"type", "string"}, {"enum", propertyNames(c, internal)}}}}},
		{Name: "cursor", In: "query", Description: "The position of a page, set in next and prev links; opaque.",
			Schema: object{{"type", "string"}}},
	}
	for _, q := range queryablesOf(c, internal) {
		if q.Name == "geometry" {
			continue
		}
		items = append(items, apiParam{Name: q.Name, In: "query", Description: "Only features whose " + q.Title + " equals the value.", Schema: q.Schema})
	}
	id := apiParam{Name: "featureId", In: "path", Required: true, Description: "The id of a feature.", Schema: typeSchema(c.IDType)}
	return []apiOperation{
		{Path: base, ID: "describe_" + c.ID, Tag: c.ID, Summary: c.Title,
			Description: c.Description, Params: []apiParam{fParam("json")},
			Responses: append(ok("The collection.", mediaJSON), notFound)},
		{Path: base + "/queryables", ID: "queryables_" + c.ID, Tag: c.ID, Summary: "Queryables of " + c.ID,
			Description: "The properties that filter, sortby and property=value parameters accept, as JSON Schema.",
			Params:      []apiParam{fParam("json")}, Responses: ok("The queryables.", mediaSchema)},
		{Path: base + "/items", ID: "items_" + c.ID, Tag: c.ID, Summary: "Features of " + c.ID,
			Description: "A page of features, with next and prev links and numberMatched.", Params: items,
			Responses: ok("A page of features.", mediaGeoJSON)},
		{Path: base + "/items/{featureId}", ID: "item_" + c.ID, Tag: c.ID, Summary: "A feature of " + c.ID,
			Params: []apiParam{id, fParam("json (GeoJSON)"), crsParam("crs", "The CRS of the geometry."),
				{Name: "properties", In: "query", List: true, Description: "The properties to return (default: all).",
					Schema: object{{"type", "array"}, {"items", object{{"type", "string"}, {"enum", propertyNames(c, internal)}}}}}},
			Responses: append(ok("The feature.", mediaGeoJSON), notFound)},
	}
}

func datetimeDoc(c catalog.Collection) string {
	switch {
	case c.During != "" && c.Versions != "":
		return "The state of the data at a time: an instant (2022-01-01T00:00:00Z) gives each parcel as it was then; " +
			"an interval (2021-01-01/2021-12-31, ../2022-01-01, 2021-06-01/..) gives every parcel that existed at some time in it, in its latest state within it. " +
			"A date alone is the whole day (UTC)."
	case c.AtTime != "":
		return "The sites that existed at an instant or at some time in an interval (with '..' for an open end); " +
			"sites keep no history of their attributes, so they are shown as they are now. A date alone is the whole day (UTC)."
	}
	return "Not available: this collection has no time dimension."
}

// withPaths adds other APIs' path items to the document's paths, in path order.
func withPaths(doc object, extra map[string]any) object {
	for i, m := range doc {
		if m.Key == "paths" {
			paths := m.Value.(object)
			for _, p := range slices.Sorted(maps.Keys(extra)) {
				paths = append(paths, member{p, extra[p]})
			}
			doc[i].Value = paths
		}
	}
	return doc
}

// openAPIDocument renders the operations as OpenAPI 3.0.
func openAPIDocument(rootURL string, ops []apiOperation) object {
	paths := object{}
	tags := []object{{{"name", "Capabilities"}, {"description", "Landing page, conformance, API definition and collections."}}}
	for _, op := range ops {
		var params []object
		for _, p := range op.Params {
			po := object{{"name", p.Name}, {"in", p.In}, {"description", p.Description}, {"required", p.Required}, {"schema", p.Schema}}
			if p.List {
				po = append(po, member{"style", "form"}, member{"explode", false})
			}
			params = append(params, po)
		}
		responses := object{}
		for _, r := range op.Responses {
			ro := object{{"description", r.Description}}
			if len(r.Media) > 0 {
				content := object{}
				for _, m := range r.Media {
					content = append(content, member{m, object{}})
				}
				ro = append(ro, member{"content", content})
			}
			responses = append(responses, member{r.Status, ro})
		}
		get := object{{"tags", []string{op.Tag}}, {"summary", op.Summary}, {"operationId", op.ID}}
		if op.Description != "" {
			get = append(get, member{"description", op.Description})
		}
		get = append(get, member{"parameters", params}, member{"responses", responses})
		paths = append(paths, member{op.Path, object{{"get", get}}})
		if op.Tag != "Capabilities" && (len(tags) == 0 || tags[len(tags)-1][0].Value != op.Tag) {
			tags = append(tags, object{{"name", op.Tag}})
		}
	}
	return object{
		{"openapi", "3.0.3"},
		{"info", object{
			{"title", serviceTitle},
			{"description", serviceDescription + " Send Authorization: Bearer <token> to see internal records."},
			{"version", "1.0.0"},
		}},
		{"servers", []object{{{"url", rootURL}}}},
		{"tags", tags},
		{"paths", paths},
		{"components", object{{"securitySchemes", object{{"bearer", object{{"type", "http"}, {"scheme", "bearer"}}}}}}},
		{"security", []object{{}, {{"bearer", []string{}}}}},
	}
}
