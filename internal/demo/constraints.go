package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// addConstraints draws the synthetic constraint areas: flood plains along the Saale, Weiße Elster
// and Mulde, a handful of nature reserves, mining areas south of Leipzig and in the Geiseltal,
// contamination over some brownfield parcels and ordnance over some conversion parcels.
func (g *generator) addConstraints() {
	rng := rand.New(rand.NewPCG(uint64(g.opt.Seed), 0x636f6e73))
	add := func(kind, severity, name string, ring orb.Ring) {
		g.ds.Constraints = append(g.ds.Constraints, ConstraintArea{
			Kind: kind, Severity: severity, Name: name + " (synthetisch)", Source: g.source,
			Geom: orb.MultiPolygon{{ring}},
		})
	}
	for _, r := range rivers() {
		line := make([]orb.Point, len(r.line))
		for i, p := range r.line {
			line[i] = p.utm()
		}
		add("flood_hq100", "severe", "Überschwemmungsgebiet HQ100 "+r.name, corridor(line, 450))
		add("flood_hqextreme", "minor", "Überflutungsfläche HQextrem "+r.name, corridor(line, 1300))
	}
	for _, a := range protectedAreas() {
		radii := make([]float64, 10+rng.IntN(5))
		for k := range radii {
			radii[k] = a.radius * (0.7 + 0.5*rng.Float64())
		}
		add(a.kind, a.severity, a.name, starPolygon(a.at.utm(), radii, rng.Float64()*math.Pi))
	}
	// Contamination over some brownfields, ordnance over some conversion land: a patch around
	// the parcel's middle, from half its size to a little beyond it.
	n := 0
	for i := range g.ds.Parcels {
		p := &g.ds.Parcels[i]
		var kind, name string
		switch {
		case p.PotentialKind == "brownfield" && chance(rng, 0.2):
			kind, name = "contamination", "Altlastenverdachtsfläche"
		case p.PotentialKind == "conversion" && chance(rng, 0.3):
			kind, name = "ordnance", "Kampfmittelverdachtsfläche"
		default:
			continue
		}
		n++
		severity := "minor"
		if chance(rng, 0.3) {
			severity = "severe"
		}
		add(kind, severity, fmt.Sprintf("%s %d", name, n), scaledRing(p.Geom[0][0], 0.5+0.65*rng.Float64()))
	}
}

// scaledRing scales a convex ring about its centroid.
func scaledRing(r orb.Ring, f float64) orb.Ring {
	c := ringCentroid(r)
	pts := make([]orb.Point, len(r)-1)
	for i := range pts {
		pts[i] = orb.Point{c[0] + (r[i][0]-c[0])*f, c[1] + (r[i][1]-c[1])*f}
	}
	return closeRing(pts)
}
