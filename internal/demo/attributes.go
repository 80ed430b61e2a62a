package demo

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// profile is what the parcels of one site have in common.
type profile struct {
	use        string
	energy     bool // an SO site for energy rather than logistics
	planning   string
	brownfield bool
	conversion bool
	ownership  string
	serviced   string
	hydrogen   bool
	rail       bool
	price      float64 // €/m², the site's base price
	public     bool
	contact    contact
}

type contact struct{ name, email, phone string }

// weighted picks one of items with the given relative weights.
func weighted[T any](rng *rand.Rand, items []T, weights ...float64) T {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	u := rng.Float64() * total
	for i, w := range weights {
		if u -= w; u < 0 {
			return items[i]
		}
	}
	return items[len(items)-1]
}

func oneOf[T any](rng *rand.Rand, items ...T) T { return items[rng.IntN(len(items))] }

func chance(rng *rand.Rand, p float64) bool { return rng.Float64() < p }

func ptr[T any](v T) *T { return &v }

// germanNumber formats v with the given decimals and a decimal comma.
func germanNumber(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
}

// netHa is the parcel's net area: the given one, else the estimate the database uses.
func netHa(p *Parcel, grossHa float64) float64 {
	if p.NetAreaGivenHa != nil {
		return *p.NetAreaGivenHa
	}
	return 0.65 * grossHa
}

// landmarks are the places attributes depend on, projected once.
type landmarks struct {
	leipzig, halle orb.Point
	brownfields    []orb.Point
	hydrogen       [][]orb.Point
}

func newLandmarks() landmarks {
	lm := landmarks{leipzig: wgs{12.3731, 51.3397}.utm(), halle: wgs{11.9697, 51.4828}.utm()}
	for _, h := range brownfieldHubs() {
		lm.brownfields = append(lm.brownfields, h.utm())
	}
	for _, line := range hydrogenNetwork() {
		var l []orb.Point
		for _, p := range line {
			l = append(l, p.utm())
		}
		lm.hydrogen = append(lm.hydrogen, l)
	}
	return lm
}

// assignAttributes fills every attribute of the sites and of the parcels' current state (before
// the history decides which parcels were sold, reserved or withdrawn).
func (g *generator) assignAttributes() {
	rng := rand.New(rand.NewPCG(uint64(g.opt.Seed), 0x61747472))
	lm := newLandmarks()
	for k := range g.ds.Sites {
		site, meta := &g.ds.Sites[k], &g.sites[k]
		pr := g.newProfile(rng, lm, meta.centre, meta.muni, meta.kind, meta.areaHa)
		g.nameSite(rng, site, meta, pr)
		site.Publication = "internal"
		if pr.public {
			site.Publication = "public"
		}
		for i := meta.parcels[0]; i < meta.parcels[1]; i++ {
			p := &g.ds.Parcels[i]
			p.Name = fmt.Sprintf("%s, Fläche %d", site.Name, i-meta.parcels[0]+1)
			g.parcelAttributes(rng, lm, p, &g.parcels[i], pr, meta.kind)
		}
	}
	for i := range g.ds.Parcels {
		p := &g.ds.Parcels[i]
		if p.Site >= 0 {
			continue
		}
		meta := &g.parcels[i]
		pr := g.newProfile(rng, lm, meta.centre, meta.muni, kindSingle, meta.grossHa)
		place := shortName(g.ix.munis[meta.muni].Name)
		g.names["Baulücke "+place]++
		p.Name = fmt.Sprintf("Baulücke %s %d", place, g.names["Baulücke "+place])
		g.parcelAttributes(rng, lm, p, meta, pr, kindSingle)
		p.PotentialKind = "infill_gap"
		p.Greenfield = chance(rng, 0.4)
	}
}

// newProfile draws what a site's parcels (or a single parcel) have in common, from where it lies
// and what kind of site it is.
func (g *generator) newProfile(rng *rand.Rand, lm landmarks, at orb.Point, muni int, kind siteKind, areaHa float64) profile {
	var pr profile
	nearHub := false
	for _, h := range lm.brownfields {
		nearHub = nearHub || dist(at, h) < 6000
	}
	pr.brownfield = nearHub && chance(rng, 0.65) || chance(rng, 0.07)
	pr.conversion = !pr.brownfield && chance(rng, 0.04)
	switch {
	case kind == kindSingle:
		pr.use = weighted(rng, []string{"GE", "MI", "GEe", "GI"}, 66, 12, 10, 12)
		pr.planning = weighted(rng, []string{"built_up_area", "in_force"}, 60, 40)
	case kind == kindReserve:
		pr.use = weighted(rng, []string{"GI", "SO"}, 75, 25)
		pr.planning = oneOf(rng, "land_use_plan", "in_preparation")
	default:
		if areaHa >= g.sc.ha(50) || pr.brownfield {
			pr.use = weighted(rng, []string{"GI", "SO", "GE", "GIe"}, 55, 18, 22, 5)
		} else {
			pr.use = weighted(rng, []string{"GE", "GI", "SO", "MI", "GEe", "GIe"}, 52, 28, 10, 3, 5, 2)
		}
		pr.planning = weighted(rng, []string{"in_force", "in_preparation", "land_use_plan", "built_up_area", "none"}, 76, 12, 6, 4, 2)
	}
	pr.energy = pr.use == "SO" && chance(rng, 0.35)
	pr.ownership = weighted(rng, []string{"municipal", "development_company", "private", "land", "federal", "mixed", "unknown"}, 35, 20, 30, 5, 2, 5, 3)
	if pr.conversion && chance(rng, 0.5) {
		pr.ownership = "federal"
	}
	switch pr.planning {
	case "in_force":
		pr.serviced = weighted(rng, []string{"full", "partial", "none"}, 72, 23, 5)
	case "built_up_area":
		pr.serviced = weighted(rng, []string{"full", "partial"}, 85, 15)
	case "in_preparation":
		pr.serviced = weighted(rng, []string{"partial", "none"}, 35, 65)
	case "land_use_plan":
		pr.serviced = weighted(rng, []string{"partial", "none"}, 10, 90)
	default:
		pr.serviced = "none"
	}
	// The planned hydrogen network serves industry along it.
	pr.hydrogen = nearLine(at, lm.hydrogen, 6000) && (pr.use == "GI" || pr.use == "SO" || chance(rng, 0.4))
	pr.rail = (pr.use == "GI" && areaHa >= g.sc.ha(30) && chance(rng, 0.55)) || (pr.brownfield && chance(rng, 0.35)) || chance(rng, 0.02)
	// Land is dearest in and around Leipzig, then Halle: about 15–90 €/m².
	dl, dh := dist(at, lm.leipzig)/1000, dist(at, lm.halle)/1000
	base := 14 + 58*math.Exp(-dl/16) + 30*math.Exp(-dh/14)
	if pr.brownfield {
		base *= 0.8
	}
	if pr.use == "GI" || pr.use == "GIe" {
		base *= 0.9
	}
	pr.price = min(max(base*(0.9+0.2*rng.Float64()), 14), 88)
	pr.public = chance(rng, 0.88)
	if kind == kindReserve {
		pr.public = chance(rng, 0.5)
	}
	pr.contact = fakeContact(rng, g.ix.munis[muni].Name)
	return pr
}

// parcelAttributes fills a parcel's attributes from its site's profile, with some variation.
func (g *generator) parcelAttributes(rng *rand.Rand, lm landmarks, p *Parcel, meta *parcelMeta, pr profile, kind siteKind) {
	p.UseType = pr.use
	if chance(rng, 0.08) {
		switch pr.use {
		case "GE":
			p.UseType = oneOf(rng, "GEe", "MI")
		case "GI":
			p.UseType = oneOf(rng, "GIe", "GE")
		}
	}
	p.PlanningStatus = pr.planning
	switch {
	case pr.conversion:
		p.PotentialKind, p.Greenfield = "conversion", false
	case pr.brownfield:
		p.PotentialKind, p.Greenfield = "brownfield", false
	case pr.planning == "in_force":
		p.PotentialKind, p.Greenfield = "reserve_bplan", true
	case pr.planning == "built_up_area":
		p.PotentialKind, p.Greenfield = "infill_gap", chance(rng, 0.4)
	case pr.planning == "none":
		p.PotentialKind, p.Greenfield = "no_planning_rights", true
	default:
		p.PotentialKind, p.Greenfield = "reserve_fnp", true
	}
	p.Ownership = pr.ownership
	if chance(rng, 0.15) {
		p.Ownership = "private"
	}
	switch p.Ownership {
	case "municipal", "development_company", "land", "federal":
		p.OwnerWilling = weighted(rng, []string{"yes", "unknown"}, 92, 8)
	case "private":
		p.OwnerWilling = weighted(rng, []string{"yes", "no", "unknown"}, 55, 20, 25)
	case "mixed":
		p.OwnerWilling = weighted(rng, []string{"yes", "unknown"}, 60, 40)
	default:
		p.OwnerWilling = weighted(rng, []string{"unknown", "yes"}, 80, 20)
	}
	if kind != kindReserve && chance(rng, 0.93) {
		lo := math.Round(pr.price*(0.9+0.1*rng.Float64())*2) / 2
		hi := math.Round(lo*(1.1+0.25*rng.Float64())*2) / 2
		p.PriceMinEURm2, p.PriceMaxEURm2 = ptr(lo), ptr(hi)
	}
	p.Serviced = pr.serviced
	if chance(rng, 0.1) {
		switch pr.serviced {
		case "full":
			p.Serviced = "partial"
		case "partial":
			p.Serviced = "none"
		}
	}
	if chance(rng, 0.6) {
		// Hectares to the square metre, as a district's GIS would give them.
		p.NetAreaGivenHa = ptr(math.Round(meta.grossHa*(0.60+0.08*rng.Float64())*1e4) / 1e4)
	}
	net := netHa(p, meta.grossHa)
	utilities(rng, lm, p, meta, pr, net)
	buildingRules(rng, p)
	p.Operation24h = operation24h(p)

	p.ContactName, p.ContactEmail, p.ContactPhone = pr.contact.name, pr.contact.email, pr.contact.phone
	p.Publication = "internal"
	if pr.public && chance(rng, 0.96) {
		p.Publication = "public"
		if chance(rng, 0.25) {
			p.ExposeURL = "https://example.org/landatlas-demo/expose/" + p.ExternalID + ".pdf"
		}
	}
	p.Remarks = remark(rng, p, pr, g.opt.Now.Year())
}

// utilities fills the services a parcel has.
func utilities(rng *rand.Rand, lm landmarks, p *Parcel, meta *parcelMeta, pr profile, net float64) {
	if p.Serviced != "none" {
		lo, hi := 0.3, 0.8 // MW per hectare
		switch p.UseType {
		case "GEe":
			lo, hi = 0.2, 0.5
		case "MI":
			lo, hi = 0.15, 0.4
		case "GI":
			lo, hi = 0.8, 2.5
		case "GIe":
			lo, hi = 0.5, 1.5
		case "SO":
			lo, hi = 0.2, 0.5
			if pr.energy {
				lo, hi = 2, 5
			}
		}
		p.PowerMW = ptr(math.Round(max(net*(lo+rng.Float64()*(hi-lo)), 0.3)*10) / 10)
		p.Water = true
		p.WasteWater = p.Serviced == "full" || chance(rng, 0.7)
		if p.Serviced == "full" {
			p.Gas = chance(rng, 0.8)
			p.BroadbandMbps = ptr(oneOf(rng, 250, 500, 1000, 1000))
		} else {
			p.Gas = chance(rng, 0.45)
			p.BroadbandMbps = ptr(oneOf(rng, 50, 100, 250))
		}
		switch p.UseType {
		case "GI":
			p.ProcessWater = chance(rng, 0.55)
		case "SO":
			p.ProcessWater = chance(rng, 0.2)
		default:
			p.ProcessWater = chance(rng, 0.05)
		}
		heat := 0.03
		if dist(meta.centre, lm.leipzig) < 8000 || dist(meta.centre, lm.halle) < 8000 {
			heat = 0.25
		}
		p.DistrictHeat = chance(rng, heat)
	}
	h2 := 0.35
	if p.UseType == "GI" || p.UseType == "GIe" || p.UseType == "SO" {
		h2 = 0.75
	}
	p.Hydrogen = pr.hydrogen && chance(rng, h2)
	p.RailSiding = pr.rail && chance(rng, 0.7)
}

// buildingRules fills GRZ, GFZ, BMZ, height and noise contingents where a plan sets them.
func buildingRules(rng *rand.Rand, p *Parcel) {
	if p.PlanningStatus != "in_force" && p.PlanningStatus != "in_preparation" {
		return
	}
	p.GRZ = ptr(oneOf(rng, 0.6, 0.65, 0.7, 0.75, 0.8))
	switch p.UseType {
	case "GE", "GEe":
		p.GFZ = ptr(oneOf(rng, 1.2, 1.6, 2.0, 2.4))
		p.BMZ = ptr(oneOf(rng, 6.0, 7.0, 8.0))
		p.MaxHeightM = ptr(oneOf(rng, 12.0, 15.0, 18.0, 20.0))
	case "GI", "GIe":
		p.GFZ = ptr(oneOf(rng, 1.6, 2.0, 2.4))
		p.BMZ = ptr(oneOf(rng, 8.0, 9.0, 10.0))
		p.MaxHeightM = ptr(oneOf(rng, 20.0, 25.0, 30.0, 40.0, 50.0))
	case "SO":
		p.GFZ = ptr(oneOf(rng, 1.6, 2.0, 2.4))
		p.BMZ = ptr(oneOf(rng, 8.0, 9.0, 10.0))
		p.MaxHeightM = ptr(oneOf(rng, 15.0, 20.0, 25.0))
	default:
		p.GRZ = ptr(0.6)
		p.GFZ = ptr(oneOf(rng, 1.0, 1.2))
		p.MaxHeightM = ptr(oneOf(rng, 12.0, 15.0))
	}
	if chance(rng, 0.6) {
		day := 55 + float64(rng.IntN(11))
		if p.UseType == "GEe" || p.UseType == "GIe" || p.UseType == "MI" {
			day = 50 + float64(rng.IntN(9))
		}
		p.NoiseDayDB, p.NoiseNightDB = ptr(day), ptr(day-15)
	}
}

// operation24h says whether a parcel's plan allows operation around the clock: industrial and
// special-use land with building rights, unless its night noise contingent is tight, and a third
// of the commercial land whose contingent leaves room at night; never mixed or restricted areas.
// It is decided from the parcel itself, not the random stream, so adding it moved no other value.
func operation24h(p *Parcel) bool {
	if p.PlanningStatus != "in_force" && p.PlanningStatus != "built_up_area" {
		return false
	}
	quietNight := p.NoiseNightDB != nil && *p.NoiseNightDB < 42
	h := fnv.New32a()
	h.Write([]byte(p.ExternalID))
	switch p.UseType {
	case "GI", "SO":
		return !quietNight
	case "GE":
		return p.NoiseNightDB != nil && *p.NoiseNightDB >= 45 && h.Sum32()%3 == 0
	}
	return false
}

// remark is an internal note, or none.
func remark(rng *rand.Rand, p *Parcel, pr profile, year int) string {
	if chance(rng, 0.3) {
		return ""
	}
	switch {
	case p.PotentialKind == "brownfield" && chance(rng, 0.5):
		return oneOf(rng, fmt.Sprintf("Altlastenverdacht aus früherer Nutzung, Gutachten %d beauftragt.", year-rng.IntN(4)),
			"Rückbau der Altgebäude abgeschlossen, Flächenrecycling gefördert.")
	case p.Ownership == "private" && p.OwnerWilling == "no":
		return "Eigentümer derzeit nicht verkaufsbereit, Gespräche ruhen."
	case p.UseType == "SO" && !pr.energy && chance(rng, 0.5):
		return "Eigentümer verhandelt mit einem Logistikunternehmen (fiktiv)."
	case p.UseType == "GI" && chance(rng, 0.3):
		return fmt.Sprintf("Anfrage eines Batteriezellenherstellers (fiktiv) aus %d.", year-rng.IntN(3))
	case p.Serviced != "full" && chance(rng, 0.5):
		return fmt.Sprintf("Erschließung im Bau, Fertigstellung voraussichtlich %d.", year+1+rng.IntN(3))
	}
	return oneOf(rng, "Kampfmittelfreigabe liegt vor.",
		fmt.Sprintf("Bodengutachten %d ohne Befund.", year-1-rng.IntN(6)),
		"Preis verhandelbar, Abstimmung mit der Kämmerei.",
		"Teilfläche für Regenrückhaltung vorgesehen.",
		"Zufahrt über Privatweg, Baulast erforderlich.")
}

// fakeContact invents an obviously fictitious contact at the municipality's business development.
func fakeContact(rng *rand.Rand, muniName string) contact {
	first := oneOf(rng, "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Klara", "Lukas", "Marie", "Noah", "Paula", "Tom")
	last := oneOf(rng, "Beispiel", "Muster", "Platzhalter", "Probe", "Testmann", "Exempel", "Fiktiv", "Demo")
	return contact{
		name:  first + " " + last + " (Demo-Kontakt)",
		email: strings.ToLower(first+"."+last) + "@wirtschaft-" + slug(muniName) + ".example.org",
		phone: fmt.Sprintf("+49 000 0000-%03d", rng.IntN(1000)),
	}
}

// slug makes an ASCII host label of a German name: "Halle (Saale)" → "halle-saale".
func slug(s string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "ae", "Ö", "oe", "Ü", "ue", "ß", "ss")
	s = strings.ToLower(r.Replace(s))
	var b strings.Builder
	dash := false
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// nearLine reports whether p is within d of any of the polylines.
func nearLine(p orb.Point, lines [][]orb.Point, d float64) bool {
	for _, l := range lines {
		for i := 0; i+1 < len(l); i++ {
			if distToSegment(p, l[i], l[i+1]) < d {
				return true
			}
		}
	}
	return false
}

func distToSegment(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / (dx*dx + dy*dy)
	t = min(max(t, 0), 1)
	return dist(p, orb.Point{a[0] + t*dx, a[1] + t*dy})
}
