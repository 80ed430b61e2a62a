package cql2

// Expr is a parsed CQL2 expression. It is produced by ParseText or ParseJSON
// and consumed by Compile and Properties; its node types are unexported so
// that the only way to build one is through a parser that validated it.
type Expr interface {
	// position is the byte offset of the node in cql2-text input, -1 for JSON.
	position() int
}

// Conditions (boolean-valued nodes). Negated forms such as NOT LIKE and
// IS NOT NULL are represented as notExpr around the positive predicate so that
// cql2-text and cql2-json (which only has "not") build identical trees.
type (
	logicalExpr struct {
		pos  int
		op   string // "AND" or "OR"
		args []Expr
	}
	notExpr struct {
		pos int
		arg Expr
	}
	compareExpr struct {
		pos         int
		op          string // = <> < > <= >=
		left, right Expr
	}
	likeExpr struct {
		pos          int
		arg, pattern Expr
	}
	betweenExpr struct {
		pos         int
		arg, lo, hi Expr
	}
	inExpr struct {
		pos  int
		arg  Expr
		list []Expr
	}
	isNullExpr struct {
		pos int
		arg Expr
	}
	spatialExpr struct {
		pos  int
		op   string // canonical upper-case name, e.g. S_INTERSECTS
		a, b Expr
	}
	temporalExpr struct {
		pos  int
		op   string // canonical upper-case name, e.g. T_BEFORE
		a, b Expr
	}
)

// Values.
type (
	propertyRef struct {
		pos  int
		name string
	}
	stringLit struct {
		pos int
		val string
	}
	numberLit struct {
		pos int
		val float64
	}
	boolLit struct {
		pos int
		val bool
	}
	dateLit struct {
		pos int
		val string // YYYY-MM-DD, validated
	}
	timestampLit struct {
		pos int
		val string // RFC 3339 in UTC, validated
	}
	// intervalLit bounds are dateLit, timestampLit, propertyRef or openEnd.
	intervalLit struct {
		pos        int
		start, end Expr
	}
	openEnd struct {
		pos int
	}
	geomLit struct {
		pos int
		g   *geometry
	}
	// arithExpr is a binary arithmetic operation; unary minus on a
	// non-literal is encoded as -1 * x, which is also how cql2-json writes it.
	arithExpr struct {
		pos  int
		op   string // + - * / % div ^
		a, b Expr
	}
	// foldExpr is CASEI(x) or ACCENTI(x).
	foldExpr struct {
		pos int
		fn  string // "CASEI" or "ACCENTI"
		arg Expr
	}
)

func (e *logicalExpr) position() int  { return e.pos }
func (e *notExpr) position() int      { return e.pos }
func (e *compareExpr) position() int  { return e.pos }
func (e *likeExpr) position() int     { return e.pos }
func (e *betweenExpr) position() int  { return e.pos }
func (e *inExpr) position() int       { return e.pos }
func (e *isNullExpr) position() int   { return e.pos }
func (e *spatialExpr) position() int  { return e.pos }
func (e *temporalExpr) position() int { return e.pos }
func (e *propertyRef) position() int  { return e.pos }
func (e *stringLit) position() int    { return e.pos }
func (e *numberLit) position() int    { return e.pos }
func (e *boolLit) position() int      { return e.pos }
func (e *dateLit) position() int      { return e.pos }
func (e *timestampLit) position() int { return e.pos }
func (e *intervalLit) position() int  { return e.pos }
func (e *openEnd) position() int      { return e.pos }
func (e *geomLit) position() int      { return e.pos }
func (e *arithExpr) position() int    { return e.pos }
func (e *foldExpr) position() int     { return e.pos }

// children returns the direct sub-expressions of e.
func children(e Expr) []Expr {
	switch n := e.(type) {
	case *logicalExpr:
		return n.args
	case *notExpr:
		return []Expr{n.arg}
	case *compareExpr:
		return []Expr{n.left, n.right}
	case *likeExpr:
		return []Expr{n.arg, n.pattern}
	case *betweenExpr:
		return []Expr{n.arg, n.lo, n.hi}
	case *inExpr:
		return append([]Expr{n.arg}, n.list...)
	case *isNullExpr:
		return []Expr{n.arg}
	case *spatialExpr:
		return []Expr{n.a, n.b}
	case *temporalExpr:
		return []Expr{n.a, n.b}
	case *intervalLit:
		return []Expr{n.start, n.end}
	case *arithExpr:
		return []Expr{n.a, n.b}
	case *foldExpr:
		return []Expr{n.arg}
	}
	return nil
}

// Properties returns the names of the properties an expression refers to, each
// once, in order of first appearance. Callers use it, for example, to check
// that a filter only uses properties present in the selected feature type.
func Properties(e Expr) []string {
	var names []string
	seen := map[string]bool{}
	var walk func(Expr)
	walk = func(e Expr) {
		if p, ok := e.(*propertyRef); ok && !seen[p.name] {
			seen[p.name] = true
			names = append(names, p.name)
		}
		for _, c := range children(e) {
			walk(c)
		}
	}
	if e != nil {
		walk(e)
	}
	return names
}

// isPredicate reports whether e is a boolean-valued predicate or connective.
func isPredicate(e Expr) bool {
	switch e.(type) {
	case *logicalExpr, *notExpr, *compareExpr, *likeExpr, *betweenExpr,
		*inExpr, *isNullExpr, *spatialExpr, *temporalExpr:
		return true
	}
	return false
}

// requireCondition checks that e can stand where a condition is expected
// (AND, OR, NOT operands and the whole filter).
func requireCondition(e Expr) *Error {
	if isPredicate(e) {
		return nil
	}
	if _, ok := e.(*boolLit); ok {
		return nil
	}
	if p, ok := e.(*propertyRef); ok {
		return errorf(e.position(), "property %s is not a condition by itself", quote(p.name)).
			withHint("compare it with a value, e.g. %s = TRUE", p.name)
	}
	return errorf(e.position(), "expected a condition, got %s", describe(e)).
		withHint("a condition is a comparison, LIKE, BETWEEN, IN, IS NULL, an S_ or T_ function, TRUE or FALSE, combined with AND, OR and NOT")
}

// requireValue checks that e is a value and not a condition: conditions
// cannot be compared or computed with.
func requireValue(e Expr) *Error {
	if !isPredicate(e) {
		return nil
	}
	return errorf(e.position(), "expected a value, got %s", describe(e)).
		withHint("conditions cannot be used as operands; combine them with AND, OR and NOT")
}

// describe names a node for error messages.
func describe(e Expr) string {
	switch n := e.(type) {
	case *logicalExpr:
		return "an " + n.op + " condition"
	case *notExpr:
		return "a NOT condition"
	case *compareExpr:
		return "a comparison (" + n.op + ")"
	case *likeExpr:
		return "a LIKE condition"
	case *betweenExpr:
		return "a BETWEEN condition"
	case *inExpr:
		return "an IN condition"
	case *isNullExpr:
		return "an IS NULL condition"
	case *spatialExpr:
		return "a " + n.op + " condition"
	case *temporalExpr:
		return "a " + n.op + " condition"
	case *propertyRef:
		return "property " + quote(n.name)
	case *stringLit:
		return "the string " + quote(n.val)
	case *numberLit:
		return "the number " + formatNumber(n.val)
	case *boolLit:
		if n.val {
			return "TRUE"
		}
		return "FALSE"
	case *dateLit:
		return "DATE('" + n.val + "')"
	case *timestampLit:
		return "TIMESTAMP('" + n.val + "')"
	case *intervalLit:
		return "an INTERVAL"
	case *openEnd:
		return "'..'"
	case *geomLit:
		return "a " + n.g.typ.String() + " geometry"
	case *arithExpr:
		return "an arithmetic expression (" + n.op + ")"
	case *foldExpr:
		return n.fn + "(...)"
	}
	return "an expression"
}
