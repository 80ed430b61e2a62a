package cql2

import (
	"math"
	"strconv"
	"strings"
)

// ParseText parses a cql2-text filter expression.
//
// Keywords and function names are case-insensitive, property names are
// case-sensitive. An unquoted name followed by "(" is a function or literal
// constructor (DATE, POINT, S_INTERSECTS, ...); otherwise it is a property, so
// a property may be called "date". Keywords used as property names must be
// double-quoted, e.g. "in" = 1.
func ParseText(src string) (Expr, error) {
	if len(src) > MaxInputBytes {
		return nil, errorf(-1, "filter is too long (%d bytes)", len(src)).
			withHint("the limit is %d bytes", MaxInputBytes)
	}
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, lerr
	}
	if toks[0].kind == tEOF {
		return nil, errorf(0, "empty filter")
	}
	p := &textParser{toks: toks}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tOp && t.text == ")" {
			return nil, errorf(t.pos, "unbalanced closing parenthesis")
		}
		return nil, errorf(t.pos, "unexpected %s after a complete condition", t.describe()).
			withHint("combine conditions with AND or OR")
	}
	if err := requireCondition(e); err != nil {
		return nil, err
	}
	return e, nil
}

type textParser struct {
	toks  []token
	i     int
	depth int
	geoms geomBuilder
}

func (p *textParser) peek() token { return p.toks[p.i] }

func (p *textParser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *textParser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *textParser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}

// isKeyword reports whether the next token is the unquoted keyword kw.
func (p *textParser) isKeyword(kw string) bool {
	t := p.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, kw)
}

func (p *textParser) expectOp(s, context string) (token, *Error) {
	t := p.peek()
	if t.kind == tOp && t.text == s {
		return p.next(), nil
	}
	return t, errorf(t.pos, "expected %q %s, got %s", s, context, t.describe())
}

// enter guards recursion; every call must be paired with leave.
func (p *textParser) enter(pos int) *Error {
	p.depth++
	if p.depth > MaxDepth {
		return errorf(pos, "filter is nested too deeply").
			withHint("the limit is %d levels of nested expressions", MaxDepth)
	}
	return nil
}

func (p *textParser) leave() { p.depth-- }

func (p *textParser) parseOr() (Expr, *Error) {
	return p.parseLogical("OR", p.parseAnd)
}

func (p *textParser) parseAnd() (Expr, *Error) {
	return p.parseLogical("AND", p.parseNot)
}

// parseLogical parses operand {kw operand} into one n-ary node so that long
// flat chains of AND/OR do not count against the nesting limit.
func (p *textParser) parseLogical(kw string, operand func() (Expr, *Error)) (Expr, *Error) {
	if err := p.enter(p.peek().pos); err != nil {
		return nil, err
	}
	defer p.leave()
	first, err := operand()
	if err != nil || !p.isKeyword(kw) {
		return first, err
	}
	if err := requireCondition(first); err != nil {
		return nil, err
	}
	args := []Expr{first}
	for p.isKeyword(kw) {
		kwTok := p.next()
		if err := p.expectOperand(kwTok); err != nil {
			return nil, err
		}
		e, err := operand()
		if err != nil {
			return nil, err
		}
		if err := requireCondition(e); err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	return &logicalExpr{pos: first.position(), op: kw, args: args}, nil
}

func (p *textParser) parseNot() (Expr, *Error) {
	if !p.isKeyword("NOT") {
		return p.parsePredicate()
	}
	notTok := p.next()
	if err := p.enter(notTok.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	if err := p.expectOperand(notTok); err != nil {
		return nil, err
	}
	e, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	if err := requireCondition(e); err != nil {
		return nil, err
	}
	return &notExpr{pos: notTok.pos, arg: e}, nil
}

func isComparisonOp(s string) bool {
	switch s {
	case "=", "<>", "<", ">", "<=", ">=":
		return true
	}
	return false
}

// parsePredicate parses a value and, if an operator follows, the predicate
// built from it. A value without operator is returned as is: it may be a
// parenthesised condition, a function such as S_INTERSECTS, or TRUE/FALSE.
func (p *textParser) parsePredicate() (Expr, *Error) {
	left, err := p.parseAdditive()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tOp && isComparisonOp(t.text) {
		p.next()
		right, err := p.parseOperandAfter(t)
		if err != nil {
			return nil, err
		}
		if err := firstErr(requireValue(left), requireValue(right)); err != nil {
			return nil, err
		}
		return &compareExpr{pos: t.pos, op: t.text, left: left, right: right}, nil
	}
	if t.kind != tIdent {
		return left, nil
	}
	negated := false
	opTok := t
	if p.isKeyword("NOT") {
		nt := p.peekAt(1)
		if nt.kind != tIdent || !isOneOf(nt.text, "LIKE", "BETWEEN", "IN") {
			return nil, errorf(nt.pos, "expected LIKE, BETWEEN or IN after NOT, got %s", nt.describe())
		}
		negated = true
		p.next()
		opTok = p.peek()
	}
	var pred Expr
	switch strings.ToUpper(opTok.text) {
	case "LIKE":
		pred, err = p.parseLike(left)
	case "BETWEEN":
		pred, err = p.parseBetween(left)
	case "IN":
		pred, err = p.parseIn(left)
	case "IS":
		return p.parseIsNull(left)
	default:
		return left, nil
	}
	if err != nil {
		return nil, err
	}
	if negated {
		return &notExpr{pos: t.pos, arg: pred}, nil
	}
	return pred, nil
}

func (p *textParser) parseLike(left Expr) (Expr, *Error) {
	likeTok := p.next()
	pattern, err := p.parseOperandAfter(likeTok)
	if err != nil {
		return nil, err
	}
	if err := firstErr(requireValue(left), checkPattern(pattern)); err != nil {
		return nil, err
	}
	return &likeExpr{pos: likeTok.pos, arg: left, pattern: pattern}, nil
}

func (p *textParser) parseBetween(left Expr) (Expr, *Error) {
	btTok := p.next()
	lo, err := p.parseOperandAfter(btTok)
	if err != nil {
		return nil, err
	}
	if !p.isKeyword("AND") {
		t := p.peek()
		return nil, errorf(t.pos, "expected AND in BETWEEN, got %s", t.describe()).
			withHint("write x BETWEEN low AND high")
	}
	andTok := p.next()
	hi, err := p.parseOperandAfter(andTok)
	if err != nil {
		return nil, err
	}
	if err := firstErr(requireValue(left), requireValue(lo), requireValue(hi)); err != nil {
		return nil, err
	}
	return &betweenExpr{pos: btTok.pos, arg: left, lo: lo, hi: hi}, nil
}

func (p *textParser) parseIn(left Expr) (Expr, *Error) {
	inTok := p.next()
	if err := requireValue(left); err != nil {
		return nil, err
	}
	if _, err := p.expectOp("(", "after IN"); err != nil {
		return nil, err.withHint("write x IN (value, ...)")
	}
	if p.isOp(")") {
		return nil, errorf(p.peek().pos, "empty IN list").withHint("give at least one value")
	}
	var list []Expr
	for {
		if len(list) == MaxInList {
			return nil, errorf(p.peek().pos, "IN list is too long").
				withHint("the limit is %d values", MaxInList)
		}
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if err := requireValue(e); err != nil {
			return nil, err
		}
		list = append(list, e)
		if p.isOp(",") {
			p.next()
			continue
		}
		if _, err := p.expectOp(")", "to close the IN list"); err != nil {
			return nil, err
		}
		return &inExpr{pos: inTok.pos, arg: left, list: list}, nil
	}
}

func (p *textParser) parseIsNull(left Expr) (Expr, *Error) {
	isTok := p.next()
	negated := false
	if p.isKeyword("NOT") {
		p.next()
		negated = true
	}
	if !p.isKeyword("NULL") {
		t := p.peek()
		return nil, errorf(t.pos, "expected NULL after IS, got %s", t.describe()).
			withHint("write x IS NULL or x IS NOT NULL")
	}
	p.next()
	var e Expr = &isNullExpr{pos: isTok.pos, arg: left}
	if negated {
		e = &notExpr{pos: isTok.pos, arg: e}
	}
	return e, nil
}

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
		return !isOneOf(t.text, "AND", "OR", "LIKE", "BETWEEN", "IN", "IS", "NULL", "DIV")
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
	case "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "DIV":
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

func isOneOf(s string, options ...string) bool {
	for _, o := range options {
		if strings.EqualFold(s, o) {
			return true
		}
	}
	return false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func firstErr(errs ...*Error) *Error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
