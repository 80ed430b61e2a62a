package store

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ReferenceCounts is how many reference records the database holds.
type ReferenceCounts struct {
	Districts, Municipalities, Infrastructure int
}

// LoadReference loads (or updates) the districts, municipalities and infrastructure from the
// EPSG:25832 GeoJSON files in fsys (the embedded geodata/), in one transaction. Each file goes to
// PostGIS whole as one bind parameter; the SQL unpacks its features.
func LoadReference(ctx context.Context, db *pgxpool.Pool, fsys fs.FS) (ReferenceCounts, error) {
	read := func(name string) (string, error) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return "", fmt.Errorf("read geodata %s: %w", name, err)
		}
		return string(b), nil
	}
	districts, err := read("districts.geojson")
	if err != nil {
		return ReferenceCounts{}, err
	}
	munis, err := read("municipalities.geojson")
	if err != nil {
		return ReferenceCounts{}, err
	}
	infra, err := read("infrastructure.geojson")
	if err != nil {
		return ReferenceCounts{}, err
	}
	var c ReferenceCounts
	err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO districts (ags, name, kind, land, usual_srid, geom)
			SELECT f->'properties'->>'ags', f->'properties'->>'name', f->'properties'->>'kind',
			       f->'properties'->>'land', (f->'properties'->>'usual_srid')::int,
			       ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 25832))
			FROM jsonb_array_elements($1::jsonb->'features') AS f
			ON CONFLICT (ags) DO UPDATE SET name = excluded.name, kind = excluded.kind, land = excluded.land,
			    usual_srid = excluded.usual_srid, geom = excluded.geom
			WHERE (districts.name, districts.kind, districts.land, districts.usual_srid, districts.geom)
			      IS DISTINCT FROM (excluded.name, excluded.kind, excluded.land, excluded.usual_srid, excluded.geom)`,
			districts); err != nil {
			return fmt.Errorf("load districts: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO municipalities (ags, name, kind, district_ags, geom)
			SELECT f->'properties'->>'ags', f->'properties'->>'name', f->'properties'->>'kind',
			       f->'properties'->>'district_ags', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 25832))
			FROM jsonb_array_elements($1::jsonb->'features') AS f
			ON CONFLICT (ags) DO UPDATE SET name = excluded.name, kind = excluded.kind,
			    district_ags = excluded.district_ags, geom = excluded.geom
			WHERE (municipalities.name, municipalities.kind, municipalities.district_ags, municipalities.geom)
			      IS DISTINCT FROM (excluded.name, excluded.kind, excluded.district_ags, excluded.geom)`,
			munis); err != nil {
			return fmt.Errorf("load municipalities: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO infrastructure (kind, name, ref, source, geom)
			SELECT (f->'properties'->>'kind')::infrastructure_kind, f->'properties'->>'name',
			       nullif(f->'properties'->>'ref', ''), f->'properties'->>'source',
			       ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 25832)
			FROM jsonb_array_elements($1::jsonb->'features') AS f
			ON CONFLICT (kind, name) DO UPDATE SET ref = excluded.ref, source = excluded.source, geom = excluded.geom
			WHERE (infrastructure.ref, infrastructure.source, infrastructure.geom)
			      IS DISTINCT FROM (excluded.ref, excluded.source, excluded.geom)`,
			infra); err != nil {
			return fmt.Errorf("load infrastructure: %w", err)
		}
		return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM districts), (SELECT count(*) FROM municipalities),
			(SELECT count(*) FROM infrastructure)`).Scan(&c.Districts, &c.Municipalities, &c.Infrastructure)
	})
	return c, err
}

// CountParcels is the number of parcel records (current and ended).
func CountParcels(ctx context.Context, db *pgxpool.Pool) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM parcels`).Scan(&n)
	return n, err
}
