package cql2

import (
	"slices"
	"strings"
)

// Type is the type of a queryable property.
type Type int

// The queryable types. Number and Integer are both numeric and compare with
// each other; Date and Timestamp are deliberately not interchangeable because
// comparing a date with a timestamp depends on the database session time zone.
const (
	String Type = iota
	Number
	Integer
	Boolean
	Date
	Timestamp
	Geometry
)

// String returns the name of the type as used in error messages.
func (t Type) String() string {
	switch t {
	case String:
		return "String"
	case Number:
		return "Number"
	case Integer:
		return "Integer"
	case Boolean:
		return "Boolean"
	case Date:
		return "Date"
	case Timestamp:
		return "Timestamp"
	case Geometry:
		return "Geometry"
	}
	return "Unknown"
}

// Queryable is one filterable property. Its SQL comes from our own code, never
// from a request: it is copied verbatim into the compiled condition.
type Queryable struct {
	Name        string   // as the client writes it, e.g. "net_area_ha"
	SQL         string   // SQL expression, e.g. "p.net_area_ha" or "p.geom"
	Type        Type     // the property type, used for type checking
	Enum        []string // allowed values for code-list properties (nil = any)
	Description string   // human-readable description, for queryables documents
}

// Catalog resolves property names. Lookup must be case-sensitive.
//
// A Catalog that also implements NameLister gets error messages that list the
// queryable properties and suggest the right spelling of a mistyped name.
type Catalog interface {
	Lookup(name string) (Queryable, bool)
}

// NameLister is an optional interface of a Catalog that can enumerate its
// property names.
type NameLister interface {
	Names() []string
}

// Queryables is a simple map-backed Catalog keyed by property name.
type Queryables map[string]Queryable

// Lookup returns the queryable with exactly the given name.
func (q Queryables) Lookup(name string) (Queryable, bool) {
	v, ok := q[name]
	if ok && v.Name == "" {
		v.Name = name
	}
	return v, ok
}

// Names returns the property names in sorted order.
func (q Queryables) Names() []string {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// unknownPropertyError explains an unknown property and, when the catalog can
// list its names, what the client could have meant.
func unknownPropertyError(cat Catalog, name string, pos int) *Error {
	e := &Error{Pos: pos, Msg: "unknown property " + quote(name)}
	nl, ok := cat.(NameLister)
	if !ok {
		return e
	}
	names := nl.Names()
	slices.Sort(names)
	for _, n := range names {
		if strings.EqualFold(n, name) {
			e.Hint = "property names are case-sensitive; did you mean " + quote(n) + "?"
			return e
		}
	}
	if len(names) == 0 {
		e.Hint = "this collection has no queryable properties"
	} else {
		e.Hint = "queryable properties are: " + strings.Join(names, ", ")
	}
	return e
}

// withArticle renders the type with its indefinite article for messages.
func (t Type) withArticle() string {
	if t == Integer {
		return "an Integer"
	}
	return "a " + t.String()
}
