package demo

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// A site is laid out as a lattice: a rectangle in local coordinates, cut along x and y into plot
// cells with access roads between blocks of cells, then rotated and moved into place. Every
// corner of the lattice is computed (and rounded to centimetres) once, and every ring is walked
// through all the lattice nodes on its edges, so neighbouring parcels share their edges exactly,
// the site's outline runs through the very nodes of its parcels, and nothing overlaps by rounding.

// axis is one direction of a lattice.
type axis struct {
	breaks []float64 // local coordinates of the cut lines, 0 … length
	cellLo []int     // cell k runs from breaks[cellLo[k]] to breaks[cellLo[k]+1]
	blocks [][2]int  // cells [from, to) between two roads
}

// newAxis cuts length into cells in blocks of about perBlock cells with a road between blocks. Cell
// widths vary by ±15 %. Where roads would leave too little room, the axis has none.
func newAxis(rng *rand.Rand, length float64, cells, perBlock int, road float64) axis {
	cells = max(cells, 1)
	blocks := (cells + perBlock - 1) / max(perBlock, 1)
	usable := length - float64(blocks-1)*road
	if blocks > 1 && usable < float64(cells)*3*road {
		blocks, usable = 1, length
	}
	widths := make([]float64, cells)
	sum := 0.0
	for k := range widths {
		widths[k] = 0.85 + 0.3*rng.Float64()
		sum += widths[k]
	}
	a := axis{breaks: []float64{0}}
	pos, k := 0.0, 0
	for b := 0; b < blocks; b++ {
		n := cells / blocks
		if b < cells%blocks {
			n++
		}
		if b > 0 {
			pos += road
			a.breaks = append(a.breaks, pos)
		}
		a.blocks = append(a.blocks, [2]int{k, k + n})
		for ; n > 0; n-- {
			a.cellLo = append(a.cellLo, len(a.breaks)-1)
			pos += widths[k] * usable / sum
			a.breaks = append(a.breaks, pos)
			k++
		}
	}
	a.breaks[len(a.breaks)-1] = length
	return a
}

// layout is a site's lattice in local coordinates, before it is placed.
type layout struct {
	x, y axis
	w, h float64
}

// lattice is a layout placed in the world: its nodes rotated by theta about the centre.
type lattice struct {
	*layout
	nodes []orb.Point // row-major: node (i, j) is nodes[j*len(x.breaks)+i]
}

func (l *layout) place(centre orb.Point, theta float64) *lattice {
	sin, cos := math.Sincos(theta)
	nx := len(l.x.breaks)
	lat := &lattice{layout: l, nodes: make([]orb.Point, nx*len(l.y.breaks))}
	for j, y := range l.y.breaks {
		for i, x := range l.x.breaks {
			dx, dy := x-l.w/2, y-l.h/2
			lat.nodes[j*nx+i] = roundPoint(orb.Point{centre[0] + dx*cos - dy*sin, centre[1] + dx*sin + dy*cos})
		}
	}
	return lat
}

func (l *lattice) node(i, j int) orb.Point { return l.nodes[j*len(l.x.breaks)+i] }

// ring is the closed counter-clockwise ring around the break lines i0…i1 × j0…j1, through every
// node on its edges.
func (l *lattice) ring(i0, i1, j0, j1 int) orb.Ring {
	r := make(orb.Ring, 0, 2*(i1-i0+j1-j0)+1)
	for i := i0; i < i1; i++ {
		r = append(r, l.node(i, j0))
	}
	for j := j0; j < j1; j++ {
		r = append(r, l.node(i1, j))
	}
	for i := i1; i > i0; i-- {
		r = append(r, l.node(i, j1))
	}
	for j := j1; j > j0; j-- {
		r = append(r, l.node(i0, j))
	}
	return append(r, r[0])
}

// outline is the site's boundary.
func (l *lattice) outline() orb.Ring {
	return l.ring(0, len(l.x.breaks)-1, 0, len(l.y.breaks)-1)
}

// plot is a parcel as a rectangle of cells [x0, x1) × [y0, y1).
type plot struct{ x0, x1, y0, y1 int }

// plots tiles every block of cells with parcels of 1×1, 2×1, 1×2 or 2×2 cells; merge is the chance
// that a parcel takes more than one cell.
func (l *layout) plots(rng *rand.Rand, merge float64) []plot {
	nx, ny := len(l.x.cellLo), len(l.y.cellLo)
	taken := make([]bool, nx*ny)
	var out []plot
	for _, by := range l.y.blocks {
		for _, bx := range l.x.blocks {
			for cy := by[0]; cy < by[1]; cy++ {
				for cx := bx[0]; cx < bx[1]; cx++ {
					if taken[cy*nx+cx] {
						continue
					}
					w, h := 1, 1
					if rng.Float64() < merge {
						switch r := rng.Float64(); {
						case r < 0.55:
							w = 2
						case r < 0.8:
							h = 2
						default:
							w, h = 2, 2
						}
					}
					// Shrink the shape until it fits the block and free cells.
					for w > 1 && (cx+w > bx[1] || taken[cy*nx+cx+1]) {
						w--
					}
					for h > 1 && (cy+h > by[1] || taken[(cy+1)*nx+cx] || (w == 2 && taken[(cy+1)*nx+cx+1])) {
						h--
					}
					for dy := 0; dy < h; dy++ {
						for dx := 0; dx < w; dx++ {
							taken[(cy+dy)*nx+cx+dx] = true
						}
					}
					out = append(out, plot{cx, cx + w, cy, cy + h})
				}
			}
		}
	}
	return out
}

// plotRing is the ring of a plot in the placed lattice.
func (l *lattice) plotRing(p plot) orb.Ring {
	return l.ring(l.x.cellLo[p.x0], l.x.cellLo[p.x1-1]+1, l.y.cellLo[p.y0], l.y.cellLo[p.y1-1]+1)
}
