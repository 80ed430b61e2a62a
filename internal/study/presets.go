package study

import (
	"maps"
	"slices"
	"strings"

	"landatlas/internal/apperr"
)

// Preset is a named site search for a typical investor request.
type Preset struct {
	Name        string `json:"name"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	Search      Search `json:"search"`
}

// DefaultWeights weigh a search without a preset: area, planning and availability first, the
// motorway next, the rest a little.
func DefaultWeights() map[string]float64 {
	return map[string]float64{
		"area": 2, "planning_status": 2, "availability": 2, "motorway_junction": 2,
		"rail_freight_terminal": 0.5, "airport": 0.5, "inland_port": 0, "utilities": 1, "constraints": 1,
	}
}

// Presets returns the named searches: logistics, a large industrial settlement, small business,
// and research and production.
func Presets() []Preset {
	return []Preset{
		{
			Name:  "logistics",
			Title: Text{DE: "Logistik", EN: "Logistics"},
			Description: Text{
				DE: "3–60 ha GI/GE/SO mit Planungsrecht, höchstens 10 km zur Autobahn, ohne schwerwiegende Restriktionen; Autobahn und Güterterminal zählen viel.",
				EN: "3–60 ha GI/GE/SO with planning rights, at most 10 km to a motorway junction, no severe constraints; motorway and rail terminal weigh most.",
			},
			Search: Search{
				Criteria: Criteria{
					MinNetHa: 3, MaxNetHa: 60, UseTypes: []string{"GI", "GE", "SO"},
					PlanningStatuses:   []string{"in_force", "built_up_area", "in_preparation"},
					MaxDistanceKm:      map[string]float64{"motorway_junction": 10},
					ExcludeConstraints: []ConstraintRule{{Severity: "severe"}},
				},
				Prefer:      Utilities{Flags: Flagged("rail_siding"), Serviced: "full"},
				TargetNetHa: 10,
				Weights: map[string]float64{"area": 2, "planning_status": 2, "availability": 2, "motorway_junction": 4,
					"rail_freight_terminal": 1.5, "airport": 1, "inland_port": 0.5, "utilities": 0.5, "constraints": 1},
			},
		},
		{
			Name:  "large_industrial",
			Title: Text{DE: "Industrielle Großansiedlung", EN: "Large industrial settlement"},
			Description: Text{
				DE: "Ab 20 ha GI/GIe/SO, auch über Grenzen zusammengelegt, höchstens 15 km zur Autobahn, ohne schwerwiegende Restriktionen; Strom, Gleis und Wasserstoff zählen.",
				EN: "20 ha and more GI/GIe/SO, merged across borders too, at most 15 km to a motorway junction, no severe constraints; power, rail and hydrogen count.",
			},
			Search: Search{
				Criteria: Criteria{
					MinNetHa: 20, UseTypes: []string{"GI", "GIe", "SO"},
					PlanningStatuses:   []string{"in_force", "in_preparation", "land_use_plan"},
					MaxDistanceKm:      map[string]float64{"motorway_junction": 15},
					ExcludeConstraints: []ConstraintRule{{Severity: "severe"}},
				},
				Prefer:      Utilities{Flags: Flagged("rail_siding", "hydrogen", "process_water"), MinPowerMW: 20},
				TargetNetHa: 50,
				Weights: map[string]float64{"area": 3, "planning_status": 2, "availability": 1, "motorway_junction": 2,
					"rail_freight_terminal": 1.5, "airport": 0.5, "inland_port": 0.5, "utilities": 2, "constraints": 2},
			},
		},
		{
			Name:  "small_business",
			Title: Text{DE: "Kleingewerbe und Handwerk", EN: "Small business"},
			Description: Text{
				DE: "0,2–2 ha GE/GEe/MI mit Baurecht, sofort oder kurzfristig verfügbar; Verfügbarkeit zählt am meisten.",
				EN: "0.2–2 ha GE/GEe/MI with building rights, available now or within two years; availability weighs most.",
			},
			Search: Search{
				Criteria: Criteria{
					MinNetHa: 0.2, MaxNetHa: 2, UseTypes: []string{"GE", "GEe", "MI"},
					PlanningStatuses: []string{"in_force", "built_up_area"},
					Availabilities:   []string{"now", "short_term"},
				},
				Prefer:      Utilities{MinBroadbandMbps: 100, Serviced: "full"},
				TargetNetHa: 0.8,
				Weights: map[string]float64{"area": 2, "planning_status": 2, "availability": 3, "motorway_junction": 1,
					"utilities": 1, "constraints": 1},
			},
		},
		{
			Name:  "research_production",
			Title: Text{DE: "Forschung und Produktion", EN: "Research and production"},
			Description: Text{
				DE: "1–10 ha GE/GI/SO mit Planungsrecht, ohne Seveso-Abstände und schwerwiegende Restriktionen; Breitband, Fernwärme, Wasser und Flughafen zählen.",
				EN: "1–10 ha GE/GI/SO with planning rights, no Seveso distances or severe constraints; broadband, district heat, water and the airport count.",
			},
			Search: Search{
				Criteria: Criteria{
					MinNetHa: 1, MaxNetHa: 10, UseTypes: []string{"GE", "GI", "SO"},
					PlanningStatuses:   []string{"in_force", "built_up_area", "in_preparation"},
					ExcludeConstraints: []ConstraintRule{{Kind: "seveso"}, {Severity: "severe"}},
				},
				Prefer:      Utilities{Flags: Flagged("district_heat", "water", "process_water"), MinBroadbandMbps: 1000, MinPowerMW: 5},
				TargetNetHa: 4,
				Weights: map[string]float64{"area": 2, "planning_status": 2, "availability": 2, "motorway_junction": 1,
					"rail_freight_terminal": 0.5, "airport": 1.5, "utilities": 2.5, "constraints": 1.5},
			},
		},
	}
}

// NewSearch returns the search a request starts from: the preset's, or the defaults for "". A
// request's own fields are then decoded over it, so they replace the preset's one by one.
func NewSearch(preset string) (Search, error) {
	s := Search{Weights: DefaultWeights()}
	if preset != "" {
		i := slices.IndexFunc(Presets(), func(p Preset) bool { return p.Name == preset })
		if i < 0 {
			var names []string
			for _, p := range Presets() {
				names = append(names, p.Name)
			}
			return Search{}, apperr.New(apperr.Invalid, "preset: %q is not a preset: use %s", preset, strings.Join(names, ", "))
		}
		s = Presets()[i].Search
		s.Weights = maps.Clone(s.Weights)
		s.Preset = preset
	}
	s.LargeSites = true
	s.SiteDistanceM = 50
	return s, nil
}
