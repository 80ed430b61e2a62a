package demo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// placePair places two sites facing each other across a municipality border, 20–35 m apart, so
// that a search for large sites across borders has something to merge. It follows the border
// where it runs straight: it takes a boundary segment near the wanted place, lines the two
// rectangles up along it, one on each side, and keeps them only if each lies wholly inside a
// municipality of the wanted districts. It reports whether it placed them.
func (g *generator) placePair(spec borderPair, cells []int, budget int) bool {
	if len(cells) == 0 {
		return false
	}
	var lays [2]*layout
	var plots [2][]plot
	for s := range lays {
		area := g.sc.ha(g.uniform(6, 16)) * 1e4
		along := g.sc.metres(g.uniform(250, 400))
		lays[s] = g.gridLayout(kindLarge, along, area/along)
		plots[s] = lays[s].plots(g.rng, 0.35)
	}
	if len(plots[0])+len(plots[1]) > budget {
		return false
	}
	for try := 0; try < 400; try++ {
		c := cells[g.rng.IntN(len(cells))]
		if spec.near != nil {
			c = cells[min(try/4, len(cells)-1)] // nearest first, a few tries each
		}
		seg, ok := g.longestSegment(c)
		if !ok {
			continue
		}
		theta := math.Atan2(seg[1][1]-seg[0][1], seg[1][0]-seg[0][0]) + g.uniform(-0.02, 0.02)
		sin, cos := math.Sincos(theta)
		normal := orb.Point{-sin, cos}
		t := g.uniform(0.25, 0.75)
		mid := orb.Point{seg[0][0] + t*(seg[1][0]-seg[0][0]), seg[0][1] + t*(seg[1][1]-seg[0][1])}
		gap := g.uniform(20, 35)
		var lats [2]*lattice
		var outlines [2]orb.Ring
		var holders [2]int
		for s, side := range [2]float64{-1, 1} {
			off := side * (gap/2 + lays[s].h/2)
			shift := g.uniform(-0.2, 0.2) * lays[s].w
			at := orb.Point{mid[0] + normal[0]*off + cos*shift, mid[1] + normal[1]*off + sin*shift}
			lats[s] = lays[s].place(at, theta)
			outlines[s] = lats[s].outline()
		}
		b := outlines[0].Bound().Union(outlines[1].Bound())
		if !g.occ.free(b.Pad(g.margin())) {
			continue
		}
		for s := range holders {
			holders[s] = g.ix.holder(outlines[s])
		}
		if holders[0] < 0 || holders[1] < 0 || holders[0] == holders[1] || !g.pairFits(spec, holders[0], holders[1]) {
			continue
		}
		for s := range lats {
			g.occ.add(outlines[s].Bound())
			g.addSite(kindLarge, lats[s], outlines[s], plots[s], holders[s], "", true)
		}
		return true
	}
	return false
}

// pairFits reports whether municipalities a and b lie on the two sides the spec asks for.
func (g *generator) pairFits(spec borderPair, a, b int) bool {
	da, db := g.ix.munis[a].DistrictAGS, g.ix.munis[b].DistrictAGS
	return (slices.Contains(spec.from, da) && slices.Contains(spec.to, db)) ||
		(slices.Contains(spec.from, db) && slices.Contains(spec.to, da))
}

// longestSegment returns the longest boundary segment indexed in cell c.
func (g *generator) longestSegment(c int) ([2]orb.Point, bool) {
	best, bestLen := [2]orb.Point{}, 0.0
	for _, s := range g.ix.segIdx[g.ix.segStart[c]:g.ix.segStart[c+1]] {
		sg := g.ix.segs[s]
		if l := dist(sg[0], sg[1]); l > bestLen {
			best, bestLen = sg, l
		}
	}
	return best, bestLen > 0
}

// borderCells lists the boundary cells where municipalities of the spec's two sides meet: cells
// with boundary-free cells of both within two cells around. With a place given they are ordered
// nearest first.
func (g *generator) borderCells(spec borderPair) []int {
	ix := g.ix
	out := []int{}
	var near []int
	for c, o := range ix.owner {
		if o != boundaryCell {
			continue
		}
		near = near[:0]
		i, j := c%ix.nx, c/ix.nx
		for dj := -2; dj <= 2; dj++ {
			for di := -2; di <= 2; di++ {
				if i+di < 0 || j+dj < 0 || i+di >= ix.nx || j+dj >= ix.ny {
					continue
				}
				if m := int(ix.owner[(j+dj)*ix.nx+i+di]); m >= 0 && !slices.Contains(near, m) {
					near = append(near, m)
				}
			}
		}
		found := false
		for x := 0; x < len(near) && !found; x++ {
			for y := x + 1; y < len(near) && !found; y++ {
				found = g.pairFits(spec, near[x], near[y])
			}
		}
		if found {
			out = append(out, c)
		}
	}
	if spec.near != nil {
		p := spec.near.utm()
		centre := func(c int) orb.Point {
			return orb.Point{ix.origin[0] + (float64(c%ix.nx)+0.5)*ix.cell, ix.origin[1] + (float64(c/ix.nx)+0.5)*ix.cell}
		}
		slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(dist(centre(a), p), dist(centre(b), p)) })
	}
	return out
}
