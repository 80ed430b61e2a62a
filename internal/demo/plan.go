package demo

import (
	"fmt"
	"math"
	"slices"
)

// placeAll places the sites and parcels: first the strategic reserves, then the pairs of sites
// facing each other across borders, then the other sites of at least 5 ha (largest first, while
// there is most room), then the sites of 1–5 ha, and last single parcels until the requested
// number of parcels is reached.
func (g *generator) placeAll() error {
	n := g.opt.Parcels
	budget := func() int { return n - len(g.ds.Parcels) }

	for k, area := range spreadSizes(g.sc.count(reserveSites), g.sc.ha(studyReserveHa*g.sc.s)) {
		g.placeSite(kindReserve, area*1e4, g.reserveDistrict(k), budget())
	}

	specs := borderPairs()
	cells := make([][]int, len(specs))
	for k := range g.sc.count(float64(len(specs))) {
		i := k % len(specs)
		if cells[i] == nil {
			cells[i] = g.borderCells(specs[i])
		}
		spec := specs[i]
		if k >= len(specs) {
			spec.near = nil // repeats spread along the whole border
		}
		g.placePair(spec, cells[i], budget())
	}

	// The other large sites make up the study's count and area together with the above.
	count, areaHa := 0, 0.0
	for _, s := range g.sites {
		if s.kind != kindSmall {
			count++
			areaHa += s.areaHa
		}
	}
	large := g.sc.count(studyLargeSites) - count
	if large > 0 {
		sizes := paretoSizes(large, g.sc.ha(largeSiteMinHa), g.sc.ha(largeSiteMaxHa), g.sc.ha(studyLargeSitesHa*g.sc.s)-areaHa)
		districts := g.districtSequence(large)
		for k := len(sizes) - 1; k >= 0; k-- {
			if !g.placeSite(kindLarge, sizes[k]*1e4, districts[k], budget()) {
				// One more try anywhere: the study's totals matter more than the district.
				g.placeSite(kindLarge, sizes[k]*1e4, g.pickDistrict(), budget())
			}
		}
	}

	small := g.sc.count(smallSites)
	for _, d := range g.districtSequence(small) {
		g.placeSite(kindSmall, g.sc.ha(g.uniform(1.05, 4.8))*1e4, d, budget())
	}

	// Single parcels fill up to the requested number; give up only when the region is full.
	failures := 0
	for budget() > 0 {
		if !g.placeSingle(g.sc.ha(g.uniform(0.12, 0.95))*1e4, g.pickDistrict()) {
			if failures++; failures > 1000 {
				return fmt.Errorf("demo: no room left for %d more parcels: ask for fewer", budget())
			}
		}
	}
	return nil
}

// reserveDistrict spreads the strategic reserves over the districts along the motorways.
func (g *generator) reserveDistrict(k int) *district {
	prefer := []string{"15088", "15082", "14730", "14729", "15084", "15087", "16077", "15002", "14713"}
	for i := range prefer {
		ags := prefer[(k+i)%len(prefer)]
		for j := range g.districts {
			if g.districts[j].ags == ags {
				return &g.districts[j]
			}
		}
	}
	return &g.districts[k%len(g.districts)]
}

// spreadSizes splits total into n sizes falling evenly from 1.4 to 0.6 times the mean.
func spreadSizes(n int, total float64) []float64 {
	sizes := make([]float64, n)
	for k := range sizes {
		f := 1.0
		if n > 1 {
			f = 1.4 - 0.8*float64(k)/float64(n-1)
		}
		sizes[k] = total / float64(n) * f
	}
	return sizes
}

// paretoSizes returns n sizes in [lo, hi], ascending: the quantiles of a bounded Pareto
// distribution (many small sites, a few very large ones) whose shape is chosen so that they add up
// to total, as far as the bounds allow.
func paretoSizes(n int, lo, hi, total float64) []float64 {
	sizes := make([]float64, n)
	fill := func(alpha float64) float64 {
		sum := 0.0
		ratio := math.Pow(lo/hi, alpha)
		for i := range sizes {
			u := (float64(i) + 0.5) / float64(n)
			sizes[i] = lo * math.Pow(1-u*(1-ratio), -1/alpha)
			sum += sizes[i]
		}
		return sum
	}
	// The sum falls as alpha grows: bisect.
	a, b := 0.01, 20.0
	for range 100 {
		mid := (a + b) / 2
		if fill(mid) > total {
			a = mid
		} else {
			b = mid
		}
	}
	fill((a + b) / 2)
	slices.Sort(sizes)
	return sizes
}
