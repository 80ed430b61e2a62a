package enquiry

import (
	"cmp"
	"slices"

	"landatlas/internal/study"
)

// timingAvailabilities are the availabilities that meet each timing.
var timingAvailabilities = map[string][]string{
	"now":         {"now"},
	"short_term":  {"now", "short_term"},
	"medium_term": {"now", "short_term", "medium_term"},
}

// Search is the site search an enquiry's requirements ask for: its area range, use types, the
// availabilities that meet its timing, its motorway distance and rail siding as hard criteria,
// with the study's default weights; neighbouring parcels may merge into a large site.
func (r Requirements) Search() study.Search {
	s, err := study.NewSearch("")
	if err != nil {
		panic(err) // the default search always exists
	}
	if r.MinNetHa != nil {
		s.Criteria.MinNetHa = *r.MinNetHa
	}
	if r.MaxNetHa != nil {
		s.Criteria.MaxNetHa = *r.MaxNetHa
	}
	s.Criteria.UseTypes = slices.Clone(r.UseTypes)
	s.Criteria.Availabilities = slices.Clone(timingAvailabilities[r.Timing])
	if r.MaxMotorwayKm != nil {
		s.Criteria.MaxDistanceKm = map[string]float64{"motorway_junction": *r.MaxMotorwayKm}
	}
	s.Criteria.Require.Flags.Set("rail_siding", r.RailSiding)
	return s
}

// Served says whether a search found anything for an enquiry: a parcel or a merged large site.
func Served(res study.SearchResult) bool {
	return res.Parcels.Total > 0 || (res.LargeSites != nil && res.LargeSites.Total > 0)
}

// TopReason is the criterion that excluded the most candidates (by reason code), the first in
// code order on a tie; "" when nothing was excluded.
func TopReason(byReason map[string]int) string {
	codes := make([]string, 0, len(byReason))
	for c := range byReason {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int {
		if n := cmp.Compare(byReason[b], byReason[a]); n != 0 {
			return n
		}
		return cmp.Compare(a, b)
	})
	if len(codes) == 0 {
		return ""
	}
	return codes[0]
}

// ReasonLabel names the criterion behind an exclusion reason code.
func ReasonLabel(code, lang string) string {
	labels := map[string][2]string{
		"net_area_below_min":             {"Fläche zu klein", "area too small"},
		"net_area_above_max":             {"Fläche zu groß", "area too large"},
		"use_type":                       {"Nutzungsart", "use type"},
		"planning_status":                {"Planungsrecht", "planning status"},
		"availability":                   {"Verfügbarkeit", "availability"},
		"available_by":                   {"Verfügbarkeitsdatum", "available by"},
		"distance_motorway_junction":     {"Entfernung Autobahn", "distance to motorway"},
		"distance_rail_freight_terminal": {"Entfernung Güterterminal", "distance to rail terminal"},
		"distance_airport":               {"Entfernung Flughafen", "distance to airport"},
		"distance_inland_port":           {"Entfernung Binnenhafen", "distance to port"},
		"constraint":                     {"Restriktionen", "constraints"},
		"utility_rail_siding":            {"Gleisanschluss", "rail siding"},
	}
	l, ok := labels[code]
	if !ok {
		return code
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}
