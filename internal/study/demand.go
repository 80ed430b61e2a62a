package study

import (
	"fmt"
	"slices"
	"time"

	"landatlas/internal/apperr"
)

// DefaultTargetYear is the horizon of the region's demand forecast.
const DefaultTargetYear = 2038

// DemandInputs are the inputs of a demand forecast. The trend method needs none beyond the
// take-up; the employment method needs a jobs forecast and the land each job takes.
type DemandInputs struct {
	TargetYear int `json:"target_year"`
	// Margin is the planning allowance on top of the forecast (0.1 = 10 %); 0 by default.
	Margin     float64           `json:"margin"`
	Employment []EmploymentInput `json:"employment,omitempty"`
	// Enquiries adds the demand from investors' enquiries beside the trend (planners and admins:
	// enquiries are internal).
	Enquiries bool `json:"enquiries,omitempty"`
}

// EmploymentInput is an employment-based forecast for one district, or ("") for the whole scope:
// the additional jobs expected up to the target year and the net hectares each takes.
type EmploymentInput struct {
	DistrictAGS string  `json:"district,omitempty"`
	Jobs        float64 `json:"jobs"`
	HaPerJob    float64 `json:"ha_per_job"`
}

// Check says what is wrong with the inputs for a study as of asOf whose districts are given.
func (in DemandInputs) Check(asOf time.Time, districts []string) error {
	y := LastFullYear(asOf)
	if in.TargetYear <= y || in.TargetYear > y+50 {
		return apperr.New(apperr.Invalid, "target_year: %d must lie after the last full year at as_of (%d) and at most 50 years ahead", in.TargetYear, y)
	}
	if in.Margin < 0 || in.Margin > 2 {
		return apperr.New(apperr.Invalid, "margin: %g must lie between 0 and 2 (0.1 is 10 %%)", in.Margin)
	}
	seen := map[string]bool{}
	for _, e := range in.Employment {
		switch {
		case seen[e.DistrictAGS]:
			return apperr.New(apperr.Invalid, "employment: district %q given twice", e.DistrictAGS)
		case e.DistrictAGS != "" && !slices.Contains(districts, e.DistrictAGS):
			return apperr.New(apperr.Invalid, "employment: district %q is not in the scope", e.DistrictAGS)
		case e.Jobs < 0:
			return apperr.New(apperr.Invalid, "employment: jobs must not be negative")
		case e.HaPerJob <= 0 || e.HaPerJob > 1:
			return apperr.New(apperr.Invalid, "employment: ha_per_job must lie in (0, 1] (0.02 is 200 m² per job)")
		}
		seen[e.DistrictAGS] = true
	}
	return nil
}

// FirstYear is the first year of the forecast: the year after the last full year at as_of (a
// study as of 31.12.2023 forecasts 2024 onwards, one as of 30.06.2024 too, the running year whole).
func FirstYear(asOf time.Time) int { return LastFullYear(asOf) + 1 }

// Years is the number of years the forecast covers: from FirstYear to the target year, both included.
func (in DemandInputs) Years(asOf time.Time) int { return in.TargetYear - FirstYear(asOf) + 1 }

// BalanceUnit is the demand and balance of one district or of the whole scope.
type BalanceUnit struct {
	DistrictAGS  string  `json:"district_ags,omitempty"`
	Name         string  `json:"name"`
	ReserveHa    float64 `json:"reserve_net_ha"`
	MarketableHa float64 `json:"marketable_net_ha"`
	MeanTakeUpHa float64 `json:"mean_take_up_net_ha_per_year"`
	// TrendDemandHa is mean take-up × years × (1 + margin); TrendBalanceHa reserve − that.
	TrendDemandHa  float64 `json:"trend_demand_ha"`
	TrendBalanceHa float64 `json:"trend_balance_ha"`
	// The employment method's figures, where an input was given for the unit.
	EmploymentDemandHa  *float64 `json:"employment_demand_ha,omitempty"`
	EmploymentBalanceHa *float64 `json:"employment_balance_ha,omitempty"`
	// Enquiry is the demand from enquiries routed to the unit, where it was asked for.
	Enquiry *EnquiryFigures `json:"enquiry,omitempty"`
}

// Balance is the answer of the demand and balance study.
type Balance struct {
	AsOf       time.Time `json:"as_of"`
	TargetYear int       `json:"target_year"`
	// FirstYear is the first year the demand counts (FirstYear); Years runs from it to TargetYear.
	FirstYear int     `json:"first_year"`
	Years     int     `json:"years"`
	Margin    float64 `json:"margin"`
	Window    Window  `json:"window"`
	Inputs    []Text  `json:"inputs_used"`
	// EnquiryWindow is the years whose enquiries the enquiry demand counts, where it was asked
	// for and enquiries were recorded in the take-up window.
	EnquiryWindow *Window       `json:"enquiry_window,omitempty"`
	Region        BalanceUnit   `json:"total"`
	Districts     []BalanceUnit `json:"districts"`
}

// BuildBalance forecasts the demand to the target year from a take-up study and the inputs, and
// balances it against the reserve. The whole scope's employment demand is its own input if one was
// given, else the sum of the districts' inputs when every district has one, else none.
func BuildBalance(t TakeUp, in DemandInputs) Balance {
	years := in.Years(t.AsOf)
	b := Balance{AsOf: t.AsOf, TargetYear: in.TargetYear, FirstYear: FirstYear(t.AsOf), Years: years, Margin: in.Margin, Window: t.Window}
	b.Inputs = append(b.Inputs, Text{
		DE: fmt.Sprintf("Trend: mittlerer Flächenumsatz %d–%d × %d Jahre (%d–%d) × (1 + %s Zuschlag)",
			t.Window.From, t.Window.To, years, FirstYear(t.AsOf), in.TargetYear, FormatNumber(in.Margin, 2, "de")),
		EN: fmt.Sprintf("trend: mean take-up %d–%d × %d years (%d–%d) × (1 + %s margin)",
			t.Window.From, t.Window.To, years, FirstYear(t.AsOf), in.TargetYear, FormatNumber(in.Margin, 2, "en")),
	})
	employment := map[string]EmploymentInput{}
	for _, e := range in.Employment {
		employment[e.DistrictAGS] = e
		who := e.DistrictAGS
		if who == "" {
			who = "Gesamt/total"
		}
		b.Inputs = append(b.Inputs, Text{
			DE: fmt.Sprintf("Beschäftigung %s: %s Arbeitsplätze × %s ha je Arbeitsplatz × (1 + Zuschlag)", who,
				FormatNumber(e.Jobs, 0, "de"), FormatNumber(e.HaPerJob, 4, "de")),
			EN: fmt.Sprintf("employment %s: %s jobs × %s ha per job × (1 + margin)", who,
				FormatNumber(e.Jobs, 0, "en"), FormatNumber(e.HaPerJob, 4, "en")),
		})
	}
	unit := func(u TakeUpUnit, e *EmploymentInput) BalanceUnit {
		demand := u.MeanHa * float64(years) * (1 + in.Margin)
		bu := BalanceUnit{DistrictAGS: u.DistrictAGS, Name: u.Name, ReserveHa: u.ReserveHa, MarketableHa: u.MarketableHa,
			MeanTakeUpHa: u.MeanHa, TrendDemandHa: Round(demand, 4), TrendBalanceHa: Round(u.ReserveHa-demand, 4)}
		if e != nil {
			ed := Round(e.Jobs*e.HaPerJob*(1+in.Margin), 4)
			eb := Round(u.ReserveHa-ed, 4)
			bu.EmploymentDemandHa, bu.EmploymentBalanceHa = &ed, &eb
		}
		return bu
	}
	complete, sum := len(t.Districts) > 0, EmploymentInput{HaPerJob: 1}
	for _, d := range t.Districts {
		var e *EmploymentInput
		if in, ok := employment[d.DistrictAGS]; ok {
			e = &in
			sum.Jobs += in.Jobs * in.HaPerJob
		} else {
			complete = false
		}
		b.Districts = append(b.Districts, unit(d, e))
	}
	var regionInput *EmploymentInput
	if e, ok := employment[""]; ok {
		regionInput = &e
	} else if complete {
		regionInput = &sum
	}
	b.Region = unit(t.Region, regionInput)
	return b
}
