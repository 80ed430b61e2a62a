package demo

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestGenerateIsDeterministic(t *testing.T) {
	munis, junctions := municipalities(t), junctions(t)
	opt := Options{Parcels: 1500, Seed: 7, Now: testNow}
	a, err := Generate(munis, junctions, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(munis, junctions, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	opt.Seed = 8
	c, err := Generate(munis, junctions, opt)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Parcels, c.Parcels) || reflect.DeepEqual(a.Sites, c.Sites) {
		t.Fatal("seeds 7 and 8 give the same data")
	}
}

func TestGenerateRefusesBadOptions(t *testing.T) {
	munis := municipalities(t)
	if _, err := Generate(munis, nil, Options{}); err == nil {
		t.Error("no error without Now")
	}
	if _, err := Generate(munis, nil, Options{Parcels: -1, Now: testNow}); err == nil {
		t.Error("no error for a negative number of parcels")
	}
	if _, err := Generate(nil, nil, Options{Now: testNow}); err == nil {
		t.Error("no error without municipalities")
	}
}

func TestHeadlineFiguresMatchTheStudy(t *testing.T) {
	d := generated(t)
	f := d.Figures(testNow)
	t.Logf("%d sites, %d parcels, %d earlier states, %d constraint areas", f.Sites, f.Parcels, f.HistoryStates, f.ConstraintAreas)
	t.Logf("sites >= 5 ha: %d with %.0f ha; strategic reserves %.0f ha; on offer %.0f ha net",
		f.LargeSites, f.LargeSitesHa, f.StrategicReserveHa, f.OfferedNetHa)
	if f.Parcels != DefaultParcels {
		t.Errorf("%d parcels, want %d", f.Parcels, DefaultParcels)
	}
	if f.LargeSites < studyLargeSites-10 || f.LargeSites > studyLargeSites+10 {
		t.Errorf("%d sites of at least 5 ha, the study has %d", f.LargeSites, studyLargeSites)
	}
	if math.Abs(f.LargeSitesHa/studyLargeSitesHa-1) > 0.05 {
		t.Errorf("sites of at least 5 ha cover %.0f ha, the study says %d", f.LargeSitesHa, studyLargeSitesHa)
	}
	if math.Abs(f.StrategicReserveHa/studyReserveHa-1) > 0.25 {
		t.Errorf("strategic reserves cover %.0f ha, the study recommends about %d", f.StrategicReserveHa, studyReserveHa)
	}
	sum, n := 0.0, 0
	for _, y := range f.TakeUp {
		t.Logf("take-up %d: %.0f ha", y.Year, y.Ha)
		if y.Year < 2016 || y.Year > 2025 {
			continue
		}
		sum += y.Ha
		n++
		if y.Ha < 60 || y.Ha > 260 {
			t.Errorf("take-up %d is %.0f ha, want 60–260", y.Year, y.Ha)
		}
	}
	if mean := sum / float64(n); mean < 100 || mean > 200 {
		t.Errorf("mean take-up 2016–2025 is %.0f ha, want 100–200", mean)
	}
	if want := []string{"14713", "14729", "14730", "15002", "15082", "15084", "15087", "15088", "16077"}; !slices.Equal(f.DistrictsWithOffer, want) {
		t.Errorf("districts with parcels on offer: %v, want all nine", f.DistrictsWithOffer)
	}
	largeHa := 0.0
	for _, s := range d.Sites {
		if ha := multiPolygonArea(s.Geom) / 1e4; ha >= 50 {
			largeHa = max(largeHa, ha)
		}
	}
	if largeHa < 150 {
		t.Errorf("the largest site has %.0f ha; the study region has sites of 50–250 ha", largeHa)
	}
}

func TestGeometryIsValidAndDisjoint(t *testing.T) {
	if err := geometryProblem(municipalities(t), generated(t)); err != nil {
		t.Fatal(err)
	}
}

func TestLargeDataSetsShrinkToFit(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 40,000 parcels")
	}
	munis, junctions := municipalities(t), junctions(t)
	d, err := Generate(munis, junctions, Options{Parcels: 40000, Seed: 3, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Parcels) != 40000 {
		t.Fatalf("%d parcels, want 40000", len(d.Parcels))
	}
	if err := geometryProblem(munis, d); err != nil {
		t.Fatal(err)
	}
}

// The geometry check must catch what it is there for.
func TestGeometryProblemsAreFound(t *testing.T) {
	munis := municipalities(t)
	d := generated(t)
	corrupt := func(change func(c *Dataset)) *Dataset {
		c := *d
		c.Parcels = slices.Clone(d.Parcels)
		c.Sites = slices.Clone(d.Sites)
		change(&c)
		return &c
	}
	// The first site's first two parcels; shifting one onto the other overlaps them.
	first := slices.IndexFunc(d.Parcels, func(p Parcel) bool { return p.Site == 0 })
	shifted := func(mp orb.MultiPolygon, dx float64) orb.MultiPolygon {
		r := slices.Clone(mp[0][0])
		for i := range r {
			r[i][0] = roundCM(r[i][0] + dx)
		}
		return orb.MultiPolygon{{r}}
	}
	tests := []struct {
		name   string
		change func(c *Dataset)
		want   string
	}{
		{"overlapping parcels", func(c *Dataset) {
			p, q := &c.Parcels[first], &c.Parcels[first+1]
			q.Geom = shifted(p.Geom, 1)
			q.Site = -1 // so the parcel-in-site check does not fire first
		}, "overlap"},
		{"parcel in another municipality", func(c *Dataset) {
			for _, m := range munis {
				if m.DistrictAGS == c.Parcels[first].DistrictAGS && m.AGS != c.Parcels[first].MunicipalityAGS {
					c.Parcels[first].MunicipalityAGS = m.AGS
					c.Parcels[first].Site = -1
					return
				}
			}
		}, "outside"},
		{"clockwise ring", func(c *Dataset) {
			r := slices.Clone(c.Parcels[first].Geom[0][0])
			slices.Reverse(r)
			c.Parcels[first].Geom = orb.MultiPolygon{{r}}
		}, "counter-clockwise"},
		{"parcel sticking out of its site", func(c *Dataset) {
			c.Parcels[first].Geom = shifted(c.Parcels[first].Geom, -5000)
		}, "outside"},
	}
	for _, tt := range tests {
		err := geometryProblem(munis, corrupt(tt.change))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error about %q", tt.name, err, tt.want)
		}
	}
}

// geometryProblem checks every site and parcel: a valid ring, wholly inside its municipality
// (every vertex inside, no boundary crossing an edge), parcels inside their site, and nothing
// overlapping. It returns the first problem found.
func geometryProblem(munis []Municipality, d *Dataset) error {
	byAGS := map[string]*Municipality{}
	for i := range munis {
		byAGS[munis[i].AGS] = &munis[i]
	}
	inside := func(what string, r orb.Ring, outer orb.MultiPolygon) error {
		for _, p := range r {
			if !planar.MultiPolygonContains(outer, p) {
				return fmt.Errorf("%s: vertex %v lies outside", what, p)
			}
		}
		for _, poly := range outer {
			for _, o := range poly {
				if !o.Bound().Intersects(r.Bound()) {
					continue
				}
				for k := 0; k+1 < len(o); k++ {
					for i := 0; i+1 < len(r); i++ {
						if segmentsCross(r[i], r[i+1], o[k], o[k+1]) {
							return fmt.Errorf("%s: edge %v–%v crosses the boundary: outside", what, r[i], r[i+1])
						}
					}
				}
			}
		}
		return nil
	}
	shape := func(what string, mp orb.MultiPolygon) (orb.Ring, error) {
		if len(mp) != 1 || len(mp[0]) != 1 {
			return nil, fmt.Errorf("%s: want one polygon without holes, got %d polygons", what, len(mp))
		}
		if problem := ringProblem(mp[0][0]); problem != "" {
			return nil, fmt.Errorf("%s: %s", what, problem)
		}
		return mp[0][0], nil
	}
	var siteRings, parcelRings []orb.Ring
	for _, s := range d.Sites {
		r, err := shape("site "+s.ExternalID, s.Geom)
		if err != nil {
			return err
		}
		m := byAGS[s.MunicipalityAGS]
		if m == nil || m.DistrictAGS != s.DistrictAGS {
			return fmt.Errorf("site %s: municipality %s not in district %s", s.ExternalID, s.MunicipalityAGS, s.DistrictAGS)
		}
		if err := inside("site "+s.ExternalID+" in its municipality", r, m.Geom); err != nil {
			return err
		}
		siteRings = append(siteRings, r)
	}
	for _, p := range d.Parcels {
		r, err := shape("parcel "+p.ExternalID, p.Geom)
		if err != nil {
			return err
		}
		m := byAGS[p.MunicipalityAGS]
		if m == nil || m.DistrictAGS != p.DistrictAGS {
			return fmt.Errorf("parcel %s: municipality %s not in district %s", p.ExternalID, p.MunicipalityAGS, p.DistrictAGS)
		}
		if err := inside("parcel "+p.ExternalID+" in its municipality", r, m.Geom); err != nil {
			return err
		}
		if p.Site >= 0 {
			if d.Sites[p.Site].MunicipalityAGS != p.MunicipalityAGS {
				return fmt.Errorf("parcel %s lies in another municipality than its site", p.ExternalID)
			}
			if err := inside("parcel "+p.ExternalID+" in its site", r, d.Sites[p.Site].Geom); err != nil {
				return err
			}
		}
		parcelRings = append(parcelRings, r)
	}
	if err := overlapProblem("parcels", parcelRings); err != nil {
		return err
	}
	return overlapProblem("sites", siteRings)
}

// overlapProblem finds two rings sharing more than 0.01 m², through a grid of their boxes.
func overlapProblem(what string, rings []orb.Ring) error {
	const cell = 1000.0
	grid := map[[2]int][]int{}
	for i, r := range rings {
		b := r.Bound()
		for x := int(math.Floor(b.Min[0] / cell)); x <= int(math.Floor(b.Max[0]/cell)); x++ {
			for y := int(math.Floor(b.Min[1] / cell)); y <= int(math.Floor(b.Max[1]/cell)); y++ {
				for _, j := range grid[[2]int{x, y}] {
					if rings[j].Bound().Intersects(b) {
						if a := overlapArea(rings[i], rings[j]); a > 0.01 {
							return fmt.Errorf("%s %d and %d overlap by %.3f m²", what, j, i, a)
						}
					}
				}
				grid[[2]int{x, y}] = append(grid[[2]int{x, y}], i)
			}
		}
	}
	return nil
}

func TestSomeSitesNeighbourAcrossBorders(t *testing.T) {
	d := generated(t)
	acrossDistricts, acrossLaender := 0, 0
	for i := range d.Sites {
		for j := i + 1; j < len(d.Sites); j++ {
			a, b := &d.Sites[i], &d.Sites[j]
			if a.MunicipalityAGS == b.MunicipalityAGS || !a.Geom.Bound().Pad(50).Intersects(b.Geom.Bound()) {
				continue
			}
			if gap := ringDistance(a.Geom[0][0], b.Geom[0][0]); gap < 15 || gap > 40 {
				continue
			}
			if a.DistrictAGS != b.DistrictAGS {
				acrossDistricts++
			}
			if a.DistrictAGS[:2] != b.DistrictAGS[:2] {
				acrossLaender++
				t.Logf("sites %s and %s face each other across a Land border", a.Name, b.Name)
			}
		}
	}
	if acrossDistricts < 4 || acrossLaender < 2 {
		t.Errorf("%d site pairs 15–40 m apart across district borders (%d across Land borders), want ≥ 4 (≥ 2)", acrossDistricts, acrossLaender)
	}
}

// ringDistance is the least distance between two disjoint rings.
func ringDistance(a, b orb.Ring) float64 {
	d := math.Inf(1)
	for _, p := range a {
		for k := 0; k+1 < len(b); k++ {
			d = min(d, distToSegment(p, b[k], b[k+1]))
		}
	}
	for _, p := range b {
		for k := 0; k+1 < len(a); k++ {
			d = min(d, distToSegment(p, a[k], a[k+1]))
		}
	}
	return d
}

// enums reads the code lists of the schema, so the generated codes are checked against the
// database that will hold them.
func enums(t *testing.T) map[string][]string {
	t.Helper()
	sql, err := os.ReadFile("../../migrations/001_schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, m := range regexp.MustCompile(`CREATE TYPE (\w+) AS ENUM \(([^)]*)\)`).FindAllStringSubmatch(string(sql), -1) {
		for _, v := range regexp.MustCompile(`'([^']*)'`).FindAllStringSubmatch(m[2], -1) {
			out[m[1]] = append(out[m[1]], v[1])
		}
	}
	return out
}

func TestAttributesFitTheSchema(t *testing.T) {
	d := generated(t)
	enum := enums(t)
	check := func(what, typ, v string) {
		if !slices.Contains(enum[typ], v) {
			t.Fatalf("%s: %q is not a %s", what, v, typ)
		}
	}
	states := make([]*Parcel, 0, len(d.Parcels)+len(d.History))
	for i := range d.Parcels {
		states = append(states, &d.Parcels[i])
	}
	for i := range d.History {
		states = append(states, &d.History[i].Parcel)
	}
	for _, p := range states {
		what := "parcel " + p.ExternalID
		check(what, "use_type", p.UseType)
		check(what, "planning_status", p.PlanningStatus)
		check(what, "availability", p.Availability)
		check(what, "parcel_status", p.Status)
		check(what, "potential_kind", p.PotentialKind)
		check(what, "ownership", p.Ownership)
		check(what, "owner_willing", p.OwnerWilling)
		check(what, "serviced_state", p.Serviced)
		check(what, "publication", p.Publication)
		if (p.PriceMinEURm2 == nil) != (p.PriceMaxEURm2 == nil) {
			t.Fatalf("%s: only one end of the price range", what)
		}
		if p.PriceMinEURm2 != nil && (*p.PriceMinEURm2 < 10 || *p.PriceMaxEURm2 < *p.PriceMinEURm2 || *p.PriceMaxEURm2 > 120) {
			t.Fatalf("%s: price range %v–%v €/m²", what, *p.PriceMinEURm2, *p.PriceMaxEURm2)
		}
		if p.GRZ != nil && (*p.GRZ < 0.6 || *p.GRZ > 0.8) {
			t.Fatalf("%s: GRZ %v", what, *p.GRZ)
		}
		if p.NetAreaGivenHa != nil {
			if share := *p.NetAreaGivenHa / (multiPolygonArea(p.Geom) / 1e4); share < 0.59 || share > 0.69 {
				t.Fatalf("%s: net area %.2f ha is %.2f of gross", what, *p.NetAreaGivenHa, share)
			}
		}
		if !strings.HasSuffix(p.Description, syntheticMark) {
			t.Fatalf("%s: description %q does not say it is synthetic", what, p.Description)
		}
		if !strings.HasSuffix(p.ContactEmail, ".example.org") || (p.ExposeURL != "" && !strings.HasPrefix(p.ExposeURL, "https://example.org/")) {
			t.Fatalf("%s: contact %q or exposé %q not on example.org", what, p.ContactEmail, p.ExposeURL)
		}
		if !strings.HasPrefix(p.Source, "synthetic demo data") {
			t.Fatalf("%s: source %q", what, p.Source)
		}
		if !p.EndedAt.IsZero() && (p.Status != "withdrawn" || p.EndedAt.Before(p.ValidFrom)) {
			t.Fatalf("%s: ended %v with status %s", what, p.EndedAt, p.Status)
		}
		if p.ValidFrom.Before(historyStart()) || p.ValidFrom.After(testNow) {
			t.Fatalf("%s: valid from %v", what, p.ValidFrom)
		}
	}
	for _, s := range d.Sites {
		if !strings.HasSuffix(s.Description, syntheticMark) || !strings.HasPrefix(s.Source, "synthetic demo data") {
			t.Fatalf("site %s: description %q, source %q", s.ExternalID, s.Description, s.Source)
		}
		check("site "+s.ExternalID, "publication", s.Publication)
	}
	for _, c := range d.Constraints {
		check("constraint "+c.Name, "constraint_kind", c.Kind)
		check("constraint "+c.Name, "severity", c.Severity)
		if !strings.Contains(c.Name, "synthetisch") || !strings.HasPrefix(c.Source, "synthetic demo data") {
			t.Fatalf("constraint %q (%s) does not say it is synthetic", c.Name, c.Source)
		}
		if problem := ringProblem(c.Geom[0][0]); problem != "" {
			t.Fatalf("constraint %q: %s", c.Name, problem)
		}
	}

	// Distributions, loosely: the shares the brief asks for.
	share := func(pred func(p *Parcel) bool) float64 {
		n := 0
		for i := range d.Parcels {
			if pred(&d.Parcels[i]) {
				n++
			}
		}
		return float64(n) / float64(len(d.Parcels))
	}
	bounds := []struct {
		name   string
		pred   func(p *Parcel) bool
		lo, hi float64
	}{
		{"net area given", func(p *Parcel) bool { return p.NetAreaGivenHa != nil }, 0.55, 0.65},
		{"public", func(p *Parcel) bool { return p.Publication == "public" }, 0.78, 0.92},
		{"GE or GI", func(p *Parcel) bool { return p.UseType == "GE" || p.UseType == "GI" }, 0.6, 0.9},
		{"offered", func(p *Parcel) bool { return p.Status == "offered" }, 0.35, 0.75},
		{"sold", func(p *Parcel) bool { return p.Status == "sold" }, 0.1, 0.4},
		{"withdrawn", func(p *Parcel) bool { return p.Status == "withdrawn" }, 0.005, 0.05},
		{"reserved or company held", func(p *Parcel) bool { return p.Status == "reserved" || p.Status == "company_held" }, 0.05, 0.3},
		{"confirmed within 2 years", func(p *Parcel) bool { return p.LastConfirmed.After(testNow.AddDate(-2, 0, -1)) }, 0.6, 0.95},
		{"stale (3–6 years)", func(p *Parcel) bool {
			return p.LastConfirmed.Before(testNow.AddDate(-3, 0, 0)) && p.LastConfirmed.After(testNow.AddDate(-7, 0, 0))
		}, 0.03, 0.3},
		{"added after 2015", func(p *Parcel) bool { return firstState(d, p).Year() > 2015 }, 0.1, 0.5},
		{"brownfield", func(p *Parcel) bool { return p.PotentialKind == "brownfield" }, 0.05, 0.4},
		{"hydrogen", func(p *Parcel) bool { return p.Hydrogen }, 0.03, 0.4},
		{"rail siding", func(p *Parcel) bool { return p.RailSiding }, 0.01, 0.3},
		{"24-hour operation", func(p *Parcel) bool { return p.Operation24h }, 0.1, 0.45},
		{"24-hour operation in mixed areas", func(p *Parcel) bool { return p.Operation24h && p.UseType == "MI" }, 0, 0},
		{"outside any site", func(p *Parcel) bool { return p.Site < 0 }, 0.05, 0.25},
	}
	for _, b := range bounds {
		if s := share(b.pred); s < b.lo || s > b.hi {
			t.Errorf("share %s is %.3f, want %.2f–%.2f", b.name, s, b.lo, b.hi)
		}
	}
}

// firstState is when a parcel was first recorded.
func firstState(d *Dataset, p *Parcel) time.Time {
	first := p.ValidFrom
	i := slices.IndexFunc(d.Parcels, func(q Parcel) bool { return q.ExternalID == p.ExternalID && q.DistrictAGS == p.DistrictAGS })
	for _, h := range d.History {
		if h.ParcelIndex == i && h.ValidFrom.Before(first) {
			first = h.ValidFrom
		}
	}
	return first
}

func TestHistoryStatesChain(t *testing.T) {
	d := generated(t)
	byParcel := make([][]*ParcelState, len(d.Parcels))
	for i := range d.History {
		h := &d.History[i]
		byParcel[h.ParcelIndex] = append(byParcel[h.ParcelIndex], h)
	}
	for i, states := range byParcel {
		p := &d.Parcels[i]
		if len(states) > 2 {
			t.Fatalf("parcel %s has %d states, want 1–3", p.ExternalID, len(states)+1)
		}
		slices.SortFunc(states, func(a, b *ParcelState) int { return a.ValidFrom.Compare(b.ValidFrom) })
		next := p.ValidFrom
		for k := len(states) - 1; k >= 0; k-- {
			s := states[k]
			if !s.ValidTo.Equal(next) || !s.ValidFrom.Before(s.ValidTo) {
				t.Fatalf("parcel %s: state %v–%v does not end where the next begins (%v)", p.ExternalID, s.ValidFrom, s.ValidTo, next)
			}
			if !s.Geom.Equal(p.Geom) || s.ExternalID != p.ExternalID {
				t.Fatalf("parcel %s: an earlier state has another identity or shape", p.ExternalID)
			}
			if s.Status == "sold" {
				t.Fatalf("parcel %s: sold before its current state", p.ExternalID)
			}
			next = s.ValidFrom
		}
		if p.Status == "sold" && len(states) == 0 {
			t.Fatalf("parcel %s is sold without an earlier state on offer", p.ExternalID)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	munis, junctions := municipalities(b), junctions(b)
	for b.Loop() {
		if _, err := Generate(munis, junctions, Options{Parcels: 100000, Seed: 1, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}
