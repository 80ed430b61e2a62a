package parcel

// parcelFields are the fields of a parcel. The upload ranges are those of the parcels table's
// checks, narrowed to what is plausible for industrial land: a value outside them is a unit or
// typing mistake, not a fact. Weights say what a complete marketing record needs most.
var parcelFields = []Field{
	field("id", Integer, "Flächen-ID", "Parcel id").about("Kennung der Fläche in landatlas", "landatlas's id of the parcel").
		tile().export().sheet(SheetRecord),
	field("external_id", Text, "ID des Kreises", "District's own id").about("Kennung der Fläche im GIS des Kreises", "the parcel's id in the district's GIS").
		export().sheet(SheetRecord).
		upload("kennung", "flaechen_id", "flaechennummer", "flaechen_nr", "objekt_id", "nummer", "nr", "id", "ext_id").required(),
	field("name", Text, "Bezeichnung", "Name").about("Name der Fläche", "name of the parcel").
		tile().export().weight(1).upload("bezeichnung", "flaechenname", "titel"),
	field("site_id", Integer, "Standort-ID", "Site id").about("Standort (Gewerbegebiet), zu dem die Fläche gehört", "site (business park) the parcel belongs to").
		export(),
	derived(field("site_name", Text, "Standort", "Site").about("Name des Standorts", "name of the site")).export(),
	codeField("district_ags", Districts(), "Kreis (AGS)", "District (AGS)").about("Amtlicher Gemeindeschlüssel des Kreises", "official key of the district").
		tile().export(),
	derived(field("district_name", Text, "Kreis", "District").about("Name des Kreises", "name of the district")).export(),
	field("municipality_ags", Text, "Gemeinde (AGS)", "Municipality (AGS)").about("Amtlicher Gemeindeschlüssel der Gemeinde", "official key of the municipality").
		export(),
	derived(field("municipality_name", Text, "Gemeinde", "Municipality").about("Name der Gemeinde", "name of the municipality")).export(),
	derived(codeField("land", Lands(), "Land", "Federal state").about("Bundesland", "federal state")).export().sheet(SheetRecord),
	field("net_area_ha", Number, "Fläche netto", "Net area").about("Nutzbares Bauland; ohne Angabe 0,65 × brutto", "usable building land; 0.65 × gross where not given").unit("ha", 2).
		tile().export().sheet(SheetArea),
	field("gross_area_ha", Number, "Fläche brutto", "Gross area").about("Fläche der Geometrie", "area of the geometry").unit("ha", 2).
		export().sheet(SheetArea),
	field("net_area_given_ha", Number, "Fläche netto", "Net area").about("Nettofläche nach Angabe des Kreises", "net area as the district gives it").unit("ha", 2).
		inputOnly().upload("flaeche_netto", "nettoflaeche", "netto_ha", "flaeche_netto_ha").bounds(0, 1000, true),
	field("net_area_estimated", Boolean, "Nettofläche geschätzt", "Net area estimated (0.65 × gross)").about("Die Nettofläche ist aus der Bruttofläche geschätzt", "the net area is estimated from the gross area").
		export(),
	codeField("size_class", SizeClassCodes(), "Größenklasse (ha)", "Size class (ha)").about("Größenklasse der größten zusammenhängenden Teilfläche", "size class of the largest contiguous part").
		tile().export().sheet(SheetArea),
	codeField("use_type", UseTypes(), "Art der baulichen Nutzung", "Type of use").about("Baugebiet nach BauNVO (XPlanung)", "type of building area (BauNVO, XPlanung)").
		tile().export().sheet(SheetArea).weight(2).
		upload("nutzungsart", "art_der_nutzung", "art_nutzung", "baugebiet", "gebietsart", "nutzung").required(),
	codeField("planning_status", PlanningStatuses(), "Planungsrecht", "Planning status").about("Stand des Planungsrechts", "state of the planning law").
		tile().export().sheet(SheetArea).weight(2).
		upload("planungsrecht", "planungsstand", "rechtsstand", "planrecht").required(),
	codeField("availability", Availabilities(), "Verfügbarkeit", "Availability").about("Wann die Fläche bebaut werden kann", "when the parcel can be built on").
		tile().export().sheet(SheetMarket).weight(2).
		upload("verfuegbarkeit", "verfuegbarkeit_klasse").required(),
	field("available_from", Date, "Verfügbar ab", "Available from").about("Datum, ab dem die Fläche verfügbar ist", "date the parcel is available from").
		export().sheet(SheetMarket).weight(1).upload("verfuegbar_ab", "verf_ab", "verfuegbar_seit"),
	codeField("status", Statuses(), "Status", "Status").about("Stand der Vermarktung", "state of marketing").
		tile().export().sheet(SheetMarket).
		upload("vermarktungsstatus", "vermarktung", "vermarktungsstand").required(),
	codeField("potential_kind", PotentialKinds(), "Potenzialart", "Kind of potential").about("Art des Flächenpotenzials", "kind of land potential").
		export().sheet(SheetArea).
		upload("potenzialart", "potentialart", "art_des_potenzials", "potenzial").required(),
	field("greenfield", Boolean, "Grüne Wiese", "Greenfield").about("Bisher unbebaute Fläche", "land not built on before").
		export().sheet(SheetArea).upload("gruene_wiese", "gruenland"),
	codeField("ownership", Ownerships(), "Eigentum", "Ownership").about("Wem die Fläche gehört", "who owns the parcel").
		internal().export().sheet(SheetInternal).
		upload("eigentum", "eigentuemer", "eigentumsverhaeltnis").defaults("unknown"),
	codeField("owner_willing", OwnerWillingness(), "Eigentümerinteresse", "Owner willing to sell").about("Ob der Eigentümer verkaufen will", "whether the owner is willing to sell").
		internal().export().sheet(SheetInternal).
		upload("eigentuemerinteresse", "verkaufsbereitschaft", "verkaufsbereit").defaults("unknown"),
	field("price_min_eur_m2", Number, "Preis ab", "Price from").about("Untere Grenze des Kaufpreises", "lower end of the price").unit("EUR/m²", 2).
		export().sheet(SheetMarket).weight(2).upload("preis_min", "preis_von", "preis_ab", "kaufpreis_min").bounds(0, 10000, false),
	field("price_max_eur_m2", Number, "Preis bis", "Price up to").about("Obere Grenze des Kaufpreises", "upper end of the price").unit("EUR/m²", 2).
		export().sheet(SheetMarket).weight(1).upload("preis_max", "preis_bis", "kaufpreis_max").bounds(0, 10000, false),
	codeField("serviced", ServicedStates(), "Erschließung", "Serviced").about("Wie weit die Fläche erschlossen ist", "how far the parcel is serviced").
		export().sheet(SheetUtilities).weight(1).
		upload("erschlossen", "erschliessung", "erschliessungsstand").defaults("none"),
	field("power_mw", Number, "Stromanschluss", "Power").about("Verfügbare elektrische Anschlussleistung", "electrical connection capacity available").unit("MW", 1).
		export().sheet(SheetUtilities).weight(1).upload("strom_mw", "stromanschluss", "leistung_mw").bounds(0, 2000, false),
	field("broadband_mbps", Integer, "Breitband", "Broadband").about("Verfügbare Bandbreite", "bandwidth available").unit("Mbit/s", 0).
		sheet(SheetUtilities).weight(1).upload("breitband", "breitband_mbit", "internet_mbit").bounds(0, 100000, false),
	flagField("rail_siding", "Gleisanschluss", "Rail siding", "Anschluss an das Schienennetz auf der Fläche", "connection to the rail network on the parcel",
		"gleisanschluss", "gleis").export(),
	flagField("hydrogen", "Wasserstoffanschluss", "Hydrogen access", "Anschluss an das geplante Wasserstoffnetz", "access to the planned hydrogen network",
		"wasserstoff", "h2").export(),
	flagField("gas", "Gasanschluss", "Gas", "Erdgasanschluss", "natural gas connection", "gasanschluss"),
	flagField("water", "Wasseranschluss", "Water", "Trinkwasseranschluss", "drinking water connection", "wasser", "trinkwasser"),
	flagField("process_water", "Brauchwasser", "Process water", "Brauch- oder Prozesswasser", "process water", "brauchwasser", "prozesswasser"),
	flagField("waste_water", "Abwasseranschluss", "Waste water", "Anschluss an die Abwasserentsorgung", "waste water disposal", "abwasser"),
	flagField("district_heat", "Fernwärme", "District heat", "Anschluss an ein Fernwärmenetz", "district heating connection", "fernwaerme"),
	flagField("operation_24h", "24/7-Betrieb zulässig", "24-hour operation allowed",
		"Betrieb rund um die Uhr ist planungsrechtlich zulässig (auch nachts)", "operation around the clock is allowed by the plan (at night too)",
		"24h", "betrieb_24h", "24h_betrieb", "nachtbetrieb", "24_7", "rund_um_die_uhr").tile().export().weight(1),
	field("grz", Number, "GRZ", "Site coverage ratio (GRZ)").about("Grundflächenzahl", "share of the plot that may be built over").unit("", 2).
		sheet(SheetArea).weight(0.5).upload("grundflaechenzahl").bounds(0, 1, true),
	field("gfz", Number, "GFZ", "Floor area ratio (GFZ)").about("Geschossflächenzahl", "floor area per plot area").unit("", 2).
		sheet(SheetArea).weight(0.5).upload("geschossflaechenzahl").bounds(0, 20, true),
	field("bmz", Number, "BMZ", "Building volume ratio (BMZ)").about("Baumassenzahl", "building volume per plot area").unit("", 2).
		sheet(SheetArea).upload("baumassenzahl").bounds(0, 30, true),
	field("max_height_m", Number, "Maximale Höhe", "Maximum height").about("Größte zulässige Gebäudehöhe", "greatest building height allowed").unit("m", 1).
		sheet(SheetArea).weight(0.5).upload("max_hoehe", "hoehe_max", "bauhoehe").bounds(0, 300, true),
	field("noise_day_db", Number, "Lärmkontingent Tag", "Noise contingent day").about("Emissionskontingent am Tag", "noise emission contingent by day").unit("dB(A)", 1).
		sheet(SheetArea).upload("laerm_tag", "lek_tag", "laermkontingent_tag").bounds(0, 100, false),
	field("noise_night_db", Number, "Lärmkontingent Nacht", "Noise contingent night").about("Emissionskontingent in der Nacht", "noise emission contingent at night").unit("dB(A)", 1).
		sheet(SheetArea).upload("laerm_nacht", "lek_nacht", "laermkontingent_nacht").bounds(0, 100, false),
	field("description", Text, "Beschreibung", "Description").about("Öffentliche Beschreibung der Fläche", "public description of the parcel").
		weight(2).upload("beschreibung"),
	field("description_en", Text, "Beschreibung (englisch)", "Description in English").about("Öffentliche Beschreibung auf Englisch, wo der Kreis eine gibt", "public description in English, where the district gives one").
		upload("beschreibung_en", "beschreibung_englisch", "description_english"),
	field("remarks", Text, "Interne Bemerkungen", "Internal remarks").about("Bemerkungen nur für die Verwaltung", "remarks for the authorities only").
		internal().sheet(SheetInternal).upload("bemerkung", "bemerkungen", "anmerkung"),
	field("contact_name", Text, "Ansprechpartner", "Contact").about("Wer Auskunft gibt", "who answers enquiries").
		sheet(SheetContact).weight(2).upload("ansprechpartner", "kontakt"),
	field("contact_email", Text, "E-Mail", "Contact e-mail").about("E-Mail-Adresse des Ansprechpartners", "e-mail address of the contact").
		sheet(SheetContact).weight(2).upload("email", "e_mail", "kontakt_email"),
	field("contact_phone", Text, "Telefon", "Contact phone").about("Telefonnummer des Ansprechpartners", "phone number of the contact").
		sheet(SheetContact).weight(1).upload("telefon", "tel"),
	field("expose_url", Text, "Exposé", "Exposé").about("Link zum Exposé", "link to the exposé").url().
		sheet(SheetContact).weight(1).upload("expose", "link", "url"),
	codeField("publication", Publications(), "Veröffentlichung", "Publication").about("Wer den Datensatz sehen darf", "who may see the record").
		internal().tile().export().sheet(SheetInternal).
		upload("veroeffentlichung", "oeffentlich", "sichtbarkeit").defaults("internal"),
	field("source", Text, "Quelle", "Source").about("Herkunft der Daten", "where the data come from").
		internal().sheet(SheetInternal).upload("quelle", "datenquelle"),
	field("last_confirmed", Date, "Zuletzt bestätigt", "Last confirmed").about("Wann der Kreis den Datensatz zuletzt bestätigt hat", "when the district last confirmed the record").
		export().sheet(SheetRecord).weight(1).upload("bestaetigt_am", "zuletzt_bestaetigt", "stand", "aktualitaet"),
	field("dist_motorway_km", Number, "Entfernung Autobahnanschluss", "Distance to motorway junction").about("Luftlinie zur nächsten Anschlussstelle", "straight-line distance to the nearest junction").unit("km", 1).
		column("dist_motorway_m").export().sheet(SheetLocation),
	field("dist_rail_terminal_km", Number, "Entfernung Güterterminal", "Distance to rail freight terminal").about("Luftlinie zum nächsten Güterterminal", "straight-line distance to the nearest freight terminal").unit("km", 1).
		column("dist_rail_terminal_m").export().sheet(SheetLocation),
	field("dist_airport_km", Number, "Entfernung Flughafen", "Distance to Leipzig/Halle airport").about("Luftlinie zum Flughafen Leipzig/Halle", "straight-line distance to Leipzig/Halle airport").unit("km", 1).
		column("dist_airport_m").export().sheet(SheetLocation),
	field("dist_port_km", Number, "Entfernung Binnenhafen", "Distance to inland port").about("Luftlinie zum nächsten Binnenhafen", "straight-line distance to the nearest inland port").unit("km", 1).
		column("dist_port_m").export().sheet(SheetLocation),
	field("valid_from", Timestamp, "Stand seit", "State valid from").about("Seit wann dieser Stand gilt", "since when this state holds").
		export().sheet(SheetRecord),
	field("ended_at", Timestamp, "Beendet am", "Ended at").about("Wann der Datensatz beendet wurde", "when the record was ended").
		internal().sheet(SheetInternal),
	field("changed_by", Text, "Geändert von", "Changed by").about("Wer diesen Stand geschrieben hat", "who wrote this state").
		internal().sheet(SheetInternal),
}

// siteFields are the fields of a site (Standort). Sites are not uploaded: they are the districts'
// business parks, loaded with the reference data.
var siteFields = []Field{
	field("id", Integer, "Standort-ID", "Site id").about("Kennung des Standorts in landatlas", "landatlas's id of the site").tile(),
	field("external_id", Text, "ID des Kreises", "District's own id").about("Kennung des Standorts im GIS des Kreises", "the site's id in the district's GIS"),
	field("name", Text, "Bezeichnung", "Name").about("Name des Standorts", "name of the site").tile(),
	field("description", Text, "Beschreibung", "Description").about("Beschreibung des Standorts", "description of the site"),
	codeField("district_ags", Districts(), "Kreis (AGS)", "District (AGS)").about("Amtlicher Gemeindeschlüssel des Kreises", "official key of the district").tile(),
	derived(field("district_name", Text, "Kreis", "District").about("Name des Kreises", "name of the district")),
	field("municipality_ags", Text, "Gemeinde (AGS)", "Municipality (AGS)").about("Amtlicher Gemeindeschlüssel der Gemeinde", "official key of the municipality"),
	derived(field("municipality_name", Text, "Gemeinde", "Municipality").about("Name der Gemeinde", "name of the municipality")),
	derived(codeField("land", Lands(), "Land", "Federal state").about("Bundesland", "federal state")),
	field("strategic_reserve", Boolean, "Jokerfläche", "Strategic reserve (Jokerfläche)").about("Für Großansiedlungen zurückgehaltene Reserve", "reserve held back for large settlements").internal(),
	field("gross_area_ha", Number, "Fläche brutto", "Gross area").about("Fläche der Geometrie", "area of the geometry").unit("ha", 2).tile(),
	derived(codeField("size_class", SizeClassCodes(), "Größenklasse (ha)", "Size class (ha)").about("Größenklasse der größten zusammenhängenden Teilfläche", "size class of the largest contiguous part")).tile(),
	derived(field("parcels", Integer, "Flächen", "Parcels").about("Zahl der aktuellen Flächen", "number of current parcels")),
	derived(field("net_offered_ha", Number, "Angebotene Nettofläche", "Net area on offer").about("Nettofläche der angebotenen Flächen", "net area of the parcels on offer").unit("ha", 2)).tile(),
	codeField("publication", Publications(), "Veröffentlichung", "Publication").about("Wer den Datensatz sehen darf", "who may see the record").internal().tile(),
	field("source", Text, "Quelle", "Source").about("Herkunft der Daten", "where the data come from").internal(),
	field("valid_from", Timestamp, "Erfasst seit", "Recorded since").about("Seit wann der Standort erfasst ist", "since when the site is recorded"),
	field("ended_at", Timestamp, "Beendet am", "Ended at").about("Wann der Standort beendet wurde", "when the site was ended").internal(),
}
