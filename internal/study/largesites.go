package study

import (
	"encoding/json"

	"landatlas/internal/apperr"
)

// Large sites are found the study's way: parcels available for sale (on offer and not "not
// available") that touch or lie within DistanceM of each other are merged into one candidate
// site, across district and Land borders, and kept when their net area reaches MinNetHa.

// Defaults of the large-site search: a few tens of metres bridge a road or a ditch; investor
// requests for large settlements start at about 20 ha.
const (
	DefaultClusterDistanceM = 50
	DefaultLargeSiteMinHa   = 20
)

// LargeSiteOptions are the parameters of the large-site search.
type LargeSiteOptions struct {
	DistanceM float64 `json:"distance_m"`
	MinNetHa  float64 `json:"min_net_ha"`
}

// Check says what is wrong with the options.
func (o LargeSiteOptions) Check() error {
	if o.DistanceM < 0 || o.DistanceM > 1000 {
		return apperr.New(apperr.Invalid, "distance_m: give 0 to 1000 m (0 merges touching parcels only)")
	}
	if o.MinNetHa <= 0 || o.MinNetHa > 10000 {
		return apperr.New(apperr.Invalid, "min_net_ha: give a net area above 0 ha")
	}
	return nil
}

// LargeSite is a merged candidate site.
type LargeSite struct {
	// ID names the cluster by its first parcel: the same parcels give the same id.
	ID               string   `json:"id"`
	MemberIDs        []int64  `json:"member_ids"`
	Districts        []string `json:"district_ags"`
	DistrictNames    []string `json:"district_names"`
	Lands            []string `json:"lands"`
	CrossesDistricts bool     `json:"crosses_districts"`
	CrossesLands     bool     `json:"crosses_lands"`
	NetHa            float64  `json:"net_ha"`
	// AvailableNetHa is the members' net area available now or within two years.
	AvailableNetHa float64 `json:"available_net_ha"`
	GrossHa        float64 `json:"gross_ha"`
	// LargestPartHa is the largest contiguous part of the merged area (gross).
	LargestPartHa      float64          `json:"largest_contiguous_ha"`
	BestPlanningStatus string           `json:"best_planning_status"`
	Constraints        []ConstraintArea `json:"constraints"`
	SiteIDs            []int64          `json:"site_ids"`
	// StrategicReserve says whether a member lies in a strategic reserve site (planners only).
	StrategicReserve *bool `json:"strategic_reserve,omitempty"`
	// Geometry is the merged area as WGS84 GeoJSON.
	Geometry json.RawMessage `json:"geometry"`
}

// ConstraintArea is the area of a site or parcel in constraints of one kind and severity.
type ConstraintArea struct {
	Kind     string  `json:"kind"`
	Severity string  `json:"severity"`
	AreaHa   float64 `json:"area_ha"`
	Share    float64 `json:"share"`
}

// StrategicReserve is a strategic reserve site (Jokerfläche) with the figures of its parcels.
type StrategicReserve struct {
	SiteID             int64   `json:"site_id"`
	Name               string  `json:"name"`
	DistrictAGS        string  `json:"district_ags"`
	DistrictName       string  `json:"district_name"`
	GrossHa            float64 `json:"gross_ha"`
	Parcels            int     `json:"parcels"`
	NetHa              float64 `json:"net_ha"`
	OfferedNetHa       float64 `json:"offered_net_ha"`
	BestPlanningStatus string  `json:"best_planning_status,omitempty"`
}

// LargeSites is the answer of the large-site search.
type LargeSites struct {
	LargeSiteOptions
	Sites      []LargeSite `json:"sites"`
	TotalNetHa float64     `json:"total_net_ha"`
	// StrategicReserves lists the Jokerflächen for planners; nil for the public, to whom the flag
	// is internal.
	StrategicReserves []StrategicReserve `json:"strategic_reserves,omitempty"`
	StrategicTotalHa  *float64           `json:"strategic_reserves_gross_ha,omitempty"`
}
