package study

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"landatlas/internal/parcel"
)

// The monitoring report's fixed indicator set (domain.md "Monitoring practice", Hamburg and Ruhr):
// the reserve by availability, planning status, servicing, size class and potential kind, the
// brownfield and restriction shares, take-up per year with the number of parcels and the mean
// plot, the reach, large sites of at least 5, 10 and 20 ha, location shares (motorway junction
// within 5 km, rail siding, inland port within 10 km, 24-hour operation), demand and balance, and
// completeness and freshness. Each is one number per unit (the region and each district), so two
// dates compare indicator by indicator.

// IndicatorDims are the groupings the reserve is broken down by.
var IndicatorDims = []string{"availability", "planning_status", "serviced", "size_class", "potential_kind"}

// Location filters: CQL2 over the parcels' queryables, counted as a share of the reserve. 24-hour
// operation is read from the plan: an industrial area (GI, GIe) or a night noise contingent.
var LocationFilters = []struct {
	Key, Filter string
	Label       Text
}{
	{"rail_siding", "rail_siding = true", Text{"Reserve mit Gleisanschluss", "reserve with rail siding"}},
	{"port_10km", "dist_port_km <= 10", Text{"Reserve bis 10 km zum Binnenhafen", "reserve within 10 km of an inland port"}},
	{"operation_24h", "use_type IN ('GI', 'GIe') OR noise_night_db IS NOT NULL", Text{"Reserve mit 24-Stunden-Betrieb (GI oder Lärmkontingent Nacht)", "reserve allowing 24-hour operation (GI or a night noise contingent)"}},
}

// LargeSiteSizes are the thresholds of the large-site counts.
var LargeSiteSizes = []float64{5, 10, 20}

// Indicator is one figure of the set.
type Indicator struct {
	Key   string `json:"key"`
	Group string `json:"group"`
	Label Text   `json:"label"`
	// Unit is "ha", "count", "share" (0–1) or "years".
	Unit string `json:"unit"`
}

// IndicatorUnit holds the values of a unit (the region, or a district) by indicator key; a
// missing value is no number (a reach without take-up).
type IndicatorUnit struct {
	DistrictAGS string             `json:"district_ags,omitempty"`
	Name        string             `json:"name"`
	Values      map[string]float64 `json:"values"`
}

// IndicatorSet is the indicators at a date for the region (first) and each district.
type IndicatorSet struct {
	AsOf        time.Time        `json:"as_of"`
	DataVersion map[string]int64 `json:"data_version,omitempty"`
	Indicators  []Indicator      `json:"indicators"`
	Units       []IndicatorUnit  `json:"units"`
	// Sites are the large sites of at least the smallest size, for the report's map.
	Sites []LargeSite `json:"-"`
}

// IndicatorInputs are the study answers the set is made of, all at one date, by district.
type IndicatorInputs struct {
	AsOf time.Time
	Base Supply // by district
	// ReserveBy is the reserve's net area by dimension, district and code; LocationReserve the
	// reserve's net area by location filter and district.
	ReserveBy       map[string]map[string]map[string]float64
	LocationReserve map[string]map[string]float64
	TakeUp          TakeUp
	Balance         Balance
	Large           LargeSites // at least the smallest LargeSiteSizes
	Quality         QualityReport
}

// BuildIndicators makes the indicator set from the study's answers.
func BuildIndicators(in IndicatorInputs) IndicatorSet {
	set := IndicatorSet{AsOf: in.AsOf}
	units := []IndicatorUnit{{Name: "Region", Values: map[string]float64{}}}
	index := map[string]int{}
	for _, d := range in.TakeUp.Districts {
		index[d.DistrictAGS] = len(units)
		units = append(units, IndicatorUnit{DistrictAGS: d.DistrictAGS, Name: d.Name, Values: map[string]float64{}})
	}
	def := func(key, group, unit string, label Text) {
		set.Indicators = append(set.Indicators, Indicator{Key: key, Group: group, Label: label, Unit: unit})
	}
	// add adds v to the unit of the district and to the region.
	add := func(ags, key string, v float64) {
		units[0].Values[key] += v
		if i, ok := index[ags]; ok {
			units[i].Values[key] += v
		}
	}
	set1 := func(ags, key string, v float64) {
		if ags == "" {
			units[0].Values[key] = v
		} else if i, ok := index[ags]; ok {
			units[i].Values[key] = v
		}
	}

	def("reserve_ha", "reserve", "ha", Text{"Flächenreserve netto (angeboten)", "reserve, net (on offer)"})
	def("reserve_parcels", "reserve", "count", Text{"Flächen in der Reserve", "parcels in the reserve"})
	def("marketable_ha", "reserve", "ha", Text{"marktfähige Reserve", "marketable reserve"})
	for _, g := range in.Base.Groups {
		ags := g.Key["district"]
		add(ags, "reserve_ha", g.Reserve.NetHa)
		add(ags, "reserve_parcels", float64(g.Reserve.Parcels))
		add(ags, "marketable_ha", g.Shares[ShareMarketable].NetHa)
	}
	for _, dim := range IndicatorDims {
		var codes parcel.CodeList
		var title Text
		for _, g := range Groupings() {
			if g.Name == dim {
				codes, title = g.Codes, g.Title
			}
		}
		for _, c := range codes.Codes {
			def("reserve_ha."+dim+"."+c.Value, "reserve_by_"+dim, "ha",
				Text{fmt.Sprintf("Reserve nach %s: %s", title.DE, c.DE), fmt.Sprintf("reserve by %s: %s", title.EN, c.EN)})
		}
		for ags, byCode := range in.ReserveBy[dim] {
			for code, ha := range byCode {
				add(ags, "reserve_ha."+dim+"."+code, ha)
			}
		}
	}
	shares := []struct {
		name  string
		label Text
	}{
		{ShareBrownfield, Text{"Anteil Brachflächen (an der Nettofläche)", "brownfield share (of the net area)"}},
		{ShareRestrictedMinor, Text{"Anteil mit geringer Restriktion", "share with a minor constraint"}},
		{ShareRestrictedSever, Text{"Anteil mit schwerwiegender Restriktion", "share with a severe constraint"}},
		{ShareNearMotorway, Text{"Anteil bis 5 km zum Autobahnanschluss", "share within 5 km of a motorway junction"}},
	}
	net := map[string]float64{}
	for _, s := range shares {
		def("share."+s.name, "shares", "share", s.label)
	}
	for _, g := range in.Base.Groups {
		ags := g.Key["district"]
		net[ags] += g.NetHa
		net[""] += g.NetHa
		for _, s := range shares {
			add(ags, "share_ha."+s.name, g.Shares[s.name].NetHa)
		}
	}
	for _, f := range LocationFilters {
		def("location."+f.Key, "location", "share", f.Label)
		for ags, ha := range in.LocationReserve[f.Key] {
			add(ags, "location_ha."+f.Key, ha)
		}
	}
	for i := range units {
		ags := units[i].DistrictAGS
		for _, s := range shares {
			units[i].Values["share."+s.name] = ratio(units[i].Values["share_ha."+s.name], net[ags])
			delete(units[i].Values, "share_ha."+s.name)
		}
		for _, f := range LocationFilters {
			units[i].Values["location."+f.Key] = ratio(units[i].Values["location_ha."+f.Key], units[i].Values["reserve_ha"])
			delete(units[i].Values, "location_ha."+f.Key)
		}
	}

	w := in.TakeUp.Window
	for y := w.From; y <= w.To; y++ {
		ys := strconv.Itoa(y)
		def("take_up_ha."+ys, "take_up", "ha", Text{"Flächenumsatz " + ys, "take-up " + ys})
		def("take_up_parcels."+ys, "take_up", "count", Text{"verkaufte Flächen " + ys, "parcels sold " + ys})
		def("mean_plot_ha."+ys, "take_up", "ha", Text{"mittlere verkaufte Fläche " + ys, "mean plot sold " + ys})
	}
	def("take_up_mean_ha", "take_up", "ha", Text{fmt.Sprintf("Flächenumsatz je Jahr (Mittel %d–%d)", w.From, w.To), fmt.Sprintf("take-up per year (mean %d–%d)", w.From, w.To)})
	def("reach_years", "take_up", "years", Text{"Reichweite der marktfähigen Reserve", "reach of the marketable reserve"})
	for _, u := range append([]TakeUpUnit{in.TakeUp.Region}, in.TakeUp.Districts...) {
		for _, v := range u.Series {
			if v.Year < w.From || v.Year > w.To {
				continue
			}
			ys := strconv.Itoa(v.Year)
			set1(u.DistrictAGS, "take_up_ha."+ys, v.NetHa)
			set1(u.DistrictAGS, "take_up_parcels."+ys, float64(v.Parcels))
			if v.Parcels > 0 {
				set1(u.DistrictAGS, "mean_plot_ha."+ys, Round(v.NetHa/float64(v.Parcels), 4))
			}
		}
		set1(u.DistrictAGS, "take_up_mean_ha", u.MeanHa)
		if u.ReachYears != nil {
			set1(u.DistrictAGS, "reach_years", *u.ReachYears)
		}
	}

	for _, min := range LargeSiteSizes {
		k := FormatNumber(min, 0, "en")
		def("large_sites."+k, "large_sites", "count", Text{fmt.Sprintf("Großflächen ab %s ha", k), fmt.Sprintf("large sites of %s ha or more", k)})
		def("large_sites_ha."+k, "large_sites", "ha", Text{fmt.Sprintf("Großflächen ab %s ha, netto", k), fmt.Sprintf("large sites of %s ha or more, net", k)})
	}
	for _, s := range in.Large.Sites {
		for _, min := range LargeSiteSizes {
			if s.NetHa < min {
				continue
			}
			k := FormatNumber(min, 0, "en")
			units[0].Values["large_sites."+k]++
			units[0].Values["large_sites_ha."+k] += s.NetHa
			// A site across a border counts in each of its districts.
			for _, ags := range s.Districts {
				if i, ok := index[ags]; ok {
					units[i].Values["large_sites."+k]++
					units[i].Values["large_sites_ha."+k] += s.NetHa
				}
			}
		}
	}

	b := in.Balance
	def("demand_ha", "balance", "ha", Text{fmt.Sprintf("Bedarf %d–%d (Trend)", b.FirstYear, b.TargetYear), fmt.Sprintf("demand %d–%d (trend)", b.FirstYear, b.TargetYear)})
	def("balance_ha", "balance", "ha", Text{fmt.Sprintf("Bilanz Reserve − Bedarf bis %d", b.TargetYear), fmt.Sprintf("balance reserve − demand to %d", b.TargetYear)})
	for _, u := range append([]BalanceUnit{b.Region}, b.Districts...) {
		set1(u.DistrictAGS, "demand_ha", u.TrendDemandHa)
		set1(u.DistrictAGS, "balance_ha", u.TrendBalanceHa)
	}

	def("completeness", "quality", "share", Text{"Vollständigkeit der Angaben", "completeness of the records"})
	def("fresh_share", "quality", "share", Text{fmt.Sprintf("Anteil bestätigt in den letzten %d Monaten", in.Quality.FreshMonths), fmt.Sprintf("share confirmed in the last %d months", in.Quality.FreshMonths)})
	for _, q := range append([]Quality{in.Quality.Total}, in.Quality.Districts...) {
		set1(q.DistrictAGS, "completeness", q.Completeness)
		set1(q.DistrictAGS, "fresh_share", q.FreshShare)
	}
	// A unit without parcels of a kind has 0 of it; a reach or mean plot without sales is no number.
	for i := range units {
		for _, d := range set.Indicators {
			if _, ok := units[i].Values[d.Key]; !ok && d.Key != "reach_years" && !strings.HasPrefix(d.Key, "mean_plot_ha.") {
				units[i].Values[d.Key] = 0
			}
		}
		for k, v := range units[i].Values {
			units[i].Values[k] = Round(v, 4)
		}
	}
	set.Units = units
	set.Sites = in.Large.Sites
	return set
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// IndicatorChange is an indicator at two dates and the change.
type IndicatorChange struct {
	Indicator
	From   *float64 `json:"from"`
	To     *float64 `json:"to"`
	Change *float64 `json:"change"`
}

// UnitChanges are the changes of one unit.
type UnitChanges struct {
	DistrictAGS string            `json:"district_ags,omitempty"`
	Name        string            `json:"name"`
	Indicators  []IndicatorChange `json:"indicators"`
}

// CompareIndicators sets two indicator sets side by side: each indicator of either at both dates
// and the change (to − from), per unit.
func CompareIndicators(from, to IndicatorSet) []UnitChanges {
	defs := append([]Indicator{}, to.Indicators...)
	seen := map[string]bool{}
	for _, d := range defs {
		seen[d.Key] = true
	}
	for _, d := range from.Indicators {
		if !seen[d.Key] {
			defs = append(defs, d)
		}
	}
	fromUnits := map[string]IndicatorUnit{}
	for _, u := range from.Units {
		fromUnits[u.DistrictAGS] = u
	}
	var out []UnitChanges
	for _, u := range to.Units {
		f := fromUnits[u.DistrictAGS]
		uc := UnitChanges{DistrictAGS: u.DistrictAGS, Name: u.Name}
		for _, d := range defs {
			c := IndicatorChange{Indicator: d}
			if v, ok := f.Values[d.Key]; ok {
				c.From = &v
			}
			if v, ok := u.Values[d.Key]; ok {
				c.To = &v
			}
			if c.From != nil && c.To != nil {
				ch := Round(*c.To-*c.From, 4)
				c.Change = &ch
			}
			uc.Indicators = append(uc.Indicators, c)
		}
		out = append(out, uc)
	}
	return out
}

// ParcelChange is one kind of change between two dates with the parcels behind it.
type ParcelChange struct {
	Kind    string  `json:"kind"`
	Label   Text    `json:"label"`
	Parcels int     `json:"parcels"`
	NetHa   float64 `json:"net_ha"`
	IDs     []int64 `json:"ids"`
	// ParcelsHref lists the parcels (at the later date; ended ones at the earlier).
	ParcelsHref string `json:"parcels_href,omitempty"`
}

// ChangeKinds are the kinds of parcel changes a comparison lists; restrictions are compared with
// the constraint overlay's history (a parcel counts once per kind however many restrictions).
var ChangeKinds = []struct {
	Kind  string
	Label Text
}{
	{"new", Text{"neu erfasst", "new"}},
	{"ended", Text{"beendet", "ended"}},
	{"sold", Text{"verkauft", "sold"}},
	{"status_changed", Text{"Status geändert", "status changed"}},
	{"availability_changed", Text{"Verfügbarkeit geändert", "availability changed"}},
	{"restriction_added", Text{"Restriktion hinzugekommen", "restriction added"}},
	{"restriction_removed", Text{"Restriktion entfallen", "restriction removed"}},
}
