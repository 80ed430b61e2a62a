package demo

import (
	"math"

	"github.com/paulmach/orb"
)

// regionIndex answers "which municipality holds this shape entirely?" quickly and exactly. A grid
// over the region records for every cell the municipality boundary segments that may pass through
// it; a cell without any lies inside one municipality (or outside all), found once per connected
// patch of such cells. A shape over boundary-free cells of one municipality is inside it; any other
// shape is tested against the segments near it.
type regionIndex struct {
	munis  []muniShape
	origin orb.Point
	cell   float64
	nx, ny int
	// owner of each cell: a municipality index, outsideAll, or boundaryCell.
	owner []int32
	// segments of cell c are segs[segIdx[segStart[c]:segStart[c+1]]].
	segStart []int32
	segIdx   []int32
	segs     [][2]orb.Point
}

const (
	outsideAll   = -1
	boundaryCell = -2
	regionCell   = 250.0 // metres
)

// muniShape is a municipality with its bounding box.
type muniShape struct {
	Municipality
	bound orb.Bound
}

// newRegionIndex indexes the municipalities' boundaries.
func newRegionIndex(munis []Municipality) *regionIndex {
	ix := &regionIndex{cell: regionCell}
	var all orb.Bound
	for i, m := range munis {
		b := m.Geom.Bound()
		ix.munis = append(ix.munis, muniShape{Municipality: m, bound: b})
		if i == 0 {
			all = b
		} else {
			all = all.Union(b)
		}
		for _, poly := range m.Geom {
			for _, ring := range poly {
				for k := 0; k+1 < len(ring); k++ {
					if ring[k] != ring[k+1] {
						ix.segs = append(ix.segs, [2]orb.Point{ring[k], ring[k+1]})
					}
				}
			}
		}
	}
	ix.origin = orb.Point{all.Min[0] - 2*regionCell, all.Min[1] - 2*regionCell}
	ix.nx = int((all.Max[0]-ix.origin[0])/regionCell) + 3
	ix.ny = int((all.Max[1]-ix.origin[1])/regionCell) + 3

	// Two passes build the compressed cell → segment lists.
	counts := make([]int32, ix.nx*ix.ny+1)
	ix.forSegmentCells(func(c, _ int) { counts[c+1]++ })
	for c := 1; c < len(counts); c++ {
		counts[c] += counts[c-1]
	}
	ix.segStart = counts
	ix.segIdx = make([]int32, counts[len(counts)-1])
	fill := make([]int32, ix.nx*ix.ny)
	ix.forSegmentCells(func(c, s int) {
		ix.segIdx[ix.segStart[c]+fill[c]] = int32(s)
		fill[c]++
	})
	ix.classifyCells()
	return ix
}

// forSegmentCells calls fn for every (cell, segment) pair where the segment's bounding box
// overlaps the cell: a superset of the cells the segment passes through, which keeps the
// boundary-free cells truly free.
func (ix *regionIndex) forSegmentCells(fn func(cell, seg int)) {
	for s, sg := range ix.segs {
		i0, j0 := ix.cellOf(orb.Point{math.Min(sg[0][0], sg[1][0]), math.Min(sg[0][1], sg[1][1])})
		i1, j1 := ix.cellOf(orb.Point{math.Max(sg[0][0], sg[1][0]), math.Max(sg[0][1], sg[1][1])})
		for j := j0; j <= j1; j++ {
			for i := i0; i <= i1; i++ {
				fn(j*ix.nx+i, s)
			}
		}
	}
}

// classifyCells finds the owner of every boundary-free cell. Two such cells side by side share an
// edge no boundary crosses, so a connected patch of them has one owner: one point-in-polygon test
// per patch.
func (ix *regionIndex) classifyCells() {
	n := ix.nx * ix.ny
	ix.owner = make([]int32, n)
	const unknown = -3
	for c := 0; c < n; c++ {
		if ix.segStart[c+1] > ix.segStart[c] {
			ix.owner[c] = boundaryCell
		} else {
			ix.owner[c] = unknown
		}
	}
	var queue []int
	for c := 0; c < n; c++ {
		if ix.owner[c] != unknown {
			continue
		}
		centre := orb.Point{ix.origin[0] + (float64(c%ix.nx)+0.5)*ix.cell, ix.origin[1] + (float64(c/ix.nx)+0.5)*ix.cell}
		owner := int32(ix.locateSlow(centre))
		ix.owner[c] = owner
		queue = append(queue[:0], c)
		for len(queue) > 0 {
			cur := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			i, j := cur%ix.nx, cur/ix.nx
			for _, nb := range [4][2]int{{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}} {
				if nb[0] < 0 || nb[1] < 0 || nb[0] >= ix.nx || nb[1] >= ix.ny {
					continue
				}
				k := nb[1]*ix.nx + nb[0]
				if ix.owner[k] == unknown {
					ix.owner[k] = owner
					queue = append(queue, k)
				}
			}
		}
	}
}

// cellOf returns the grid cell of p, clamped to the grid.
func (ix *regionIndex) cellOf(p orb.Point) (int, int) {
	i := int((p[0] - ix.origin[0]) / ix.cell)
	j := int((p[1] - ix.origin[1]) / ix.cell)
	return min(max(i, 0), ix.nx-1), min(max(j, 0), ix.ny-1)
}

func (ix *regionIndex) inGrid(p orb.Point) bool {
	return p[0] > ix.origin[0] && p[1] > ix.origin[1] &&
		p[0] < ix.origin[0]+float64(ix.nx)*ix.cell && p[1] < ix.origin[1]+float64(ix.ny)*ix.cell
}

// locateSlow is the plain even-odd test over the rings of every municipality whose box holds p.
func (ix *regionIndex) locateSlow(p orb.Point) int {
	for i := range ix.munis {
		m := &ix.munis[i]
		if !m.bound.Contains(p) {
			continue
		}
		in := false
		for _, poly := range m.Geom {
			for _, ring := range poly {
				if ringContains(ring, p) {
					in = !in
				}
			}
		}
		if in {
			return i
		}
	}
	return outsideAll
}

// locate returns the index of the municipality holding p, or outsideAll.
func (ix *regionIndex) locate(p orb.Point) int {
	if !ix.inGrid(p) {
		return outsideAll
	}
	i, j := ix.cellOf(p)
	if o := ix.owner[j*ix.nx+i]; o != boundaryCell {
		return int(o)
	}
	return ix.locateSlow(p)
}

// holder returns the municipality that holds the closed ring r entirely, with no boundary
// touching it, or outsideAll.
func (ix *regionIndex) holder(r orb.Ring) int {
	b := r.Bound()
	if !ix.inGrid(b.Min) || !ix.inGrid(b.Max) {
		return outsideAll
	}
	i0, j0 := ix.cellOf(b.Min)
	i1, j1 := ix.cellOf(b.Max)
	first := ix.owner[j0*ix.nx+i0]
	uniform := first >= 0
	for j := j0; j <= j1 && uniform; j++ {
		for i := i0; i <= i1; i++ {
			if ix.owner[j*ix.nx+i] != first {
				uniform = false
				break
			}
		}
	}
	if uniform {
		return int(first)
	}
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			c := j*ix.nx + i
			for _, s := range ix.segIdx[ix.segStart[c]:ix.segStart[c+1]] {
				sg := ix.segs[s]
				if !b.Intersects(orb.Bound{Min: orb.Point{math.Min(sg[0][0], sg[1][0]), math.Min(sg[0][1], sg[1][1])},
					Max: orb.Point{math.Max(sg[0][0], sg[1][0]), math.Max(sg[0][1], sg[1][1])}}) {
					continue
				}
				if ringContains(r, sg[0]) {
					return outsideAll
				}
				for k := 0; k+1 < len(r); k++ {
					if segmentsTouch(r[k], r[k+1], sg[0], sg[1]) {
						return outsideAll
					}
				}
			}
		}
	}
	// No boundary meets the ring, so all of it lies where its first vertex does.
	return ix.locate(r[0])
}
