package studystore_test

import (
	"context"
	"testing"

	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

func unit(t study.TakeUp, ags string) study.TakeUpUnit {
	if ags == "" {
		return t.Region
	}
	for _, d := range t.Districts {
		if d.DistrictAGS == ags {
			return d
		}
	}
	return study.TakeUpUnit{}
}

func yearHa(u study.TakeUpUnit, year int) float64 {
	for _, v := range u.Series {
		if v.Year == year {
			return v.NetHa
		}
	}
	return -1
}

func reach(r *float64) float64 {
	if r == nil {
		return -1
	}
	return *r
}

// Take-up: F (14713, 4 ha) sold in 2021, G (15088, 2.5 ha) in 2022, the internal H (14730, 3 ha)
// in 2023; I was recorded already sold and does not count. Window 2021–2025.
func TestTakeUpAndReach(t *testing.T) {
	st, _, _ := setup(t)
	ctx := context.Background()
	at := asOf(t, "2026-06-30")
	for _, c := range []struct {
		name     string
		internal bool
		years    map[int]float64 // region take-up by year
		mean     map[string]float64
		reach    map[string]float64 // -1: none (no take-up)
	}{
		{"planner", true,
			map[int]float64{2021: 4, 2022: 2.5, 2023: 3, 2024: 0, 2025: 0, 2026: 0},
			map[string]float64{"": 1.9, "14713": 0.8, "14730": 0.6, "15088": 0.5},
			// marketable: 14713 E 0.65; 14730 C 6; 15088 A 15; region 21.65
			map[string]float64{"": 11.39, "14713": 0.81, "14730": 10, "15088": 30}},
		{"public", false,
			map[int]float64{2021: 4, 2022: 2.5, 2023: 0},
			map[string]float64{"": 1.3, "14713": 0.8, "14730": 0, "15088": 0.5},
			// marketable without owner willingness: 14713 E 0.65; 14730 none (B is medium term); 15088 A 15
			map[string]float64{"": 12.04, "14713": 0.81, "14730": -1, "15088": 30}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tu, err := st.TakeUp(ctx, studystore.Selection{Internal: c.internal, AsOf: at}, study.DefaultWindow(at))
			if err != nil {
				t.Fatal(err)
			}
			if tu.Window != (study.Window{From: 2021, To: 2025}) {
				t.Errorf("window = %+v, want 2021–2025", tu.Window)
			}
			for y, ha := range c.years {
				if got := yearHa(tu.Region, y); !near(got, ha) {
					t.Errorf("take-up %d = %g, want %g", y, got, ha)
				}
			}
			for ags, m := range c.mean {
				if got := unit(tu, ags).MeanHa; !near(got, m) {
					t.Errorf("mean take-up %q = %g, want %g", ags, got, m)
				}
				if got := reach(unit(tu, ags).ReachYears); !near(got, c.reach[ags]) {
					t.Errorf("reach %q = %g, want %g", ags, got, c.reach[ags])
				}
			}
			if first := tu.Region.Series[0].Year; first != 2021 {
				t.Errorf("series starts %d, want 2021 (the window's start: the first sale is in it too)", first)
			}
		})
	}
}

func TestTakeUpAsOfAPastDate(t *testing.T) {
	st, _, _ := setup(t)
	at := asOf(t, "2022-06-30")
	tu, err := st.TakeUp(context.Background(), studystore.Selection{Internal: true, AsOf: at}, study.DefaultWindow(at))
	if err != nil {
		t.Fatal(err)
	}
	// Window 2017–2021: only F. Marketable then: C 6, E 0.65, G 2.5, H 3 (A was medium term).
	if tu.Window != (study.Window{From: 2017, To: 2021}) || !near(tu.Region.MeanHa, 0.8) ||
		!near(tu.Region.MarketableHa, 12.15) || !near(tu.Region.ReserveHa, 40.15) || reach(tu.Region.ReachYears) != 15.19 {
		t.Errorf("as of 2022-06-30: window %+v, mean %g, marketable %g, reserve %g, reach %v; want 2017–2021, 0.8, 12.15, 40.15, 15.19",
			tu.Window, tu.Region.MeanHa, tu.Region.MarketableHa, tu.Region.ReserveHa, reach(tu.Region.ReachYears))
	}
	if got := yearHa(tu.Region, 2022); got != 0 {
		t.Errorf("take-up 2022 as of June = %g, want 0: G was sold in August", got)
	}
}

func TestBalance(t *testing.T) {
	st, _, _ := setup(t)
	at := asOf(t, "2026-06-30")
	tu, err := st.TakeUp(context.Background(), studystore.Selection{Internal: true, AsOf: at}, study.DefaultWindow(at))
	if err != nil {
		t.Fatal(err)
	}
	b := study.BuildBalance(tu, study.DemandInputs{TargetYear: 2038, Margin: 0.1,
		Employment: []study.EmploymentInput{{Jobs: 1000, HaPerJob: 0.02}}})
	// 13 years (2026–2038, the running year is demand); trend = mean × 13 × 1.1.
	for _, c := range []struct {
		got                      study.BalanceUnit
		reserve, demand, balance float64
	}{
		{b.Region, 34.65, 27.17, 7.48},
		{b.Districts[0], 3.65, 11.44, -7.79}, // 14713
		{b.Districts[2], 16, 8.58, 7.42},     // 14730 (B and C)
		{b.Districts[7], 15, 7.15, 7.85},     // 15088
	} {
		if !near(c.got.ReserveHa, c.reserve) || !near(c.got.TrendDemandHa, c.demand) || !near(c.got.TrendBalanceHa, c.balance) {
			t.Errorf("%s: reserve %g, demand %g, balance %g; want %g, %g, %g", c.got.Name,
				c.got.ReserveHa, c.got.TrendDemandHa, c.got.TrendBalanceHa, c.reserve, c.demand, c.balance)
		}
	}
	if b.Years != 13 || b.Region.EmploymentDemandHa == nil || !near(*b.Region.EmploymentDemandHa, 22) || !near(*b.Region.EmploymentBalanceHa, 12.65) {
		t.Errorf("years %d, employment demand %v balance %v; want 13, 22 (1000 jobs × 0.02 ha × 1.1), 12.65",
			b.Years, b.Region.EmploymentDemandHa, b.Region.EmploymentBalanceHa)
	}
	if b.Districts[0].EmploymentDemandHa != nil {
		t.Error("a district without an employment input got an employment demand")
	}
}
