package cql2

import (
	"math"
	"strconv"
	"strings"
)

// startsGeometry reports whether the WKT keyword at the current token begins
// a geometry literal rather than naming a property.
func (p *textParser) startsGeometry() bool {
	t := p.peekAt(1)
	if t.kind == tOp {
		return t.text == "("
	}
	return t.kind == tIdent && isOneOf(t.text, "Z", "M", "ZM", "EMPTY")
}

// parseGeometryLiteral parses a WKT geometry or BBOX(...).
func (p *textParser) parseGeometryLiteral() (Expr, *Error) {
	start := p.peek().pos
	g, err := p.parseWKT(true)
	if err != nil {
		return nil, err
	}
	if err := g.validate(start); err != nil {
		return nil, err
	}
	return &geomLit{pos: start, g: g}, nil
}

func (p *textParser) parseWKT(allowCollection bool) (*geometry, *Error) {
	tag := p.next()
	typ, ok := wktType(strings.ToUpper(tag.text))
	if !ok || tag.kind != tIdent {
		return nil, errorf(tag.pos, "expected a WKT geometry such as POINT or POLYGON, got %s", tag.describe())
	}
	if typ == gCollection && !allowCollection || typ == gBBox && !allowCollection {
		return nil, errorf(tag.pos, "a GeometryCollection cannot contain a %s", typ)
	}
	g := &geometry{typ: typ}
	if typ == gBBox {
		return g, p.parseBBox(g)
	}
	if p.isKeyword("Z") {
		p.next()
		g.dim = 3
	} else if p.isKeyword("M") || p.isKeyword("ZM") || p.isKeyword("EMPTY") {
		t := p.peek()
		return nil, errorf(t.pos, "%s geometries are not supported", strings.ToUpper(t.text))
	}
	var err *Error
	switch typ {
	case gPoint:
		g.pts, err = p.parsePositions(g, 1)
	case gLineString:
		g.pts, err = p.parsePositions(g, -1)
	case gMultiPoint:
		g.pts, err = p.parseMultiPoint(g)
	case gPolygon, gMultiLineString:
		g.lines, err = p.parseLists(g)
	case gMultiPolygon:
		err = p.parseList(func() *Error {
			rings, err := p.parseLists(g)
			g.polys = append(g.polys, rings)
			return err
		})
	case gCollection:
		err = p.parseList(func() *Error {
			c, err := p.parseWKT(false)
			if err != nil {
				return err
			}
			if g.dim == 0 {
				g.dim = c.dim
			}
			g.geoms = append(g.geoms, c)
			return c.validate(tag.pos)
		})
	}
	return g, err
}

// parseList parses "(" item {"," item} ")".
func (p *textParser) parseList(item func() *Error) *Error {
	if _, err := p.expectOp("(", "in geometry"); err != nil {
		return err
	}
	for {
		if err := item(); err != nil {
			return err
		}
		if p.isOp(",") {
			p.next()
			continue
		}
		_, err := p.expectOp(")", "or \",\" in geometry")
		return err
	}
}

// parsePositions parses "(" x y [z] {"," x y [z]} ")"; max < 0 means any
// number of positions.
func (p *textParser) parsePositions(g *geometry, max int) ([]position, *Error) {
	var pts []position
	err := p.parseList(func() *Error {
		if max >= 0 && len(pts) == max {
			return errorf(p.peek().pos, "a %s has exactly %d position", g.typ, max)
		}
		pt, err := p.parsePosition(g)
		pts = append(pts, pt)
		return err
	})
	return pts, err
}

// parseMultiPoint accepts both MULTIPOINT((1 2),(3 4)) and MULTIPOINT(1 2,3 4).
func (p *textParser) parseMultiPoint(g *geometry) ([]position, *Error) {
	var pts []position
	err := p.parseList(func() *Error {
		if p.isOp("(") {
			pt, err := p.parsePositions(g, 1)
			pts = append(pts, pt...)
			return err
		}
		pt, err := p.parsePosition(g)
		pts = append(pts, pt)
		return err
	})
	return pts, err
}

func (p *textParser) parseLists(g *geometry) ([][]position, *Error) {
	var lists [][]position
	err := p.parseList(func() *Error {
		l, err := p.parsePositions(g, -1)
		lists = append(lists, l)
		return err
	})
	return lists, err
}

func (p *textParser) parsePosition(g *geometry) (position, *Error) {
	start := p.peek().pos
	var pt position
	for len(pt) < 3 && (p.peek().kind == tNumber || p.isOp("-") || p.isOp("+")) {
		v, err := p.parseSignedNumber()
		if err != nil {
			return nil, err
		}
		pt = append(pt, v)
	}
	if len(pt) < 2 {
		t := p.peek()
		return nil, errorf(t.pos, "expected a coordinate, got %s", t.describe()).
			withHint("a position is two or three numbers separated by spaces, positions are separated by commas")
	}
	if g.dim == 3 && len(pt) != 3 {
		return nil, errorf(start, "a %s Z needs 3 coordinates per position", g.typ)
	}
	return pt, p.geoms.add(start, pt, &g.dim)
}

func (p *textParser) parseSignedNumber() (float64, *Error) {
	sign := 1.0
	if p.isOp("-") || p.isOp("+") {
		if p.next().text == "-" {
			sign = -1
		}
	}
	t := p.next()
	if t.kind != tNumber {
		return 0, errorf(t.pos, "expected a number, got %s", t.describe())
	}
	v, err := strconv.ParseFloat(t.text, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, errorf(t.pos, "number %s is out of range", t.text)
	}
	return sign * v, nil
}

// parseBBox parses "(" n {"," n} ")" with 4 or 6 numbers.
func (p *textParser) parseBBox(g *geometry) *Error {
	return p.parseList(func() *Error {
		if len(g.bbox) == 6 {
			return errorf(p.peek().pos, "a bounding box has 4 or 6 numbers")
		}
		v, err := p.parseSignedNumber()
		g.bbox = append(g.bbox, v)
		return err
	})
}
