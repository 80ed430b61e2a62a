package ogcapi

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"landatlas/internal/httpx"
)

// The query parameters of each kind of resource.
var (
	docParams  = []string{"f"}
	itemParams = []string{"f", "crs", "properties"}
	// itemsParams come with the collection's queryable properties (queryables-query-parameters).
	itemsParams = []string{"f", "limit", "bbox", "bbox-crs", "datetime", "crs", "filter", "filter-lang",
		"filter-crs", "sortby", "properties", "skipGeometry", "cursor"}
)

// Limits of the items resource.
const (
	defaultLimit = 100
	maxLimit     = 10000
)

// checkParams refuses parameters that are not allowed and parameters given more than once. An
// unknown parameter is an error, never ignored: a misspelt "bbox" must not return everything.
func checkParams(q url.Values, allowed, queryables []string) error {
	return httpx.CheckParams(q, allowed, queryables, "the queryable properties of the collection as property=value")
}

// param returns a parameter's value; an empty value counts as absent (HTML forms send empty fields).
func param(q url.Values, name string) string { return strings.TrimSpace(q.Get(name)) }

func invalid(name, format string, args ...any) error { return httpx.Invalid(name, format, args...) }

// parseLimit reads limit: a whole number from 1, reduced to maxLimit above it.
func parseLimit(v string) (int, error) {
	if v == "" {
		return defaultLimit, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil && !isOutOfRange(err) || n < 1 {
		return 0, invalid("limit", "%q is not allowed; give a whole number from 1 to %d (larger values are reduced to %d)", v, maxLimit, maxLimit)
	}
	if err != nil || n > maxLimit {
		return maxLimit, nil
	}
	return int(n), nil
}

// parseSkipGeometry reads skipGeometry (as pygeoapi and ldproxy name it): true answers features
// with "geometry": null, for lists and sums that need only properties.
func parseSkipGeometry(v string) (bool, error) {
	switch v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, invalid("skipGeometry", "%q is not allowed; give true or false", v)
}

func isOutOfRange(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}

// format is the representation of a response.
type format int

const (
	formatJSON format = iota
	formatHTML
)

func (f format) String() string {
	if f == formatHTML {
		return "html"
	}
	return "json"
}

// negotiate picks JSON or HTML: from f, else from the Accept header, else JSON.
func negotiate(r *http.Request) (format, error) {
	switch f := param(r.URL.Query(), "f"); f {
	case "json":
		return formatJSON, nil
	case "html":
		return formatHTML, nil
	case "":
	default:
		return 0, invalid("f", "%q is not a format here; use json or html", f)
	}
	var htmlQ, jsonQ float64
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		typ, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		switch {
		case typ == "text/html" || typ == "application/xhtml+xml":
			htmlQ = max(htmlQ, q)
		case strings.HasSuffix(typ, "json") || typ == "*/*" || typ == "application/*":
			jsonQ = max(jsonQ, q)
		}
	}
	if htmlQ > jsonQ {
		return formatHTML, nil
	}
	return formatJSON, nil
}

// joinAnd lists names for messages: "a, b and c".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
