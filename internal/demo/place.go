package demo

import (
	"math"

	"github.com/paulmach/orb"
)

// pickDistrict draws a district by share.
func (g *generator) pickDistrict() *district {
	u := g.rng.Float64()
	for k := range g.districts {
		u -= g.districts[k].share
		if u < 0 {
			return &g.districts[k]
		}
	}
	return &g.districts[len(g.districts)-1]
}

// districtSequence spreads n sites over the districts in proportion to their shares (systematic
// sampling), in random order: every district gets its share without the luck of the draw.
func (g *generator) districtSequence(n int) []*district {
	out := make([]*district, 0, n)
	u := g.rng.Float64()
	cum := 0.0
	for k := range g.districts {
		cum += g.districts[k].share * float64(n)
		for u < cum && len(out) < n {
			out = append(out, &g.districts[k])
			u++
		}
	}
	for len(out) < n {
		out = append(out, g.pickDistrict())
	}
	g.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// uniformPoint draws a point in the district (by rejection from its bounding box).
func (g *generator) uniformPoint(d *district) orb.Point {
	var p orb.Point
	for try := 0; try < 100; try++ {
		p = orb.Point{d.bound.Min[0] + g.rng.Float64()*(d.bound.Max[0]-d.bound.Min[0]),
			d.bound.Min[1] + g.rng.Float64()*(d.bound.Max[1]-d.bound.Min[1])}
		if m := g.ix.locate(p); m >= 0 && g.ix.munis[m].DistrictAGS == d.ags {
			break
		}
	}
	return p
}

// anchorPoint draws a point near one of the district's centres or junctions, or anywhere in it,
// with the chances given; it returns the junction's motorway if it chose one.
func (g *generator) anchorPoint(d *district, pCentre, pJunction float64) (orb.Point, string) {
	u := g.rng.Float64()
	var a *anchor
	switch {
	case u < pCentre && len(d.centres) > 0:
		total := 0.0
		for _, c := range d.centres {
			total += c.weight
		}
		v := g.rng.Float64() * total
		for k := range d.centres {
			a = &d.centres[k]
			if v -= a.weight; v < 0 {
				break
			}
		}
	case u < pCentre+pJunction && len(d.junctions) > 0:
		a = &d.junctions[g.rng.IntN(len(d.junctions))]
	default:
		return g.uniformPoint(d), ""
	}
	s := a.sigma / g.sc.lin
	return orb.Point{a.at[0] + g.rng.NormFloat64()*s, a.at[1] + g.rng.NormFloat64()*s}, a.motorway
}

func (g *generator) uniform(lo, hi float64) float64 { return lo + g.rng.Float64()*(hi-lo) }

// siteLayout draws the lattice of a site of the given area (m²).
func (g *generator) siteLayout(kind siteKind, area float64) *layout {
	aspect := g.uniform(1, 2.2)
	w := math.Sqrt(area * aspect)
	h := area / w
	if g.rng.IntN(2) == 0 {
		w, h = h, w
	}
	return g.gridLayout(kind, w, h)
}

// gridLayout cuts a w × h rectangle into plot cells sized for the kind of site.
func (g *generator) gridLayout(kind siteKind, w, h float64) *layout {
	var plotHa float64
	ha := w * h / 1e4
	switch {
	case kind == kindReserve:
		cells := 1 + g.rng.IntN(2)
		return &layout{x: newAxis(g.rng, w, cells, cells, 0), y: newAxis(g.rng, h, 1, 1, 0), w: w, h: h}
	case kind == kindSmall:
		plotHa = g.uniform(0.9, 2.0)
	case ha >= g.sc.ha(50):
		plotHa = g.uniform(3.5, 7)
	case ha >= g.sc.ha(15):
		plotHa = g.uniform(2, 3.5)
	default:
		plotHa = g.uniform(1.2, 2.4)
	}
	cell := g.sc.ha(plotHa) * 1e4 / 1.35 // merged parcels take 1.35 cells on average
	cw := math.Sqrt(cell / 1.3)
	ch := cell / cw
	nx, ny := max(1, int(math.Round(w/cw))), max(1, int(math.Round(h/ch)))
	road := max(6, g.sc.metres(g.uniform(14, 18)))
	return &layout{
		x: newAxis(g.rng, w, nx, 3+g.rng.IntN(2), road),
		y: newAxis(g.rng, h, ny, 2, road),
		w: w, h: h,
	}
}

// margin is the least distance between unrelated sites.
func (g *generator) margin() float64 { return max(12, g.sc.metres(50)) }

// placeSite finds room for a site of the kind and area (m²) in the district and adds it with its
// parcels, unless more than budget parcels would result. It reports whether it did.
func (g *generator) placeSite(kind siteKind, area float64, d *district, budget int) bool {
	lay := g.siteLayout(kind, area)
	merge := 0.35
	if kind == kindReserve {
		merge = 0
	}
	plots := lay.plots(g.rng, merge)
	if len(plots) > budget {
		return false
	}
	pCentre, pJunction := 0.35, 0.45
	switch kind {
	case kindSmall:
		pCentre, pJunction = 0.5, 0.3
	case kindReserve:
		pCentre, pJunction = 0, 1
	}
	for try := 0; try < 150; try++ {
		var p orb.Point
		motorway := ""
		target := d
		switch {
		case try < 50:
			p, motorway = g.anchorPoint(d, pCentre, pJunction)
		case try < 100:
			p = g.uniformPoint(d)
		default:
			target = g.pickDistrict()
			p = g.uniformPoint(target)
		}
		lat := lay.place(p, g.uniform(-0.35, 0.35))
		outline := lat.outline()
		b := outline.Bound()
		if !g.occ.free(b.Pad(g.margin())) {
			continue
		}
		m := g.ix.holder(outline)
		if m < 0 || g.ix.munis[m].DistrictAGS != target.ags {
			continue
		}
		g.occ.add(b)
		g.addSite(kind, lat, outline, plots, m, motorway, false)
		return true
	}
	return false
}

// placeSingle finds room for a parcel outside any site: an infill gap in a built-up area.
func (g *generator) placeSingle(area float64, d *district) bool {
	aspect := g.uniform(1, 2)
	w := math.Sqrt(area * aspect)
	lay := &layout{x: newAxis(g.rng, w, 1, 1, 0), y: newAxis(g.rng, area/w, 1, 1, 0), w: w, h: area / w}
	for try := 0; try < 100; try++ {
		var p orb.Point
		target := d
		if try < 60 {
			p, _ = g.anchorPoint(d, 0.75, 0.1)
		} else {
			target = g.pickDistrict()
			p = g.uniformPoint(target)
		}
		lat := lay.place(p, g.uniform(-0.5, 0.5))
		ring := lat.outline()
		b := ring.Bound()
		if !g.occ.free(b.Pad(g.margin() / 2)) {
			continue
		}
		m := g.ix.holder(ring)
		if m < 0 || g.ix.munis[m].DistrictAGS != target.ags {
			continue
		}
		g.occ.add(b)
		g.addParcel(-1, ring, m)
		return true
	}
	return false
}

// occupancy is a grid index of the bounding boxes of everything placed so far.
type occupancy struct {
	origin orb.Point
	cell   float64
	nx, ny int
	cells  [][]int32
	boxes  []orb.Bound
}

func newOccupancy(ix *regionIndex) *occupancy {
	const cell = 500.0
	w := float64(ix.nx) * ix.cell
	h := float64(ix.ny) * ix.cell
	o := &occupancy{origin: ix.origin, cell: cell, nx: int(w/cell) + 1, ny: int(h/cell) + 1}
	o.cells = make([][]int32, o.nx*o.ny)
	return o
}

func (o *occupancy) span(b orb.Bound) (i0, j0, i1, j1 int) {
	clamp := func(v float64, n int) int { return min(max(int(v/o.cell), 0), n-1) }
	return clamp(b.Min[0]-o.origin[0], o.nx), clamp(b.Min[1]-o.origin[1], o.ny),
		clamp(b.Max[0]-o.origin[0], o.nx), clamp(b.Max[1]-o.origin[1], o.ny)
}

// free reports whether no placed box intersects b.
func (o *occupancy) free(b orb.Bound) bool {
	i0, j0, i1, j1 := o.span(b)
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			for _, k := range o.cells[j*o.nx+i] {
				if o.boxes[k].Intersects(b) {
					return false
				}
			}
		}
	}
	return true
}

func (o *occupancy) add(b orb.Bound) {
	k := int32(len(o.boxes))
	o.boxes = append(o.boxes, b)
	i0, j0, i1, j1 := o.span(b)
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			o.cells[j*o.nx+i] = append(o.cells[j*o.nx+i], k)
		}
	}
}
