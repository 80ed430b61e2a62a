package cql2

import (
	"math"
	"strconv"
	"strings"
)

type geomType int

const (
	gPoint geomType = iota
	gLineString
	gPolygon
	gMultiPoint
	gMultiLineString
	gMultiPolygon
	gCollection
	gBBox
)

func (t geomType) String() string {
	return [...]string{"Point", "LineString", "Polygon", "MultiPoint",
		"MultiLineString", "MultiPolygon", "GeometryCollection", "BBox"}[t]
}

// wktTag is the WKT keyword of the type.
func (t geomType) wktTag() string {
	return [...]string{"POINT", "LINESTRING", "POLYGON", "MULTIPOINT",
		"MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION", "BBOX"}[t]
}

// A position is 2 or 3 numbers in the axis order of the filter CRS.
type position []float64

// geometry is a validated geometry literal, kept in the axis order in which
// it was written: the CRS-dependent work (axis flip, range checks, antimeridian
// split of bounding boxes) happens in Compile, where the filter CRS is known.
type geometry struct {
	typ   geomType
	dim   int            // 2 or 3; BBox: 2 for 4 numbers, 3 for 6
	pts   []position     // Point (one), LineString, MultiPoint
	lines [][]position   // Polygon rings, MultiLineString
	polys [][][]position // MultiPolygon
	geoms []*geometry    // GeometryCollection; never nested
	bbox  []float64      // BBox, 4 or 6 numbers as written
}

// geomBuilder collects positions and enforces MaxCoordinates across all the
// geometry literals of one filter.
type geomBuilder struct {
	count int
}

func (gb *geomBuilder) add(pos int, p position, dim *int) *Error {
	gb.count++
	if gb.count > MaxCoordinates {
		return errorf(pos, "too many coordinates in geometry literals").
			withHint("the limit is %d positions per filter", MaxCoordinates)
	}
	if len(p) < 2 || len(p) > 3 {
		return errorf(pos, "a position has %d coordinates", len(p)).
			withHint("positions have 2 (x y) or 3 (x y z) coordinates")
	}
	for _, v := range p {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return errorf(pos, "coordinate out of range")
		}
	}
	if *dim == 0 {
		*dim = len(p)
	} else if *dim != len(p) {
		return errorf(pos, "positions mix %d and %d coordinates", *dim, len(p)).
			withHint("all positions of a geometry must have the same number of coordinates")
	}
	return nil
}

// validate checks the structural rules of Simple Features that can be checked
// without geometry algorithms: minimum sizes and closed rings.
func (g *geometry) validate(pos int) *Error {
	switch g.typ {
	case gPoint:
		if len(g.pts) != 1 {
			return errorf(pos, "a Point has exactly one position")
		}
	case gLineString:
		return validateLine(pos, g.pts, "a LineString")
	case gMultiPoint:
		if len(g.pts) == 0 {
			return errorf(pos, "a MultiPoint needs at least one point")
		}
	case gPolygon:
		return validatePolygon(pos, g.lines)
	case gMultiLineString:
		if len(g.lines) == 0 {
			return errorf(pos, "a MultiLineString needs at least one line string")
		}
		for _, l := range g.lines {
			if err := validateLine(pos, l, "each line string of a MultiLineString"); err != nil {
				return err
			}
		}
	case gMultiPolygon:
		if len(g.polys) == 0 {
			return errorf(pos, "a MultiPolygon needs at least one polygon")
		}
		for _, p := range g.polys {
			if err := validatePolygon(pos, p); err != nil {
				return err
			}
		}
	case gCollection:
		if len(g.geoms) == 0 {
			return errorf(pos, "a GeometryCollection needs at least one geometry")
		}
		for _, c := range g.geoms {
			if c.typ == gCollection || c.typ == gBBox {
				return errorf(pos, "a GeometryCollection cannot contain a %s", c.typ)
			}
			if c.dim != g.dim {
				return errorf(pos, "the members of a GeometryCollection mix 2D and 3D coordinates")
			}
		}
	case gBBox:
		return validateBBox(pos, g.bbox)
	}
	return nil
}

func validateLine(pos int, l []position, what string) *Error {
	if len(l) < 2 {
		return errorf(pos, "%s needs at least 2 positions, got %d", what, len(l))
	}
	return nil
}

func validatePolygon(pos int, rings [][]position) *Error {
	if len(rings) == 0 {
		return errorf(pos, "a Polygon needs at least one ring")
	}
	for i, r := range rings {
		if len(r) < 4 {
			return errorf(pos, "ring %d of a Polygon has %d positions", i+1, len(r)).
				withHint("a ring needs at least 4 positions, the last equal to the first")
		}
		if !equalPos(r[0], r[len(r)-1]) {
			return errorf(pos, "ring %d of a Polygon is not closed", i+1).
				withHint("the last position of a ring must repeat the first")
		}
	}
	return nil
}

func validateBBox(pos int, b []float64) *Error {
	if len(b) != 4 && len(b) != 6 {
		return errorf(pos, "a bounding box has %d numbers", len(b)).
			withHint("write BBOX(xmin, ymin, xmax, ymax) or BBOX(xmin, ymin, zmin, xmax, ymax, zmax)")
	}
	for _, v := range b {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return errorf(pos, "bounding box coordinate out of range")
		}
	}
	// xmin > xmax is legal for boxes crossing the antimeridian; it is checked
	// in Compile, which knows whether the filter CRS is geographic.
	n := len(b) / 2
	if b[1] > b[n+1] {
		return errorf(pos, "the bounding box has its lower edge (%s) above its upper edge (%s)",
			formatNumber(b[1]), formatNumber(b[n+1]))
	}
	if n == 3 && b[2] > b[5] {
		return errorf(pos, "the bounding box has zmin (%s) above zmax (%s)",
			formatNumber(b[2]), formatNumber(b[5]))
	}
	return nil
}

func equalPos(a, b position) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// wktOptions control how a literal is rendered for the database.
type wktOptions struct {
	flip       bool // swap the first two axes (lat/lon input)
	geographic bool // CRS is lon/lat degrees: check ranges, split antimeridian boxes
}

// forEachPos visits every position of g.
func (g *geometry) forEachPos(f func(position) *Error) *Error {
	for _, p := range g.pts {
		if err := f(p); err != nil {
			return err
		}
	}
	for _, l := range g.lines {
		for _, p := range l {
			if err := f(p); err != nil {
				return err
			}
		}
	}
	for _, poly := range g.polys {
		for _, l := range poly {
			for _, p := range l {
				if err := f(p); err != nil {
					return err
				}
			}
		}
	}
	for _, c := range g.geoms {
		if err := c.forEachPos(f); err != nil {
			return err
		}
	}
	return nil
}

// checkLonLat rejects positions outside the valid range of longitude and
// latitude, as required by the CQL2 conformance tests (e.g. POINT(90 180)).
func checkLonLat(pos int, lon, lat float64) *Error {
	if lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return errorf(pos, "coordinate (%s, %s) is outside the range of longitude and latitude",
			formatNumber(lon), formatNumber(lat)).
			withHint("longitude must be within -180..180 and latitude within -90..90; check the axis order of the filter CRS")
	}
	return nil
}

// toWKT renders g as OGC WKT in x/y axis order, applying the options.
func (g *geometry) toWKT(pos int, o wktOptions) (string, *Error) {
	if o.geographic {
		err := g.forEachPos(func(p position) *Error {
			x, y := p[0], p[1]
			if o.flip {
				x, y = y, x
			}
			return checkLonLat(pos, x, y)
		})
		if err != nil {
			return "", err
		}
	}
	var b strings.Builder
	if g.typ == gBBox {
		if err := writeBBox(&b, pos, g.bbox, o); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	writeGeom(&b, g, o.flip)
	return b.String(), nil
}

func writeGeom(b *strings.Builder, g *geometry, flip bool) {
	b.WriteString(g.typ.wktTag())
	if g.dim == 3 {
		b.WriteString(" Z ")
	}
	switch g.typ {
	case gPoint:
		writeSeq(b, g.pts, flip)
	case gLineString:
		writeSeq(b, g.pts, flip)
	case gMultiPoint:
		b.WriteByte('(')
		for i, p := range g.pts {
			if i > 0 {
				b.WriteByte(',')
			}
			writeSeq(b, []position{p}, flip)
		}
		b.WriteByte(')')
	case gPolygon, gMultiLineString:
		writeSeqs(b, g.lines, flip)
	case gMultiPolygon:
		b.WriteByte('(')
		for i, p := range g.polys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeSeqs(b, p, flip)
		}
		b.WriteByte(')')
	case gCollection:
		b.WriteByte('(')
		for i, c := range g.geoms {
			if i > 0 {
				b.WriteByte(',')
			}
			writeGeom(b, c, flip)
		}
		b.WriteByte(')')
	}
}

func writeSeqs(b *strings.Builder, seqs [][]position, flip bool) {
	b.WriteByte('(')
	for i, s := range seqs {
		if i > 0 {
			b.WriteByte(',')
		}
		writeSeq(b, s, flip)
	}
	b.WriteByte(')')
}

func writeSeq(b *strings.Builder, s []position, flip bool) {
	b.WriteByte('(')
	for i, p := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		x, y := p[0], p[1]
		if flip {
			x, y = y, x
		}
		b.WriteString(formatNumber(x))
		b.WriteByte(' ')
		b.WriteString(formatNumber(y))
		if len(p) == 3 {
			b.WriteByte(' ')
			b.WriteString(formatNumber(p[2]))
		}
	}
	b.WriteByte(')')
}

// writeBBox renders a bounding box as a 2D polygon (the vertical extent of a
// 6-number box is dropped: PostGIS predicates on our 2D data ignore it). A
// geographic box whose west edge lies east of its east edge crosses the
// antimeridian and becomes two polygons.
func writeBBox(b *strings.Builder, pos int, bb []float64, o wktOptions) *Error {
	n := len(bb) / 2
	xmin, ymin, xmax, ymax := bb[0], bb[1], bb[n], bb[n+1]
	if o.flip {
		xmin, ymin, xmax, ymax = ymin, xmin, ymax, xmax
	}
	if o.geographic {
		if err := checkLonLat(pos, xmin, ymin); err != nil {
			return err
		}
		if err := checkLonLat(pos, xmax, ymax); err != nil {
			return err
		}
	}
	if ymin > ymax {
		return errorf(pos, "the bounding box has its south edge (%s) north of its north edge (%s)",
			formatNumber(ymin), formatNumber(ymax))
	}
	if xmin <= xmax {
		b.WriteString("POLYGON(")
		writeRect(b, xmin, ymin, xmax, ymax)
		b.WriteByte(')')
		return nil
	}
	if !o.geographic {
		return errorf(pos, "the bounding box has xmin (%s) greater than xmax (%s)",
			formatNumber(xmin), formatNumber(xmax))
	}
	b.WriteString("MULTIPOLYGON((")
	writeRect(b, xmin, ymin, 180, ymax)
	b.WriteString("),(")
	writeRect(b, -180, ymin, xmax, ymax)
	b.WriteString("))")
	return nil
}

func writeRect(b *strings.Builder, xmin, ymin, xmax, ymax float64) {
	writeSeq(b, []position{{xmin, ymin}, {xmax, ymin}, {xmax, ymax}, {xmin, ymax}, {xmin, ymin}}, false)
}

// formatNumber renders a float compactly and exactly (shortest round-trip),
// avoiding exponents for the magnitudes that occur in coordinates.
func formatNumber(v float64) string {
	if v == 0 {
		return "0" // also normalises -0
	}
	if a := math.Abs(v); a >= 1e-6 && a < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
