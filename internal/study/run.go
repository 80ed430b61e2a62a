package study

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"landatlas/internal/apperr"
)

// RunParams are the parameters of a study run, stored with it: everything needed to say what was
// computed and to compute it again.
type RunParams struct {
	Title string `json:"title"`
	// Audience "public" counts public parcels only, and the run may be read by anyone;
	// "internal" (the default) counts all parcels, for signed-in readers.
	Audience string `json:"audience"`
	// AsOf is the date of the data (YYYY-MM-DD or RFC 3339); "" is the time of the run.
	AsOf   string `json:"as_of,omitempty"`
	Scope  Scope  `json:"scope"`
	Filter string `json:"filter,omitempty"`
	// FilterCRS is the CRS of the filter's geometry literals, as the filter-crs parameter; "" is CRS84.
	FilterCRS  string           `json:"filter_crs,omitempty"`
	GroupBy    []string         `json:"group_by"`
	MinSiteHa  float64          `json:"min_site_ha"`
	MotorwayKm float64          `json:"motorway_km"`
	Window     *Window          `json:"window,omitempty"`
	Demand     DemandInputs     `json:"demand"`
	LargeSites LargeSiteOptions `json:"large_sites"`
	// Search optionally adds a site search (with a preset or criteria) to the run.
	Search json.RawMessage `json:"search,omitempty"`
}

// DefaultRunParams are the study's defaults: by district, sites from 5 ha, a motorway within 5 km,
// demand to 2038, large sites of 20 ha within 50 m.
func DefaultRunParams() RunParams {
	return RunParams{
		Audience: "internal", GroupBy: []string{"district"}, MinSiteHa: 5, MotorwayKm: 5,
		Demand:     DemandInputs{TargetYear: DefaultTargetYear},
		LargeSites: LargeSiteOptions{DistanceM: DefaultClusterDistanceM, MinNetHa: DefaultLargeSiteMinHa},
	}
}

// Check says what is wrong with the parameters (those that need the data's time are checked
// when it is known).
func (p RunParams) Check() error {
	if strings.TrimSpace(p.Title) == "" || len(p.Title) > 200 {
		return apperr.New(apperr.Invalid, "title: give a title of 1 to 200 characters")
	}
	if _, err := ParseFilterCRS(p.FilterCRS, p.Scope); err != nil {
		return err
	}
	if p.Audience != "internal" && p.Audience != "public" {
		return apperr.New(apperr.Invalid, "audience: use internal (all parcels, signed-in readers) or public (public parcels, anyone)")
	}
	if _, err := ParseGroupBy(strings.Join(p.GroupBy, ",")); err != nil {
		return err
	}
	if slices.Contains(p.GroupBy, "ownership") && p.Audience == "public" {
		return apperr.New(apperr.Invalid, "group_by: ownership is internal and cannot be grouped by in a public run")
	}
	if p.Demand.Enquiries {
		if p.Audience == "public" {
			return apperr.New(apperr.Invalid, "demand.enquiries: enquiries are internal and cannot be counted in a public run; use audience internal")
		}
		if err := CheckEnquiryScope(p.Scope, p.Filter); err != nil {
			return err
		}
	}
	if p.MinSiteHa < 0 || p.MotorwayKm <= 0 {
		return apperr.New(apperr.Invalid, "min_site_ha must not be negative and motorway_km must be above 0")
	}
	return p.LargeSites.Check()
}

// RunResults are the figures of a study run.
type RunResults struct {
	Supply     Supply        `json:"supply"`
	TakeUp     TakeUp        `json:"take_up"`
	Balance    Balance       `json:"balance"`
	LargeSites LargeSites    `json:"large_sites"`
	Search     *SearchResult `json:"search,omitempty"`
	Map        MapOverview   `json:"map"`
	// Synthetic says the figures count synthetic demo data, which the report must say plainly.
	Synthetic bool `json:"synthetic"`
}

// MapOverview is a small map of the districts and large sites for the printed report, as SVG
// paths in the storage CRS (y pointing down, as ST_AsSVG writes it).
type MapOverview struct {
	ViewBox   string     `json:"view_box"`
	Districts []MapShape `json:"districts"`
	Sites     []MapShape `json:"sites"`
}

// MapShape is one outline of the map.
type MapShape struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Path    string `json:"path"`
	InScope bool   `json:"in_scope,omitempty"`
	// LabelX and LabelY place the shape's label inside it, in the paths' coordinates (0, 0: none).
	LabelX float64 `json:"label_x,omitempty"`
	LabelY float64 `json:"label_y,omitempty"`
}

// Run is a stored study run.
type Run struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Audience  string    `json:"audience"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is the account label, shown to signed-in readers only.
	CreatedBy   string           `json:"created_by,omitempty"`
	AsOf        time.Time        `json:"as_of"`
	Params      RunParams        `json:"params"`
	DataVersion map[string]int64 `json:"data_version"`
	Parcels     int              `json:"parcels"`
	Results     RunResults       `json:"results"`
}

// RunSummary is a run as listed.
type RunSummary struct {
	ID          int64            `json:"id"`
	Title       string           `json:"title"`
	Audience    string           `json:"audience"`
	CreatedAt   time.Time        `json:"created_at"`
	CreatedBy   string           `json:"created_by,omitempty"`
	AsOf        time.Time        `json:"as_of"`
	DataVersion map[string]int64 `json:"data_version"`
	Parcels     int              `json:"parcels"`
}
