package importer_test

import (
	"context"
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// fixtureParcels are the attributes of the fixture, in the German column names and the mixed
// spellings of code values district files have.
var fixtureParcels = []map[string]any{
	{"kennung": "SK-001", "bezeichnung": "Gewerbegebiet Ost, Fläche 1", "nutzungsart": "GI", "planungsrecht": "B-Plan rechtskräftig",
		"verfuegbarkeit": "sofort", "status": "angeboten", "potenzialart": "Baulücke", "eigentum": "kommunal",
		"flaeche_netto": 0.65, "preis_min": 25, "oeffentlich": "ja", "bestaetigt_am": "2026-03-01", "gleisanschluss": true},
	{"kennung": "SK-002", "bezeichnung": "Gewerbegebiet Ost, Fläche 2", "nutzungsart": "Gewerbegebiet", "planungsrecht": "§ 34",
		"verfuegbarkeit": "kurzfristig", "status": "reserviert", "potenzialart": "Brachfläche", "eigentum": "privat",
		"flaeche_netto": nil, "preis_min": 18.5, "oeffentlich": "nein", "bestaetigt_am": "2025-11-15", "gleisanschluss": false},
	{"kennung": "SK-003", "bezeichnung": "Industriepark Süd", "nutzungsart": "1800", "planungsrecht": "4000",
		"verfuegbarkeit": "mittelfristig", "status": "angeboten", "potenzialart": "Konversionsfläche", "eigentum": "Land",
		"flaeche_netto": 1.0, "preis_min": nil, "oeffentlich": "ja", "bestaetigt_am": "2026-01-20", "gleisanschluss": true},
	{"kennung": "SK-004", "bezeichnung": "Logistik Nord", "nutzungsart": "SO", "planungsrecht": "B-Plan in Aufstellung",
		"verfuegbarkeit": "langfristig", "status": "vermarktet", "potenzialart": "Reserve im B-Plan", "eigentum": "unbekannt",
		"flaeche_netto": 0.5, "preis_min": 30, "oeffentlich": "ja", "bestaetigt_am": "2024-12-31", "gleisanschluss": false},
	{"kennung": "SK-005", "bezeichnung": "Reserve West", "nutzungsart": "GE", "planungsrecht": "FNP",
		"verfuegbarkeit": "nicht verfügbar", "status": "betriebsgebunden", "potenzialart": "Reserve im FNP", "eigentum": "Entwicklungsgesellschaft",
		"flaeche_netto": nil, "preis_min": nil, "oeffentlich": "nein", "bestaetigt_am": "2026-06-01", "gleisanschluss": false},
}

// writeFixture writes the one GeoJSON fixture every format test derives from: the five parcels
// above as rectangles of different sizes (the last one in two parts) around a point inside the
// largest municipality of Saalekreis (15088), in EPSG:25832 with a crs member. It returns the file
// and each parcel's area in m².
func writeFixture(t testing.TB, h *harness, dir string) (string, map[string]float64) {
	return writeFixtureIn(t, h, dir, "15088")
}

// writeFixtureIn writes the fixture into another district, with ids prefixed by its AGS.
func writeFixtureIn(t testing.TB, h *harness, dir, ags string) (string, map[string]float64) {
	t.Helper()
	rows, err := h.db.Pool.Query(context.Background(), `
		WITH c AS (
			SELECT ST_PointOnSurface(geom) AS p FROM municipalities WHERE district_ags = $1 ORDER BY ST_Area(geom) DESC LIMIT 1
		), shapes AS (
			SELECT n, CASE WHEN n < 5 THEN ST_Multi(ST_MakeEnvelope(ST_X(p) + dx, ST_Y(p) + dy, ST_X(p) + dx + w, ST_Y(p) + dy + hgt, 25832))
			              ELSE ST_Multi(ST_Union(ST_MakeEnvelope(ST_X(p) + dx, ST_Y(p) + dy, ST_X(p) + dx + w, ST_Y(p) + dy + hgt, 25832),
			                                     ST_MakeEnvelope(ST_X(p) + dx, ST_Y(p) + dy + 200, ST_X(p) + dx + 50, ST_Y(p) + dy + 250, 25832))) END AS g
			FROM c, (VALUES (1, 0, 0, 100, 100), (2, 300, 0, 150, 80), (3, 0, 300, 120, 120), (4, 300, 300, 90, 70), (5, -400, 0, 100, 100)) v(n, dx, dy, w, hgt)
		)
		SELECT n, ST_AsGeoJSON(g, 3), ST_Area(g), ST_CoveredBy(g, (SELECT geom FROM districts WHERE ags = $1)) FROM shapes ORDER BY n`, ags)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var features []map[string]any
	areas := map[string]float64{}
	for rows.Next() {
		var n int
		var geom string
		var area float64
		var inside bool
		if err := rows.Scan(&n, &geom, &area, &inside); err != nil {
			t.Fatal(err)
		}
		if !inside {
			t.Fatalf("fixture parcel %d is not inside district %s", n, ags)
		}
		props := maps.Clone(fixtureParcels[n-1])
		if ags != "15088" {
			props["kennung"] = ags + "-" + props["kennung"].(string)
		}
		areas[props["kennung"].(string)] = area
		features = append(features, map[string]any{"type": "Feature", "geometry": json.RawMessage(geom), "properties": props})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	fc := map[string]any{
		"type": "FeatureCollection", "features": features,
		"crs": map[string]any{"type": "name", "properties": map[string]string{"name": "urn:ogc:def:crs:EPSG::25832"}},
	}
	b, err := json.MarshalIndent(fc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "flaechen-"+ags+".geojson")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, areas
}

// staged is a staged feature as the tests compare it.
type staged struct {
	AreaM2 float64
	Attrs  map[string]any
}

func (h *harness) staged(t testing.TB, id int64) map[string]staged {
	t.Helper()
	rows, err := h.db.Pool.Query(context.Background(),
		`SELECT external_id, coalesce(ST_Area(geom), 0), attrs FROM upload_features WHERE upload_id = $1`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]staged{}
	for rows.Next() {
		var id string
		var s staged
		if err := rows.Scan(&id, &s.AreaM2, &s.Attrs); err != nil {
			t.Fatal(err)
		}
		out[id] = s
	}
	return out
}

// sameParcels checks that got holds the parcels of want with areas within 0.1 % and the same
// attributes.
func sameParcels(t *testing.T, got, want map[string]staged, areas map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d parcels, want %d", len(got), len(want))
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("parcel %s missing", id)
			continue
		}
		if d := math.Abs(g.AreaM2-areas[id]) / areas[id]; d > 0.001 {
			t.Errorf("parcel %s: area %.1f m², want %.1f m² (off by %.3f %%)", id, g.AreaM2, areas[id], 100*d)
		}
		for k, v := range w.Attrs {
			if !reflect.DeepEqual(g.Attrs[k], v) {
				t.Errorf("parcel %s: %s = %#v, want %#v", id, k, g.Attrs[k], v)
			}
		}
	}
}

// stagedByFeature returns the staged areas by feature number, for files without ids.
func (h *harness) stagedByFeature(t testing.TB, id int64) map[int]float64 {
	t.Helper()
	rows, err := h.db.Pool.Query(context.Background(),
		`SELECT idx, coalesce(ST_Area(geom), 0) FROM upload_features WHERE upload_id = $1`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]float64{}
	for rows.Next() {
		var idx int
		var a float64
		if err := rows.Scan(&idx, &a); err != nil {
			t.Fatal(err)
		}
		out[idx] = a
	}
	return out
}
