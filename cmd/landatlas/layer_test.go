package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landatlas/internal/pgtest"
	"landatlas/internal/studytest"
)

// writeLayer writes a GeoJSON file of one feature: the WGS84 form of an EPSG:25832 geometry.
func writeLayer(t *testing.T, db *pgtest.DB, name, wkt25832 string) string {
	t.Helper()
	var geom string
	err := db.Pool.QueryRow(context.Background(),
		`SELECT ST_AsGeoJSON(ST_Transform(ST_GeomFromText($1, 25832), 4326), 8)`, wkt25832).Scan(&geom)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+".geojson")
	doc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"NAME":"` + name + `","REF":"A98"},"geometry":` + geom + `}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLayerLoadUpdatesOverlayAndDistances(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	f := studytest.Load(t, db)
	ctx := context.Background()
	env := map[string]string{"LANDATLAS_DATABASE_URL": db.URL}
	load := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, append([]string{"landatlas", "layer", "load"}, args...), func(k string) string { return env[k] }, &out, &errOut); err != nil {
			t.Fatalf("layer load %v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}

	// A mining area over the west quarter of G (15088: 720000–720200 × 5702600–5702800).
	mining := writeLayer(t, db, "Tagebau-Test", "POLYGON((720000 5702600, 720050 5702600, 720050 5702800, 720000 5702800, 720000 5702600))")
	if out := load("--kind", "mining", "--severity", "severe", mining); !strings.Contains(out, "1 loaded") {
		t.Errorf("output %q", out)
	}
	var share float64
	if err := db.Pool.QueryRow(ctx, `SELECT share FROM parcel_constraints WHERE parcel_id = $1 AND kind = 'mining'`, f.Parcels["G"]).Scan(&share); err != nil {
		t.Fatalf("G has no mining share after the load: %v", err)
	}
	if share < 0.249 || share > 0.251 {
		t.Errorf("G's mining share = %g, want 0.25", share)
	}
	// Loading the layer again with --replace keeps one area, not two.
	load("--kind", "mining", "--severity", "severe", "--replace", mining)
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM constraint_areas WHERE kind = 'mining'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d mining areas after a replacing load, want 1 (%v)", n, err)
	}

	// A junction right at the corner of D (14713: 736000 5693000) makes its distance 0.
	junction := writeLayer(t, db, "AS Test-Ecke", "POINT(736000 5693000)")
	load("--kind", "motorway_junction", "--ref-field", "REF", junction)
	var dist float64
	if err := db.Pool.QueryRow(ctx, `SELECT dist_motorway_m FROM parcels WHERE id = $1`, f.Parcels["D"]).Scan(&dist); err != nil {
		t.Fatal(err)
	}
	if dist > 0.01 {
		t.Errorf("D's distance to the nearest junction = %g m after loading one at its corner, want 0", dist)
	}

	var errOut bytes.Buffer
	err := run(ctx, []string{"landatlas", "layer", "load", "--kind", "flood_hq100", mining}, func(k string) string { return env[k] }, &bytes.Buffer{}, &errOut)
	if err == nil || !strings.Contains(err.Error(), "severity") {
		t.Errorf("a constraint layer without --severity: %v", err)
	}
}
