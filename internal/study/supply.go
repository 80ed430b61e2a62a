package study

import (
	"slices"
	"strings"

	"landatlas/internal/apperr"
	"landatlas/internal/parcel"
)

// Grouping is a dimension the supply can be grouped by. Property names the catalog property that
// holds a group's key; LabelProperty the one holding its name when the key is not a code.
type Grouping struct {
	Name          string
	Title         Text
	Property      string
	LabelProperty string
	Codes         parcel.CodeList
}

// Label returns the German and English name of a key of the grouping; codes are labelled from
// their code list, other keys (districts, municipalities) by the store.
func (g Grouping) Label(key string) Text {
	for _, c := range g.Codes.Codes {
		if c.Value == key {
			return Text{DE: c.DE, EN: c.EN}
		}
	}
	return Text{DE: key, EN: key}
}

// Groupings returns every dimension of the supply, in the order of the issue.
func Groupings() []Grouping {
	return []Grouping{
		{Name: "district", Title: Text{"Kreis", "district"}, Property: "district_ags", LabelProperty: "district_name"},
		{Name: "municipality", Title: Text{"Gemeinde", "municipality"}, Property: "municipality_ags", LabelProperty: "municipality_name"},
		{Name: "land", Title: Text{"Land", "federal state"}, Property: "land", Codes: landCodes()},
		{Name: "use_type", Title: Text{"Nutzungsart", "type of use"}, Property: "use_type", Codes: parcel.UseTypes()},
		{Name: "planning_status", Title: Text{"Planungsrecht", "planning status"}, Property: "planning_status", Codes: parcel.PlanningStatuses()},
		{Name: "availability", Title: Text{"Verfügbarkeit", "availability"}, Property: "availability", Codes: parcel.Availabilities()},
		{Name: "status", Title: Text{"Status", "status"}, Property: "status", Codes: parcel.Statuses()},
		{Name: "potential_kind", Title: Text{"Potenzialart", "kind of potential"}, Property: "potential_kind", Codes: parcel.PotentialKinds()},
		{Name: "ownership", Title: Text{"Eigentum", "ownership"}, Property: "ownership", Codes: parcel.Ownerships()},
		{Name: "size_class", Title: Text{"Größenklasse", "size class"}, Property: "size_class", Codes: SizeClassCodes()},
		{Name: "serviced", Title: Text{"Erschließung", "serviced"}, Property: "serviced", Codes: parcel.ServicedStates()},
	}
}

// MaxGroupings is how many dimensions one supply answer groups by at once.
const MaxGroupings = 3

// ParseGroupBy reads group_by ("district,size_class"): known names, each once, at most MaxGroupings.
func ParseGroupBy(v string) ([]Grouping, error) {
	var out []Grouping
	for _, name := range splitList(v) {
		i := slices.IndexFunc(Groupings(), func(g Grouping) bool { return g.Name == name })
		if i < 0 {
			var names []string
			for _, g := range Groupings() {
				names = append(names, g.Name)
			}
			return nil, apperr.New(apperr.Invalid, "group_by: %q is not a grouping: use any of %s", name, strings.Join(names, ", "))
		}
		out = append(out, Groupings()[i])
	}
	if len(out) > MaxGroupings {
		return nil, apperr.New(apperr.Invalid, "group_by: at most %d groupings at once", MaxGroupings)
	}
	return out, nil
}

func landCodes() parcel.CodeList {
	return parcel.CodeList{Name: "land", Codes: []parcel.Code{
		{Value: "Sachsen", DE: "Sachsen", EN: "Saxony"},
		{Value: "Sachsen-Anhalt", DE: "Sachsen-Anhalt", EN: "Saxony-Anhalt"},
		{Value: "Thüringen", DE: "Thüringen", EN: "Thuringia"},
	}}
}

// SizeClassCodes is the code list of the size classes with the names readers see (SizeClassName).
func SizeClassCodes() parcel.CodeList {
	l := parcel.CodeList{Name: "size_class"}
	for _, c := range parcel.SizeClasses() {
		l.Codes = append(l.Codes, parcel.Code{Value: c.Label, DE: SizeClassName(c, "de"), EN: SizeClassName(c, "en")})
	}
	return l
}

// SizeClassName is how a reader sees a size class: "< 0,5 ha", "0,5–1 ha", "≥ 100 ha" in German,
// with the decimal point in English.
func SizeClassName(c parcel.SizeClass, lang string) string {
	n := func(v float64) string {
		if v == float64(int(v)) {
			return FormatNumber(v, 0, lang)
		}
		return FormatNumber(v, 1, lang)
	}
	switch {
	case c.Min == 0:
		return "< " + n(c.Max) + " ha"
	case c.Max == 0:
		return "≥ " + n(c.Min) + " ha"
	}
	return n(c.Min) + "–" + n(c.Max) + " ha"
}

// The share of a supply a planner reports, each as net hectares and as part of the group's net area.
const (
	ShareBuildingRights  = "building_rights"   // binding land-use plan in force
	ShareRestrictedMinor = "restricted_minor"  // a minor constraint, no severe one
	ShareRestrictedSever = "restricted_severe" // at least one severe constraint
	ShareBrownfield      = "brownfield"        // not greenfield
	SharePubliclyOwned   = "publicly_owned"    // internal readers only: ownership is internal
	ShareMarketable      = "marketable"        // see MarketableRule
	ShareNearMotorway    = "near_motorway"     // within the given distance of a motorway junction
)

// Shares lists the shares a reader gets: the public none based on internal fields.
func Shares(internal bool) []string {
	s := []string{ShareBuildingRights, ShareRestrictedMinor, ShareRestrictedSever, ShareBrownfield, ShareMarketable, ShareNearMotorway}
	if internal {
		s = slices.Insert(s, 4, SharePubliclyOwned)
	}
	return s
}

// PublicOwnerships are the ownerships counted as publicly owned. Development companies count:
// in the region they are owned by municipalities or a Land.
var PublicOwnerships = []string{"municipal", "land", "federal", "development_company"}

// MarketableAvailabilities are the availabilities of the marketable reserve: now and within two years.
var MarketableAvailabilities = []string{"now", "short_term"}

// MarketableRule says how the marketable reserve is counted for a reader. domain.md counts parcels
// on offer, available now or within two years, without a severe constraint, whose owner is willing
// to sell. Whether an owner is willing is internal (the public may not even filter by it), and a
// figure that applied it would give it away parcel by parcel through small scopes and filters. So
// the public's marketable reserve leaves that one condition out, and every answer says which rule
// it used.
func MarketableRule(internal bool) Text {
	if internal {
		return Text{
			DE: "angeboten, sofort oder kurzfristig verfügbar, ohne schwerwiegende Restriktion, Eigentümer verkaufsbereit",
			EN: "on offer, available now or within two years, no severe constraint, owner willing to sell",
		}
	}
	return Text{
		DE: "angeboten, sofort oder kurzfristig verfügbar, ohne schwerwiegende Restriktion (die Verkaufsbereitschaft der Eigentümer ist intern und nicht berücksichtigt)",
		EN: "on offer, available now or within two years, no severe constraint (owner willingness is internal and not applied)",
	}
}

// Supply is the answer of the supply study: the totals of the selection and its groups.
type Supply struct {
	GroupBy        []string      `json:"group_by"`
	MinSiteHa      float64       `json:"min_site_ha"`
	MotorwayKm     float64       `json:"motorway_km"`
	MarketableRule Text          `json:"marketable_rule"`
	Total          SupplyGroup   `json:"total"`
	Groups         []SupplyGroup `json:"groups"`
}

// SupplyGroup holds the figures of one group (or of the total, without Key).
type SupplyGroup struct {
	Key     map[string]string `json:"key,omitempty"`
	Label   map[string]Text   `json:"label,omitempty"`
	Parcels int               `json:"parcels"`
	GrossHa float64           `json:"gross_ha"`
	NetHa   float64           `json:"net_ha"`
	// Reserve is the part on offer.
	Reserve Figure `json:"reserve"`
	// Sites counts the sites with parcels in the group, AtLeastMin those of at least MinSiteHa gross.
	Sites      SiteFigure       `json:"sites"`
	AtLeastMin SiteFigure       `json:"sites_at_least_min"`
	Shares     map[string]Share `json:"shares"`
	// ParcelsFilter is the CQL2 text filter selecting the group's parcels; the links list them.
	ParcelsFilter string `json:"parcels_filter"`
	ParcelsHref   string `json:"parcels_href,omitempty"`
	ItemsHref     string `json:"items_href,omitempty"`
}

// Figure is a count of parcels and their net area.
type Figure struct {
	Parcels int     `json:"parcels"`
	NetHa   float64 `json:"net_ha"`
}

// SiteFigure is a count of sites and their gross area.
type SiteFigure struct {
	Count   int     `json:"count"`
	GrossHa float64 `json:"gross_ha"`
}

// Share is part of a group's net area, in hectares and as a fraction of the group's net area.
type Share struct {
	NetHa float64 `json:"net_ha"`
	Share float64 `json:"share"`
}

// NewShare rounds a share of total.
func NewShare(ha, total float64) Share {
	s := Share{NetHa: Round(ha, 4)}
	if total > 0 {
		s.Share = Round(ha/total, 4)
	}
	return s
}

// ParcelsFilter writes the CQL2 text filter that selects the parcels behind a figure: the scope,
// the request's filter and the group's keys (property, value pairs in grouping order).
func ParcelsFilter(scope Scope, filter string, keys [][2]string) string {
	var areas, parts []string
	in := func(prop string, values []string) {
		if len(values) > 0 {
			quoted := make([]string, len(values))
			for i, v := range values {
				quoted[i] = cqlString(v)
			}
			areas = append(areas, prop+" IN ("+strings.Join(quoted, ", ")+")")
		}
	}
	in("land", scope.Lands)
	in("district_ags", scope.Districts)
	in("municipality_ags", scope.Municipalities)
	switch len(areas) {
	case 0:
	case 1:
		parts = areas
	default:
		parts = []string{"(" + strings.Join(areas, " OR ") + ")"}
	}
	if scope.Polygon != "" {
		parts = append(parts, "S_INTERSECTS(geometry, "+scope.Polygon+")")
	}
	if filter != "" {
		parts = append(parts, "("+filter+")")
	}
	for _, k := range keys {
		parts = append(parts, k[0]+" = "+cqlString(k[1]))
	}
	return strings.Join(parts, " AND ")
}

func cqlString(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }
