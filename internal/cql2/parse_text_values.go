package cql2

import (
	"math"
	"strconv"
	"strings"
)

// This file parses the value level of cql2-text: arithmetic, literals,
// function calls and property names.

// parseAdditive parses term {(+|-) term}; a long chain builds a deep tree, so
// each step counts against the nesting limit.
func (p *textParser) parseAdditive() (Expr, *Error) {
	return p.parseBinary(p.parseMultiplicative, "+", "-")
}

func (p *textParser) parseMultiplicative() (Expr, *Error) {
	return p.parseBinary(p.parsePower, "*", "/", "%", "div")
}

func (p *textParser) parseBinary(operand func() (Expr, *Error), ops ...string) (Expr, *Error) {
	left, err := operand()
	if err != nil {
		return nil, err
	}
	saved := p.depth
	defer func() { p.depth = saved }()
	for {
		t := p.peek()
		op := ""
		for _, o := range ops {
			if t.kind == tOp && t.text == o || o == "div" && t.kind == tIdent && strings.EqualFold(t.text, o) {
				op = o
			}
		}
		if op == "" {
			return left, nil
		}
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		right, err := p.parseOperandAfterFn(t, operand)
		if err != nil {
			return nil, err
		}
		if err := firstErr(requireValue(left), requireValue(right)); err != nil {
			return nil, err
		}
		left = &arithExpr{pos: t.pos, op: op, a: left, b: right}
	}
}

// parsePower parses factor [^ power]. Following the BNF, unary minus binds
// tighter than ^, so -2^2 is 4.
func (p *textParser) parsePower() (Expr, *Error) {
	base, err := p.parseUnary()
	if err != nil || !p.isOp("^") {
		return base, err
	}
	t := p.next()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	exp, err := p.parseOperandAfterFn(t, p.parsePower)
	if err != nil {
		return nil, err
	}
	if err := firstErr(requireValue(base), requireValue(exp)); err != nil {
		return nil, err
	}
	return &arithExpr{pos: t.pos, op: "^", a: base, b: exp}, nil
}

func (p *textParser) parseUnary() (Expr, *Error) {
	if !p.isOp("-") && !p.isOp("+") {
		return p.parsePrimary()
	}
	t := p.next()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	e, err := p.parseOperandAfterFn(t, p.parseUnary)
	if err != nil {
		return nil, err
	}
	if err := requireValue(e); err != nil {
		return nil, err
	}
	if t.text == "+" {
		return e, nil
	}
	if n, ok := e.(*numberLit); ok {
		return &numberLit{pos: t.pos, val: -n.val}, nil
	}
	return &arithExpr{pos: t.pos, op: "*", a: &numberLit{pos: t.pos, val: -1}, b: e}, nil
}

// canStartOperand reports whether t can begin a value or condition.
func canStartOperand(t token) bool {
	switch t.kind {
	case tIdent:
		return !isOneOf(t.text, "AND", "OR", "LIKE", "BETWEEN", "IN", "IS", "DIV")
	case tOp:
		return t.text == "(" || t.text == "-" || t.text == "+"
	case tEOF:
		return false
	}
	return true
}

// expectOperand reports a missing operand right after operator token op.
func (p *textParser) expectOperand(op token) *Error {
	t := p.peek()
	if canStartOperand(t) {
		return nil
	}
	return errorf(t.pos, "expected a value after %q, got %s", op.text, t.describe()).
		withHint("a value is a property name, a literal such as 'text', 42, TRUE or DATE('2024-01-31'), or a function call")
}

func (p *textParser) parseOperandAfter(op token) (Expr, *Error) {
	return p.parseOperandAfterFn(op, p.parseAdditive)
}

func (p *textParser) parseOperandAfterFn(op token, f func() (Expr, *Error)) (Expr, *Error) {
	if err := p.expectOperand(op); err != nil {
		return nil, err
	}
	return f()
}

func (p *textParser) parsePrimary() (Expr, *Error) {
	t := p.peek()
	switch t.kind {
	case tNumber:
		p.next()
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil || math.IsInf(v, 0) {
			return nil, errorf(t.pos, "number %s is out of range", t.text)
		}
		return &numberLit{pos: t.pos, val: v}, nil
	case tString:
		p.next()
		return &stringLit{pos: t.pos, val: t.text}, nil
	case tQuotedIdent:
		p.next()
		return &propertyRef{pos: t.pos, name: t.text}, nil
	case tIdent:
		return p.parseName()
	case tOp:
		if t.text == "(" {
			p.next()
			e, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			if !p.isOp(")") {
				u := p.peek()
				return nil, errorf(u.pos, "expected \")\" to close the parenthesis opened at position %d, got %s", t.pos, u.describe())
			}
			p.next()
			return e, nil
		}
	}
	return nil, errorf(t.pos, "unexpected %s", t.describe()).
		withHint("expected a property name, a literal or a function call")
}

// parseName parses a token that starts with an unquoted name: a keyword
// literal, a function or constructor call, or a property.
func (p *textParser) parseName() (Expr, *Error) {
	t := p.peek()
	up := strings.ToUpper(t.text)
	switch up {
	case "TRUE", "FALSE":
		p.next()
		return &boolLit{pos: t.pos, val: up == "TRUE"}, nil
	case "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "DIV": // isReserved
		e := errorf(t.pos, "unexpected keyword %s", up)
		if up == "NULL" {
			return nil, e.withHint("NULL can only be tested with IS NULL or IS NOT NULL")
		}
		return nil, e.withHint("expected a value; write a property named like a keyword in double quotes, e.g. \"%s\"", t.text)
	}
	if _, ok := wktType(up); ok && p.startsGeometry() {
		return p.parseGeometryLiteral()
	}
	if !(p.peekAt(1).kind == tOp && p.peekAt(1).text == "(") {
		p.next()
		return &propertyRef{pos: t.pos, name: t.text}, nil
	}
	switch {
	case up == "DATE" || up == "TIMESTAMP":
		return p.parseInstant()
	case up == "INTERVAL":
		return p.parseInterval()
	case up == "CASEI" || up == "ACCENTI":
		args, err := p.parseCall(1)
		if err != nil {
			return nil, err
		}
		return &foldExpr{pos: t.pos, fn: up, arg: args[0]}, nil
	case isSpatialOp(up):
		args, err := p.parseCall(2)
		if err != nil {
			return nil, err
		}
		return &spatialExpr{pos: t.pos, op: up, a: args[0], b: args[1]}, nil
	case isTemporalOp(up):
		args, err := p.parseCall(2)
		if err != nil {
			return nil, err
		}
		return &temporalExpr{pos: t.pos, op: up, a: args[0], b: args[1]}, nil
	case strings.HasPrefix(up, "A_"):
		return nil, errorf(t.pos, "array functions such as %s are not supported", up)
	}
	return nil, errorf(t.pos, "unknown function %s", quote(t.text)).withHint("%s", supportedFunctionsHint)
}

// isReserved reports keywords that cannot be unquoted property names.
func isReserved(s string) bool {
	return isOneOf(s, "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "DIV")
}

const supportedFunctionsHint = "supported functions are CASEI, ACCENTI, " +
	"S_INTERSECTS, S_EQUALS, S_DISJOINT, S_TOUCHES, S_WITHIN, S_OVERLAPS, S_CROSSES, S_CONTAINS, " +
	"T_AFTER, T_BEFORE, T_CONTAINS, T_DISJOINT, T_DURING, T_EQUALS, T_FINISHEDBY, T_FINISHES, " +
	"T_INTERSECTS, T_MEETS, T_METBY, T_OVERLAPPEDBY, T_OVERLAPS, T_STARTEDBY, T_STARTS"

// parseCall parses "(" arg {"," arg} ")" with exactly n value arguments.
func (p *textParser) parseCall(n int) ([]Expr, *Error) {
	name := p.next()
	open := p.next() // "(" checked by the caller
	if err := p.enter(open.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	up := strings.ToUpper(name.text)
	arity := func(got string) *Error {
		return errorf(name.pos, "%s takes %d argument%s, got %s", up, n, plural(n), got)
	}
	args := make([]Expr, 0, n)
	for i := 0; i < n; i++ {
		if i > 0 {
			if p.isOp(")") {
				return nil, arity(strconv.Itoa(i))
			}
			if _, err := p.expectOp(",", "between the arguments of "+up); err != nil {
				return nil, err
			}
		}
		if p.isOp(")") {
			return nil, arity(strconv.Itoa(i))
		}
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if err := requireValue(e); err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if p.isOp(",") {
		return nil, arity("more")
	}
	if _, err := p.expectOp(")", "to close "+up+"(...)"); err != nil {
		return nil, err
	}
	return args, nil
}

func (p *textParser) parseInstant() (Expr, *Error) {
	name := p.next()
	p.next() // "("
	up := strings.ToUpper(name.text)
	t := p.next()
	if t.kind != tString {
		return nil, errorf(t.pos, "%s(...) takes a quoted string, got %s", up, t.describe()).
			withHint("write %s", instantExample(up))
	}
	if _, err := p.expectOp(")", "after the "+up+" string"); err != nil {
		return nil, err
	}
	return newInstant(up, t.text, name.pos)
}

func instantExample(kind string) string {
	if kind == "DATE" {
		return "DATE('2024-01-31')"
	}
	return "TIMESTAMP('2024-01-31T12:00:00Z')"
}

func (p *textParser) parseInterval() (Expr, *Error) {
	name := p.next()
	p.next() // "("
	var bounds [2]Expr
	for i := range bounds {
		t := p.next()
		switch t.kind {
		case tString:
			b, err := newIntervalBound(t.text, t.pos)
			if err != nil {
				return nil, err
			}
			bounds[i] = b
		case tIdent:
			if p.isOp("(") {
				return nil, errorf(t.pos, "functions are not supported as INTERVAL bounds")
			}
			if isReserved(t.text) || isOneOf(t.text, "TRUE", "FALSE") {
				return nil, errorf(t.pos, "unexpected keyword %s as INTERVAL bound", strings.ToUpper(t.text))
			}
			bounds[i] = &propertyRef{pos: t.pos, name: t.text}
		case tQuotedIdent:
			if _, err := newIntervalBound(t.text, t.pos); err == nil {
				return nil, errorf(t.pos, "%s is a property name, not a date", quote(t.text)).
					withHint("write dates and timestamps in single quotes, e.g. INTERVAL('%s', '..')", t.text)
			}
			bounds[i] = &propertyRef{pos: t.pos, name: t.text}
		default:
			return nil, errorf(t.pos, "expected a date, timestamp, '..' or property as INTERVAL bound, got %s", t.describe())
		}
		sep := ","
		if i == 1 {
			sep = ")"
		}
		if _, err := p.expectOp(sep, "in INTERVAL(start, end)"); err != nil {
			return nil, err
		}
	}
	return newInterval(bounds[0], bounds[1], name.pos)
}
