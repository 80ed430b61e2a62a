// Package upload holds the rules of district uploads, with no I/O: the canonical fields a
// district's file may carry (named like the parcels columns), their German aliases, the code
// values each field accepts, the saved per-district mapping, the validation rules with their
// messages in German and English, the choice of the coordinate reference system and the shapes of
// the report and the change preview. The importer reads files into it; the store checks geometry
// and publishes what it accepted.
package upload

import (
	"slices"

	"landatlas/internal/parcel"
)

// Kind is the type of a field's values.
type Kind int

// The kinds of field values.
const (
	Text Kind = iota
	Code
	Number
	Integer
	Bool
	Date
)

// Field is one attribute a district's file may carry. Name is the parcels column it fills.
type Field struct {
	Name     string
	Kind     Kind
	Codes    parcel.CodeList // the allowed values of a Code field
	Required bool
	// Aliases are further column names districts use, German first; matching ignores case,
	// umlauts written as ae/oe/ue and punctuation.
	Aliases []string
	// Min and Max bound a number (inclusive unless MinOpen); Max 0 means no upper bound.
	Min, Max float64
	MinOpen  bool
	DE, EN   string
}

// Fields returns every field of an upload, in the order reports list them. The required ones are
// those a parcel cannot be published without and that landatlas cannot derive.
func Fields() []Field {
	return fields
}

// FieldByName finds a field by its canonical name.
func FieldByName(name string) (Field, bool) {
	i := slices.IndexFunc(fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return fields[i], true
}

// Columns returns the parcels columns an upload writes besides external_id, district, municipality
// and geometry: the column list of the store's INSERT and UPDATE, taken from this catalogue only.
func Columns() []string {
	var cols []string
	for _, f := range fields {
		if f.Name != "external_id" {
			cols = append(cols, f.Name)
		}
	}
	return cols
}

func text(name, de, en string, aliases ...string) Field {
	return Field{Name: name, Kind: Text, DE: de, EN: en, Aliases: aliases}
}

func code(name string, list parcel.CodeList, required bool, de, en string, aliases ...string) Field {
	return Field{Name: name, Kind: Code, Codes: list, Required: required, DE: de, EN: en, Aliases: aliases}
}

func number(name string, min, max float64, minOpen bool, de, en string, aliases ...string) Field {
	return Field{Name: name, Kind: Number, Min: min, Max: max, MinOpen: minOpen, DE: de, EN: en, Aliases: aliases}
}

func flag(name, de, en string, aliases ...string) Field {
	return Field{Name: name, Kind: Bool, DE: de, EN: en, Aliases: aliases}
}

func date(name, de, en string, aliases ...string) Field {
	return Field{Name: name, Kind: Date, DE: de, EN: en, Aliases: aliases}
}

// The ranges are those of the parcels table's checks, narrowed to what is plausible for
// industrial land: a value outside them is a unit or typing mistake, not a fact.
var fields = []Field{
	{Name: "external_id", Kind: Text, Required: true, DE: "Kennung", EN: "External id",
		Aliases: []string{"kennung", "flaechen_id", "flaechennummer", "flaechen_nr", "objekt_id", "nummer", "nr", "id", "ext_id"}},
	text("name", "Bezeichnung", "Name", "bezeichnung", "flaechenname", "titel"),
	code("use_type", parcel.UseTypes(), true, "Nutzungsart", "Type of use",
		"nutzungsart", "art_der_nutzung", "art_nutzung", "baugebiet", "gebietsart", "nutzung"),
	code("planning_status", parcel.PlanningStatuses(), true, "Planungsrecht", "Planning status",
		"planungsrecht", "planungsstand", "rechtsstand", "planrecht"),
	code("availability", parcel.Availabilities(), true, "Verfügbarkeit", "Availability",
		"verfuegbarkeit", "verfuegbarkeit_klasse"),
	date("available_from", "Verfügbar ab", "Available from", "verfuegbar_ab", "verf_ab", "verfuegbar_seit"),
	code("status", parcel.Statuses(), true, "Status", "Status", "vermarktungsstatus", "vermarktung", "vermarktungsstand"),
	code("potential_kind", parcel.PotentialKinds(), true, "Potenzialart", "Kind of potential",
		"potenzialart", "potentialart", "art_des_potenzials", "potenzial"),
	flag("greenfield", "Grüne Wiese", "Greenfield", "gruene_wiese", "gruenland"),
	code("ownership", parcel.Ownerships(), false, "Eigentum", "Ownership", "eigentum", "eigentuemer", "eigentumsverhaeltnis"),
	code("owner_willing", parcel.OwnerWillingness(), false, "Eigentümerinteresse", "Owner willing to sell",
		"eigentuemerinteresse", "verkaufsbereitschaft", "verkaufsbereit"),
	number("price_min_eur_m2", 0, 10000, false, "Preis ab (€/m²)", "Price from (€/m²)", "preis_min", "preis_von", "preis_ab", "kaufpreis_min"),
	number("price_max_eur_m2", 0, 10000, false, "Preis bis (€/m²)", "Price up to (€/m²)", "preis_max", "preis_bis", "kaufpreis_max"),
	code("serviced", parcel.ServicedStates(), false, "Erschließung", "Serviced", "erschlossen", "erschliessung", "erschliessungsstand"),
	number("power_mw", 0, 2000, false, "Stromanschluss (MW)", "Power (MW)", "strom_mw", "stromanschluss", "leistung_mw"),
	flag("gas", "Gas", "Gas", "gasanschluss"),
	flag("hydrogen", "Wasserstoff", "Hydrogen", "wasserstoff", "h2"),
	flag("water", "Wasser", "Water", "wasser", "trinkwasser"),
	flag("process_water", "Brauchwasser", "Process water", "brauchwasser", "prozesswasser"),
	flag("waste_water", "Abwasser", "Waste water", "abwasser"),
	flag("district_heat", "Fernwärme", "District heat", "fernwaerme"),
	{Name: "broadband_mbps", Kind: Integer, Min: 0, Max: 100000, DE: "Breitband (Mbit/s)", EN: "Broadband (Mbit/s)",
		Aliases: []string{"breitband", "breitband_mbit", "internet_mbit"}},
	flag("rail_siding", "Gleisanschluss", "Rail siding", "gleisanschluss", "gleis"),
	number("grz", 0, 1, true, "GRZ", "Site coverage ratio (GRZ)", "grundflaechenzahl"),
	number("gfz", 0, 20, true, "GFZ", "Floor area ratio (GFZ)", "geschossflaechenzahl"),
	number("bmz", 0, 30, true, "BMZ", "Building volume ratio (BMZ)", "baumassenzahl"),
	number("max_height_m", 0, 300, true, "Maximale Höhe (m)", "Maximum height (m)", "max_hoehe", "hoehe_max", "bauhoehe"),
	number("noise_day_db", 0, 100, false, "Lärmkontingent Tag (dB(A))", "Noise contingent day (dB(A))", "laerm_tag", "lek_tag", "laermkontingent_tag"),
	number("noise_night_db", 0, 100, false, "Lärmkontingent Nacht (dB(A))", "Noise contingent night (dB(A))", "laerm_nacht", "lek_nacht", "laermkontingent_nacht"),
	text("description", "Beschreibung", "Description", "beschreibung"),
	text("description_en", "Beschreibung (englisch)", "Description (English)", "beschreibung_en", "beschreibung_englisch", "description_english"),
	text("remarks", "Interne Bemerkungen", "Internal remarks", "bemerkung", "bemerkungen", "anmerkung"),
	text("contact_name", "Ansprechpartner", "Contact", "ansprechpartner", "kontakt"),
	text("contact_email", "E-Mail", "Contact e-mail", "email", "e_mail", "kontakt_email"),
	text("contact_phone", "Telefon", "Contact phone", "telefon", "tel"),
	text("expose_url", "Exposé", "Exposé", "expose", "link", "url"),
	code("publication", parcel.Publications(), false, "Veröffentlichung", "Publication", "veroeffentlichung", "oeffentlich", "sichtbarkeit"),
	text("source", "Quelle", "Source", "quelle", "datenquelle"),
	date("last_confirmed", "Zuletzt bestätigt", "Last confirmed", "bestaetigt_am", "zuletzt_bestaetigt", "stand", "aktualitaet"),
	number("net_area_given_ha", 0, 1000, true, "Fläche netto (ha)", "Net area (ha)", "flaeche_netto", "nettoflaeche", "netto_ha", "flaeche_netto_ha"),
}

// computedColumns are columns a GIS export often carries that landatlas computes itself or that
// are the GIS's own bookkeeping: they are reported as ignored, with the reason, not as unknown.
var computedColumns = map[string]string{
	"flaeche_brutto": "gross", "bruttoflaeche": "gross", "flaeche": "gross", "flaeche_ha": "gross", "gross_area_ha": "gross",
	"shape_area": "gis", "shape_leng": "gis", "shape_length": "gis", "objectid": "gis", "fid": "gis", "ogc_fid": "gis", "gml_id": "gis",
	"net_area_ha": "gross", "size_class": "gross", "gemeinde": "municipality", "gemeinde_ags": "municipality", "municipality_ags": "municipality",
	"kreis": "district", "district_ags": "district",
	"extrude": "kml", "tessellate": "kml", "visibility": "kml", "altitudemode": "kml", "draworder": "kml", "icon": "kml",
	"timestamp": "kml", "begin": "kml", "end": "kml", "snippet": "kml",
}
