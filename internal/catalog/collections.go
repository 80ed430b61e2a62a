package catalog

import (
	"landatlas/internal/cql2"
	"landatlas/internal/parcel"
	"landatlas/internal/region"
)

func str(name, sql, en, de string) Property {
	return Property{Name: name, SQL: sql, Type: cql2.String, Title: en, TitleDE: de}
}

func num(name, sql, unit, en, de string) Property {
	return Property{Name: name, SQL: sql, Type: cql2.Number, Unit: unit, Title: en, TitleDE: de}
}

func boolean(name, sql, en, de string) Property {
	return Property{Name: name, SQL: sql, Type: cql2.Boolean, Title: en, TitleDE: de}
}

func code(name, sql string, list parcel.CodeList, en, de string) Property {
	return Property{Name: name, SQL: sql, Type: cql2.String, Enum: list.Values(), Title: en, TitleDE: de}
}

func internal(p Property) Property { p.Internal = true; return p }
func tile(p Property) Property     { p.Tile = true; return p }

// bkg is the attribution the licence of the VG250 boundaries asks for (geodata/README.md).
const bkg = "© GeoBasis-DE / BKG"

// demoSource holds for the rows `landatlas seed --demo` wrote: their source says they are synthetic.
const demoSource = "t.source LIKE 'synthetic demo data%'"

// districtLabel tells the two Leipzigs apart, as people do.
const districtLabel = "CASE WHEN d.ags = '14729' THEN 'Landkreis Leipzig' ELSE d.name END"

func parcels() Collection {
	return Collection{
		ID:          "parcels",
		Title:       "Parcels (Flächen)",
		Description: "Industrial and commercial land parcels of the nine districts, with planning status, availability, utilities and distances.",
		// LEFT JOINs although every parcel has its district and municipality (NOT NULL foreign
		// keys): PostgreSQL drops a LEFT JOIN that a query does not use, an inner one it must run.
		From: "{{rows}} LEFT JOIN districts d ON d.ags = t.district_ags LEFT JOIN municipalities m ON m.ags = t.municipality_ags " +
			"LEFT JOIN sites s ON s.id = t.site_id",
		Table:  "parcels",
		AtTime: "parcels_at(%s)",
		// A state counts when the parcel existed in it: from valid_from until the next state or
		// the parcel's end, whichever is first (the state that records the end is not one).
		During: "(SELECT DISTINCT ON (v.id) v.* FROM parcel_versions v WHERE v.valid_from <= %[2]s " +
			"AND (v.valid_to IS NULL OR v.valid_to > %[1]s) " +
			"AND (v.ended_at IS NULL OR (v.ended_at > %[1]s AND v.ended_at > v.valid_from)) " +
			"ORDER BY v.id, v.valid_from DESC)",
		Versions:     "parcel_versions",
		Current:      "t.ended_at IS NULL",
		Public:       "t.publication = 'public'",
		PublicAtTime: "t.publication = 'public' AND EXISTS (SELECT 1 FROM parcels cur WHERE cur.id = t.id AND cur.publication = 'public')",
		IDColumn:     "t.id",
		IDType:       cql2.Integer,
		Geom:         "t.geom",
		GeomType:     "MultiPolygon",
		Temporal:     "valid_from",
		DataVersions: []string{"parcels", "sites", "districts", "municipalities"},
		Synthetic:    demoSource,
		// A parcel of 1 ha is 2 × 2 pixels at zoom 11: below 12 parcels are points.
		TilePointsBelow: 12,
		Properties: []Property{
			tile(Property{Name: "id", SQL: "t.id", Type: cql2.Integer, Title: "Parcel id", TitleDE: "Flächen-ID"}),
			str("external_id", "t.external_id", "District's own id", "ID des Kreises"),
			tile(str("name", "t.name", "Name", "Bezeichnung")),
			// A parcel names its site only to readers who may see the site.
			{Name: "site_id", SQL: "(SELECT p.id FROM sites p WHERE p.id = t.site_id AND {{visible}})", Type: cql2.Integer, Title: "Site id", TitleDE: "Standort-ID"},
			str("site_name", "(SELECT p.name FROM sites p WHERE p.id = t.site_id AND {{visible}})", "Site", "Standort"),
			tile(code("district_ags", "t.district_ags::text", districtCodes(), "District (AGS)", "Kreis (AGS)")),
			str("district_name", districtLabel, "District", "Kreis"),
			str("municipality_ags", "t.municipality_ags::text", "Municipality (AGS)", "Gemeinde (AGS)"),
			str("municipality_name", "m.name", "Municipality", "Gemeinde"),
			code("land", "d.land", landCodes(), "Federal state", "Land"),
			tile(code("use_type", "t.use_type::text", parcel.UseTypes(), "Type of use", "Art der baulichen Nutzung")),
			tile(code("planning_status", "t.planning_status::text", parcel.PlanningStatuses(), "Planning status", "Planungsrecht")),
			tile(code("availability", "t.availability::text", parcel.Availabilities(), "Availability", "Verfügbarkeit")),
			{Name: "available_from", SQL: "t.available_from", Type: cql2.Date, Title: "Available from", TitleDE: "Verfügbar ab"},
			tile(code("status", "t.status::text", parcel.Statuses(), "Status", "Status")),
			code("potential_kind", "t.potential_kind::text", parcel.PotentialKinds(), "Kind of potential", "Potenzialart"),
			boolean("greenfield", "t.greenfield", "Greenfield", "Grüne Wiese"),
			internal(code("ownership", "t.ownership::text", parcel.Ownerships(), "Ownership", "Eigentum")),
			internal(code("owner_willing", "t.owner_willing::text", parcel.OwnerWillingness(), "Owner willing to sell", "Eigentümerinteresse")),
			num("price_min_eur_m2", "t.price_min_eur_m2::float8", "EUR/m²", "Price from", "Preis ab"),
			num("price_max_eur_m2", "t.price_max_eur_m2::float8", "EUR/m²", "Price up to", "Preis bis"),
			code("serviced", "t.serviced::text", parcel.ServicedStates(), "Serviced", "Erschließung"),
			num("power_mw", "t.power_mw::float8", "MW", "Power", "Stromanschluss"),
			boolean("gas", "t.gas", "Gas", "Gas"),
			boolean("hydrogen", "t.hydrogen", "Hydrogen", "Wasserstoff"),
			boolean("water", "t.water", "Water", "Wasser"),
			boolean("process_water", "t.process_water", "Process water", "Brauchwasser"),
			boolean("waste_water", "t.waste_water", "Waste water", "Abwasser"),
			boolean("district_heat", "t.district_heat", "District heat", "Fernwärme"),
			{Name: "broadband_mbps", SQL: "t.broadband_mbps", Type: cql2.Integer, Unit: "Mbit/s", Title: "Broadband", TitleDE: "Breitband"},
			boolean("rail_siding", "t.rail_siding", "Rail siding", "Gleisanschluss"),
			num("grz", "t.grz::float8", "", "Site coverage ratio (GRZ)", "GRZ"),
			num("gfz", "t.gfz::float8", "", "Floor area ratio (GFZ)", "GFZ"),
			num("bmz", "t.bmz::float8", "", "Building volume ratio (BMZ)", "BMZ"),
			num("max_height_m", "t.max_height_m::float8", "m", "Maximum height", "Maximale Höhe"),
			num("noise_day_db", "t.noise_day_db::float8", "dB(A)", "Noise contingent day", "Lärmkontingent Tag"),
			num("noise_night_db", "t.noise_night_db::float8", "dB(A)", "Noise contingent night", "Lärmkontingent Nacht"),
			str("description", "t.description", "Description", "Beschreibung"),
			str("description_en", "t.description_en", "Description in English", "Beschreibung (englisch)"),
			internal(str("remarks", "t.remarks", "Internal remarks", "Interne Bemerkungen")),
			str("contact_name", "t.contact_name", "Contact", "Ansprechpartner"),
			str("contact_email", "t.contact_email", "Contact e-mail", "E-Mail"),
			str("contact_phone", "t.contact_phone", "Contact phone", "Telefon"),
			str("expose_url", "t.expose_url", "Exposé", "Exposé"),
			internal(tile(code("publication", "t.publication::text", parcel.Publications(), "Publication", "Veröffentlichung"))),
			internal(str("source", "t.source", "Source", "Quelle")),
			{Name: "last_confirmed", SQL: "t.last_confirmed", Type: cql2.Date, Title: "Last confirmed", TitleDE: "Zuletzt bestätigt"},
			num("gross_area_ha", "t.gross_area_ha", "ha", "Gross area", "Fläche brutto"),
			tile(num("net_area_ha", "t.net_area_ha", "ha", "Net area", "Fläche netto")),
			boolean("net_area_estimated", "t.net_area_estimated", "Net area estimated (0.65 × gross)", "Nettofläche geschätzt"),
			tile(Property{Name: "size_class", SQL: "t.size_class", Type: cql2.String, Enum: sizeClassLabels(), Title: "Size class (ha)", TitleDE: "Größenklasse (ha)"}),
			num("dist_motorway_km", "round((t.dist_motorway_m / 1000)::numeric, 2)::float8", "km", "Distance to motorway junction", "Entfernung Autobahnanschluss"),
			num("dist_rail_terminal_km", "round((t.dist_rail_terminal_m / 1000)::numeric, 2)::float8", "km", "Distance to rail freight terminal", "Entfernung Güterterminal"),
			num("dist_airport_km", "round((t.dist_airport_m / 1000)::numeric, 2)::float8", "km", "Distance to Leipzig/Halle airport", "Entfernung Flughafen"),
			num("dist_port_km", "round((t.dist_port_m / 1000)::numeric, 2)::float8", "km", "Distance to inland port", "Entfernung Binnenhafen"),
			{Name: "valid_from", SQL: "t.valid_from", Type: cql2.Timestamp, Title: "State valid from", TitleDE: "Stand seit"},
			internal(Property{Name: "ended_at", SQL: "t.ended_at", Type: cql2.Timestamp, Title: "Ended at", TitleDE: "Beendet am"}),
			internal(str("changed_by", "t.changed_by", "Changed by", "Geändert von")),
		},
	}
}

func sites() Collection {
	return Collection{
		ID:          "sites",
		Title:       "Sites (Standorte)",
		Description: "Business parks and coherent areas; their figures sum their current parcels.",
		From:        "{{rows}} LEFT JOIN districts d ON d.ags = t.district_ags LEFT JOIN municipalities m ON m.ags = t.municipality_ags",
		Table:       "sites",
		// Sites keep no history of their attributes: at a time they are the sites that existed
		// then, as they are now.
		AtTime:       "(SELECT x.* FROM sites x, (SELECT %s::timestamptz AS at) a WHERE x.valid_from <= a.at AND (x.ended_at IS NULL OR x.ended_at > a.at))",
		During:       "(SELECT x.* FROM sites x WHERE x.valid_from <= %[2]s AND (x.ended_at IS NULL OR x.ended_at > %[1]s))",
		Current:      "t.ended_at IS NULL",
		Public:       "t.publication = 'public'",
		IDColumn:     "t.id",
		IDType:       cql2.Integer,
		Geom:         "t.geom",
		GeomType:     "MultiPolygon",
		Temporal:     "valid_from",
		DataVersions: []string{"sites", "parcels", "districts", "municipalities"},
		Synthetic:    demoSource,
		// A site of 5 ha is about a pixel at zoom 9: below 10 sites are points.
		TilePointsBelow: 10,
		Properties: []Property{
			tile(Property{Name: "id", SQL: "t.id", Type: cql2.Integer, Title: "Site id", TitleDE: "Standort-ID"}),
			str("external_id", "t.external_id", "District's own id", "ID des Kreises"),
			tile(str("name", "t.name", "Name", "Bezeichnung")),
			str("description", "t.description", "Description", "Beschreibung"),
			tile(code("district_ags", "t.district_ags::text", districtCodes(), "District (AGS)", "Kreis (AGS)")),
			str("district_name", districtLabel, "District", "Kreis"),
			str("municipality_ags", "t.municipality_ags::text", "Municipality (AGS)", "Gemeinde (AGS)"),
			str("municipality_name", "m.name", "Municipality", "Gemeinde"),
			internal(boolean("strategic_reserve", "t.strategic_reserve", "Strategic reserve (Jokerfläche)", "Jokerfläche")),
			tile(num("gross_area_ha", "t.gross_area_ha", "ha", "Gross area", "Fläche brutto")),
			tile(Property{Name: "size_class", SQL: "size_class(largest_part_ha(t.geom))", Type: cql2.String, Enum: sizeClassLabels(), Title: "Size class (ha)", TitleDE: "Größenklasse (ha)"}),
			{Name: "parcels", SQL: "(SELECT count(*) FROM parcels p WHERE p.site_id = t.id AND p.ended_at IS NULL AND {{visible}})",
				Type: cql2.Integer, Title: "Parcels", TitleDE: "Flächen"},
			tile(num("net_offered_ha", "(SELECT coalesce(sum(p.net_area_ha), 0) FROM parcels p WHERE p.site_id = t.id AND p.ended_at IS NULL AND p.status = 'offered' AND {{visible}})",
				"ha", "Net area on offer", "Angebotene Nettofläche")),
			internal(tile(code("publication", "t.publication::text", parcel.Publications(), "Publication", "Veröffentlichung"))),
			internal(str("source", "t.source", "Source", "Quelle")),
			{Name: "valid_from", SQL: "t.valid_from", Type: cql2.Timestamp, Title: "Recorded since", TitleDE: "Erfasst seit"},
		},
	}
}

func districts() Collection {
	return Collection{
		ID: "districts", Title: "Districts (Kreise)", Description: "The nine districts of the project group (VG250, © GeoBasis-DE / BKG).",
		From: "{{rows}}", Table: "districts d", IDColumn: "d.ags", IDType: cql2.String, Geom: "d.geom", GeomType: "MultiPolygon",
		DataVersions: []string{"districts"}, Attribution: bkg,
		Properties: []Property{
			tile(str("ags", "d.ags::text", "AGS", "AGS")),
			tile(str("name", districtLabel, "Name", "Name")),
			str("kind", "d.kind", "Kind", "Art"),
			code("land", "d.land", landCodes(), "Federal state", "Land"),
			num("area_km2", "round(d.area_km2::numeric, 2)::float8", "km²", "Area", "Fläche"),
		},
	}
}

func municipalities() Collection {
	return Collection{
		ID: "municipalities", Title: "Municipalities (Gemeinden)", Description: "The 187 municipalities of the nine districts (VG250, © GeoBasis-DE / BKG).",
		From: "{{rows}} LEFT JOIN districts d ON d.ags = m.district_ags", Table: "municipalities m", IDColumn: "m.ags", IDType: cql2.String,
		Geom: "m.geom", GeomType: "MultiPolygon",
		DataVersions: []string{"municipalities", "districts"}, Attribution: bkg,
		Properties: []Property{
			tile(str("ags", "m.ags::text", "AGS", "AGS")),
			tile(str("name", "m.name", "Name", "Name")),
			str("kind", "m.kind", "Kind", "Art"),
			tile(code("district_ags", "m.district_ags::text", districtCodes(), "District (AGS)", "Kreis (AGS)")),
			str("district_name", districtLabel, "District", "Kreis"),
		},
	}
}

func infrastructure() Collection {
	return Collection{
		ID: "infrastructure", Title: "Infrastructure", Description: "Motorway junctions, rail freight terminals, rail stations, the airport and inland ports; distances are measured to them.",
		From: "{{rows}}", Table: "infrastructure t", IDColumn: "t.id", IDType: cql2.Integer, Geom: "t.geom", GeomType: "Point",
		DataVersions: []string{"infrastructure"},
		Attribution: "Airport: OurAirports/OpenFlights (ODbL); stations: DB Station&Service (CC BY 4.0); " +
			"junctions, freight terminals, ports: hand-entered, approximate",
		Properties: []Property{
			tile(Property{Name: "id", SQL: "t.id", Type: cql2.Integer, Title: "Id", TitleDE: "ID"}),
			tile(code("kind", "t.kind::text", parcel.InfrastructureKinds(), "Kind", "Art")),
			tile(str("name", "t.name", "Name", "Name")),
			str("ref", "t.ref", "Reference", "Kennung"),
			str("source", "t.source", "Source", "Quelle"),
		},
	}
}

func constraints() Collection {
	return Collection{
		ID: "constraints", Title: "Constraints (Restriktionen)", Description: "Constraint areas: flood zones, nature protection, mining legacy, contamination, ...",
		From: "{{rows}}", Table: "constraint_areas t", IDColumn: "t.id", IDType: cql2.Integer, Geom: "t.geom", GeomType: "MultiPolygon",
		DataVersions: []string{"constraints"}, Synthetic: "t.synthetic",
		Properties: []Property{
			tile(Property{Name: "id", SQL: "t.id", Type: cql2.Integer, Title: "Id", TitleDE: "ID"}),
			tile(code("kind", "t.kind::text", parcel.ConstraintKinds(), "Kind", "Art")),
			tile(code("severity", "t.severity::text", parcel.Severities(), "Severity", "Schwere")),
			tile(str("name", "t.name", "Name", "Name")),
			str("source", "t.source", "Source", "Quelle"),
			boolean("synthetic", "t.synthetic", "Synthetic (demo)", "Synthetisch (Demo)"),
		},
	}
}

func districtCodes() parcel.CodeList {
	l := parcel.CodeList{Name: "district"}
	for _, d := range region.Districts() {
		l.Codes = append(l.Codes, parcel.Code{Value: d.AGS, DE: d.Label(), EN: d.Label()})
	}
	return l
}

func landCodes() parcel.CodeList {
	return parcel.CodeList{Name: "land", Codes: []parcel.Code{
		{Value: "Sachsen", DE: "Sachsen", EN: "Saxony"}, {Value: "Sachsen-Anhalt", DE: "Sachsen-Anhalt", EN: "Saxony-Anhalt"},
		{Value: "Thüringen", DE: "Thüringen", EN: "Thuringia"},
	}}
}

func sizeClassLabels() []string {
	var out []string
	for _, c := range parcel.SizeClasses() {
		out = append(out, c.Label)
	}
	return out
}
