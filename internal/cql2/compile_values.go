package cql2

import (
	"math"
	"strconv"
	"strings"
)

// value is a compiled value expression.
type value struct {
	sql string
	// bare is set for string literals: the placeholder without a cast. It is
	// used next to a plain String property so that PostgreSQL gives the
	// parameter the column's type (text, varchar, citext or an enum type).
	bare string
	typ  Type
	src  Expr
}

func (v value) isProperty() bool {
	_, ok := v.src.(*propertyRef)
	return ok
}

// desc names the value for error messages.
func (v value) desc() string { return describe(v.src) }

// pairSQL renders two values that are compared with each other.
func pairSQL(l, r value) (string, string) {
	ls, rs := l.sql, r.sql
	if l.isProperty() && l.typ == String && r.bare != "" {
		rs = r.bare
	}
	if r.isProperty() && r.typ == String && l.bare != "" {
		ls = l.bare
	}
	return ls, rs
}

func isNumeric(t Type) bool { return t == Number || t == Integer }

// compatible reports whether values of the two types can be compared.
func compatible(a, b Type) bool {
	return a == b || isNumeric(a) && isNumeric(b)
}

// mismatch explains a type error between two compared values, with a hint
// on how to write a literal of the expected type.
func mismatch(pos int, l, r value, op string) *Error {
	e := errorf(pos, "cannot compare %s (%s) with %s (%s) in %s", l.desc(), l.typ, r.desc(), r.typ, op)
	want := l.typ
	if r.isProperty() && !l.isProperty() {
		want = r.typ
	}
	switch want {
	case String:
		return e.withHint("write strings in single quotes, e.g. 'abc'")
	case Number, Integer:
		return e.withHint("write numbers without quotes, e.g. 42 or 1.5")
	case Boolean:
		return e.withHint("use TRUE or FALSE")
	case Date:
		return e.withHint("write dates as DATE('2024-01-31')")
	case Timestamp:
		return e.withHint("write timestamps as TIMESTAMP('2024-01-31T12:00:00Z')")
	}
	return e
}

// val compiles a value expression.
func (c *compiler) val(e Expr) (value, *Error) {
	switch n := e.(type) {
	case *propertyRef:
		q, ok := c.cat.Lookup(n.name)
		if !ok {
			return value{}, unknownPropertyError(c.cat, n.name, n.pos)
		}
		if q.SQL == "" || q.Type < String || q.Type > Geometry {
			return value{}, errorf(n.pos, "property %s is not configured for filtering", quote(n.name))
		}
		return value{sql: wrapSQL(q.SQL), typ: q.Type, src: e}, nil
	case *stringLit:
		ph := c.bind(n.val)
		return value{sql: ph + "::text", bare: ph, typ: String, src: e}, nil
	case *numberLit:
		if n.val == math.Trunc(n.val) && math.Abs(n.val) <= 1<<53 {
			return value{sql: c.bind(int64(n.val)) + "::bigint", typ: Integer, src: e}, nil
		}
		return value{sql: c.bind(n.val) + "::numeric", typ: Number, src: e}, nil
	case *boolLit:
		return value{sql: c.bind(n.val) + "::boolean", typ: Boolean, src: e}, nil
	case *dateLit:
		return value{sql: c.bind(n.val) + "::date", typ: Date, src: e}, nil
	case *timestampLit:
		return value{sql: c.bind(n.val) + "::timestamptz", typ: Timestamp, src: e}, nil
	case *geomLit:
		s, err := c.geometry(n)
		return value{sql: s, typ: Geometry, src: e}, err
	case *arithExpr:
		return c.arith(n)
	case *foldExpr:
		v, err := c.val(n.arg)
		if err != nil {
			return value{}, err
		}
		if v.typ != String {
			return value{}, errorf(n.arg.position(), "%s needs a string, but %s is %s", n.fn, v.desc(), v.typ.withArticle())
		}
		fn := "lower("
		if n.fn == "ACCENTI" {
			fn = "unaccent("
		}
		return value{sql: fn + v.sql + ")", typ: String, src: e}, nil
	case *intervalLit:
		return value{}, errorf(n.pos, "an INTERVAL can only be used in temporal functions").
			withHint("e.g. T_INTERSECTS(prop, INTERVAL('2024-01-01', '..'))")
	}
	if isPredicate(e) {
		return value{}, requireValue(e)
	}
	return value{}, errorf(e.position(), "unexpected %s", describe(e))
}

// wrapSQL parenthesises a Queryable's SQL unless it is a plain (qualified)
// column name, so that operator precedence inside it cannot leak.
func wrapSQL(s string) string {
	for _, part := range strings.Split(s, ".") {
		if !isPlainSQLIdent(part) {
			return "(" + s + ")"
		}
	}
	return s
}

func isPlainSQLIdent(s string) bool {
	if s == "" || !isSQLIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isSQLIdentStart(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isSQLIdentStart(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func (c *compiler) arith(n *arithExpr) (value, *Error) {
	a, err := c.val(n.a)
	if err != nil {
		return value{}, err
	}
	b, err := c.val(n.b)
	if err != nil {
		return value{}, err
	}
	for _, v := range []value{a, b} {
		if !isNumeric(v.typ) {
			return value{}, errorf(v.src.position(), "arithmetic (%s) needs numbers, but %s is %s", n.op, v.desc(), v.typ.withArticle())
		}
	}
	if lit, ok := n.b.(*numberLit); ok && lit.val == 0 && (n.op == "/" || n.op == "%" || n.op == "div") {
		return value{}, errorf(n.pos, "division by zero")
	}
	ints := a.typ == Integer && b.typ == Integer
	out := value{typ: Number, src: n}
	switch n.op {
	case "+", "-", "*":
		out.sql = "(" + a.sql + " " + n.op + " " + b.sql + ")"
		if ints {
			out.typ = Integer
		}
	case "/":
		// PostgreSQL divides integers with truncation; CQL2 "/" is exact.
		if ints {
			out.sql = "(" + a.sql + "::numeric / " + b.sql + ")"
		} else {
			out.sql = "(" + a.sql + " / " + b.sql + ")"
		}
	case "%":
		// mod() has no double precision variant.
		if ints {
			out.sql, out.typ = "mod("+a.sql+", "+b.sql+")", Integer
		} else {
			out.sql = "mod(" + a.sql + "::numeric, " + b.sql + "::numeric)"
		}
	case "div":
		out.typ = Integer
		if ints {
			out.sql = "(" + a.sql + " / " + b.sql + ")"
		} else {
			out.sql = "div(" + a.sql + "::numeric, " + b.sql + "::numeric)"
		}
	case "^":
		out.sql = "power(" + a.sql + ", " + b.sql + ")"
	default:
		return value{}, errorf(n.pos, "unknown arithmetic operator %s", quote(n.op))
	}
	return out, nil
}

// geometry compiles a geometry literal into a bind parameter holding WKT,
// in the storage CRS.
func (c *compiler) geometry(n *geomLit) (string, *Error) {
	srid := c.opt.FilterSRID
	wkt, err := n.g.toWKT(n.pos, wktOptions{flip: c.opt.FlipAxes, geographic: srid == 4326})
	if err != nil {
		return "", err
	}
	s := "ST_GeomFromText(" + c.bind(wkt) + ", " + strconv.Itoa(srid) + ")"
	if st := c.opt.StorageSRID; st != 0 && st != srid {
		if a := c.opt.StorageArea; srid == 4326 && a != [4]float64{} && reachesOutside(n.g, c.opt.FlipAxes, a) {
			return ClipTransformSQL(s, a, st, c.bind), nil
		}
		s = "ST_Transform(" + s + ", " + strconv.Itoa(st) + ")"
	}
	return s, nil
}

// reachesOutside reports whether a geographic literal has a position outside
// the box a (west, south, east, north); flip says it is in latitude/longitude
// order. A bounding box across the antimeridian always reaches outside.
func reachesOutside(g *geometry, flip bool, a [4]float64) bool {
	out := func(x, y float64) bool {
		if flip {
			x, y = y, x
		}
		return x < a[0] || y < a[1] || x > a[2] || y > a[3]
	}
	if g.typ == gBBox {
		n := len(g.bbox) / 2
		return out(g.bbox[0], g.bbox[1]) || out(g.bbox[n], g.bbox[n+1])
	}
	found := false
	g.forEachPos(func(p position) *Error {
		found = found || out(p[0], p[1])
		return nil
	})
	return found
}

// unfold strips CASEI/ACCENTI wrappers and reports which were present.
func unfold(e Expr) (inner Expr, casei, accenti bool) {
	for {
		f, ok := e.(*foldExpr)
		if !ok {
			return e, casei, accenti
		}
		casei = casei || f.fn == "CASEI"
		accenti = accenti || f.fn == "ACCENTI"
		e = f.arg
	}
}

// checkEnum rejects a string literal compared for equality with a code-list
// property when the literal is not one of the allowed values.
func (c *compiler) checkEnum(a, b Expr) *Error {
	for _, pair := range [2][2]Expr{{a, b}, {b, a}} {
		pe, pci, pai := unfold(pair[0])
		le, lci, lai := unfold(pair[1])
		prop, ok := pe.(*propertyRef)
		lit, ok2 := le.(*stringLit)
		if !ok || !ok2 || pai || lai {
			continue
		}
		q, ok := c.cat.Lookup(prop.name)
		if !ok || len(q.Enum) == 0 {
			continue
		}
		found := false
		for _, v := range q.Enum {
			if v == lit.val || (pci || lci) && strings.EqualFold(v, lit.val) {
				found = true
				break
			}
		}
		if !found {
			return errorf(lit.pos, "property %s takes one of %s; got %s",
				quote(prop.name), strings.Join(q.Enum, ", "), quote(lit.val))
		}
	}
	return nil
}
