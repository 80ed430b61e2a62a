// Package parcel holds the nouns of landatlas and their rules, with no I/O: the code lists of a
// parcel's attributes (domain.md "Data model in practice") with German and English labels, size
// classes and the net-area rule. The database enums in migrations/ carry the same codes; a test
// keeps the two in step.
package parcel

// Code is one value of a code list with its labels.
type Code struct {
	Value string `json:"value"`
	DE    string `json:"de"`
	EN    string `json:"en"`
}

// CodeList is an ordered list of codes, named like its database enum type.
type CodeList struct {
	Name  string `json:"name"`
	Codes []Code `json:"codes"`
}

// Values returns the codes' values in order.
func (l CodeList) Values() []string {
	v := make([]string, len(l.Codes))
	for i, c := range l.Codes {
		v[i] = c.Value
	}
	return v
}

// Has reports whether v is a value of the list.
func (l CodeList) Has(v string) bool {
	for _, c := range l.Codes {
		if c.Value == v {
			return true
		}
	}
	return false
}

// UseTypes are the types of use (Art der baulichen Nutzung, XPlanung).
func UseTypes() CodeList {
	return CodeList{"use_type", []Code{
		{"GE", "Gewerbegebiet (GE)", "Commercial area (GE)"},
		{"GI", "Industriegebiet (GI)", "Industrial area (GI)"},
		{"SO", "Sondergebiet (SO)", "Special use area (SO)"},
		{"MI", "Mischgebiet (MI)", "Mixed area (MI)"},
		{"GEe", "Eingeschränktes Gewerbegebiet (GEe)", "Restricted commercial area (GEe)"},
		{"GIe", "Eingeschränktes Industriegebiet (GIe)", "Restricted industrial area (GIe)"},
	}}
}

// PlanningStatuses are the planning law states (Planungsrecht).
func PlanningStatuses() CodeList {
	return CodeList{"planning_status", []Code{
		{"in_force", "B-Plan rechtskräftig (§ 30 BauGB)", "Binding land-use plan in force (§ 30 BauGB)"},
		{"in_preparation", "B-Plan in Aufstellung", "Binding land-use plan in preparation"},
		{"built_up_area", "Innenbereich (§ 34 BauGB)", "Inside built-up area (§ 34 BauGB)"},
		{"land_use_plan", "Nur im Flächennutzungsplan", "Only in the preparatory land-use plan (FNP)"},
		{"none", "Kein Planungsrecht", "No planning rights"},
	}}
}

// Availabilities are the availability classes (Verfügbarkeit).
func Availabilities() CodeList {
	return CodeList{"availability", []Code{
		{"now", "sofort", "now"},
		{"short_term", "kurzfristig (≤ 2 Jahre)", "short term (≤ 2 years)"},
		{"medium_term", "mittelfristig (2–5 Jahre)", "medium term (2–5 years)"},
		{"long_term", "langfristig (> 5 Jahre)", "long term (> 5 years)"},
		{"not_available", "nicht verfügbar", "not available"},
	}}
}

// Statuses are the marketing states of a parcel.
func Statuses() CodeList {
	return CodeList{"parcel_status", []Code{
		{"offered", "angeboten", "on offer"},
		{"reserved", "reserviert", "reserved"},
		{"sold", "vermarktet", "sold / let"},
		{"company_held", "betriebsgebunden", "held by a company for expansion"},
		{"withdrawn", "zurückgezogen", "withdrawn"},
	}}
}

// PotentialKinds are the kinds of potential (Potenzialart).
func PotentialKinds() CodeList {
	return CodeList{"potential_kind", []Code{
		{"infill_gap", "Baulücke", "Infill gap"},
		{"brownfield", "Brachfläche", "Brownfield"},
		{"conversion", "Konversionsfläche", "Conversion site"},
		{"reserve_bplan", "Reserve im B-Plan", "Reserve in a binding plan"},
		{"reserve_fnp", "Reserve im FNP", "Reserve in the land-use plan"},
		{"no_planning_rights", "Potenzial ohne Planrecht", "Potential without planning rights"},
	}}
}

// Ownerships are the kinds of ownership (Eigentum).
func Ownerships() CodeList {
	return CodeList{"ownership", []Code{
		{"municipal", "kommunal", "municipal"},
		{"land", "Land", "federal state"},
		{"federal", "Bund", "federal government"},
		{"development_company", "Entwicklungsgesellschaft", "development company"},
		{"private", "privat", "private"},
		{"mixed", "gemischt", "mixed"},
		{"unknown", "unbekannt", "unknown"},
	}}
}

// OwnerWillingness says whether the owner is willing to sell (Eigentümerinteresse).
func OwnerWillingness() CodeList {
	return CodeList{"owner_willing", []Code{
		{"yes", "ja", "yes"}, {"no", "nein", "no"}, {"unknown", "unbekannt", "unknown"},
	}}
}

// ServicedStates say how far a parcel is serviced (erschlossen).
func ServicedStates() CodeList {
	return CodeList{"serviced_state", []Code{
		{"full", "voll erschlossen", "fully serviced"},
		{"partial", "teilweise erschlossen", "partly serviced"},
		{"none", "nicht erschlossen", "not serviced"},
	}}
}

// Publications say who may see a record.
func Publications() CodeList {
	return CodeList{"publication", []Code{
		{"public", "öffentlich", "public"}, {"internal", "intern", "internal"},
	}}
}

// InfrastructureKinds are the kinds of infrastructure distances are measured to.
func InfrastructureKinds() CodeList {
	return CodeList{"infrastructure_kind", []Code{
		{"motorway_junction", "Autobahnanschlussstelle", "Motorway junction"},
		{"rail_freight_terminal", "Güterverkehrsterminal (Schiene)", "Rail freight terminal"},
		{"rail_station", "Bahnhof", "Rail station"},
		{"airport", "Flughafen", "Airport"},
		{"inland_port", "Binnenhafen", "Inland port"},
	}}
}

// ConstraintKinds are the kinds of constraints (Restriktionen).
func ConstraintKinds() CodeList {
	return CodeList{"constraint_kind", []Code{
		{"contamination", "Altlasten", "Contamination"},
		{"ordnance", "Kampfmittel", "Unexploded ordnance"},
		{"flood_hq100", "Überschwemmungsgebiet HQ100", "Flood zone HQ100"},
		{"flood_hqextreme", "Hochwasserrisikogebiet HQextrem", "Flood risk zone HQextreme"},
		{"nature_nsg", "Naturschutzgebiet (NSG)", "Nature reserve (NSG)"},
		{"nature_ffh", "FFH-Gebiet", "Habitats Directive site (FFH)"},
		{"nature_spa", "Vogelschutzgebiet (SPA)", "Bird protection area (SPA)"},
		{"nature_lsg", "Landschaftsschutzgebiet (LSG)", "Landscape protection area (LSG)"},
		{"water_protection", "Wasserschutzgebiet", "Water protection zone"},
		{"mining", "Bergbaufolgen", "Mining legacy / subsidence"},
		{"noise", "Lärm", "Noise"},
		{"seveso", "Seveso-Abstand", "Seveso safety distance"},
		{"monument", "Denkmal", "Listed monument"},
	}}
}

// Severities grade a constraint.
func Severities() CodeList {
	return CodeList{"severity", []Code{{"minor", "gering", "minor"}, {"severe", "schwerwiegend", "severe"}}}
}

// Roles are the account roles.
func Roles() CodeList {
	return CodeList{"account_role", []Code{
		{"admin", "Administration", "admin"}, {"planner", "Planung", "planner"}, {"editor", "Datenpflege (Kreis)", "district editor"},
	}}
}

// CodeLists returns every code list, for the API and for the check against the database enums.
func CodeLists() []CodeList {
	return []CodeList{UseTypes(), PlanningStatuses(), Availabilities(), Statuses(), PotentialKinds(), Ownerships(),
		OwnerWillingness(), ServicedStates(), Publications(), InfrastructureKinds(), ConstraintKinds(), Severities(), Roles()}
}
