package catalog

import (
	"landatlas/internal/cql2"
	"landatlas/internal/parcel"
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

func tile(p Property) Property { p.Tile = true; return p }

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
		Versions: "parcel_versions",
		Current:  "t.ended_at IS NULL",
		Public:   publicParcel("t"),
		// A past state is public when it was public then and the parcel is public now.
		PublicAtTime: "t.publication = 'public' AND EXISTS (SELECT 1 FROM parcels cur WHERE cur.id = t.id AND " + publicParcel("cur") + ")",
		IDColumn:     "t.id",
		IDType:       cql2.Integer,
		Geom:         "t.geom",
		GeomType:     "MultiPolygon",
		Temporal:     "valid_from",
		DataVersions: []string{"parcels", "sites", "districts", "municipalities"},
		Synthetic:    demoSource,
		// A parcel of 1 ha is 2 × 2 pixels at zoom 11: below 12 parcels are points.
		TilePointsBelow: 12,
		Properties:      fromRegistry(parcel.ParcelFields(), parcelSQL),
	}
}

// sites is the sites collection. What a public site may reveal: its outline is the site's own
// record (sites.geom, the business park's boundary as the district publishes it with the site),
// never derived from its parcels, so internal parcels do not shape it; its figures (parcels,
// net_offered_ha) count only the parcels the reader may see, and an internal site's id is never
// shown to the public (the parcels' site_id and site_name, the study's site_ids).
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
		Properties:      fromRegistry(parcel.SiteFields(), siteSQL),
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
			code("land", "d.land", parcel.Lands(), "Federal state", "Land"),
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
			tile(code("district_ags", "m.district_ags::text", parcel.Districts(), "District (AGS)", "Kreis (AGS)")),
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
