package ogcapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// halle is a box around the centre of Halle in CRS84.
const halle = "POLYGON((11.9 51.45, 12.05 51.45, 12.05 51.52, 11.9 51.52, 11.9 51.45))"

// Each CQL2 class the server declares, checked against the same condition written in SQL.
func TestFilterClasses(t *testing.T) {
	s := newServer(t)
	halleSQL := "ST_Transform(ST_GeomFromText('" + halle + "', 4326), 25832)"
	var inside7 string // a point inside parcel 7
	if err := s.db.Pool.QueryRow(t.Context(), `SELECT ST_AsText(ST_Transform(ST_PointOnSurface(geom), 4326)) FROM parcels WHERE id = 7`).Scan(&inside7); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		class, filter, lang, sql string
	}{
		{"basic-cql2", "use_type = 'GI'", "", "use_type = 'GI'"},
		{"basic-cql2", "use_type <> 'GI' AND NOT (status = 'sold')", "", "use_type <> 'GI' AND status <> 'sold'"},
		{"basic-cql2", "net_area_ha >= 0.4 OR greenfield = TRUE", "", "net_area_ha >= 0.4 OR greenfield"},
		{"basic-cql2", "available_from IS NULL", "", "available_from IS NULL"},
		{"basic-cql2", "available_from IS NOT NULL AND available_from < DATE('2024-06-01')", "", "available_from < '2024-06-01'"},
		{"basic-cql2", "valid_from > TIMESTAMP('2020-01-20T00:00:00Z')", "", "valid_from > '2020-01-20T00:00:00Z'"},
		{"basic-cql2", "id = 7", "", "id = 7"},
		{"cql2-json", `{"op":"and","args":[{"op":"=","args":[{"property":"use_type"},"SO"]},{"op":">","args":[{"property":"net_area_ha"},0.2]}]}`, "cql2-json",
			"use_type = 'SO' AND net_area_ha > 0.2"},
		{"advanced-comparison-operators", "name LIKE 'Testfläche 1%'", "", "name LIKE 'Testfläche 1%'"},
		{"advanced-comparison-operators", "name NOT LIKE '%3'", "", "name NOT LIKE '%3'"},
		{"advanced-comparison-operators", "net_area_ha BETWEEN 0.2 AND 0.6", "", "net_area_ha BETWEEN 0.2 AND 0.6"},
		{"advanced-comparison-operators", "use_type IN ('GE', 'SO')", "", "use_type IN ('GE', 'SO')"},
		{"advanced-comparison-operators", "id NOT IN (1, 2, 3)", "", "id NOT IN (1, 2, 3)"},
		{"case-insensitive-comparison", "CASEI(status) = casei('OFFERED')", "", "status = 'offered'"},
		{"case-insensitive-comparison", "CASEI(name) LIKE casei('TESTFL%CHE 2%')", "", "name LIKE 'Testfl%che 2%'"},
		{"basic-spatial-functions", "S_INTERSECTS(geometry, " + halle + ")", "", "ST_Intersects(geom, " + halleSQL + ")"},
		{"basic-spatial-functions", "S_INTERSECTS(geometry, BBOX(11.9, 51.45, 12.05, 51.52))", "", "ST_Intersects(geom, " + halleSQL + ")"},
		{"basic-spatial-functions", `{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Polygon","coordinates":[[[11.9,51.45],[12.05,51.45],[12.05,51.52],[11.9,51.52],[11.9,51.45]]]}]}`,
			"cql2-json", "ST_Intersects(geom, " + halleSQL + ")"},
		{"spatial-functions", "S_WITHIN(geometry, " + halle + ")", "", "ST_Within(geom, " + halleSQL + ")"},
		{"spatial-functions", "S_DISJOINT(geometry, " + halle + ")", "", "ST_Disjoint(geom, " + halleSQL + ")"},
		{"spatial-functions", "S_CONTAINS(geometry, " + inside7 + ")", "", "ST_Contains(geom, ST_Transform(ST_GeomFromText('" + inside7 + "', 4326), 25832))"},
		{"spatial-functions", "S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))", "", "true"},
		{"temporal-functions", "T_BEFORE(available_from, DATE('2024-05-01'))", "", "available_from < '2024-05-01'"},
		{"temporal-functions", "T_AFTER(valid_from, TIMESTAMP('2020-01-25T00:00:00Z'))", "", "valid_from > '2020-01-25T00:00:00Z'"},
		{"temporal-functions", "T_DURING(INTERVAL(available_from, available_from), INTERVAL('2024-03-01', '2024-12-31'))", "",
			"available_from > '2024-03-01' AND available_from < '2024-12-31'"},
		{"property-property", "price_min_eur_m2 < price_max_eur_m2", "", "price_min_eur_m2 < price_max_eur_m2"},
		{"arithmetic", "gross_area_ha - net_area_ha > 0.1 * 2", "", "gross_area_ha - net_area_ha > 0.2"},
		{"arithmetic", "price_max_eur_m2 - price_min_eur_m2 = 20", "", "price_max_eur_m2 - price_min_eur_m2 = 20"},
	} {
		t.Run(c.class+"/"+c.filter, func(t *testing.T) {
			q := "limit=1000&filter=" + escape(c.filter)
			if c.lang != "" {
				q += "&filter-lang=" + c.lang
			}
			fc := s.items(q)
			want := s.count(`SELECT count(*) FROM parcels WHERE publication = 'public' AND ended_at IS NULL AND (` + c.sql + `)`)
			if fc.NumberMatched != want || len(fc.Features) != want {
				t.Errorf("matched %d, returned %d, want %d", fc.NumberMatched, len(fc.Features), want)
			}
			if want == 0 || want == publicParcels && c.sql != "true" {
				t.Errorf("the test filter selects %d of %d parcels: it cannot tell right from wrong", want, publicParcels)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	s := newServer(t)
	for _, c := range []struct{ query, want string }{
		{"filter=" + escape("name = "), "filter"},
		{"filter=" + escape("nosuch = 1"), `unknown property "nosuch"`},
		{"filter=" + escape("Name = 'x'"), `did you mean "name"`},
		{"filter=" + escape("net_area_ha = 'big'"), "cannot compare"},
		{"filter=" + escape("name BETWEEN 1 AND 2"), "BETWEEN needs numbers"},
		{"filter=" + escape("S_INTERSECTS(name, POINT(1 2))"), "geometries"},
		{"filter=" + escape("S_INTERSECTS(geometry, POINT(200 100))"), "longitude"},
		{"filter=" + escape("available_from < TIMESTAMP('2024-01-01T00:00:00Z')"), "cannot compare"},
		{"filter=" + escape(`{"op":"=","args":[{"property":"nosuch"},1]}`) + "&filter-lang=cql2-json", "nosuch"},
		{"filter=" + escape("use_type = 'GI'") + "&filter-lang=cql2-json", "filter"},
		{"filter=" + escape(strings.Repeat("(", 200)+"id = 1"+strings.Repeat(")", 200)), "filter"},
	} {
		s.problem("/collections/parcels/items?"+c.query, http.StatusBadRequest, c.want)
	}
}

func TestPropertyEqualsParameters(t *testing.T) {
	s := newServer(t)
	for query, sql := range map[string]string{
		"use_type=GI":                 "use_type = 'GI'",
		"use_type=GI&status=reserved": "use_type = 'GI' AND status = 'reserved'",
		"greenfield=true":             "greenfield",
		"id=7":                        "id = 7",
		"available_from=2024-01-11":   "available_from = '2024-01-11'",
		"district_ags=15088&filter=" + escape("net_area_ha > 0.2"): "district_ags = '15088' AND net_area_ha > 0.2",
	} {
		fc := s.items("limit=1000&" + query)
		if want := s.count(`SELECT count(*) FROM parcels WHERE publication = 'public' AND (` + sql + `)`); fc.NumberMatched != want || want == 0 {
			t.Errorf("%s: matched %d, want %d", query, fc.NumberMatched, want)
		}
	}
}
