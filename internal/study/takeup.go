package study

import (
	"time"

	"landatlas/internal/apperr"
	"landatlas/internal/region"
)

// Take-up (Flächenumsatz) in year y is the net area of the parcel states that became sold in y: a
// state with status sold whose previous state of the same parcel was not sold, counted in the
// year it became valid. A parcel whose first recorded state is already sold does not count: it
// was sold before it was recorded, at a time nobody knows, and counting it in the year it was
// entered would turn every initial data load into a boom year. A parcel sold, offered again and
// sold again counts twice: it came to the market twice.

// TakeUpRow is the take-up of one district in one year.
type TakeUpRow struct {
	Year        int
	DistrictAGS string
	NetHa       float64
	Parcels     int
}

// Stock is the land of a district at the as_of time the reach and the balance start from.
type Stock struct {
	DistrictAGS string
	// ReserveHa is the net area on offer; MarketableHa the part of it MarketableRule counts.
	ReserveHa, MarketableHa float64
}

// Window is the range of years, both included, that the mean take-up is taken over.
type Window struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// DefaultWindow is the last five full years at as_of (LastFullYear).
func DefaultWindow(asOf time.Time) Window {
	y := LastFullYear(asOf)
	return Window{From: y - 4, To: y}
}

// Years is the number of years of the window.
func (w Window) Years() int { return w.To - w.From + 1 }

// Check says what is wrong with a window for a study as of asOf: the running year is not complete
// and would pull the mean down.
func (w Window) Check(asOf time.Time) error {
	switch y := LastFullYear(asOf); {
	case w.From > w.To:
		return apperr.New(apperr.Invalid, "window: from (%d) is after to (%d)", w.From, w.To)
	case w.To > y:
		return apperr.New(apperr.Invalid, "window: to (%d) must be a full year at as_of: %d or earlier", w.To, y)
	case w.Years() > 30:
		return apperr.New(apperr.Invalid, "window: %d years; at most 30", w.Years())
	}
	return nil
}

// YearValue is one point of a take-up time series.
type YearValue struct {
	Year    int     `json:"year"`
	NetHa   float64 `json:"net_ha"`
	Parcels int     `json:"parcels"`
	// Partial marks the running year of as_of, counted up to as_of; a year whose last day is
	// as_of is complete.
	Partial bool `json:"partial,omitempty"`
}

// TakeUpUnit is the take-up, mean and reach of one district or of the whole scope.
type TakeUpUnit struct {
	DistrictAGS string      `json:"district_ags,omitempty"`
	Name        string      `json:"name"`
	Series      []YearValue `json:"series"`
	// WindowHa is the take-up in the window; MeanHa its yearly mean.
	WindowHa     float64 `json:"window_net_ha"`
	MeanHa       float64 `json:"mean_net_ha_per_year"`
	ReserveHa    float64 `json:"reserve_net_ha"`
	MarketableHa float64 `json:"marketable_net_ha"`
	// ReachYears is marketable reserve ÷ mean take-up; nil when nothing was taken up in the
	// window, so the reserve would last for ever.
	ReachYears *float64 `json:"reach_years"`
}

// TakeUp is the answer of the take-up study.
type TakeUp struct {
	AsOf           time.Time    `json:"as_of"`
	Window         Window       `json:"window"`
	MarketableRule Text         `json:"marketable_rule"`
	Region         TakeUpUnit   `json:"total"`
	Districts      []TakeUpUnit `json:"districts"`
}

// BuildTakeUp combines the take-up rows and the stock of the districts in the scope into series,
// means and reaches, per district and for the whole scope. The series runs from the first year
// with take-up (or the window's start) to the year of asOf.
func BuildTakeUp(rows []TakeUpRow, stock []Stock, districts []region.District, asOf time.Time, w Window, internal bool) TakeUp {
	last, full := YearOf(asOf), LastFullYear(asOf)
	first := w.From
	for _, r := range rows {
		first = min(first, r.Year)
	}
	series := func() []YearValue {
		s := make([]YearValue, 0, last-first+1)
		for y := first; y <= last; y++ {
			s = append(s, YearValue{Year: y, Partial: y > full})
		}
		return s
	}
	out := TakeUp{AsOf: asOf, Window: w, MarketableRule: MarketableRule(internal),
		Region: TakeUpUnit{Name: "Gesamt", Series: series()}}
	index := map[string]int{}
	for _, d := range districts {
		index[d.AGS] = len(out.Districts)
		out.Districts = append(out.Districts, TakeUpUnit{DistrictAGS: d.AGS, Name: d.Label(), Series: series()})
	}
	for _, r := range rows {
		i, ok := index[r.DistrictAGS]
		if !ok || r.Year > last {
			continue
		}
		for _, u := range []*TakeUpUnit{&out.Districts[i], &out.Region} {
			u.Series[r.Year-first].NetHa += r.NetHa
			u.Series[r.Year-first].Parcels += r.Parcels
		}
	}
	for _, s := range stock {
		i, ok := index[s.DistrictAGS]
		if !ok {
			continue
		}
		for _, u := range []*TakeUpUnit{&out.Districts[i], &out.Region} {
			u.ReserveHa += s.ReserveHa
			u.MarketableHa += s.MarketableHa
		}
	}
	for _, u := range append([]*TakeUpUnit{&out.Region}, pointers(out.Districts)...) {
		for _, v := range u.Series {
			if v.Year >= w.From && v.Year <= w.To {
				u.WindowHa += v.NetHa
			}
		}
		u.MeanHa = u.WindowHa / float64(w.Years())
		u.ReachYears = Reach(u.MarketableHa, u.MeanHa)
		roundUnit(u)
	}
	return out
}

// Reach is the years a marketable reserve lasts at a mean yearly take-up; nil when the take-up is
// zero (it lasts for ever, which is no number).
func Reach(marketableHa, meanHa float64) *float64 {
	if meanHa <= 0 {
		return nil
	}
	r := Round(marketableHa/meanHa, 2)
	return &r
}

func roundUnit(u *TakeUpUnit) {
	for i := range u.Series {
		u.Series[i].NetHa = Round(u.Series[i].NetHa, 4)
	}
	u.WindowHa = Round(u.WindowHa, 4)
	u.MeanHa = Round(u.MeanHa, 4)
	u.ReserveHa = Round(u.ReserveHa, 4)
	u.MarketableHa = Round(u.MarketableHa, 4)
}

func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}
