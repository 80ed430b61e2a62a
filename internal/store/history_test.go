package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"landatlas/internal/pgtest"
)

// insertParcel adds one small parcel inside Halle (Saale) and returns its id.
func insertParcel(t *testing.T, db *pgtest.DB, externalID string, validFrom time.Time) int64 {
	t.Helper()
	var id int64
	err := db.Pool.QueryRow(context.Background(), `
		INSERT INTO parcels (district_ags, external_id, municipality_ags, name, use_type, planning_status,
		    availability, status, potential_kind, greenfield, publication, source, geom, valid_from, changed_by)
		SELECT '15002', $1, '15002000', 'Testfläche', 'GE', 'in_force', 'now', 'offered', 'infill_gap', true,
		       'public', 'test', ST_Multi(ST_Buffer(ST_PointOnSurface(m.geom), 40, 'quad_segs=1')), $2, 'test'
		FROM municipalities m WHERE m.ags = '15002000'
		RETURNING id`, externalID, validFrom).Scan(&id)
	if err != nil {
		t.Fatalf("insert parcel: %v", err)
	}
	return id
}

func TestParcelChangesKeepHistory(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	ctx := context.Background()
	created := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	id := insertParcel(t, db, "H-1", created)

	var dist float64
	if err := db.Pool.QueryRow(ctx, `SELECT dist_motorway_m FROM parcels WHERE id = $1`, id).Scan(&dist); err != nil {
		t.Fatal(err)
	}
	if dist <= 0 || dist > 30000 {
		t.Errorf("distance to the nearest motorway junction from Halle = %.0f m, want a computed value under 30 km", dist)
	}

	sold := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.Pool.Exec(ctx, `UPDATE parcels SET status = 'sold', valid_from = $2, changed_by = 'planner' WHERE id = $1`, id, sold); err != nil {
		t.Fatal(err)
	}
	// Recomputing a derived column is not a new version.
	if _, err := db.Pool.Exec(ctx, `UPDATE parcels SET dist_motorway_m = dist_motorway_m + 1 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	var versions int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM parcel_history WHERE id = $1`, id).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if versions != 1 {
		t.Fatalf("%d earlier states recorded, want 1 (the offered one)", versions)
	}

	statusAt := func(at time.Time) string {
		var s string
		err := db.Pool.QueryRow(ctx, `SELECT coalesce((SELECT status::text FROM parcels_at($2) WHERE id = $1), 'absent')`, id, at).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{created.Add(-time.Hour), "absent"},
		{created, "offered"},
		{sold.Add(-time.Second), "offered"},
		{sold, "sold"},
		{time.Now(), "sold"},
	} {
		if got := statusAt(c.at); got != c.want {
			t.Errorf("state at %s = %s, want %s", c.at.Format(time.RFC3339), got, c.want)
		}
	}

	ended := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.Pool.Exec(ctx, `UPDATE parcels SET ended_at = $2, valid_from = $2 WHERE id = $1`, id, ended); err != nil {
		t.Fatal(err)
	}
	if got := statusAt(ended.Add(time.Hour)); got != "absent" {
		t.Errorf("state after the parcel was ended = %s, want absent", got)
	}
	if got := statusAt(sold.Add(time.Hour)); got != "sold" {
		t.Errorf("state before the parcel was ended = %s, want sold", got)
	}
}

func TestParcelsAreNeverDeleted(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	id := insertParcel(t, db, "D-1", time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	_, err := db.Pool.Exec(context.Background(), `DELETE FROM parcels WHERE id = $1`, id)
	if err == nil || !strings.Contains(err.Error(), "never deleted") {
		t.Fatalf("DELETE of a parcel: err = %v, want a refusal that says records are never deleted", err)
	}
}

func TestCollectionVersionMovesOnDirectSQL(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	ctx := context.Background()
	version := func() int64 {
		var v int64
		if err := db.Pool.QueryRow(ctx, `SELECT version FROM collection_versions WHERE collection = 'parcels'`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()
	insertParcel(t, db, "V-1", time.Now().Add(-time.Hour))
	if after := version(); after <= before {
		t.Fatalf("parcels version %d after an insert, was %d: caches would serve stale data", after, before)
	}
}
