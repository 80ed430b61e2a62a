package demo

import (
	"math"

	"github.com/paulmach/orb"
)

// utm32 projects WGS84 longitude/latitude in degrees to ETRS89 / UTM zone 32N (EPSG:25832) on the
// GRS80 ellipsoid, with Krüger's series to fourth order in n (Karney 2011): millimetre-accurate far
// beyond the zone's 6°, which matters because the region lies 2–4° east of its central meridian.
// ETRS89 and WGS84 differ by well under a metre, far less than the demo data needs.
func utm32(lon, lat float64) orb.Point {
	const (
		a            = 6378137.0
		f            = 1 / 298.257222101
		k0           = 0.9996
		lon0         = 9.0
		falseEasting = 500000.0
	)
	n := f / (2 - f)
	n2, n3, n4 := n*n, n*n*n, n*n*n*n
	bigA := a / (1 + n) * (1 + n2/4 + n4/64)
	alpha := [4]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180,
		13*n2/48 - 3*n3/5 + 557*n4/1440,
		61*n3/240 - 103*n4/140,
		49561 * n4 / 161280,
	}
	phi := lat * math.Pi / 180
	dl := (lon - lon0) * math.Pi / 180
	c := 2 * math.Sqrt(n) / (1 + n)
	t := math.Sinh(math.Atanh(math.Sin(phi)) - c*math.Atanh(c*math.Sin(phi)))
	xi := math.Atan(t / math.Cos(dl))
	eta := math.Atanh(math.Sin(dl) / math.Sqrt(1+t*t))
	e, no := eta, xi
	for j := 1; j <= 4; j++ {
		fj := float64(2 * j)
		e += alpha[j-1] * math.Cos(fj*xi) * math.Sinh(fj*eta)
		no += alpha[j-1] * math.Sin(fj*xi) * math.Cosh(fj*eta)
	}
	return orb.Point{falseEasting + k0*bigA*e, k0 * bigA * no}
}

// wgs is a longitude/latitude pair in degrees, for the hand-entered places of this package.
type wgs struct{ lon, lat float64 }

func (w wgs) utm() orb.Point { return utm32(w.lon, w.lat) }

func roundCM(v float64) float64 { return math.Round(v*100) / 100 }

func roundPoint(p orb.Point) orb.Point { return orb.Point{roundCM(p[0]), roundCM(p[1])} }

func dist(a, b orb.Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// orient is twice the signed area of the triangle abc: > 0 when c lies left of a→b.
func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func between(a, b, v float64) bool { return math.Min(a, b) <= v && v <= math.Max(a, b) }

// onSegment reports whether p, known to be collinear with ab, lies on the closed segment ab.
func onSegment(a, b, p orb.Point) bool { return between(a[0], b[0], p[0]) && between(a[1], b[1], p[1]) }

// segmentsTouch reports whether the closed segments ab and cd share at least one point.
func segmentsTouch(a, b, c, d orb.Point) bool {
	d1, d2 := orient(c, d, a), orient(c, d, b)
	d3, d4 := orient(a, b, c), orient(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(c, d, a)) || (d2 == 0 && onSegment(c, d, b)) ||
		(d3 == 0 && onSegment(a, b, c)) || (d4 == 0 && onSegment(a, b, d))
}

// ringContains is the even-odd test of p against a closed ring; points on the boundary may go
// either way, which callers avoid by testing boundaries separately.
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// ringArea is the signed area of a closed ring: positive when counter-clockwise.
func ringArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	// Shift to the first point so the products stay small and exact enough at UTM magnitudes.
	o := r[0]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		s += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	return s / 2
}

// polygonArea is the area of a polygon: its outer ring less its holes.
func polygonArea(p orb.Polygon) float64 {
	a := 0.0
	for i, r := range p {
		if i == 0 {
			a += math.Abs(ringArea(r))
		} else {
			a -= math.Abs(ringArea(r))
		}
	}
	return a
}

// multiPolygonArea is the area of a multipolygon in the units of its CRS (m² here).
func multiPolygonArea(mp orb.MultiPolygon) float64 {
	a := 0.0
	for _, p := range mp {
		a += polygonArea(p)
	}
	return a
}

// ringCentroid is the centroid of a simple closed ring.
func ringCentroid(r orb.Ring) orb.Point {
	o := r[0]
	var cx, cy, a float64
	for i := 0; i+1 < len(r); i++ {
		x0, y0 := r[i][0]-o[0], r[i][1]-o[1]
		x1, y1 := r[i+1][0]-o[0], r[i+1][1]-o[1]
		w := x0*y1 - x1*y0
		a += w
		cx += (x0 + x1) * w
		cy += (y0 + y1) * w
	}
	if a == 0 {
		return o
	}
	return orb.Point{o[0] + cx/(3*a), o[1] + cy/(3*a)}
}

// closeRing makes pts a closed, counter-clockwise ring with coordinates rounded to centimetres.
func closeRing(pts []orb.Point) orb.Ring {
	r := make(orb.Ring, 0, len(pts)+1)
	for _, p := range pts {
		p = roundPoint(p)
		if len(r) > 0 && r[len(r)-1] == p {
			continue
		}
		r = append(r, p)
	}
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	r = append(r, r[0])
	if ringArea(r) < 0 {
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
	}
	return r
}

// corridor is a polygon around a polyline, half wide on either side, with mitred joins: the flood
// plain along a river. The line's bends must be gentle compared with its segment lengths, which the
// hand-entered rivers of this package are; a test checks the result is simple.
func corridor(line []orb.Point, half float64) orb.Ring {
	n := len(line)
	left := make([]orb.Point, n)
	right := make([]orb.Point, n)
	normal := func(a, b orb.Point) orb.Point {
		l := dist(a, b)
		return orb.Point{-(b[1] - a[1]) / l, (b[0] - a[0]) / l}
	}
	for i := range line {
		var m orb.Point
		scale := half
		switch i {
		case 0:
			m = normal(line[0], line[1])
		case n - 1:
			m = normal(line[n-2], line[n-1])
		default:
			np, nn := normal(line[i-1], line[i]), normal(line[i], line[i+1])
			m = orb.Point{np[0] + nn[0], np[1] + nn[1]}
			l := math.Hypot(m[0], m[1])
			m = orb.Point{m[0] / l, m[1] / l}
			scale = half / (m[0]*nn[0] + m[1]*nn[1])
		}
		left[i] = orb.Point{line[i][0] + m[0]*scale, line[i][1] + m[1]*scale}
		right[i] = orb.Point{line[i][0] - m[0]*scale, line[i][1] - m[1]*scale}
	}
	pts := append([]orb.Point{}, left...)
	for i := n - 1; i >= 0; i-- {
		pts = append(pts, right[i])
	}
	return closeRing(pts)
}

// starPolygon is a simple polygon around c: vertices at increasing angles, each at a radius of
// radii[i], so it can never cross itself. Nature reserves and mining areas take this shape.
func starPolygon(c orb.Point, radii []float64, phase float64) orb.Ring {
	pts := make([]orb.Point, len(radii))
	for i, r := range radii {
		a := phase + 2*math.Pi*float64(i)/float64(len(radii))
		pts[i] = orb.Point{c[0] + r*math.Cos(a), c[1] + r*math.Sin(a)}
	}
	return closeRing(pts)
}
