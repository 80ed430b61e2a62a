package cql2

import "strings"

// Temporal functions follow OGC 21-065 clause 7 and the W3C Time Ontology:
// an operand is an instant (a Date or Timestamp property or literal) or an
// interval [start, end], closed at both ends. Open ends ('..') are bound as
// -infinity/infinity so that the same formulas apply. An instant behaves as
// the interval [t, t]; the interval-only functions reject instants, as the
// standard requires.

// intervalOnly reports temporal functions that are defined for intervals only.
func intervalOnly(op string) bool {
	switch op {
	case "T_AFTER", "T_BEFORE", "T_DISJOINT", "T_EQUALS", "T_INTERSECTS":
		return false
	}
	return true
}

// temporalType returns the type of an instant-valued bound; ok is false for
// an open end.
func (c *compiler) temporalType(e Expr, op string) (t Type, ok bool, err *Error) {
	switch n := e.(type) {
	case *openEnd:
		return 0, false, nil
	case *dateLit:
		return Date, true, nil
	case *timestampLit:
		return Timestamp, true, nil
	case *propertyRef:
		q, found := c.cat.Lookup(n.name)
		if !found {
			return 0, false, unknownPropertyError(c.cat, n.name, n.pos)
		}
		if q.Type != Date && q.Type != Timestamp {
			return 0, false, errorf(n.pos, "%s needs dates or timestamps, but property %s is %s", op, quote(n.name), q.Type.withArticle())
		}
		return q.Type, true, nil
	}
	return 0, false, errorf(e.position(), "%s needs dates, timestamps or intervals, got %s", op, describe(e)).
		withHint("e.g. %s(prop, DATE('2024-01-31')) or %s(prop, INTERVAL('2024-01-01', '..'))", op, op)
}

func (c *compiler) temporal(n *temporalExpr) (string, *Error) {
	operands := [2]Expr{n.a, n.b}
	var bounds [2][2]Expr
	var isInterval [2]bool
	for i, e := range operands {
		if iv, ok := e.(*intervalLit); ok {
			bounds[i], isInterval[i] = [2]Expr{iv.start, iv.end}, true
		} else {
			bounds[i] = [2]Expr{e, e}
		}
	}
	var typ Type
	known := false
	for _, pair := range bounds {
		for _, b := range pair {
			t, ok, err := c.temporalType(b, n.op)
			if err != nil {
				return "", err
			}
			if ok && known && t != typ {
				return "", errorf(n.pos, "%s compares a Date with a Timestamp", n.op).
					withHint("compare Date properties with DATE('...') and Timestamp properties with TIMESTAMP('...')")
			}
			if ok {
				typ, known = t, true
			}
		}
	}
	if !known {
		typ = Timestamp
	}
	if intervalOnly(n.op) {
		for i, e := range operands {
			if !isInterval[i] {
				return "", errorf(e.position(), "%s compares intervals, but %s is an instant", n.op, describe(e)).
					withHint("write INTERVAL(start, end), or use T_AFTER, T_BEFORE, T_DISJOINT, T_EQUALS or T_INTERSECTS")
			}
		}
	}
	cast := "::timestamptz"
	if typ == Date {
		cast = "::date"
	}
	// Bounds are bound lazily, on first use by the formula: PostgreSQL cannot
	// type a parameter that the statement never references.
	var memo [2][2]string
	bound := func(i, j int) string {
		if !isInterval[i] {
			j = 0
		}
		if memo[i][j] != "" {
			return memo[i][j]
		}
		switch b := bounds[i][j].(type) {
		case *openEnd:
			inf := "-infinity"
			if j == 1 {
				inf = "infinity"
			}
			memo[i][j] = c.bind(inf) + cast
		default:
			// Cannot fail: temporalType has checked every bound.
			v, _ := c.val(b)
			memo[i][j] = v.sql
		}
		return memo[i][j]
	}
	s1 := func() string { return bound(0, 0) }
	e1 := func() string { return bound(0, 1) }
	s2 := func() string { return bound(1, 0) }
	e2 := func() string { return bound(1, 1) }
	instants := !isInterval[0] && !isInterval[1]
	// cmp renders "x op y" evaluating the operands left to right, so that
	// placeholders are numbered in reading order.
	cmp := func(x func() string, op string, y func() string) string {
		l := x()
		return l + " " + op + " " + y()
	}
	and := func(parts ...string) string { return "(" + strings.Join(parts, " AND ") + ")" }
	switch n.op {
	case "T_BEFORE":
		return cmp(e1, "<", s2), nil
	case "T_AFTER":
		return cmp(s1, ">", e2), nil
	case "T_DISJOINT":
		if instants {
			return cmp(s1, "<>", s2), nil
		}
		before := cmp(e1, "<", s2)
		return "(" + before + " OR " + cmp(s1, ">", e2) + ")", nil
	case "T_EQUALS":
		if instants {
			return cmp(s1, "=", s2), nil
		}
		first := cmp(s1, "=", s2)
		return and(first, cmp(e1, "=", e2)), nil
	case "T_INTERSECTS":
		if instants {
			return cmp(s1, "=", s2), nil
		}
		first := cmp(s1, "<=", e2)
		return and(first, cmp(e1, ">=", s2)), nil
	case "T_MEETS":
		return cmp(e1, "=", s2), nil
	case "T_METBY":
		return cmp(s1, "=", e2), nil
	}
	// The remaining relations are conjunctions of comparisons; evaluate them
	// in order so that placeholders are numbered as they appear.
	type rel struct {
		x  func() string
		op string
		y  func() string
	}
	var rels []rel
	switch n.op {
	case "T_CONTAINS":
		rels = []rel{{s1, "<", s2}, {e2, "<", e1}}
	case "T_DURING":
		rels = []rel{{s2, "<", s1}, {e1, "<", e2}}
	case "T_FINISHEDBY":
		rels = []rel{{s1, "<", s2}, {e1, "=", e2}}
	case "T_FINISHES":
		rels = []rel{{s2, "<", s1}, {e1, "=", e2}}
	case "T_OVERLAPPEDBY":
		rels = []rel{{s2, "<", s1}, {s1, "<", e2}, {e2, "<", e1}}
	case "T_OVERLAPS":
		rels = []rel{{s1, "<", s2}, {s2, "<", e1}, {e1, "<", e2}}
	case "T_STARTEDBY":
		rels = []rel{{s1, "=", s2}, {e2, "<", e1}}
	case "T_STARTS":
		rels = []rel{{s1, "=", s2}, {e1, "<", e2}}
	default:
		return "", errorf(n.pos, "unknown temporal function %s", n.op)
	}
	parts := make([]string, len(rels))
	for i, r := range rels {
		parts[i] = cmp(r.x, r.op, r.y)
	}
	return and(parts...), nil
}
