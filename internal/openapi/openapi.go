// Package openapi is the one generator of the service's OpenAPI 3.0 document. Each API package
// describes its operations as Operation values (the features API, tiles, the potential study,
// uploads and operations endpoints); Render turns them into the document that /ogcapi/api
// serves, and the same values make the readable page at /ogcapi/api.html.
package openapi

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Object is a JSON object that keeps the order of its members: the OpenAPI document and the
// JSON Schemas of the features API (its queryables) list properties in the catalog's order.
type Object []Member

// Member is one member of an Object.
type Member struct {
	Key   string
	Value any
}

// MarshalJSON writes the members in order.
func (o Object) MarshalJSON() ([]byte, error) {
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

// Operation is one operation of the API.
type Operation struct {
	// Method is GET, POST or PUT.
	Method string
	// Path is relative to the document's server, or to the host root when FromHostRoot is set.
	Path             string
	ID, Tag, Summary string
	Description      string
	Params           []Param
	// Body describes a JSON request body; empty for none.
	Body      string
	Responses []Response
	// SignedIn operations need a bearer token.
	SignedIn bool
	// FromHostRoot marks paths outside the document's server (e.g. /api/v1/... in a document
	// served for /ogcapi); their path item names the host root as its server.
	FromHostRoot bool
}

// Param is a parameter of an operation.
type Param struct {
	Name, In, Description string
	Required              bool
	// Schema is a JSON Schema; any value that marshals to one.
	Schema any
	// List parameters are comma-separated (style form, explode false).
	List bool
}

// Response is one response of an operation.
type Response struct {
	Status, Description string
	Media               []string
}

// Query is a query parameter with a JSON Schema.
func Query(name, description string, schema any) Param {
	return Param{Name: name, In: "query", Description: description, Schema: schema}
}

// PathParam is a required path parameter.
func PathParam(name, description string, schema any) Param {
	return Param{Name: name, In: "path", Required: true, Description: description, Schema: schema}
}

// Schema is a JSON Schema from key, value pairs in order: Schema("type", "integer", "minimum", 1).
func Schema(kv ...any) Object {
	o := make(Object, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o = append(o, Member{Key: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

// Type is the schema {"type": t}.
func Type(t string) Object { return Schema("type", t) }

// Problems are the error responses every operation may give.
var Problems = []Response{
	{"400", "A parameter is unknown or has a value that is not allowed; the problem document says which and what is allowed.", []string{"application/problem+json"}},
	{"404", "Not found, or not visible to the reader.", []string{"application/problem+json"}},
	{"500", "An error on the server; the request id in the X-Request-Id header identifies it in the log.", []string{"application/problem+json"}},
	{"503", "The database is not reachable; try again after Retry-After seconds.", []string{"application/problem+json"}},
}

// OK is a 200 response in the media types given, followed by Problems.
func OK(description string, media ...string) []Response {
	return append([]Response{{"200", description, media}}, Problems...)
}

// Tag names a group of operations.
type Tag struct{ Name, Description string }

// Document is what the OpenAPI document says about the service as a whole.
type Document struct {
	Title, Description, Version string
	// ServerURL is the base of the paths of operations without FromHostRoot.
	ServerURL string
	Tags      []Tag
}

// Render returns the OpenAPI 3.0 document of ops, in the order given; operations on one path
// share its path item.
func (d Document) Render(ops []Operation) Object {
	paths := Object{}
	index := map[string]int{}
	tags := []Object{}
	seen := map[string]bool{}
	for _, t := range d.Tags {
		tags = append(tags, Object{{"name", t.Name}, {"description", t.Description}})
		seen[t.Name] = true
	}
	for _, op := range ops {
		i, ok := index[op.Path]
		if !ok {
			item := Object{}
			if op.FromHostRoot {
				item = append(item, Member{"servers", []Object{{{"url", "/"}}}})
			}
			paths = append(paths, Member{op.Path, item})
			i = len(paths) - 1
			index[op.Path] = i
		}
		paths[i].Value = append(paths[i].Value.(Object), Member{strings.ToLower(op.Method), operation(op)})
		if !seen[op.Tag] {
			tags = append(tags, Object{{"name", op.Tag}})
			seen[op.Tag] = true
		}
	}
	return Object{
		{"openapi", "3.0.3"},
		{"info", Object{{"title", d.Title}, {"description", d.Description}, {"version", d.Version}}},
		{"servers", []Object{{{"url", d.ServerURL}}}},
		{"tags", tags},
		{"paths", paths},
		{"components", Object{{"securitySchemes", Object{{"bearer", Object{{"type", "http"}, {"scheme", "bearer"}}}}}}},
		{"security", []Object{{}, {{"bearer", []string{}}}}},
	}
}

func operation(op Operation) Object {
	params := []Object{}
	for _, p := range op.Params {
		po := Object{{"name", p.Name}, {"in", p.In}, {"description", p.Description}, {"required", p.Required}, {"schema", p.Schema}}
		if p.List {
			po = append(po, Member{"style", "form"}, Member{"explode", false})
		}
		params = append(params, po)
	}
	responses := Object{}
	for _, r := range op.Responses {
		ro := Object{{"description", r.Description}}
		if len(r.Media) > 0 {
			content := Object{}
			for _, m := range r.Media {
				content = append(content, Member{m, Object{}})
			}
			ro = append(ro, Member{"content", content})
		}
		responses = append(responses, Member{r.Status, ro})
	}
	o := Object{{"tags", []string{op.Tag}}, {"summary", op.Summary}, {"operationId", op.ID}}
	if op.Description != "" {
		o = append(o, Member{"description", op.Description})
	}
	o = append(o, Member{"parameters", params})
	if op.Body != "" {
		o = append(o, Member{"requestBody", Object{{"required", true}, {"description", op.Body},
			{"content", Object{{"application/json", Object{{"schema", Type("object")}}}}}}})
	}
	o = append(o, Member{"responses", responses})
	if op.SignedIn {
		o = append(o, Member{"security", []Object{{{"bearer", []string{}}}}})
	}
	return o
}
