package study

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

var at = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

// cand is a candidate with sensible values that each case changes.
func cand(id int64, change func(*Candidate)) Candidate {
	c := Candidate{
		ParcelID: id, Name: "Fläche", Districts: []string{"15088"}, DistrictNames: []string{"Saalekreis"}, Lands: []string{"Sachsen-Anhalt"},
		UseType: "GI", PlanningStatus: "in_force", Availability: "now", NetHa: 10, GrossHa: 15,
		Serviced: "full", Constraints: []ConstraintShare{},
	}
	for kind, m := range map[string]float64{"motorway_junction": 2000, "rail_freight_terminal": 6000, "airport": 12000, "inland_port": 30000} {
		c.Distances.Set(kind, m)
	}
	if change != nil {
		change(&c)
	}
	return c
}

func TestExclusionsSayWhy(t *testing.T) {
	by := Date{time.Date(2027, 12, 31, 0, 0, 0, 0, Berlin)}
	later := time.Date(2029, 3, 1, 0, 0, 0, 0, Berlin)
	power := 5.0
	s := Search{Criteria: Criteria{
		MinNetHa: 2, MaxNetHa: 20, UseTypes: []string{"GI", "SO"}, PlanningStatuses: []string{"in_force", "built_up_area"},
		Availabilities: []string{"now", "short_term", "medium_term"}, AvailableBy: &by,
		MaxDistanceKm:      map[string]float64{"motorway_junction": 5, "rail_freight_terminal": 10},
		ExcludeConstraints: []ConstraintRule{{Severity: "severe"}, {Kind: "flood_hq100", MinShare: 0.1}},
		Require:            Utilities{Flags: Flagged("rail_siding"), MinPowerMW: 10, MinBroadbandMbps: 1000, Serviced: "full"},
	}}
	for _, c := range []struct {
		name   string
		change func(*Candidate)
		codes  []string
		de     string
	}{
		{"fits", func(c *Candidate) {
			c.Flags, c.PowerMW, c.BroadbandMbps = Flagged("rail_siding"), ptr(20), intPtr(1000)
		}, nil, ""},
		{"too small", func(c *Candidate) { c.NetHa = 1.2 }, []string{"net_area_below_min"}, "Nettofläche 1,2 ha unter dem Minimum von 2,0 ha"},
		{"too large", func(c *Candidate) { c.NetHa = 25 }, []string{"net_area_above_max"}, "über dem Maximum von 20,0 ha"},
		{"use type", func(c *Candidate) { c.UseType = "GE" }, []string{"use_type"}, "Nutzungsart GE nicht gesucht (gesucht: GI, SO)"},
		{"planning", func(c *Candidate) { c.PlanningStatus = "land_use_plan" }, []string{"planning_status"}, "Planungsrecht „Nur im Flächennutzungsplan“"},
		{"availability class", func(c *Candidate) { c.Availability = "long_term" }, []string{"availability", "available_by"}, "ohne Datum"},
		{"medium term ends after the date", func(c *Candidate) { c.Availability = "medium_term" }, []string{"available_by"}, "erst ab 30.06.2031 verfügbar"},
		{"available from a date", func(c *Candidate) { c.AvailableFrom = &later }, []string{"available_by"}, "erst ab 01.03.2029 verfügbar, gesucht bis 31.12.2027"},
		{"far from the motorway", func(c *Candidate) { c.Distances.Set("motorway_junction", 6200) }, []string{"distance_motorway_junction"}, "6,2 km zu Autobahnanschlussstelle, höchstens 5,0 km"},
		{"no rail terminal known", func(c *Candidate) { c.Distances = without(c.Distances, "rail_freight_terminal") }, []string{"distance_rail_freight_terminal"}, "keine Entfernung"},
		{"severe constraint", func(c *Candidate) {
			c.Constraints = []ConstraintShare{{"mining", "severe", 0.05}}
		}, []string{"constraint"}, "zu 5 % in Bergbaufolgen (schwerwiegend)"},
		{"flood below its threshold", func(c *Candidate) { c.Constraints = []ConstraintShare{{"flood_hq100", "minor", 0.08}} }, nil, ""},
		{"flood above its threshold", func(c *Candidate) { c.Constraints = []ConstraintShare{{"flood_hq100", "minor", 0.4}} }, []string{"constraint"}, "zu 40 %"},
		{"utilities", func(c *Candidate) { c.Flags, c.PowerMW, c.Serviced = 0, &power, "partial" },
			[]string{"utility_rail_siding", "utility_power", "utility_serviced"}, "Stromanschluss 5,0 MW, mindestens 10,0 MW gefordert"},
	} {
		c1 := cand(1, func(x *Candidate) {
			x.Flags, x.PowerMW, x.BroadbandMbps = Flagged("rail_siding"), ptr(20), intPtr(1000)
			c.change(x)
		})
		var codes []string
		var de []string
		for _, r := range s.exclusions(c1, at, true, true) {
			codes, de = append(codes, r.Code), append(de, r.DE)
		}
		if !slices.Equal(codes, c.codes) || (c.de != "" && !strings.Contains(strings.Join(de, "; "), c.de)) {
			t.Errorf("%s: %v %q, want %v with %q", c.name, codes, de, c.codes, c.de)
		}
	}
}

func intPtr(v int) *int { return &v }

// without returns distances that do not know the kind.
func without(d Distances, kind string) Distances {
	var out Distances
	for _, k := range DistanceKinds {
		if m, ok := d.Get(k); ok && k != kind {
			out.Set(k, m)
		}
	}
	return out
}

func dist(d Distances, kind string) float64 {
	m, _ := d.Get(kind)
	return m
}

func TestScores(t *testing.T) {
	s := Search{Criteria: Criteria{MinNetHa: 4, MaxNetHa: 16, MaxDistanceKm: map[string]float64{"motorway_junction": 5}},
		Prefer: Utilities{Flags: Flagged("rail_siding"), MinPowerMW: 20}}
	for _, c := range []struct {
		criterion string
		change    func(*Candidate)
		want      float64
	}{
		{"area", nil, 1}, // 10 ha, the middle of 4–16
		{"area", func(c *Candidate) { c.NetHa = 5 }, 0.5},
		{"area", func(c *Candidate) { c.NetHa = 20 }, 0.5},
		{"planning_status", func(c *Candidate) { c.PlanningStatus = "in_preparation" }, 0.5},
		{"availability", func(c *Candidate) { c.Availability = "short_term" }, 0.75},
		{"motorway_junction", nil, 0.6},                                                                     // 2 km of the 5 km maximum
		{"rail_freight_terminal", nil, 0.8},                                                                 // 6 km of the 30 km reference
		{"inland_port", func(c *Candidate) { c.Distances = without(c.Distances, "inland_port") }, 0},        // none known
		{"utilities", nil, 1.0 / 3},                                                                         // fully serviced; no rail; no power
		{"utilities", func(c *Candidate) { c.Flags, c.PowerMW = Flagged("rail_siding"), ptr(10) }, 2.5 / 3}, // half the power asked for
		{"constraints", nil, 1},
		{"constraints", func(c *Candidate) {
			c.Constraints = []ConstraintShare{{"noise", "minor", 0.4}, {"flood_hq100", "severe", 0.3}}
		}, 0.5},
	} {
		got := score(s, cand(1, c.change), at, c.criterion)
		if !approx(got, c.want) {
			t.Errorf("%s: %g, want %g", c.criterion, got, c.want)
		}
	}
	if got := score(Search{}, cand(1, nil), at, "area"); got != 1 {
		t.Errorf("area without a range or target: %g, want 1 for every area", got)
	}
}

func TestRankOrdersAndExplains(t *testing.T) {
	s := Search{Criteria: Criteria{MinNetHa: 1}, TargetNetHa: 10, Weights: map[string]float64{"area": 1, "planning_status": 1}}
	cands := []Candidate{
		cand(3, func(c *Candidate) { c.NetHa = 5 }),                                // 0.5, 1 → 0.75
		cand(1, func(c *Candidate) { c.NetHa = 20 }),                               // 0.5, 1 → 0.75, larger
		cand(2, func(c *Candidate) { c.PlanningStatus = "none" }),                  // 1, 0 → 0.5
		cand(4, func(c *Candidate) { c.NetHa = 0.5 }),                              // excluded
		cand(5, func(c *Candidate) { c.NetHa, c.PlanningStatus = 10, "in_force" }), // 1, 1 → 1
	}
	ranked, excluded := s.Rank(cands, at)
	for i := range ranked {
		s.Explain(&ranked[i], len(ranked), at)
	}
	s.Explain(&excluded[0], 0, at)
	var order []int64
	for _, o := range ranked {
		order = append(order, o.ParcelID)
	}
	if !slices.Equal(order, []int64{5, 1, 3, 2}) {
		t.Errorf("order %v, want 5 (best), 1 and 3 (equal, larger first), 2", order)
	}
	if len(excluded) != 1 || excluded[0].ParcelID != 4 || !strings.HasPrefix(excluded[0].Explanation.DE, "Ausgeschlossen (0,50 ha GI): Nettofläche") {
		t.Errorf("excluded %+v", excluded)
	}
	top := ranked[0].Explanation
	if top.DE != "Rang 1 von 4: 10,0 ha GI, B-Plan rechtskräftig (§ 30 BauGB), sofort verfügbar, 2,0 km zur nächsten Autobahnanschlussstelle; keine Restriktionen. Punktzahl 1,00." {
		t.Errorf("explanation %q", top.DE)
	}
	ranked[0].NearestMotorway = "AS Halle (A14)"
	s.Explain(&ranked[0], 4, at)
	if !strings.Contains(ranked[0].Explanation.EN, "2.0 km to AS Halle (A14)") {
		t.Errorf("explanation with the junction's name %q", ranked[0].Explanation.EN)
	}
	if third := ranked[2].Explanation.DE; !strings.Contains(third, "am stärksten: Planungsrecht (1,00), am schwächsten: Flächenpassung (0,50)") {
		t.Errorf("third explanation %q", third)
	}
}

func TestMergedSites(t *testing.T) {
	s := Search{Criteria: Criteria{MinNetHa: 20, UseTypes: []string{"GI"}}, TargetNetHa: 30,
		Weights: map[string]float64{"area": 1, "planning_status": 1, "motorway_junction": 1}}
	a := cand(1, func(c *Candidate) { c.NetHa, c.GrossHa = 15, 20 })
	b := cand(2, func(c *Candidate) {
		c.NetHa, c.GrossHa, c.PlanningStatus, c.Districts, c.DistrictNames, c.Lands = 10, 16, "in_preparation", []string{"14730"}, []string{"Nordsachsen"}, []string{"Sachsen"}
		c.Distances.Set("motorway_junction", 500)
		c.Constraints = []ConstraintShare{{"noise", "minor", 0.5}}
	})
	ge := cand(3, func(c *Candidate) { c.UseType = "GE" })
	members := SiteMembers(s.Rank([]Candidate{a, b, ge}, at))
	if len(members) != 2 {
		t.Fatalf("site members %v, want the two GI parcels (too small alone, but GI)", members)
	}
	ranked := s.RankSites([][]Candidate{members, {a}}, at)
	if len(ranked) != 1 {
		t.Fatalf("%d sites, want one (a single parcel is no merged site)", len(ranked))
	}
	s.Explain(&ranked[0], 1, at)
	site := ranked[0]
	// area 25/30; planning (15·1 + 10·0.5)/25 = 0.8; motorway 1 − 500/20000 = 0.975
	if !slices.Equal(site.Members, []int64{1, 2}) || site.NetHa != 25 || !approx(site.Total, Round((25.0/30+0.8+0.975)/3, 4)) {
		t.Errorf("site %v %g ha scores %g", site.Members, site.NetHa, site.Total)
	}
	if !slices.Equal(site.Lands, []string{"Sachsen", "Sachsen-Anhalt"}) || !slices.Equal(site.DistrictNames, []string{"Nordsachsen", "Saalekreis"}) ||
		site.PlanningStatus != "in_force" || dist(site.Distances, "motorway_junction") != 500 || site.NearestMotorwayMember() != 2 {
		t.Errorf("merged %+v", site.Candidate)
	}
	// noise covers half of B's 16 ha: 8 of the site's 36 ha gross.
	if len(site.Constraints) != 1 || !approx(site.Constraints[0].Share, Round(8.0/36, 4)) {
		t.Errorf("constraints %+v", site.Constraints)
	}
	if !strings.Contains(site.Explanation.DE, "Großstandort aus 2 Flächen mit 25,0 ha netto über die Landesgrenze Sachsen/Sachsen-Anhalt (Nordsachsen, Saalekreis)") {
		t.Errorf("explanation %q", site.Explanation.DE)
	}
}

func TestPresetsAndRequestsOverThem(t *testing.T) {
	for _, p := range Presets() {
		s, err := NewSearch(p.Name)
		if err != nil || s.Check() != nil {
			t.Errorf("preset %s: %v, %v", p.Name, err, s.Check())
		}
	}
	s, err := NewSearch("logistics")
	if err != nil {
		t.Fatal(err)
	}
	// A request replaces what it names and keeps the rest of the preset.
	if err := json.Unmarshal([]byte(`{"criteria": {"min_net_ha": 5}, "weights": {"airport": 0}}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.Criteria.MinNetHa != 5 || s.Criteria.MaxNetHa != 60 || s.Weights["airport"] != 0 || s.Weights["motorway_junction"] != 4 || !s.LargeSites {
		t.Errorf("logistics with overrides: %+v", s)
	}
	if p, _ := NewSearch("logistics"); p.Weights["airport"] != 1 {
		t.Error("a request changed the preset itself")
	}
	if _, err := NewSearch("warehouse"); err == nil {
		t.Error("an unknown preset was accepted")
	}
	for _, bad := range []func(*Search){
		func(s *Search) { s.Criteria.MinNetHa, s.Criteria.MaxNetHa = 5, 2 },
		func(s *Search) { s.Criteria.UseTypes = []string{"XX"} },
		func(s *Search) { s.Criteria.MaxDistanceKm = map[string]float64{"rail_station": 2} },
		func(s *Search) { s.Criteria.ExcludeConstraints = []ConstraintRule{{}} },
		func(s *Search) { s.Weights = map[string]float64{"beauty": 1} },
		func(s *Search) { s.Weights = map[string]float64{"area": 0} },
		func(s *Search) { s.SiteDistanceM = 0 },
		func(s *Search) { s.Prefer.Serviced = "some" },
	} {
		s, _ := NewSearch("")
		bad(&s)
		if s.Check() == nil {
			t.Errorf("Check accepted %+v", s)
		}
	}
}

func TestFormatNumberAndFilters(t *testing.T) {
	for _, c := range []struct {
		v    float64
		d    int
		lang string
		want string
	}{
		{1234.56, 1, "de", "1.234,6"}, {1234.56, 1, "en", "1,234.6"}, {-6.91, 2, "de", "-6,91"}, {1234567, 0, "de", "1.234.567"}, {0.5, 2, "en", "0.50"},
	} {
		if got := FormatNumber(c.v, c.d, c.lang); got != c.want {
			t.Errorf("FormatNumber(%g, %d, %s) = %q, want %q", c.v, c.d, c.lang, got, c.want)
		}
	}
	got := ParcelsFilter(Scope{Lands: []string{"Sachsen"}, Polygon: "POLYGON((12 51,13 51,13 52,12 51))"}, "use_type = 'GI'",
		[][2]string{{"municipality_name", "Landsberg's"}})
	want := "land IN ('Sachsen') AND S_INTERSECTS(geometry, POLYGON((12 51,13 51,13 52,12 51))) AND (use_type = 'GI') AND municipality_name = 'Landsberg''s'"
	if got != want {
		t.Errorf("ParcelsFilter = %q, want %q", got, want)
	}
	got = ParcelsFilter(Scope{Lands: []string{"Thüringen"}, Districts: []string{"15088"}}, "", nil)
	if want := "(land IN ('Thüringen') OR district_ags IN ('15088'))"; got != want {
		t.Errorf("ParcelsFilter of two areas = %q, want %q", got, want)
	}
}
