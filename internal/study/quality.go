package study

import "landatlas/internal/apperr"

// Freshness and completeness of the records (domain.md "Monitoring practice": stale and thinly
// described listings are the known failure of site portals). Completeness is the weighted share
// of the fields that matter for marketing that a parcel has filled; freshness says whether it was
// confirmed within FreshMonths, earlier, or never.

// MarketingField is a parcel field that matters for marketing, with its weight.
type MarketingField struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Label  Text    `json:"label"`
	// Internal fields count for signed-in readers only: the public's completeness leaves them out.
	Internal bool `json:"internal,omitempty"`
}

// MarketingFields are the fields completeness counts and their weights: the ONE place they are
// defined until the field registry (issue "field registry", another engineer's branch) carries a
// marketing weight per field; then this list is read from there.
func MarketingFields(internal bool) []MarketingField {
	all := []MarketingField{
		{Name: "description", Weight: 2, Label: Text{"Beschreibung", "description"}},
		{Name: "price_min_eur_m2", Weight: 2, Label: Text{"Preis", "price"}},
		{Name: "net_area_given_ha", Weight: 2, Label: Text{"Nettofläche (gemeldet)", "net area (reported)"}},
		{Name: "contact_name", Weight: 1.5, Label: Text{"Ansprechpartner", "contact person"}},
		{Name: "contact_email", Weight: 1.5, Label: Text{"E-Mail", "e-mail"}},
		{Name: "contact_phone", Weight: 1, Label: Text{"Telefon", "phone"}},
		{Name: "expose_url", Weight: 1, Label: Text{"Exposé", "exposé"}},
		{Name: "power_mw", Weight: 1, Label: Text{"Stromanschluss (MW)", "power (MW)"}},
		{Name: "broadband_mbps", Weight: 1, Label: Text{"Breitband", "broadband"}},
		{Name: "grz", Weight: 0.5, Label: Text{"GRZ", "site coverage (GRZ)"}},
		{Name: "max_height_m", Weight: 0.5, Label: Text{"max. Bauhöhe", "maximum height"}},
		{Name: "ownership", Weight: 1, Label: Text{"Eigentum", "ownership"}, Internal: true},
		{Name: "owner_willing", Weight: 1, Label: Text{"Verkaufsbereitschaft", "owner willing to sell"}, Internal: true},
	}
	if internal {
		return all
	}
	var out []MarketingField
	for _, f := range all {
		if !f.Internal {
			out = append(out, f)
		}
	}
	return out
}

// Completeness is the weighted share of fields filled and the fields missing, by name.
func Completeness(fields []MarketingField, filled func(name string) bool) (share float64, missing []string) {
	var sum, got float64
	for _, f := range fields {
		sum += f.Weight
		if filled(f.Name) {
			got += f.Weight
		} else {
			missing = append(missing, f.Name)
		}
	}
	if sum == 0 {
		return 1, missing
	}
	return Round(got/sum, 4), missing
}

// Freshness classes of a parcel's last confirmation.
const (
	Fresh = "fresh" // confirmed within FreshMonths
	Stale = "stale" // confirmed earlier
	Never = "never" // never confirmed
)

// DefaultFreshMonths is how recent a confirmation must be to count as fresh, unless the setting
// (monitoring_settings.fresh_months) says otherwise.
const DefaultFreshMonths = 12

// Quality is the freshness and completeness of a district or of the region.
type Quality struct {
	DistrictAGS string `json:"district_ags,omitempty"`
	Name        string `json:"name"`
	Parcels     int    `json:"parcels"`
	Fresh       int    `json:"fresh"`
	Stale       int    `json:"stale"`
	Never       int    `json:"never"`
	// FreshShare is Fresh ÷ Parcels; Completeness the mean completeness of the parcels.
	FreshShare   float64 `json:"fresh_share"`
	Completeness float64 `json:"completeness"`
	// Missing counts, per field, the parcels that lack it.
	Missing map[string]int `json:"missing"`
}

// ParcelQuality is one parcel's freshness and completeness.
type ParcelQuality struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	DistrictAGS   string   `json:"district_ags"`
	LastConfirmed *string  `json:"last_confirmed"`
	Freshness     string   `json:"freshness"`
	Completeness  float64  `json:"completeness"`
	Missing       []string `json:"missing"`
}

// QualityReport is the answer of the quality figures.
type QualityReport struct {
	FreshMonths int              `json:"fresh_months"`
	Fields      []MarketingField `json:"fields"`
	Total       Quality          `json:"total"`
	Districts   []Quality        `json:"districts"`
}

// MonitoringSettings are the region's monitoring settings: how recent a confirmation must be to
// count as fresh, and from what age (months since the last confirmation) a parcel is hidden from
// the public; nil hides none.
type MonitoringSettings struct {
	FreshMonths        int  `json:"fresh_months"`
	PublicMaxAgeMonths *int `json:"public_max_age_months"`
}

// Check refuses settings outside 1–120 months.
func (m MonitoringSettings) Check() error {
	if m.FreshMonths < 1 || m.FreshMonths > 120 {
		return apperr.New(apperr.Invalid, "fresh_months: %d: give the months a confirmation counts as fresh, 1 to 120", m.FreshMonths)
	}
	if m.PublicMaxAgeMonths != nil && (*m.PublicMaxAgeMonths < 1 || *m.PublicMaxAgeMonths > 120) {
		return apperr.New(apperr.Invalid, "public_max_age_months: %d: give 1 to 120 months, or null to show parcels however old their confirmation", *m.PublicMaxAgeMonths)
	}
	return nil
}
