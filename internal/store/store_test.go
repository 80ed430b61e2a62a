package store_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"landatlas/internal/pgtest"
	"landatlas/internal/region"
	"landatlas/internal/store"
)

func TestMigrationsApplyTwiceAndCheckSchema(t *testing.T) {
	db := pgtest.New(t, pgtest.Empty)
	ctx := context.Background()
	if _, err := store.CheckSchema(ctx, db.Pool); !errors.Is(err, store.ErrSchemaBehind) {
		t.Fatalf("CheckSchema on an empty database = %v, want ErrSchemaBehind", err)
	}
	first, err := store.Migrate(ctx, db.Pool)
	if err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	second, err := store.Migrate(ctx, db.Pool)
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if first != second || first.Current != first.Expected || first.Current == 0 {
		t.Fatalf("migrate twice: %+v then %+v, want the same complete state", first, second)
	}
	if _, err := store.CheckSchema(ctx, db.Pool); err != nil {
		t.Fatalf("CheckSchema after migrate: %v", err)
	}
}

// Official areas (km²) from npm landkreise-deutschland@3.0.0 (data/districts.csv, Destatis,
// Gebietsstand 31.12.2018).
var officialAreaKm2 = map[string]float64{
	"14713": 297.80, "14729": 1651.30, "14730": 2028.56, "15002": 135.03, "15082": 1453.82,
	"15084": 1413.75, "15087": 1448.92, "15088": 1433.91, "16077": 569.40,
}

func TestDistrictsHaveTheirOfficialAreas(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	rows, err := db.Pool.Query(context.Background(), `SELECT ags, name, land, area_km2 FROM districts ORDER BY ags`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var ags, name, land string
		var area float64
		if err := rows.Scan(&ags, &name, &land, &area); err != nil {
			t.Fatal(err)
		}
		seen++
		d, ok := region.DistrictByAGS(ags)
		if !ok || d.Name != name || d.Land != land {
			t.Errorf("district %s %s (%s) is not one of the nine as domain.md lists them", ags, name, land)
		}
		want := officialAreaKm2[ags]
		if diff := math.Abs(area-want) / want; diff > 0.01 {
			t.Errorf("district %s %s: area %.1f km², official %.1f km² (%.2f%% off, more than 1%%)", ags, name, area, want, diff*100)
		}
	}
	if seen != 9 {
		t.Fatalf("%d districts loaded, want 9", seen)
	}
}

func TestEveryMunicipalityLiesInItsDistrict(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	ctx := context.Background()
	var total, outside int
	err := db.Pool.QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE ST_Area(ST_Difference(m.geom, d.geom)) > 0.001 * ST_Area(m.geom))
		FROM municipalities m JOIN districts d ON d.ags = m.district_ags`).Scan(&total, &outside)
	if err != nil {
		t.Fatal(err)
	}
	if total != 187 {
		t.Errorf("%d municipalities, want the 187 of VG250", total)
	}
	if outside != 0 {
		t.Errorf("%d municipalities lie more than 0.1%% outside their district", outside)
	}
	var sumMunis, sumDistricts float64
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT sum(ST_Area(geom)) FROM municipalities), (SELECT sum(ST_Area(geom)) FROM districts)`).
		Scan(&sumMunis, &sumDistricts); err != nil {
		t.Fatal(err)
	}
	if math.Abs(sumMunis-sumDistricts)/sumDistricts > 0.001 {
		t.Errorf("municipalities cover %.0f m², districts %.0f m²: they should tile the districts", sumMunis, sumDistricts)
	}
}

func TestInfrastructureCoversTheRegion(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	rows, err := db.Pool.Query(context.Background(), `SELECT kind::text, count(*) FROM infrastructure GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		counts[k] = n
	}
	for kind, min := range map[string]int{"motorway_junction": 20, "rail_station": 100, "airport": 1, "rail_freight_terminal": 3, "inland_port": 1} {
		if counts[kind] < min {
			t.Errorf("%d records of %s, want at least %d", counts[kind], kind, min)
		}
	}
}
