package study

import (
	"fmt"
	"time"

	"landatlas/internal/apperr"
)

// EnquiryDemand is the net area investors' enquiries asked for, per calendar year, for a scope
// and per district the enquiries were routed to (the demand statistics' definition: an enquiry
// counts with its least area, else its most).
type EnquiryDemand struct {
	// Since is when the first enquiry was recorded (anywhere in the region); zero if none was.
	Since time.Time
	Years []EnquiryYear
}

// EnquiryYear is the demand of one year: for the scope, and by district (an enquiry routed to
// several districts counts in each, once in the scope).
type EnquiryYear struct {
	Year      int
	Enquiries int
	Ha        float64
	Districts map[string]EnquiryCount
}

// EnquiryCount is a number of enquiries and the net area they asked for.
type EnquiryCount struct {
	Enquiries int
	Ha        float64
}

// CheckEnquiryScope says why a scope or filter cannot be balanced against enquiries: they are
// routed to districts, not to municipalities, areas or parcels.
func CheckEnquiryScope(s Scope, filter string) error {
	if len(s.Municipalities) > 0 || s.Polygon != "" || filter != "" {
		return apperr.New(apperr.Invalid, "demand=enquiries: enquiries are routed to districts, so it takes the region, land= or district= and no municipality, polygon or filter")
	}
	return nil
}

// enquiryWindow is the part of the take-up window in which enquiries were recorded: from the year
// of the first one (a later start than the window's) to the window's end; ok is false when no
// year of the window has records.
func enquiryWindow(w Window, since time.Time) (Window, bool) {
	if since.IsZero() {
		return w, false
	}
	w.From = max(w.From, YearOf(since))
	return w, w.From <= w.To
}

// EnquiryFigures are the enquiry-based demand and balance of a unit.
type EnquiryFigures struct {
	// Enquiries and AskedHa are what the window's enquiries asked for in all.
	Enquiries int     `json:"enquiries"`
	AskedHa   float64 `json:"asked_ha"`
	// MeanHa is AskedHa per year of the window; DemandHa is MeanHa × years × (1 + margin) and
	// BalanceHa the reserve less that.
	MeanHa    float64 `json:"mean_ha_per_year"`
	DemandHa  float64 `json:"demand_ha"`
	BalanceHa float64 `json:"balance_ha"`
}

// AddEnquiries sets the enquiry-based demand and balance of the balance's units: the mean yearly
// net area enquiries asked for over the take-up window (from the year the first enquiry was
// recorded, where that is later), carried to the target year like the trend.
func (b *Balance) AddEnquiries(d EnquiryDemand) {
	w := b.Window
	ew, ok := enquiryWindow(w, d.Since)
	if !ok {
		b.Inputs = append(b.Inputs, Text{
			DE: fmt.Sprintf("Anfragen: im Zeitraum %d–%d noch keine erfasst (erste Anfrage: %s); kein Bedarf laut Anfragen", w.From, w.To, sinceText(d.Since, "de")),
			EN: fmt.Sprintf("enquiries: none recorded in %d–%d (first enquiry: %s); no enquiry-based demand", w.From, w.To, sinceText(d.Since, "en")),
		})
		return
	}
	b.EnquiryWindow = &ew
	n := float64(ew.To - ew.From + 1)
	b.Inputs = append(b.Inputs, Text{
		DE: fmt.Sprintf("Anfragen: angefragte Nettofläche %d–%d je Jahr × %d Jahre × (1 + Zuschlag); eine an mehrere Kreise gerichtete Anfrage zählt in jedem", ew.From, ew.To, b.Years),
		EN: fmt.Sprintf("enquiries: net area asked for %d–%d per year × %d years × (1 + margin); an enquiry routed to several districts counts in each", ew.From, ew.To, b.Years),
	})
	figures := func(c EnquiryCount, reserve float64) *EnquiryFigures {
		mean := c.Ha / n
		demand := mean * float64(b.Years) * (1 + b.Margin)
		return &EnquiryFigures{Enquiries: c.Enquiries, AskedHa: Round(c.Ha, 4), MeanHa: Round(mean, 4),
			DemandHa: Round(demand, 4), BalanceHa: Round(reserve-demand, 4)}
	}
	var total EnquiryCount
	byDistrict := map[string]EnquiryCount{}
	for _, y := range d.Years {
		if y.Year < ew.From || y.Year > ew.To {
			continue
		}
		total.Enquiries += y.Enquiries
		total.Ha += y.Ha
		for ags, c := range y.Districts {
			sum := byDistrict[ags]
			sum.Enquiries += c.Enquiries
			sum.Ha += c.Ha
			byDistrict[ags] = sum
		}
	}
	b.Region.Enquiry = figures(total, b.Region.ReserveHa)
	for i := range b.Districts {
		u := &b.Districts[i]
		u.Enquiry = figures(byDistrict[u.DistrictAGS], u.ReserveHa)
	}
}

func sinceText(t time.Time, lang string) string {
	if t.IsZero() {
		if lang == "de" {
			return "keine"
		}
		return "none"
	}
	return t.In(Berlin).Format("2006-01-02")
}
