package cql2

import "strings"

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

// parseOr is entered once per nesting level (top level, parentheses,
// function arguments), which is where the nesting limit is counted.
func (p *textParser) parseOr() (Expr, *Error) {
	if err := p.enter(p.peek().pos); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.parseLogical("OR", p.parseAnd)
}

func (p *textParser) parseAnd() (Expr, *Error) {
	return p.parseLogical("AND", p.parseNot)
}

// parseLogical parses operand {kw operand} into one n-ary node so that long
// flat chains of AND/OR do not count against the nesting limit.
func (p *textParser) parseLogical(kw string, operand func() (Expr, *Error)) (Expr, *Error) {
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
