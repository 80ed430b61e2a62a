package study

import (
	"math"
	"testing"
	"time"

	"landatlas/internal/region"
)

func districts(ags ...string) []region.District {
	var out []region.District
	for _, a := range ags {
		d, _ := region.DistrictByAGS(a)
		out = append(out, d)
	}
	return out
}

func TestDefaultWindowAndCheck(t *testing.T) {
	at := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	if w := DefaultWindow(at); w != (Window{2021, 2025}) || w.Years() != 5 {
		t.Errorf("default window %+v", w)
	}
	// New Year's Eve after 23:00 UTC is already the next year in the region.
	if w := DefaultWindow(time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)); w != (Window{2021, 2025}) {
		t.Errorf("window at the turn of the year %+v, want 2021–2025", w)
	}
	for _, c := range []struct {
		w  Window
		ok bool
	}{
		{Window{2021, 2025}, true},
		{Window{2010, 2010}, true},
		{Window{2025, 2021}, false},
		{Window{2022, 2026}, false}, // the running year
		{Window{1980, 2025}, false}, // more than 30 years
	} {
		if err := c.w.Check(at); (err == nil) != c.ok {
			t.Errorf("Check(%+v) = %v, want ok %v", c.w, err, c.ok)
		}
	}
}

func TestBuildTakeUp(t *testing.T) {
	at := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	rows := []TakeUpRow{
		{2019, "14713", 10, 2}, // before the window: in the series, not in the mean
		{2021, "14713", 4, 1},
		{2023, "15088", 6, 3},
		{2024, "15088", 4, 1},
		{2022, "16077", 99, 9}, // outside the scope: ignored
		{2026, "14713", 1, 1},  // the running year: in the series (partial), not in the mean
	}
	stock := []Stock{{"14713", 20, 8}, {"15088", 30, 25}, {"16077", 100, 100}}
	tu := BuildTakeUp(rows, stock, districts("14713", "15088"), at, DefaultWindow(at), true)
	if first, last := tu.Region.Series[0], tu.Region.Series[len(tu.Region.Series)-1]; first.Year != 2019 || last.Year != 2026 || !last.Partial || first.Partial {
		t.Errorf("series from %+v to %+v, want 2019 to a partial 2026", first, last)
	}
	for _, c := range []struct {
		u                          TakeUpUnit
		window, mean, reserve, mkt float64
		reach                      float64 // -1 for none
	}{
		{tu.Region, 14, 2.8, 50, 33, 11.79},
		{tu.Districts[0], 4, 0.8, 20, 8, 10},
		{tu.Districts[1], 10, 2, 30, 25, 12.5},
	} {
		r := -1.0
		if c.u.ReachYears != nil {
			r = *c.u.ReachYears
		}
		if c.u.WindowHa != c.window || c.u.MeanHa != c.mean || c.u.ReserveHa != c.reserve || c.u.MarketableHa != c.mkt || r != c.reach {
			t.Errorf("%s: window %g, mean %g, reserve %g, marketable %g, reach %g; want %g, %g, %g, %g, %g",
				c.u.Name, c.u.WindowHa, c.u.MeanHa, c.u.ReserveHa, c.u.MarketableHa, r, c.window, c.mean, c.reserve, c.mkt, c.reach)
		}
	}
	// Without take-up in the window the reach is none, not infinity or a division by zero.
	tu = BuildTakeUp(nil, []Stock{{"14713", 5, 5}}, districts("14713"), at, DefaultWindow(at), false)
	if tu.Region.ReachYears != nil || tu.Region.MeanHa != 0 || len(tu.Region.Series) != 6 {
		t.Errorf("no take-up: reach %v, mean %g, %d years; want none, 0, 2021–2026", tu.Region.ReachYears, tu.Region.MeanHa, len(tu.Region.Series))
	}
	if tu.MarketableRule != MarketableRule(false) {
		t.Error("the public's take-up does not say its marketable rule")
	}
}

func TestBuildBalance(t *testing.T) {
	at := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	tu := BuildTakeUp([]TakeUpRow{{2022, "14713", 10, 1}, {2023, "15088", 5, 1}},
		[]Stock{{"14713", 20, 10}, {"15088", 4, 4}}, districts("14713", "15088"), at, DefaultWindow(at), true)
	for _, c := range []struct {
		name       string
		in         DemandInputs
		region     float64 // trend demand
		employment *float64
		district   []*float64 // employment demand per district
	}{
		// mean 3 ha/yr × 13 years (2026–2038: the running year is demand) × 1.0
		{"trend", DemandInputs{TargetYear: 2038}, 39, nil, []*float64{nil, nil}},
		{"trend with margin", DemandInputs{TargetYear: 2038, Margin: 0.25}, 48.75, nil, []*float64{nil, nil}},
		{"employment for the scope", DemandInputs{TargetYear: 2038, Employment: []EmploymentInput{{Jobs: 500, HaPerJob: 0.02}}},
			39, ptr(10), []*float64{nil, nil}},
		{"employment for every district sums up", DemandInputs{TargetYear: 2038, Margin: 0.1, Employment: []EmploymentInput{
			{DistrictAGS: "14713", Jobs: 100, HaPerJob: 0.05}, {DistrictAGS: "15088", Jobs: 200, HaPerJob: 0.01}}},
			42.9, ptr(7.7), []*float64{ptr(5.5), ptr(2.2)}},
		{"employment for one district does not make a regional figure", DemandInputs{TargetYear: 2038, Employment: []EmploymentInput{
			{DistrictAGS: "14713", Jobs: 100, HaPerJob: 0.05}}}, 39, nil, []*float64{ptr(5), nil}},
	} {
		b := BuildBalance(tu, c.in)
		if b.Years != 13 || !approx(b.Region.TrendDemandHa, c.region) || !approx(b.Region.TrendBalanceHa, 24-c.region) ||
			!closePtr(b.Region.EmploymentDemandHa, c.employment) {
			t.Errorf("%s: years %d, demand %g, balance %g, employment %v; want 13, %g, %g, %v", c.name, b.Years,
				b.Region.TrendDemandHa, b.Region.TrendBalanceHa, deref(b.Region.EmploymentDemandHa), c.region, 24-c.region, deref(c.employment))
		}
		for i, want := range c.district {
			if !closePtr(b.Districts[i].EmploymentDemandHa, want) {
				t.Errorf("%s: district %s employment demand %v, want %v", c.name, b.Districts[i].Name, deref(b.Districts[i].EmploymentDemandHa), deref(want))
			}
		}
		if len(b.Inputs) != 1+len(c.in.Employment) {
			t.Errorf("%s: inputs %v, want the trend and each employment input named", c.name, b.Inputs)
		}
	}
	for _, c := range []struct {
		in DemandInputs
		ok bool
	}{
		{DemandInputs{TargetYear: 2038}, true},
		{DemandInputs{TargetYear: 2026}, true}, // the running year is demand
		{DemandInputs{TargetYear: 2025}, false},
		{DemandInputs{TargetYear: 2038, Margin: -0.1}, false},
		{DemandInputs{TargetYear: 2038, Employment: []EmploymentInput{{DistrictAGS: "16077", Jobs: 1, HaPerJob: 0.02}}}, false},
		{DemandInputs{TargetYear: 2038, Employment: []EmploymentInput{{Jobs: 1, HaPerJob: 0}}}, false},
		{DemandInputs{TargetYear: 2038, Employment: []EmploymentInput{{Jobs: 1, HaPerJob: 0.02}, {Jobs: 2, HaPerJob: 0.02}}}, false},
	} {
		if err := c.in.Check(at, []string{"14713", "15088"}); (err == nil) != c.ok {
			t.Errorf("Check(%+v) = %v, want ok %v", c.in, err, c.ok)
		}
	}
}

func ptr(v float64) *float64 { return &v }

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func closePtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return approx(*a, *b)
}
