package ogcapi

import (
	"net/http"
	"strconv"

	"landatlas/internal/catalog"
	"landatlas/internal/openapi"
	"landatlas/internal/problem"
)

// The features API describes its operations with the service's one OpenAPI generator.
type (
	apiOperation = openapi.Operation
	apiParam     = openapi.Param
	apiResponse  = openapi.Response
)

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
			err = s.sendJSON(w, req, mediaOpenAPI, s.openAPIDocument(req))
		}
		return err
	})
}

// OpenAPIDoc serves a readable page of the OpenAPI document (service-doc).
func (s *Service) OpenAPIDoc() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.begin(r, docParams...)
		if err == nil {
			if req.format == formatJSON && r.URL.Query().Get("f") == "json" {
				err = s.sendJSON(w, req, mediaOpenAPI, s.openAPIDocument(req))
			} else {
				err = s.apiPage(w, req)
			}
		}
		return err
	})
}

func (s *Service) apiPage(w http.ResponseWriter, req *request) error {
	return s.sendHTML(w, req, "api", page{Title: "API definition", JSON: req.root + "/api",
		Crumbs: []crumb{{"api", ""}}, Body: s.allOperations(req.internal)})
}

func fParam(json string) apiParam {
	return apiParam{Name: "f", In: "query", Description: "The format of the response: " + json + " or html. Without f, the Accept header decides (JSON unless HTML is preferred).",
		Schema: openapi.Schema("type", "string", "enum", []string{"json", "html"})}
}

func crsParam(name, what string) apiParam {
	return apiParam{Name: name, In: "query", Description: what + " Default: CRS84 (longitude, latitude). EPSG:4326 has latitude, longitude order.",
		Schema: openapi.Schema("type", "string", "format", "uri", "enum", crsURIs(), "default", crs84.URI)}
}

var (
	notModified = apiResponse{Status: "304", Description: "The client's copy (If-None-Match) is current."}
)

func ok(description string, media ...string) []apiResponse {
	return append([]apiResponse{{Status: "200", Description: description, Media: append(media, mediaHTML)}, notModified}, openapi.Problems...)
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
			Schema: openapi.Schema("type", "integer", "minimum", 1, "maximum", maxLimit, "default", defaultLimit)},
		{Name: "bbox", In: "query", List: true, Description: "Only features that intersect the box: minx,miny,maxx,maxy (or 6 numbers with heights) in bbox-crs.",
			Schema: openapi.Schema("type", "array", "minItems", 4, "maxItems", 6, "items", openapi.Schema("type", "number"))},
		crsParam("bbox-crs", "The CRS of bbox."),
		{Name: "datetime", In: "query", Description: datetimeDoc(c),
			Schema: openapi.Schema("type", "string")},
		crsParam("crs", "The CRS of the response's geometries (Content-Crs header)."),
		{Name: "filter", In: "query", Description: "A CQL2 filter on the queryables (" + base + "/queryables), in filter-lang.",
			Schema: openapi.Schema("type", "string")},
		{Name: "filter-lang", In: "query", Description: "The language of filter. cql-text is accepted as the name of cql2-text used by GDAL before 3.7.",
			Schema: openapi.Schema("type", "string", "enum", []string{"cql2-text", "cql2-json", "cql-text"}, "default", "cql2-text")},
		crsParam("filter-crs", "The CRS of geometries in filter."),
		{Name: "skipGeometry", In: "query", Description: "true answers the features without geometry (\"geometry\": null), for lists and sums that need only properties.",
			Schema: openapi.Schema("type", "boolean", "default", false)},
		{Name: "sortby", In: "query", List: true, Description: "Sort keys: queryable property names, each optionally prefixed with + (ascending, the default) or - (descending).",
			Schema: openapi.Schema("type", "array", "items", openapi.Schema("type", "string", "pattern", `^[+-]?[a-z0-9_]+$`))},
		{Name: "properties", In: "query", List: true, Description: "The properties to return (default: all).",
			Schema: openapi.Schema("type", "array", "items", openapi.Schema("type", "string", "enum", propertyNames(c, internal)))},
		{Name: "cursor", In: "query", Description: "The position of a page, set in next and prev links; opaque.",
			Schema: openapi.Schema("type", "string")},
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
			Responses: ok("The collection.", mediaJSON)},
		{Path: base + "/queryables", ID: "queryables_" + c.ID, Tag: c.ID, Summary: "Queryables of " + c.ID,
			Description: "The properties that filter, sortby and property=value parameters accept, as JSON Schema.",
			Params:      []apiParam{fParam("json")}, Responses: ok("The queryables.", mediaSchema)},
		{Path: base + "/items", ID: "items_" + c.ID, Tag: c.ID, Summary: "Features of " + c.ID,
			Description: "A page of features, with next and prev links and numberMatched.", Params: items,
			Responses: ok("A page of features.", mediaGeoJSON)},
		{Path: base + "/items/{featureId}", ID: "item_" + c.ID, Tag: c.ID, Summary: "A feature of " + c.ID,
			Params: []apiParam{id, fParam("json (GeoJSON)"), crsParam("crs", "The CRS of the geometry."),
				{Name: "properties", In: "query", List: true, Description: "The properties to return (default: all).",
					Schema: openapi.Schema("type", "array", "items", openapi.Schema("type", "string", "enum", propertyNames(c, internal)))}},
			Responses: ok("The feature.", mediaGeoJSON)},
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

// allOperations are the operations of the whole service as a reader sees them: the features
// API's, then the other APIs' (Config.MoreOperations), which are paths from the host root.
func (s *Service) allOperations(internal bool) []apiOperation {
	ops := operations(internal)
	for i := range ops {
		ops[i].Method = http.MethodGet
	}
	for _, op := range s.moreOperations {
		op.FromHostRoot = true
		ops = append(ops, op)
	}
	return ops
}

// openAPIDocument is the OpenAPI 3.0 document of the service; its server is the features API's
// root, and the other APIs' path items name the host root as theirs.
func (s *Service) openAPIDocument(req *request) openapi.Object {
	doc := openapi.Document{
		Title:       serviceTitle,
		Description: serviceDescription + " Send Authorization: Bearer <token> to see internal records.",
		Version:     "1.0.0",
		ServerURL:   req.root,
		Tags:        []openapi.Tag{{Name: "Capabilities", Description: "Landing page, conformance, API definition and collections."}},
	}
	return doc.Render(s.allOperations(req.internal))
}
