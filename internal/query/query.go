// Package query is the one query core of landatlas. It alone builds the selection of the features
// of a collection for a reader: the catalog's FROM clause and visibility rule, the state at a time
// (current, an instant, an interval, every version), the bbox, CQL2 filters compiled with one set
// of options, restrictions to ids, and the bind arguments of all of it. The features API, the vector
// tiles, the study (its figures, runs and exports) and the district summaries all ask it, so one
// filter selects the same parcels everywhere.
package query

import (
	"strconv"
	"strings"
	"time"

	"landatlas/internal/apperr"
	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/region"
)

// Args collects the bind arguments of a statement while it is built and hands out their
// placeholders. Every value of a request reaches SQL through it.
type Args struct{ values []any }

// Bind adds a value and returns its placeholder ("$3").
func (a *Args) Bind(v any) string {
	a.values = append(a.values, v)
	return "$" + strconv.Itoa(len(a.values))
}

// Values returns the arguments in placeholder order.
func (a *Args) Values() []any { return a.values }

// Len is the number of arguments bound so far.
func (a *Args) Len() int { return len(a.values) }

// Clone returns a copy that can be extended without changing a.
func (a *Args) Clone() *Args { return &Args{values: append([]any(nil), a.values...)} }

// timeKind says which states of the records a selection reads.
type timeKind int

const (
	current  timeKind = iota // the current state
	instant                  // the state at one time
	interval                 // every record that existed in an interval, in its latest state within it
	versions                 // every state of every record; the caller bounds the time
)

// Time is the state a selection reads. The zero Time is the current state.
type Time struct {
	kind       timeKind
	at         time.Time
	start, end *time.Time
}

// Now is the current state.
func Now() Time { return Time{} }

// At is the state at t; the zero t is the current state.
func At(t time.Time) Time {
	if t.IsZero() {
		return Time{}
	}
	return Time{kind: instant, at: t}
}

// During selects every record that existed at some time between start and end (nil: open), each
// in its latest state within the interval.
func During(start, end *time.Time) Time { return Time{kind: interval, start: start, end: end} }

// AllVersions selects every state of every record, for questions about changes (take-up); the
// caller bounds the time with its own conditions on valid_from.
func AllVersions() Time { return Time{kind: versions} }

// IsCurrent reports whether t is the current state.
func (t Time) IsCurrent() bool { return t.kind == current }

// BBox is a box in x/y order of its CRS (easting/northing, longitude/latitude).
type BBox struct {
	MinX, MinY, MaxX, MaxY float64
	SRID                   int
	// Geographic boxes are in degrees; a west edge east of the east edge crosses the antimeridian.
	Geographic bool
}

// Filter is a CQL2 expression over a collection's queryables, with the CRS of its geometry
// literals.
type Filter struct {
	// Param names the request parameter the filter came from, for error messages.
	Param string
	Expr  cql2.Expr
	// SRID of the geometry literals; 0 means CRS84 longitude/latitude.
	SRID int
	// LatLon says the literals are in latitude/longitude order (EPSG:4326 as filter-crs).
	LatLon bool
}

// ParseText parses a CQL2 text filter given in parameter param; "" is no filter (nil).
func ParseText(param, text string) (*Filter, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	e, err := cql2.ParseText(text)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "parameter %s: %v", param, err)
	}
	return &Filter{Param: param, Expr: e}, nil
}

// ParseJSON parses a CQL2 JSON filter given in parameter param.
func ParseJSON(param string, doc []byte) (*Filter, error) {
	e, err := cql2.ParseJSON(doc)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "parameter %s: %v", param, err)
	}
	return &Filter{Param: param, Expr: e}, nil
}

// Selection is a request for the features of one collection as one reader may see them.
type Selection struct {
	Collection catalog.Collection
	// Internal readers (signed in) see internal records and properties; the public does not.
	Internal bool
	Time     Time
	BBox     *BBox
	// Filters are joined with AND; nil entries are left out.
	Filters []*Filter
	// IDs, when not nil, restricts the selection to these features (a stored run's parcels).
	IDs []int64
}

// SQL is a built selection: the FROM clause (alias t for the collection's rows, and the joins of
// the catalog) and the conditions, whose placeholders are bound in the Args it was built with.
type SQL struct {
	From  string
	Where []string
	// UsesAccent is set when a filter needs the unaccent function (CQL2 ACCENTI).
	UsesAccent bool
}

// Cond is the conditions joined with AND, with extra ones; "true" when there are none.
func (s SQL) Cond(extra ...string) string {
	conds := append(append([]string(nil), s.Where...), extra...)
	if len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " AND ")
}

// WhereClause is " WHERE " and Cond, or "" when there are no conditions.
func (s SQL) WhereClause(extra ...string) string {
	if len(s.Where)+len(extra) == 0 {
		return ""
	}
	return " WHERE " + s.Cond(extra...)
}

// Build returns the selection's SQL, binding its values in a.
func (s Selection) Build(a *Args) (SQL, error) {
	c := s.Collection
	var out SQL
	timed := !s.Time.IsCurrent()
	switch s.Time.kind {
	case current:
		out.From = c.FromClause("")
	case instant:
		if c.AtTime == "" {
			return SQL{}, noTime(c)
		}
		out.From = c.FromClause(a.Bind(s.Time.at) + "::timestamptz")
	case interval:
		if c.AtTime == "" {
			return SQL{}, noTime(c)
		}
		start, end := "'-infinity'::timestamptz", "'infinity'::timestamptz"
		if s.Time.start != nil {
			start = a.Bind(*s.Time.start) + "::timestamptz"
		}
		if s.Time.end != nil {
			end = a.Bind(*s.Time.end) + "::timestamptz"
		}
		out.From = c.FromClauseDuring(start, end)
	case versions:
		out.From = c.FromClauseVersions()
	}
	out.Where = c.Where(s.Internal, timed)
	if s.BBox != nil {
		out.Where = append(out.Where, bboxSQL(a, c.Geom, *s.BBox))
	}
	if s.IDs != nil {
		out.Where = append(out.Where, c.IDColumn+" = ANY ("+a.Bind(s.IDs)+"::bigint[])")
	}
	queryables := c.Queryables(s.Internal)
	for _, f := range s.Filters {
		if f == nil {
			continue
		}
		cond, err := compile(a, queryables, *f)
		if err != nil {
			return SQL{}, err
		}
		out.UsesAccent = out.UsesAccent || strings.Contains(cond, "unaccent(")
		out.Where = append(out.Where, cond)
	}
	return out, nil
}

// Condition compiles one more filter against the selection's collection as its reader may see it,
// with the same options as Build, for a condition of its own (an aggregate's FILTER clause).
func (s Selection) Condition(a *Args, f Filter) (string, error) {
	return compile(a, s.Collection.Queryables(s.Internal), f)
}

func noTime(c catalog.Collection) error {
	return apperr.New(apperr.Invalid, "collection %s has no time dimension", c.ID)
}

// compile turns a filter into a condition with the one set of options every surface uses:
// geographic literals clipped to the storage area before they are transformed to the storage CRS.
// A filter on a property the reader may not see is an unknown property.
func compile(a *Args, q cql2.Queryables, f Filter) (string, error) {
	sql, args, err := cql2.Compile(f.Expr, q, cql2.CompileOptions{
		ArgOffset: a.Len(), FilterSRID: f.SRID, FlipAxes: f.LatLon,
		StorageSRID: region.StorageSRID, StorageArea: region.StorageArea,
	})
	if err != nil {
		param := f.Param
		if param == "" {
			param = "filter"
		}
		return "", apperr.New(apperr.Invalid, "parameter %s: %v", param, err)
	}
	a.values = append(a.values, args...)
	return sql, nil
}
