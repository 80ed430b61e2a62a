package cql2

import (
	"strings"
	"time"
)

// isSpatialOp reports whether up is a CQL2 spatial function name.
func isSpatialOp(up string) bool {
	switch up {
	case "S_INTERSECTS", "S_EQUALS", "S_DISJOINT", "S_TOUCHES",
		"S_WITHIN", "S_OVERLAPS", "S_CROSSES", "S_CONTAINS":
		return true
	}
	return false
}

// isTemporalOp reports whether up is a CQL2 temporal function name.
func isTemporalOp(up string) bool {
	switch up {
	case "T_AFTER", "T_BEFORE", "T_CONTAINS", "T_DISJOINT", "T_DURING",
		"T_EQUALS", "T_FINISHEDBY", "T_FINISHES", "T_INTERSECTS", "T_MEETS",
		"T_METBY", "T_OVERLAPPEDBY", "T_OVERLAPS", "T_STARTEDBY", "T_STARTS":
		return true
	}
	return false
}

// wktType maps a WKT keyword to its geometry type. ENVELOPE is the name the
// CQL2 drafts used for BBOX.
func wktType(up string) (geomType, bool) {
	switch up {
	case "POINT":
		return gPoint, true
	case "LINESTRING":
		return gLineString, true
	case "POLYGON":
		return gPolygon, true
	case "MULTIPOINT":
		return gMultiPoint, true
	case "MULTILINESTRING":
		return gMultiLineString, true
	case "MULTIPOLYGON":
		return gMultiPolygon, true
	case "GEOMETRYCOLLECTION":
		return gCollection, true
	case "BBOX", "ENVELOPE":
		return gBBox, true
	}
	return 0, false
}

const (
	dateLayout      = "2006-01-02"
	timestampLayout = time.RFC3339Nano
)

// parseDate accepts exactly YYYY-MM-DD with a valid calendar date.
func parseDate(s string) (time.Time, bool) {
	if len(s) != len(dateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

// parseTimestamp accepts YYYY-MM-DDTHH:MM:SS[.fraction]Z, the only form the
// CQL2 BNF allows: timestamps are always UTC.
func parseTimestamp(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || s[10] != 'T' || !strings.HasSuffix(s, "Z") {
		return time.Time{}, false
	}
	if frac := s[19 : len(s)-1]; frac != "" {
		if frac[0] != '.' || len(frac) == 1 || strings.Trim(frac[1:], "0123456789") != "" {
			return time.Time{}, false
		}
	}
	t, err := time.Parse(timestampLayout, s)
	return t, err == nil
}

// newInstant builds a DATE or TIMESTAMP literal.
func newInstant(kind, s string, pos int) (Expr, *Error) {
	if kind == "DATE" {
		if _, ok := parseDate(s); !ok {
			return nil, errorf(pos, "invalid date %s", quote(s)).
				withHint("write a calendar date as YYYY-MM-DD, e.g. DATE('2024-01-31')")
		}
		return &dateLit{pos: pos, val: s}, nil
	}
	if _, ok := parseTimestamp(s); !ok {
		e := errorf(pos, "invalid timestamp %s", quote(s))
		if _, isDate := parseDate(s); isDate {
			return nil, e.withHint("a timestamp needs a time; use DATE('%s') for a date", s)
		}
		return nil, e.withHint("write a UTC timestamp as YYYY-MM-DDTHH:MM:SSZ, e.g. TIMESTAMP('2024-01-31T12:00:00Z')")
	}
	return &timestampLit{pos: pos, val: s}, nil
}

// newIntervalBound parses a literal interval bound: a date, a timestamp or
// ".." for an open end.
func newIntervalBound(s string, pos int) (Expr, *Error) {
	if s == ".." {
		return &openEnd{pos: pos}, nil
	}
	if _, ok := parseDate(s); ok {
		return &dateLit{pos: pos, val: s}, nil
	}
	if _, ok := parseTimestamp(s); ok {
		return &timestampLit{pos: pos, val: s}, nil
	}
	return nil, errorf(pos, "invalid interval bound %s", quote(s)).
		withHint("an interval bound is a date (YYYY-MM-DD), a UTC timestamp (YYYY-MM-DDTHH:MM:SSZ), '..' for an open end, or a property")
}

// newInterval checks that literal bounds agree in granularity and order.
func newInterval(start, end Expr, pos int) (Expr, *Error) {
	sd, sIsDate := start.(*dateLit)
	ed, eIsDate := end.(*dateLit)
	st, sIsTS := start.(*timestampLit)
	et, eIsTS := end.(*timestampLit)
	if sIsDate && eIsTS || sIsTS && eIsDate {
		return nil, errorf(pos, "INTERVAL mixes a date and a timestamp").
			withHint("give both bounds as dates or both as timestamps")
	}
	var a, b time.Time
	switch {
	case sIsDate && eIsDate:
		a, _ = parseDate(sd.val)
		b, _ = parseDate(ed.val)
	case sIsTS && eIsTS:
		a, _ = parseTimestamp(st.val)
		b, _ = parseTimestamp(et.val)
	}
	if a.After(b) {
		return nil, errorf(pos, "INTERVAL starts after it ends")
	}
	return &intervalLit{pos: pos, start: start, end: end}, nil
}

// checkPattern validates the pattern of LIKE: a string literal, optionally
// wrapped in CASEI/ACCENTI (BNF rule patternExpression). The escape character
// is the backslash, so a pattern cannot end in an unescaped backslash.
func checkPattern(e Expr) *Error {
	switch n := e.(type) {
	case *foldExpr:
		return checkPattern(n.arg)
	case *stringLit:
		escaped := false
		for i := 0; i < len(n.val); i++ {
			escaped = !escaped && n.val[i] == '\\'
		}
		if escaped {
			return errorf(n.pos, "LIKE pattern ends with the escape character \\").
				withHint("escape a literal backslash as \\\\")
		}
		return nil
	}
	return errorf(e.position(), "the pattern of LIKE must be a string literal, got %s", describe(e)).
		withHint("write x LIKE 'abc%%', optionally as CASEI(x) LIKE CASEI('abc%%')")
}
