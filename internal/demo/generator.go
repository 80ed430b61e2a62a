package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Figures of the study (domain.md "Published figures") that the default size reproduces.
const (
	studyLargeSites   = 146  // sites of at least 5 ha
	studyLargeSitesHa = 3870 // their gross area
	studyReserveHa    = 200  // strategic reserve sites ("Jokerflächen") recommended
)

// The shape of the supply at the default size, beyond the study's figures.
const (
	reserveSites   = 3   // the strategic reserve is split into this many sites
	smallSites     = 350 // sites of 1–5 ha
	largeSiteMinHa = 5.2 // a little above 5 ha, so rounding never drops a site below the class
	largeSiteMaxHa = 250
)

// siteKind is the kind of thing placed: it decides size, layout and attributes.
type siteKind int

const (
	kindSingle  siteKind = iota // a parcel outside any site: an infill gap
	kindSmall                   // a site of 1–5 ha
	kindLarge                   // a site of at least 5 ha
	kindReserve                 // a strategic reserve site (Jokerfläche)
)

// siteMeta is what the generator keeps about a placed site beyond its record.
type siteMeta struct {
	kind     siteKind
	pair     bool // placed facing a partner across a border
	muni     int
	centre   orb.Point
	areaHa   float64
	motorway string // the motorway of the junction the site was placed near, if any
	parcels  [2]int // its parcels are Dataset.Parcels[parcels[0]:parcels[1]]
}

// parcelMeta is what the generator keeps about a parcel beyond its record.
type parcelMeta struct {
	muni    int
	centre  orb.Point
	grossHa float64
}

// scaling relates a requested size to the default: s is the ratio of parcel numbers, lin the factor
// applied to all lengths. Up to the default size everything keeps its real size; beyond it sites
// and parcels shrink (lin = s^-¼), so the total area grows only with √s and still fits the region.
type scaling struct{ s, lin float64 }

func newScaling(parcels int) scaling {
	s := float64(parcels) / DefaultParcels
	lin := 1.0
	if s > 1 {
		lin = math.Pow(s, -0.25)
	}
	return scaling{s, lin}
}

func (sc scaling) count(n float64) int      { return int(math.Round(n * sc.s)) }
func (sc scaling) ha(v float64) float64     { return v * sc.lin * sc.lin }
func (sc scaling) metres(v float64) float64 { return v * sc.lin }

// anchor is a point sites cluster around: a centre or a junction.
type anchor struct {
	at       orb.Point
	weight   float64
	sigma    float64
	motorway string
}

// district is what placement knows of a district: where it is, its share of the sites and the
// anchors inside it.
type district struct {
	ags       string
	bound     orb.Bound
	share     float64
	centres   []anchor
	junctions []anchor
}

// generator holds the state of one Generate call.
type generator struct {
	opt       Options
	junctions []Junction
	sc        scaling
	source    string
	ix        *regionIndex
	occ       *occupancy
	districts []district
	rng       *rand.Rand // placement; attributes, history and constraints draw from their own streams
	ds        *Dataset
	sites     []siteMeta
	parcels   []parcelMeta
	names     map[string]int // site names in use, to number repeats
	seq       map[string]int // last external id number per district
}

func newGenerator(munis []Municipality, junctions []Junction, opt Options) *generator {
	g := &generator{
		opt:       opt,
		junctions: junctions,
		sc:        newScaling(opt.Parcels),
		source:    fmt.Sprintf("synthetic demo data (landatlas seed --demo, seed %d)", opt.Seed),
		ix:        newRegionIndex(munis),
		rng:       rand.New(rand.NewPCG(uint64(opt.Seed), 0x706c616365)),
		// Sized up front: at a million parcels, growing these slices would copy gigabytes.
		ds:      &Dataset{Parcels: make([]Parcel, 0, opt.Parcels), History: make([]ParcelState, 0, opt.Parcels+opt.Parcels/8)},
		parcels: make([]parcelMeta, 0, opt.Parcels),
		names:   map[string]int{},
		seq:     map[string]int{},
	}
	g.occ = newOccupancy(g.ix)
	g.setUpDistricts(junctions)
	return g
}

// setUpDistricts groups the municipalities by district and attaches the centres and junctions
// that lie in each. Districts missing from the input are simply left out.
func (g *generator) setUpDistricts(junctions []Junction) {
	byAGS := map[string]int{}
	totalArea := 0.0
	areas := map[string]float64{}
	for _, m := range g.ix.munis {
		k, ok := byAGS[m.DistrictAGS]
		if !ok {
			k = len(g.districts)
			byAGS[m.DistrictAGS] = k
			g.districts = append(g.districts, district{ags: m.DistrictAGS, bound: m.bound})
		}
		d := &g.districts[k]
		d.bound = d.bound.Union(m.bound)
		a := multiPolygonArea(m.Geom)
		areas[m.DistrictAGS] += a
		totalArea += a
	}
	slices.SortFunc(g.districts, func(a, b district) int { return cmp.Compare(a.ags, b.ags) })
	clear(byAGS)
	for k, d := range g.districts {
		byAGS[d.ags] = k
	}
	// Shares: the study-like weights, drifting to area shares as the data grows.
	weights := map[string]float64{}
	wsum := 0.0
	for _, s := range districtShares() {
		if _, ok := byAGS[s.ags]; ok {
			weights[s.ags] = s.share
			wsum += s.share
		}
	}
	lambda := 1 - g.sc.lin*g.sc.lin
	for k := range g.districts {
		d := &g.districts[k]
		w := 1.0 / float64(len(g.districts))
		if wsum > 0 {
			w = weights[d.ags] / wsum
		}
		d.share = (1-lambda)*w + lambda*areas[d.ags]/totalArea
	}
	for _, c := range centres() {
		at := c.at.utm()
		if m := g.ix.locate(at); m >= 0 {
			d := &g.districts[byAGS[g.ix.munis[m].DistrictAGS]]
			d.centres = append(d.centres, anchor{at: at, weight: c.weight, sigma: c.sigma})
		}
	}
	for _, j := range junctions {
		if m := g.ix.locate(j.Point); m >= 0 {
			d := &g.districts[byAGS[g.ix.munis[m].DistrictAGS]]
			d.junctions = append(d.junctions, anchor{at: j.Point, weight: 1, sigma: 1500, motorway: motorwayOf(j.Name)})
		}
	}
}

// motorwayOf reads the motorway from a junction name such as "AS Halle (A9)" or
// "Schkeuditzer Kreuz (A9/A14)": the first "A<number>".
func motorwayOf(name string) string {
	for _, f := range strings.FieldsFunc(name, func(r rune) bool { return r == '(' || r == ')' || r == '/' || r == ' ' }) {
		if len(f) >= 2 && f[0] == 'A' && strings.Trim(f[1:], "0123456789") == "" {
			return f
		}
	}
	return ""
}

// addSite records a placed site and its parcels.
func (g *generator) addSite(kind siteKind, lat *lattice, outline orb.Ring, plots []plot, m int, motorway string, pair bool) {
	muni := g.ix.munis[m]
	k := len(g.ds.Sites)
	g.ds.Sites = append(g.ds.Sites, Site{
		ExternalID:       g.nextID(muni.DistrictAGS, "S"),
		DistrictAGS:      muni.DistrictAGS,
		MunicipalityAGS:  muni.AGS,
		StrategicReserve: kind == kindReserve,
		Source:           g.source,
		Geom:             orb.MultiPolygon{{outline}},
	})
	meta := siteMeta{kind: kind, pair: pair, muni: m, centre: ringCentroid(outline),
		areaHa: math.Abs(ringArea(outline)) / 1e4, motorway: motorway}
	meta.parcels[0] = len(g.ds.Parcels)
	for _, p := range plots {
		g.addParcel(k, lat.plotRing(p), m)
	}
	meta.parcels[1] = len(g.ds.Parcels)
	g.sites = append(g.sites, meta)
}

func (g *generator) addParcel(site int, ring orb.Ring, m int) {
	muni := g.ix.munis[m]
	g.ds.Parcels = append(g.ds.Parcels, Parcel{
		Site:            site,
		ExternalID:      g.nextID(muni.DistrictAGS, ""),
		DistrictAGS:     muni.DistrictAGS,
		MunicipalityAGS: muni.AGS,
		Source:          g.source,
		ChangedBy:       changedBy,
		Geom:            orb.MultiPolygon{{ring}},
	})
	g.parcels = append(g.parcels, parcelMeta{muni: m, centre: ringCentroid(ring), grossHa: math.Abs(ringArea(ring)) / 1e4})
}

// nextID numbers records per district: DEMO-14713-000042 for parcels, DEMO-14713-S00042 for sites.
func (g *generator) nextID(districtAGS, prefix string) string {
	key := districtAGS + prefix
	g.seq[key]++
	if prefix == "" {
		return fmt.Sprintf("DEMO-%s-%06d", districtAGS, g.seq[key])
	}
	return fmt.Sprintf("DEMO-%s-%s%05d", districtAGS, prefix, g.seq[key])
}
