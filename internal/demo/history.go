package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/paulmach/orb"
)

// yearlyTakeUpHa is the region's take-up (net hectares sold) in a normal year at the default size,
// in the order of magnitude the study's demand forecast implies (2,545–2,840 ha up to 2038).
const yearlyTakeUpHa = 135

// takeUpWeight shapes the yearly take-up: a boom before 2020, a pandemic dip, a strong 2021–22.
func takeUpWeight(year int) float64 {
	switch year {
	case 2015:
		return 0.85
	case 2016:
		return 0.95
	case 2017:
		return 1.05
	case 2018:
		return 1.2
	case 2019:
		return 1.15
	case 2020:
		return 0.8
	case 2021:
		return 1.25
	case 2022:
		return 1.15
	case 2023:
		return 0.9
	case 2024:
		return 0.8
	case 2025:
		return 0.9
	}
	return 1
}

const day = 24 * time.Hour

func date(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// randomTime draws a time in [a, b), at a working hour, or a when the range is empty.
func randomTime(rng *rand.Rand, a, b time.Time) time.Time {
	if !b.After(a) {
		return a
	}
	t := a.Add(time.Duration(rng.Int64N(int64(b.Sub(a)))))
	return date(t).Add(time.Duration(7+rng.IntN(10)) * time.Hour).Add(time.Duration(rng.IntN(60)) * time.Minute)
}

// writeHistory decides when sites and parcels appeared, which parcels were sold when (so that the
// yearly take-up has the study's size), which are reserved, held or withdrawn, and writes each
// parcel's earlier states.
func (g *generator) writeHistory() {
	rng := rand.New(rand.NewPCG(uint64(g.opt.Seed), 0x68697374))
	now := g.opt.Now
	start := historyStart()
	latest := now.Add(-120 * day)

	// When each site and parcel entered the monitoring: most at its start, the rest since.
	siteFrom := make([]time.Time, len(g.ds.Sites))
	for k := range g.ds.Sites {
		if chance(rng, 0.72) {
			siteFrom[k] = randomTime(rng, start, start.AddDate(0, 3, 0))
		} else {
			siteFrom[k] = randomTime(rng, start.AddDate(0, 3, 0), latest)
		}
		g.ds.Sites[k].ValidFrom = siteFrom[k]
	}
	first := make([]time.Time, len(g.ds.Parcels))
	for i := range g.ds.Parcels {
		p := &g.ds.Parcels[i]
		switch {
		case p.Site >= 0 && chance(rng, 0.88):
			first[i] = siteFrom[p.Site].Add(time.Duration(rng.IntN(20*24)) * time.Hour)
		case p.Site >= 0:
			first[i] = randomTime(rng, siteFrom[p.Site], latest)
		case chance(rng, 0.7):
			first[i] = randomTime(rng, start, start.AddDate(0, 3, 0))
		default:
			first[i] = randomTime(rng, start.AddDate(0, 3, 0), latest)
		}
	}

	status := g.allocateStatus(rng, first)
	for i := range g.ds.Parcels {
		g.parcelTimeline(rng, i, first[i], status[i])
	}
}

// plannedStatus is the current status a parcel will end up with; soldIn is the year of a sale.
type plannedStatus struct {
	status string
	soldIn int
}

// allocateStatus plans every parcel's current status. Sales are allocated year by year against
// the yearly take-up target, larger parcels first, so each year's take-up lands close to its
// target; strategic reserves and the sites meant for border clusters stay on offer.
func (g *generator) allocateStatus(rng *rand.Rand, first []time.Time) []plannedStatus {
	now := g.opt.Now
	plan := make([]plannedStatus, len(g.ds.Parcels))
	type candidate struct {
		i   int
		key float64
		net float64
	}
	var cands []candidate
	for i := range g.ds.Parcels {
		p := &g.ds.Parcels[i]
		plan[i].status = "offered"
		if p.Site >= 0 && (g.sites[p.Site].pair || g.sites[p.Site].kind == kindReserve) {
			continue
		}
		if p.OwnerWilling == "no" {
			plan[i].status = weighted(rng, []string{"offered", "company_held", "withdrawn"}, 60, 30, 10)
			continue
		}
		net := netHa(p, g.parcels[i].grossHa)
		// Weighted sampling without replacement (Efraimidis–Spirakis, in logs): larger parcels
		// tend to come first, so fewer, larger parcels make up the take-up.
		cands = append(cands, candidate{i, math.Log(rng.Float64()) / net, net})
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(b.key, a.key) })

	firstYear, lastYear := historyStartYear, now.Year()
	target := make([]float64, lastYear-firstYear+1)
	filled := make([]float64, len(target))
	for y := range target {
		target[y] = g.sc.ha(yearlyTakeUpHa*g.sc.s) * takeUpWeight(firstYear+y)
	}
	// Only the part of this year that has passed.
	target[len(target)-1] *= float64(now.YearDay()-1) / 365
	for _, c := range cands {
		// A sale needs at least 60 days on offer and must lie before now.
		earliest := first[c.i].Add(60 * day)
		best, bestGap := -1, 0.0
		for y := range target {
			year := firstYear + y
			if earliest.Year() > year || (year == lastYear && !earliest.Before(now.Add(-day))) {
				continue
			}
			if gap := target[y] - filled[y]; gap > bestGap {
				best, bestGap = y, gap
			}
		}
		if best >= 0 && c.net <= bestGap+0.05*target[best] {
			filled[best] += c.net
			plan[c.i] = plannedStatus{"sold", firstYear + best}
		}
	}
	for _, c := range cands {
		if plan[c.i].status == "offered" {
			plan[c.i].status = weighted(rng, []string{"offered", "reserved", "company_held", "withdrawn"}, 78, 8, 11, 3)
		}
	}
	return plan
}

// parcelTimeline writes a parcel's states from its first appearance to now, given its planned
// current status, and sets the current one.
func (g *generator) parcelTimeline(rng *rand.Rand, i int, first time.Time, plan plannedStatus) {
	now := g.opt.Now
	cur := &g.ds.Parcels[i]
	junction := g.junctionText(g.parcels[i].centre)
	net := netHa(cur, g.parcels[i].grossHa)

	// Change times, oldest first; the last one starts the current state.
	var changes []time.Time
	final := plan.status
	if final == "sold" {
		year := plan.soldIn
		lo := maxTime(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), first.Add(60*day))
		hi := minTime(time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC), now.Add(-day))
		sale := randomTime(rng, lo, hi)
		if sale.Year() != year { // the draw rounds to a working hour; keep it in its year
			sale = lo
		}
		if r := sale.Add(-time.Duration(30+rng.IntN(210)) * day); r.After(first.Add(30*day)) && chance(rng, 0.5) {
			changes = append(changes, r) // reserved before the sale
		}
		changes = append(changes, sale)
	}
	if final != "sold" {
		n := weighted(rng, []int{0, 1, 2}, 45, 35, 20)
		if final != "offered" {
			n = max(n, 1)
		}
		lo, hi := first.Add(60*day), now.Add(-30*day)
		for range n {
			if hi.Sub(lo) > 60*day {
				changes = append(changes, randomTime(rng, lo, hi))
			}
		}
		slices.SortFunc(changes, func(a, b time.Time) int { return a.Compare(b) })
		changes = slices.CompactFunc(changes, func(a, b time.Time) bool { return date(a).Equal(date(b)) })
	}

	// The current state.
	cur.Status = final
	from := first
	if len(changes) > 0 {
		from = changes[len(changes)-1]
	}
	cur.ValidFrom = from
	cur.LastConfirmed = confirmed(rng, from, now)
	// What "short term" means is relative to when somebody last looked.
	setAvailability(rng, cur, cur.LastConfirmed)
	if final == "withdrawn" {
		cur.EndedAt = from
	}
	if final == "sold" || final == "withdrawn" {
		cur.ExposeURL = ""
	}
	cur.Description = describe(cur, net, junction)

	// Earlier states, newest first, each undoing one change.
	next := *cur
	for k := len(changes) - 1; k >= 0; k-- {
		prev := next
		prev.EndedAt = time.Time{}
		switch {
		case next.Status == "sold" && k == len(changes)-1 && len(changes) > 1:
			prev.Status = "reserved"
		case next.Status != "offered":
			prev.Status = "offered"
		default:
			undoChange(rng, &prev)
		}
		prev.ValidFrom = first
		if k > 0 {
			prev.ValidFrom = changes[k-1]
		}
		prev.LastConfirmed = confirmed(rng, prev.ValidFrom, changes[k])
		setAvailability(rng, &prev, prev.LastConfirmed)
		prev.Description = describe(&prev, net, junction)
		if prev.ExposeURL == "" && prev.Publication == "public" && cur.Status == "sold" && chance(rng, 0.3) {
			prev.ExposeURL = "https://example.org/landatlas-demo/expose/" + prev.ExternalID + ".pdf"
		}
		g.ds.History = append(g.ds.History, ParcelState{ParcelIndex: i, Parcel: prev, ValidTo: changes[k]})
		next = prev
	}
}

// undoChange turns a state into a plausible predecessor of itself: the plan was still in
// preparation, the land less serviced, the price lower, or the remark another.
func undoChange(rng *rand.Rand, p *Parcel) {
	switch r := rng.IntN(4); {
	case r == 0 && p.PlanningStatus == "in_force":
		p.PlanningStatus = "in_preparation"
		if p.PotentialKind == "reserve_bplan" {
			p.PotentialKind = "reserve_fnp"
		}
	case r == 1 && p.Serviced != "none":
		if p.Serviced == "full" {
			p.Serviced = "partial"
		} else {
			p.Serviced = "none"
			p.PowerMW, p.BroadbandMbps = nil, nil
			p.Gas, p.Water, p.WasteWater, p.ProcessWater, p.DistrictHeat = false, false, false, false, false
		}
	case r == 2 && p.PriceMinEURm2 != nil:
		f := 0.85 + 0.1*rng.Float64() // land has grown dearer
		lo := math.Round(*p.PriceMinEURm2*f*2) / 2
		hi := max(math.Round(*p.PriceMaxEURm2*f*2)/2, lo)
		p.PriceMinEURm2, p.PriceMaxEURm2 = &lo, &hi
	default:
		p.Remarks = oneOf(rng, "Erstaufnahme in das Flächenmonitoring.", "Angaben vom Eigentümer noch nicht bestätigt.",
			"Abstimmung zur Erschließung mit dem Zweckverband läuft.")
	}
}

// setAvailability sets a state's availability and available-from date, as somebody would have
// entered them when they last confirmed the state at ref.
func setAvailability(rng *rand.Rand, p *Parcel, ref time.Time) {
	p.AvailableFrom = time.Time{}
	switch p.Status {
	case "sold", "withdrawn", "company_held":
		p.Availability = "not_available"
		return
	case "reserved":
		p.Availability = oneOf(rng, "now", "short_term")
	default:
		switch p.PlanningStatus {
		case "in_force", "built_up_area":
			p.Availability = weighted(rng, []string{"now", "short_term", "medium_term"}, 55, 30, 15)
		case "in_preparation":
			p.Availability = weighted(rng, []string{"short_term", "medium_term", "long_term"}, 40, 45, 15)
		case "land_use_plan":
			p.Availability = oneOf(rng, "medium_term", "long_term")
		default:
			p.Availability = weighted(rng, []string{"long_term", "medium_term"}, 80, 20)
		}
	}
	switch p.Availability {
	case "short_term":
		p.AvailableFrom = date(ref.AddDate(0, 3+rng.IntN(21), 0))
	case "medium_term":
		p.AvailableFrom = date(ref.AddDate(0, 24+rng.IntN(36), 0))
	case "long_term":
		p.AvailableFrom = date(ref.AddDate(0, 60+rng.IntN(60), 0))
	default:
		if chance(rng, 0.5) {
			p.AvailableFrom = date(ref.AddDate(0, -rng.IntN(36), 0))
		}
	}
}

// confirmed draws the date a state was last confirmed: mostly within two years, some stale
// (3–6 years), never before the state began nor after it ended.
func confirmed(rng *rand.Rand, from, until time.Time) time.Time {
	var t time.Time
	switch r := rng.Float64(); {
	case r < 0.8:
		t = randomTime(rng, until.AddDate(-2, 0, 0), until)
	case r < 0.95:
		t = until.AddDate(-3-rng.IntN(3), -rng.IntN(12), 0)
	default:
		t = from
	}
	return date(maxTime(minTime(t, until), from))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// junctionText names the nearest motorway junction if it is within 25 km.
func (g *generator) junctionText(p orb.Point) string {
	best, bestD := -1, 25000.0
	for k, j := range g.junctions {
		if d := dist(p, j.Point); d < bestD {
			best, bestD = k, d
		}
	}
	if best < 0 {
		return ""
	}
	return fmt.Sprintf("nächster Autobahnanschluss %s in %d km", g.junctions[best].Name, int(max(1, math.Round(bestD/1000))))
}
