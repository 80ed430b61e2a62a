package cql2

import (
	"strconv"
	"strings"
)

// CompileOptions control how an expression is turned into SQL.
type CompileOptions struct {
	// ArgOffset is the number of bind args already used by the surrounding
	// query; the first placeholder is $ArgOffset+1.
	ArgOffset int
	// FilterSRID is the SRID of geometry literals in the filter (the
	// filter-crs parameter). 0 means 4326, i.e. CRS84 longitude/latitude.
	// For 4326, coordinates are range-checked and bounding boxes whose west
	// edge is east of their east edge are split at the antimeridian.
	FilterSRID int
	// FlipAxes says that literals are in latitude/longitude (northing/easting)
	// order, as for the EPSG:4326 URI as filter-crs. They are flipped to x/y
	// order before use.
	FlipAxes bool
	// StorageSRID is the SRID of the stored geometries (landatlas: 25832).
	// Literals are ST_Transform'ed to it unless it is 0 or equal to FilterSRID.
	StorageSRID int
	// StorageArea, when set, is the longitude/latitude box (west, south, east,
	// north) where the stored data can lie, inside the storage CRS's area of
	// use. A geographic literal reaching outside it is clipped to it (and
	// densified) before it is transformed: PostGIS cannot transform coordinates
	// far outside a projected CRS's area and silently returns degenerate
	// geometry (a whole-world BBOX in UTM collapses to a line, so S_INTERSECTS
	// matched nothing). For data well inside the box, clipping keeps the result
	// of every spatial predicate.
	StorageArea [4]float64
}

// Compile translates a parsed expression into a PostgreSQL/PostGIS boolean
// condition using $n placeholders, and returns the values to bind to them.
//
// Every literal of the filter becomes a bind argument; the SQL text consists
// only of Queryable.SQL fragments from cat, fixed operators and function names,
// placeholders and the SRIDs from opt. The result is either a single predicate
// or is enclosed in parentheses, so it can be joined to other conditions with
// AND. Type errors, unknown properties and values outside a property's Enum
// are reported as *Error.
//
// Bind arguments are string (text, dates, timestamps, WKT), int64, float64
// and bool; each placeholder carries an explicit cast where PostgreSQL could
// not infer its type.
func Compile(e Expr, cat Catalog, opt CompileOptions) (sql string, args []any, err error) {
	if e == nil {
		return "", nil, errorf(-1, "no expression to compile")
	}
	if cat == nil {
		cat = Queryables(nil)
	}
	if opt.ArgOffset < 0 || opt.FilterSRID < 0 || opt.StorageSRID < 0 {
		return "", nil, errorf(-1, "invalid compile options: negative ArgOffset or SRID")
	}
	if opt.FilterSRID == 0 {
		opt.FilterSRID = 4326
	}
	if rerr := requireCondition(e); rerr != nil {
		return "", nil, rerr
	}
	c := &compiler{cat: cat, opt: opt}
	s, cerr := c.cond(e)
	if cerr != nil {
		return "", nil, cerr
	}
	if opt.ArgOffset+len(c.args) > maxBindArgs {
		return "", nil, errorf(-1, "filter has too many literal values").
			withHint("PostgreSQL accepts at most %d bind parameters per query", maxBindArgs)
	}
	return s, c.args, nil
}

type compiler struct {
	cat  Catalog
	opt  CompileOptions
	args []any
}

// bind adds a bind argument and returns its placeholder.
func (c *compiler) bind(v any) string {
	c.args = append(c.args, v)
	return "$" + strconv.Itoa(c.opt.ArgOffset+len(c.args))
}

// cond compiles a condition.
func (c *compiler) cond(e Expr) (string, *Error) {
	switch n := e.(type) {
	case *logicalExpr:
		parts := make([]string, len(n.args))
		for i, a := range n.args {
			s, err := c.cond(a)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, " "+n.op+" ") + ")", nil
	case *notExpr:
		return c.not(n)
	case *compareExpr:
		return c.compare(n)
	case *likeExpr:
		return c.like(n, false)
	case *betweenExpr:
		return c.between(n, false)
	case *inExpr:
		return c.in(n, false)
	case *isNullExpr:
		return c.isNull(n, false)
	case *spatialExpr:
		return c.spatial(n)
	case *temporalExpr:
		return c.temporal(n)
	case *boolLit:
		return c.bind(n.val) + "::boolean", nil
	}
	return "", requireCondition(e)
}

// not compiles NOT, using SQL's own negated forms where they exist.
func (c *compiler) not(n *notExpr) (string, *Error) {
	switch a := n.arg.(type) {
	case *likeExpr:
		return c.like(a, true)
	case *betweenExpr:
		return c.between(a, true)
	case *inExpr:
		return c.in(a, true)
	case *isNullExpr:
		return c.isNull(a, true)
	}
	s, err := c.cond(n.arg)
	if err != nil {
		return "", err
	}
	if _, ok := n.arg.(*logicalExpr); ok {
		return "NOT " + s, nil
	}
	return "NOT (" + s + ")", nil
}

func (c *compiler) compare(n *compareExpr) (string, *Error) {
	left, right := c.castPair(n.left, n.right)
	l, err := c.val(left)
	if err != nil {
		return "", err
	}
	r, err := c.val(right)
	if err != nil {
		return "", err
	}
	for _, v := range []value{l, r} {
		if v.typ == Geometry {
			return "", errorf(v.src.position(), "%s is a geometry and cannot be compared with %s", v.desc(), n.op).
				withHint("use a spatial function such as S_INTERSECTS or S_EQUALS")
		}
	}
	if !compatible(l.typ, r.typ) {
		return "", mismatch(n.pos, l, r, n.op)
	}
	if n.op == "=" || n.op == "<>" {
		if err := c.checkEnum(n.left, n.right); err != nil {
			return "", err
		}
	}
	ls, rs := pairSQL(l, r)
	return ls + " " + n.op + " " + rs, nil
}

func (c *compiler) like(n *likeExpr, negate bool) (string, *Error) {
	l, err := c.val(n.arg)
	if err != nil {
		return "", err
	}
	if l.typ != String {
		return "", errorf(n.arg.position(), "LIKE needs a string, but %s is %s", l.desc(), l.typ.withArticle()).
			withHint("use LIKE only with String properties")
	}
	p, err := c.val(n.pattern)
	if err != nil {
		return "", err
	}
	ls, ps := pairSQL(l, p)
	op := " LIKE "
	if negate {
		op = " NOT LIKE "
	}
	return ls + op + ps, nil
}

func (c *compiler) between(n *betweenExpr, negate bool) (string, *Error) {
	var sqls [3]string
	for i, e := range []Expr{n.arg, n.lo, n.hi} {
		v, err := c.val(e)
		if err != nil {
			return "", err
		}
		if !isNumeric(v.typ) {
			return "", errorf(e.position(), "BETWEEN needs numbers, but %s is %s", v.desc(), v.typ.withArticle()).
				withHint("for dates and timestamps use >= and <=, or T_DURING")
		}
		sqls[i] = v.sql
	}
	op := " BETWEEN "
	if negate {
		op = " NOT BETWEEN "
	}
	return "(" + sqls[0] + op + sqls[1] + " AND " + sqls[2] + ")", nil
}

func (c *compiler) in(n *inExpr, negate bool) (string, *Error) {
	l, err := c.val(n.arg)
	if err != nil {
		return "", err
	}
	if l.typ == Geometry {
		return "", errorf(n.arg.position(), "%s is a geometry and cannot be used with IN", l.desc())
	}
	items := make([]string, len(n.list))
	for i, e := range n.list {
		_, e = c.castPair(n.arg, e)
		v, err := c.val(e)
		if err != nil {
			return "", err
		}
		if !compatible(l.typ, v.typ) {
			return "", mismatch(e.position(), l, v, "IN")
		}
		if err := c.checkEnum(n.arg, e); err != nil {
			return "", err
		}
		_, items[i] = pairSQL(l, v)
	}
	op := " IN ("
	if negate {
		op = " NOT IN ("
	}
	return l.sql + op + strings.Join(items, ", ") + ")", nil
}

func (c *compiler) isNull(n *isNullExpr, negate bool) (string, *Error) {
	var s string
	if isPredicate(n.arg) {
		cs, err := c.cond(n.arg)
		if err != nil {
			return "", err
		}
		s = "(" + cs + ")"
	} else {
		v, err := c.val(n.arg)
		if err != nil {
			return "", err
		}
		s = v.sql
	}
	if negate {
		return s + " IS NOT NULL", nil
	}
	return s + " IS NULL", nil
}

// castPair casts a string literal compared with a Date or Timestamp value
// into a DATE or TIMESTAMP literal if it is one, so that listed_on =
// '2024-01-31' works like listed_on = DATE('2024-01-31'). CQL2 permits such
// casts (/per/basic-cql2/type-casts) and its test suite uses them with IN.
func (c *compiler) castPair(a, b Expr) (Expr, Expr) {
	if t, ok := c.staticType(b); ok {
		a = castString(a, t)
	}
	if t, ok := c.staticType(a); ok {
		b = castString(b, t)
	}
	return a, b
}

// staticType is the type of a property or temporal literal, known without
// compiling it.
func (c *compiler) staticType(e Expr) (Type, bool) {
	switch n := e.(type) {
	case *propertyRef:
		q, ok := c.cat.Lookup(n.name)
		return q.Type, ok
	case *dateLit:
		return Date, true
	case *timestampLit:
		return Timestamp, true
	}
	return 0, false
}

func castString(e Expr, to Type) Expr {
	s, ok := e.(*stringLit)
	if !ok {
		return e
	}
	if _, ok := parseDate(s.val); ok && to == Date {
		return &dateLit{pos: s.pos, val: s.val}
	}
	if _, ok := parseTimestamp(s.val); ok && to == Timestamp {
		return &timestampLit{pos: s.pos, val: s.val}
	}
	return e
}

// spatialFunc maps CQL2 spatial functions to PostGIS.
func spatialFunc(op string) string {
	switch op {
	case "S_INTERSECTS":
		return "ST_Intersects"
	case "S_EQUALS":
		return "ST_Equals"
	case "S_DISJOINT":
		return "ST_Disjoint"
	case "S_TOUCHES":
		return "ST_Touches"
	case "S_WITHIN":
		return "ST_Within"
	case "S_OVERLAPS":
		return "ST_Overlaps"
	case "S_CROSSES":
		return "ST_Crosses"
	}
	return "ST_Contains"
}

func (c *compiler) spatial(n *spatialExpr) (string, *Error) {
	var sqls [2]string
	for i, e := range []Expr{n.a, n.b} {
		v, err := c.val(e)
		if err != nil {
			return "", err
		}
		if v.typ != Geometry {
			return "", errorf(e.position(), "%s needs geometries, but %s is %s", n.op, v.desc(), v.typ.withArticle()).
				withHint("pass a geometry property and a geometry literal such as POINT(7 51) or BBOX(6,50,8,52)")
		}
		sqls[i] = v.sql
	}
	return spatialFunc(n.op) + "(" + sqls[0] + ", " + sqls[1] + ")", nil
}
