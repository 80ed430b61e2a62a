package demo

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestUTM32MatchesPROJ(t *testing.T) {
	// Reference values from PROJ: echo "lat lon" | cs2cs -f %.4f EPSG:4326 EPSG:25832
	tests := []struct {
		name     string
		lon, lat float64
		e, n     float64
	}{
		{"Leipzig", 12.3731, 51.3397, 734926.8373, 5693004.5869},
		{"Halle", 11.9697, 51.4828, 706191.9368, 5707698.8933},
		{"central meridian", 9, 51, 500000.0000, 5649824.8881},
		{"far north-east of the region", 13.2, 51.9, 788912.6151, 5758255.6385},
		{"south-west of the region", 11.0, 50.8, 640935.9392, 5629491.0708},
	}
	for _, tt := range tests {
		p := utm32(tt.lon, tt.lat)
		if math.Abs(p[0]-tt.e) > 0.002 || math.Abs(p[1]-tt.n) > 0.002 {
			t.Errorf("%s: utm32(%v, %v) = %.4f, %.4f; PROJ says %.4f, %.4f", tt.name, tt.lon, tt.lat, p[0], p[1], tt.e, tt.n)
		}
	}
}

// The committed infrastructure layer was projected by ogr2ogr from the hand-entered WGS84 list;
// utm32 must agree with it.
func TestUTM32MatchesTheCommittedJunctions(t *testing.T) {
	f, err := os.Open(manualFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	projected := map[string]orb.Point{}
	for _, j := range junctions(t) {
		projected[j.Name] = j.Point
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	n := 0
	for _, r := range rows[1:] {
		want, ok := projected[r[col["name"]]]
		if r[col["kind"]] != "motorway_junction" || !ok {
			continue
		}
		lon, err1 := strconv.ParseFloat(r[col["lon"]], 64)
		lat, err2 := strconv.ParseFloat(r[col["lat"]], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad coordinates", r[col["name"]])
		}
		if got := utm32(lon, lat); dist(got, want) > 0.05 {
			t.Errorf("%s: utm32 gives %v, the committed layer %v", r[col["name"]], got, want)
		}
		n++
	}
	if n < 20 {
		t.Fatalf("only %d junctions compared", n)
	}
}

func TestCentresLieInTheirMunicipalities(t *testing.T) {
	munis := municipalities(t)
	byAGS := map[string]orb.MultiPolygon{}
	for _, m := range munis {
		byAGS[m.AGS] = m.Geom
	}
	for _, c := range centres() {
		if !planar.MultiPolygonContains(byAGS[c.ags], c.at.utm()) {
			t.Errorf("centre %s (%v) does not lie in municipality %s", c.name, c.at, c.ags)
		}
	}
	ix := newRegionIndex(munis)
	for _, c := range centres() {
		if m := ix.locate(c.at.utm()); m < 0 || ix.munis[m].AGS != c.ags {
			t.Errorf("region index puts centre %s outside %s", c.name, c.ags)
		}
	}
}

func TestRegionIndexAgreesWithPlainPointInPolygon(t *testing.T) {
	munis := municipalities(t)
	ix := newRegionIndex(munis)
	bounds := make([]orb.Bound, len(munis))
	all := munis[0].Geom.Bound()
	for i, m := range munis {
		bounds[i] = m.Geom.Bound()
		all = all.Union(bounds[i])
	}
	// A regular sample over the region, offset so points do not fall on cell edges.
	for x := all.Min[0] + 137.3; x < all.Max[0]; x += 1731 {
		for y := all.Min[1] + 91.7; y < all.Max[1]; y += 1733 {
			p := orb.Point{x, y}
			want := -1
			for i, m := range munis {
				if bounds[i].Contains(p) && planar.MultiPolygonContains(m.Geom, p) {
					want = i
					break
				}
			}
			if got := ix.locate(p); got != want {
				t.Fatalf("locate(%v) = %d, point-in-polygon says %d", p, got, want)
			}
		}
	}
}

func TestCorridorsAndStarsAreSimple(t *testing.T) {
	for _, r := range rivers() {
		line := make([]orb.Point, len(r.line))
		for i, p := range r.line {
			line[i] = p.utm()
		}
		for _, half := range []float64{450, 1300} {
			ring := corridor(line, half)
			if problem := ringProblem(ring); problem != "" {
				t.Errorf("%s corridor %v m: %s", r.name, half, problem)
			}
			// The corridor's area is about its length times its width.
			length := 0.0
			for i := 0; i+1 < len(line); i++ {
				length += dist(line[i], line[i+1])
			}
			if a := ringArea(ring); math.Abs(a/(2*half*length)-1) > 0.15 {
				t.Errorf("%s corridor %v m: area %.0f m² for a %.0f m line", r.name, half, a, length)
			}
		}
	}
	ring := starPolygon(orb.Point{700000, 5700000}, []float64{100, 300, 120, 250, 90, 310}, 0.3)
	if problem := ringProblem(ring); problem != "" {
		t.Error(problem)
	}
}

// segmentsCross reports whether ab and cd cross at a point inside both: the intersection that
// makes two polygons overlap or a ring self-intersect, as opposed to sharing a vertex or an edge.
func segmentsCross(a, b, c, d orb.Point) bool {
	d1, d2 := orient(c, d, a), orient(c, d, b)
	d3, d4 := orient(a, b, c), orient(a, b, d)
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

// ringProblem says what makes a ring unfit for PostGIS and RFC 7946, or "".
func ringProblem(r orb.Ring) string {
	switch {
	case len(r) < 4:
		return "fewer than 4 points"
	case r[0] != r[len(r)-1]:
		return "not closed"
	case ringArea(r) <= 0:
		return "not counter-clockwise"
	case ringSelfIntersects(r):
		return "self-intersecting"
	}
	for _, p := range r {
		if p[0] != roundCM(p[0]) || p[1] != roundCM(p[1]) {
			return "coordinates not rounded to centimetres"
		}
	}
	return ""
}

// ringSelfIntersects reports whether two non-adjacent edges of a closed ring touch, or two
// adjacent ones fold back onto each other.
func ringSelfIntersects(r orb.Ring) bool {
	n := len(r) - 1
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			a, b, c, d := r[i], r[i+1], r[j], r[j+1]
			if j == i+1 || (i == 0 && j == n-1) {
				// Adjacent: the shared vertex is the only common point unless they are collinear
				// and point the same way from it.
				shared, p, q := b, a, d
				if i == 0 && j == n-1 {
					shared, p, q = a, b, c
				}
				if orient(shared, p, q) == 0 && (p[0]-shared[0])*(q[0]-shared[0])+(p[1]-shared[1])*(q[1]-shared[1]) > 0 {
					return true
				}
				continue
			}
			if segmentsTouch(a, b, c, d) {
				return true
			}
		}
	}
	return false
}

// overlapArea is the area shared by two convex rings (Sutherland–Hodgman clipping). The parcels
// and sites here are convex up to centimetre rounding.
func overlapArea(a, b orb.Ring) float64 {
	out := append([]orb.Point{}, a[:len(a)-1]...)
	for k := 0; k+1 < len(b) && len(out) > 0; k++ {
		p, q := b[k], b[k+1]
		in := out
		out = nil
		for i := range in {
			cur, prev := in[i], in[(i+len(in)-1)%len(in)]
			curIn, prevIn := orient(p, q, cur) >= 0, orient(p, q, prev) >= 0
			if curIn != prevIn {
				out = append(out, lineIntersection(prev, cur, p, q))
			}
			if curIn {
				out = append(out, cur)
			}
		}
	}
	if len(out) < 3 {
		return 0
	}
	return math.Abs(ringArea(append(out, out[0])))
}

func lineIntersection(a, b, p, q orb.Point) orb.Point {
	d1 := orient(p, q, a)
	d2 := orient(p, q, b)
	t := d1 / (d1 - d2)
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

func TestOverlapArea(t *testing.T) {
	sq := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	tests := []struct {
		a, b orb.Ring
		want float64
	}{
		{sq(0, 0, 10), sq(5, 5, 10), 25},
		{sq(0, 0, 10), sq(10, 0, 10), 0}, // sharing an edge
		{sq(0, 0, 10), sq(0, 0, 10), 100},
		{sq(0, 0, 10), sq(20, 0, 10), 0},
		{sq(0, 0, 10), sq(2, 2, 3), 9},
	}
	for _, tt := range tests {
		if got := overlapArea(tt.a, tt.b); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("overlapArea(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
