package demo_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"landatlas/internal/demo"
	"landatlas/internal/pgtest"
)

// generateFor makes a small data set from the database's own reference layers.
func generateFor(t *testing.T, db *pgtest.DB, parcels int) *demo.Dataset {
	t.Helper()
	munis, junctions, err := demo.Inputs(context.Background(), db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(munis) != 187 || len(junctions) < 20 {
		t.Fatalf("Inputs read %d municipalities and %d junctions", len(munis), len(junctions))
	}
	d, err := demo.Generate(munis, junctions, demo.Options{Parcels: parcels, Seed: 2, Now: pgtest.DemoNow()})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLoadWritesTheDataSetAsGenerated(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	ctx := context.Background()
	d := generateFor(t, db, 3000)

	calls, last, total := 0, 0, 0
	err := demo.Load(ctx, db.Pool, d, func(done, tot int) {
		if done < last || (total != 0 && tot != total) {
			t.Errorf("progress went from %d to %d of %d/%d", last, done, total, tot)
		}
		calls, last, total = calls+1, done, tot
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(d.Sites) + len(d.Parcels) + 2*len(d.History) + len(d.Constraints); calls < 4 || last != want || total != want {
		t.Errorf("progress: %d calls, ended at %d of %d, want %d", calls, last, total, want)
	}

	var counts [4]int
	err = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM sites), (SELECT count(*) FROM parcels),
		(SELECT count(*) FROM parcel_history), (SELECT count(*) FROM constraint_areas WHERE synthetic)`).
		Scan(&counts[0], &counts[1], &counts[2], &counts[3])
	if err != nil {
		t.Fatal(err)
	}
	if counts != [4]int{len(d.Sites), len(d.Parcels), len(d.History), len(d.Constraints)} {
		t.Fatalf("database holds %v sites/parcels/history/constraints, the data set %d/%d/%d/%d",
			counts, len(d.Sites), len(d.Parcels), len(d.History), len(d.Constraints))
	}

	// What PostGIS says about the geometry, and that history and ids line up.
	checks := []struct{ what, sql string }{
		{"parcels outside their municipality", `SELECT count(*) FROM parcels p JOIN municipalities m ON m.ags = p.municipality_ags
			WHERE NOT ST_Within(p.geom, m.geom)`},
		{"sites outside their municipality", `SELECT count(*) FROM sites s JOIN municipalities m ON m.ags = s.municipality_ags
			WHERE NOT ST_Within(s.geom, m.geom) OR NOT ST_IsValid(s.geom)`},
		{"parcels outside their site", `SELECT count(*) FROM parcels p JOIN sites s ON s.id = p.site_id
			WHERE NOT ST_Within(p.geom, s.geom) OR s.municipality_ags <> p.municipality_ags`},
		{"overlapping parcels", `SELECT count(*) FROM parcels a JOIN parcels b ON a.id < b.id AND a.geom && b.geom
			WHERE ST_Area(ST_Intersection(a.geom, b.geom)) > 0.01`},
		{"invalid constraint areas", `SELECT count(*) FROM constraint_areas WHERE NOT ST_IsValid(geom)`},
		{"history rows without parcel or derived values", `SELECT count(*) FROM parcel_history h LEFT JOIN parcels p ON p.id = h.id
			WHERE p.id IS NULL OR h.gross_area_ha IS NULL OR h.size_class IS NULL OR h.dist_motorway_m IS DISTINCT FROM p.dist_motorway_m`},
		{"history rows that do not chain", `SELECT count(*) FROM parcel_history h WHERE NOT EXISTS (
			SELECT 1 FROM parcel_versions v WHERE v.id = h.id AND v.valid_from = h.valid_to)`},
		{"parcels without distances", `SELECT count(*) FROM parcels WHERE dist_motorway_m IS NULL`},
		{"records not marked synthetic", `SELECT (SELECT count(*) FROM parcels WHERE description NOT LIKE '%(synthetische Demodaten)')
			+ (SELECT count(*) FROM sites WHERE description NOT LIKE '%(synthetische Demodaten)')`},
		{"identity sequences behind the data", `SELECT (SELECT count(*) FROM parcels WHERE id > (SELECT last_value FROM parcels_id_seq))
			+ (SELECT count(*) FROM sites WHERE id > (SELECT last_value FROM sites_id_seq))`},
	}
	for _, c := range checks {
		var n int
		if err := db.Pool.QueryRow(ctx, c.sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}

	// The database's figures are the generator's.
	f := d.Figures(pgtest.DemoNow())
	for _, y := range f.TakeUp {
		var ha float64
		err := db.Pool.QueryRow(ctx, `SELECT coalesce(sum(net_area_ha), 0) FROM parcels
			WHERE status = 'sold' AND extract(year FROM valid_from AT TIME ZONE 'UTC') = $1`, y.Year).Scan(&ha)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ha-y.Ha) > 0.01 {
			t.Errorf("take-up %d: database %.2f ha, generator %.2f ha", y.Year, ha, y.Ha)
		}
	}

	// A new app insert after the load gets a fresh id, and a second load is refused.
	if _, err := db.Pool.Exec(ctx, `INSERT INTO sites (district_ags, external_id, name, source, geom)
		VALUES ('14713', 'AFTER-DEMO', 'after', 'test', ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(735000, 5693000), 25832), 10)))`); err != nil {
		t.Errorf("insert after the load: %v", err)
	}
	if err := demo.Load(ctx, db.Pool, d, nil); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("second load: %v, want a refusal", err)
	}
}

func TestLoadLeavesNothingBehindOnFailure(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	ctx := context.Background()
	d := generateFor(t, db, 500)
	// The last parcel names a municipality the database does not know: COPY parcels fails after
	// the sites went in.
	d.Parcels[len(d.Parcels)-1].MunicipalityAGS = d.Parcels[len(d.Parcels)-1].DistrictAGS + "999"
	if err := demo.Load(ctx, db.Pool, d, nil); err == nil {
		t.Fatal("load with an unknown municipality succeeded")
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM sites) + (SELECT count(*) FROM parcels)
		+ (SELECT count(*) FROM parcel_history) + (SELECT count(*) FROM constraint_areas)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a failed load left %d rows behind", n)
	}
}
