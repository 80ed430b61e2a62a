package cql2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// ParseJSON parses a cql2-json filter expression.
//
// Operator names ("op") are matched case-insensitively; property names are
// case-sensitive. Errors have Pos -1 and name the location in the document as
// a path such as args[1].args[0].
func ParseJSON(src []byte) (Expr, error) {
	if len(src) > MaxInputBytes {
		return nil, errorf(-1, "filter is too long (%d bytes)", len(src)).
			withHint("the limit is %d bytes", MaxInputBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errorf(-1, "empty filter")
		}
		return nil, errorf(-1, "invalid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errorf(-1, "unexpected data after the JSON value")
	}
	p := &jsonParser{}
	e, err := p.expr(v, "")
	if err != nil {
		return nil, err
	}
	if err := requireCondition(e); err != nil {
		return nil, err
	}
	return e, nil
}

type jsonParser struct {
	depth int
	geoms geomBuilder
}

// expr converts one JSON value; path locates it in the document for error
// messages. Errors raised for this value (rather than a nested one) get the
// path appended.
func (p *jsonParser) expr(v any, path string) (Expr, *Error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		return nil, errorf(-1, "filter is nested too deeply").
			withHint("the limit is %d levels of nested expressions", MaxDepth)
	}
	e, err := p.convert(v, path)
	if err != nil && !err.located {
		err.located = true
		if path != "" {
			err.Msg += " (in " + path + ")"
		}
	}
	return e, err
}

func (p *jsonParser) convert(v any, path string) (Expr, *Error) {
	switch x := v.(type) {
	case nil:
		return nil, errorf(-1, "null is not a valid expression").
			withHint("test for missing values with {\"op\":\"isNull\",\"args\":[...]}")
	case bool:
		return &boolLit{pos: -1, val: x}, nil
	case json.Number:
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) {
			return nil, errorf(-1, "number %s is out of range", x.String())
		}
		return &numberLit{pos: -1, val: f}, nil
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return nil, errorf(-1, "NUL character in string")
		}
		return &stringLit{pos: -1, val: x}, nil
	case []any:
		return nil, errorf(-1, "unexpected array").
			withHint("arrays are only allowed as the list of \"in\"; array functions are not supported")
	case map[string]any:
		return p.object(x, path)
	}
	return nil, errorf(-1, "unexpected JSON value")
}

func (p *jsonParser) object(m map[string]any, path string) (Expr, *Error) {
	if op, ok := m["op"]; ok {
		name, ok := op.(string)
		if !ok {
			return nil, errorf(-1, "\"op\" must be a string")
		}
		args, ok := m["args"].([]any)
		if !ok {
			return nil, errorf(-1, "operation %s needs an \"args\" array", quote(name))
		}
		return p.op(name, args, path)
	}
	if v, ok := m["property"]; ok {
		name, ok := v.(string)
		if !ok || name == "" || strings.ContainsFunc(name, isForbiddenControl) {
			return nil, errorf(-1, "\"property\" must be a non-empty property name")
		}
		return &propertyRef{pos: -1, name: name}, nil
	}
	for _, kind := range []string{"date", "timestamp"} {
		if v, ok := m[kind]; ok {
			s, ok := v.(string)
			if !ok {
				return nil, errorf(-1, "%q must be a string", kind)
			}
			return newInstant(strings.ToUpper(kind), s, -1)
		}
	}
	if v, ok := m["interval"]; ok {
		return p.interval(v, path)
	}
	if _, ok := m["type"]; ok {
		g, err := p.geoJSON(m, true)
		if err != nil {
			return nil, err
		}
		return &geomLit{pos: -1, g: g}, nil
	}
	if v, ok := m["bbox"]; ok {
		nums, err := p.numbers(v, "bbox")
		if err != nil {
			return nil, err
		}
		g := &geometry{typ: gBBox, dim: len(nums) / 2, bbox: nums}
		if err := g.validate(-1); err != nil {
			return nil, err
		}
		return &geomLit{pos: -1, g: g}, nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, quote(k))
	}
	slices.Sort(keys)
	if len(keys) > 5 {
		keys = append(keys[:5], "...")
	}
	return nil, errorf(-1, "unrecognized object with members %s", strings.Join(keys, ", ")).
		withHint("expected an operation {\"op\":...,\"args\":[...]}, {\"property\":...}, {\"date\":...}, {\"timestamp\":...}, {\"interval\":[...]}, {\"bbox\":[...]} or a GeoJSON geometry")
}

// arity returns an error unless the operation has between min and max
// arguments (max < 0: unbounded).
func arity(name string, args []any, min, max int) *Error {
	if len(args) >= min && (max < 0 || len(args) <= max) {
		return nil
	}
	want := fmt.Sprintf("%d", min)
	switch {
	case max < 0:
		want = fmt.Sprintf("at least %d", min)
	case max != min:
		want = fmt.Sprintf("%d to %d", min, max)
	}
	return errorf(-1, "%s takes %s argument%s, got %d", quote(name), want, plural(max), len(args))
}

func (p *jsonParser) op(name string, raw []any, path string) (Expr, *Error) {
	low := strings.ToLower(name)
	up := strings.ToUpper(name)
	n := 2
	switch {
	case low == "and" || low == "or":
		n = -1
	case low == "not" || low == "isnull" || low == "casei" || low == "accenti":
		n = 1
	case low == "between":
		n = 3
	case low == "in":
		return p.in(raw, path)
	case isComparisonOp(low) || low == "like" || isSpatialOp(up) || isTemporalOp(up):
	case low == "+" || low == "-" || low == "*" || low == "/" || low == "%" || low == "div" || low == "^":
	case strings.HasPrefix(low, "a_"):
		return nil, errorf(-1, "array functions such as %s are not supported", quote(name))
	default:
		return nil, errorf(-1, "unknown operation %s", quote(name)).withHint("%s", supportedFunctionsHint)
	}
	min := n
	if n < 0 {
		min = 2
	}
	if err := arity(name, raw, min, n); err != nil {
		return nil, err
	}
	args := make([]Expr, len(raw))
	for i, a := range raw {
		e, err := p.expr(a, fmt.Sprintf("%sargs[%d]", prefix(path), i))
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	switch {
	case low == "and" || low == "or":
		for _, a := range args {
			if err := requireCondition(a); err != nil {
				return nil, err
			}
		}
		return &logicalExpr{pos: -1, op: up, args: args}, nil
	case low == "not":
		if err := requireCondition(args[0]); err != nil {
			return nil, err
		}
		return &notExpr{pos: -1, arg: args[0]}, nil
	case low == "isnull":
		return &isNullExpr{pos: -1, arg: args[0]}, nil
	}
	for i, a := range args {
		if i == 1 && low == "like" {
			if err := checkPattern(a); err != nil {
				return nil, err
			}
		} else if err := requireValue(a); err != nil {
			return nil, err
		}
	}
	switch {
	case low == "casei" || low == "accenti":
		return &foldExpr{pos: -1, fn: up, arg: args[0]}, nil
	case low == "between":
		return &betweenExpr{pos: -1, arg: args[0], lo: args[1], hi: args[2]}, nil
	case low == "like":
		return &likeExpr{pos: -1, arg: args[0], pattern: args[1]}, nil
	case isComparisonOp(low):
		return &compareExpr{pos: -1, op: low, left: args[0], right: args[1]}, nil
	case isSpatialOp(up):
		return &spatialExpr{pos: -1, op: up, a: args[0], b: args[1]}, nil
	case isTemporalOp(up):
		return &temporalExpr{pos: -1, op: up, a: args[0], b: args[1]}, nil
	}
	return &arithExpr{pos: -1, op: low, a: args[0], b: args[1]}, nil
}

func prefix(path string) string {
	if path == "" {
		return ""
	}
	return path + "."
}

func (p *jsonParser) in(raw []any, path string) (Expr, *Error) {
	if err := arity("in", raw, 2, 2); err != nil {
		return nil, err
	}
	list, ok := raw[1].([]any)
	if !ok {
		return nil, errorf(-1, "the second argument of \"in\" must be an array of values")
	}
	if len(list) == 0 {
		return nil, errorf(-1, "empty \"in\" list").withHint("give at least one value")
	}
	if len(list) > MaxInList {
		return nil, errorf(-1, "\"in\" list is too long").withHint("the limit is %d values", MaxInList)
	}
	arg, err := p.expr(raw[0], prefix(path)+"args[0]")
	if err != nil {
		return nil, err
	}
	if err := requireValue(arg); err != nil {
		return nil, err
	}
	e := &inExpr{pos: -1, arg: arg, list: make([]Expr, len(list))}
	for i, v := range list {
		item, err := p.expr(v, fmt.Sprintf("%sargs[1][%d]", prefix(path), i))
		if err != nil {
			return nil, err
		}
		if err := requireValue(item); err != nil {
			return nil, err
		}
		e.list[i] = item
	}
	return e, nil
}

func (p *jsonParser) interval(v any, path string) (Expr, *Error) {
	arr, ok := v.([]any)
	if !ok || len(arr) != 2 {
		return nil, errorf(-1, "\"interval\" must be an array of two bounds").
			withHint("e.g. {\"interval\": [\"2024-01-01\", \"..\"]}")
	}
	var bounds [2]Expr
	for i, b := range arr {
		switch x := b.(type) {
		case string:
			e, err := newIntervalBound(x, -1)
			if err != nil {
				return nil, err
			}
			bounds[i] = e
		case map[string]any:
			e, err := p.expr(x, fmt.Sprintf("%sinterval[%d]", prefix(path), i))
			if err != nil {
				return nil, err
			}
			if _, ok := e.(*propertyRef); !ok {
				return nil, errorf(-1, "an interval bound must be a date, a timestamp, \"..\" or a property, got %s", describe(e))
			}
			bounds[i] = e
		default:
			return nil, errorf(-1, "an interval bound must be a string or a property")
		}
	}
	return newInterval(bounds[0], bounds[1], -1)
}

func (p *jsonParser) numbers(v any, what string) ([]float64, *Error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, errorf(-1, "%s must be an array of numbers", what)
	}
	if len(arr) > 6 && what == "bbox" {
		return nil, errorf(-1, "a bounding box has 4 or 6 numbers, got %d", len(arr))
	}
	out := make([]float64, len(arr))
	for i, x := range arr {
		n, ok := x.(json.Number)
		if !ok {
			return nil, errorf(-1, "%s must be an array of numbers", what)
		}
		f, err := n.Float64()
		if err != nil || math.IsInf(f, 0) {
			return nil, errorf(-1, "number %s is out of range", n.String())
		}
		out[i] = f
	}
	return out, nil
}
