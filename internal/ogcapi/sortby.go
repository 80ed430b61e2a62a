package ogcapi

import (
	"slices"
	"strings"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
)

// sortKey is one key of sortby.
type sortKey struct {
	Prop catalog.Property
	Desc bool
}

// maxSortKeys bounds sortby; more keys make no useful order.
const maxSortKeys = 5

// parseSortby reads sortby: comma-separated property names, each with an optional + (ascending,
// the default) or - (descending). A + arrives as a space when the client did not encode it.
// Only properties the reader may see can be sort keys.
func parseSortby(v string, c catalog.Collection, internal bool) ([]sortKey, error) {
	if v == "" {
		return nil, nil
	}
	var keys []sortKey
	for _, item := range strings.Split(v, ",") {
		name := strings.TrimSpace(item)
		desc := false
		switch {
		case strings.HasPrefix(name, "-"):
			name, desc = strings.TrimSpace(name[1:]), true
		case strings.HasPrefix(name, "+"):
			name = strings.TrimSpace(name[1:])
		}
		p, ok := c.Property(name, internal)
		if !ok {
			return nil, invalid("sortby", "%q is not a property of %s; sort by %s, each optionally prefixed with + or -",
				name, c.ID, strings.Join(propertyNames(c, internal), ", "))
		}
		if slices.ContainsFunc(keys, func(k sortKey) bool { return k.Prop.Name == name }) {
			return nil, invalid("sortby", "%q is listed twice", name)
		}
		keys = append(keys, sortKey{Prop: p, Desc: desc})
	}
	if len(keys) > maxSortKeys {
		return nil, invalid("sortby", "has %d keys; at most %d are allowed", len(keys), maxSortKeys)
	}
	return keys, nil
}

// parseProperties reads properties: the comma-separated properties to return.
func parseProperties(v string, c catalog.Collection, internal bool) ([]catalog.Property, error) {
	if v == "" {
		return c.Visible(internal), nil
	}
	var props []catalog.Property
	for _, item := range strings.Split(v, ",") {
		name := strings.TrimSpace(item)
		p, ok := c.Property(name, internal)
		if !ok {
			return nil, invalid("properties", "%q is not a property of %s; choose from %s",
				name, c.ID, strings.Join(propertyNames(c, internal), ", "))
		}
		if !slices.ContainsFunc(props, func(q catalog.Property) bool { return q.Name == name }) {
			props = append(props, p)
		}
	}
	return props, nil
}

// propertyNames lists the properties a reader may see.
func propertyNames(c catalog.Collection, internal bool) []string {
	var names []string
	for _, p := range c.Visible(internal) {
		names = append(names, p.Name)
	}
	return names
}

// queryParamNames lists the properties that work as property=value parameters: the visible
// non-geometry queryables whose names do not clash with a parameter of the items resource.
func queryParamNames(c catalog.Collection, internal bool) []string {
	var names []string
	for _, p := range c.Visible(internal) {
		if p.Type != cql2.Geometry && !slices.Contains(itemsParams, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}
