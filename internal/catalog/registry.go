package catalog

import (
	"fmt"

	"landatlas/internal/cql2"
	"landatlas/internal/parcel"
)

// parcelSQL are the parcel fields whose SQL is not their own column as columnSQL reads it:
// joined, computed, or of a column type of their own (char, double precision).
var parcelSQL = map[string]string{
	"municipality_ags": "t.municipality_ags::text",
	"gross_area_ha":    "t.gross_area_ha",
	"net_area_ha":      "t.net_area_ha",
	// A parcel names its site only to readers who may see the site. The site is the FROM
	// clause's join (alias s), not a subquery per parcel: for readers who see every site the id
	// is the parcel's own column and the join drops out of the plan.
	"site_id":               "CASE WHEN {{visible s}} THEN t.site_id END",
	"site_name":             "CASE WHEN {{visible s}} THEN s.name END",
	"district_name":         districtLabel,
	"municipality_name":     "m.name",
	"land":                  "d.land",
	"size_class":            "t.size_class",
	"dist_motorway_km":      "round((t.dist_motorway_m / 1000)::numeric, 2)::float8",
	"dist_rail_terminal_km": "round((t.dist_rail_terminal_m / 1000)::numeric, 2)::float8",
	"dist_airport_km":       "round((t.dist_airport_m / 1000)::numeric, 2)::float8",
	"dist_port_km":          "round((t.dist_port_m / 1000)::numeric, 2)::float8",
}

// siteSQL are the site fields whose SQL is not their own column.
var siteSQL = map[string]string{
	"municipality_ags":  "t.municipality_ags::text",
	"gross_area_ha":     "t.gross_area_ha",
	"district_name":     districtLabel,
	"municipality_name": "m.name",
	"land":              "d.land",
	"size_class":        "size_class(largest_part_ha(t.geom))",
	"parcels":           "(SELECT count(*) FROM parcels p WHERE p.site_id = t.id AND p.ended_at IS NULL AND {{visible_parcel p}})",
	"net_offered_ha":    "(SELECT coalesce(sum(p.net_area_ha), 0) FROM parcels p WHERE p.site_id = t.id AND p.ended_at IS NULL AND p.status = 'offered' AND {{visible_parcel p}})",
}

// fromRegistry makes the catalog properties of a collection from its fields in the registry
// (internal/parcel): the one place a field's type, labels, code list and visibility are stated.
// Fields only uploads write are left out. A field without a column needs its SQL in sql.
func fromRegistry(fields []parcel.Field, sql map[string]string) []Property {
	var out []Property
	for _, f := range fields {
		if f.InputOnly {
			continue
		}
		expr, ok := sql[f.Name]
		if !ok {
			if f.Column == "" {
				panic(fmt.Sprintf("catalog: field %s has neither a column nor SQL", f.Name))
			}
			expr = columnSQL(f)
		}
		p := Property{Name: f.Name, SQL: expr, Type: cqlType(f.Type), Unit: f.Unit, Title: f.Label.EN, TitleDE: f.Label.DE,
			Internal: f.Internal, Tile: f.Tile, NoFilter: !f.Queryable}
		if f.Codes != nil {
			p.Enum = f.Codes.Values()
		}
		out = append(out, p)
	}
	return out
}

// columnSQL reads a field's column: codes (enums, char) as text, numbers (numeric) as float8.
func columnSQL(f parcel.Field) string {
	switch f.Type {
	case parcel.CodeType:
		return "t." + f.Column + "::text"
	case parcel.Number:
		return "t." + f.Column + "::float8"
	}
	return "t." + f.Column
}

func cqlType(t parcel.Type) cql2.Type {
	switch t {
	case parcel.Number:
		return cql2.Number
	case parcel.Integer:
		return cql2.Integer
	case parcel.Boolean:
		return cql2.Boolean
	case parcel.Date:
		return cql2.Date
	case parcel.Timestamp:
		return cql2.Timestamp
	}
	return cql2.String
}
