package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// LayerFeature is one feature of a constraint or infrastructure layer to load: a name, an optional
// reference (e.g. the motorway "A9") and a WGS84 GeoJSON geometry.
type LayerFeature struct {
	Name     string
	Ref      string
	Geometry json.RawMessage
}

// Layers loads constraint and infrastructure layers. Each load is one statement, so the triggers
// that keep the parcels' constraint overlay and distances current run once per load.
type Layers struct{ DB *pgxpool.Pool }

// LoadConstraints adds the features as constraint areas of a kind and severity, made valid and
// cut to their polygons; with replace it first removes the kind's areas of the same source.
// It returns how many areas were removed and added.
func (l Layers) LoadConstraints(ctx context.Context, kind, severity, source string, replace bool, features []LayerFeature) (removed, added int64, err error) {
	names, geoms := columns(features)
	err = pgx.BeginFunc(ctx, l.DB, func(tx pgx.Tx) error {
		if replace {
			tag, err := tx.Exec(ctx, `DELETE FROM constraint_areas WHERE kind = $1 AND source = $2`, kind, source)
			if err != nil {
				return err
			}
			removed = tag.RowsAffected()
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO constraint_areas (kind, severity, name, source, geom)
			SELECT $1, $2, f.name, $3, f.geom
			FROM (SELECT name, ST_Multi(ST_CollectionExtract(ST_MakeValid(
			          ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326), 25832)), 3)) AS geom
			      FROM unnest($4::text[], $5::text[]) AS u(name, g)) f
			WHERE NOT ST_IsEmpty(f.geom)`, kind, severity, source, names, geoms)
		if err != nil {
			return err
		}
		added = tag.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("load %s areas: %w", kind, err)
	}
	return removed, added, nil
}

// LoadInfrastructure adds or updates (by kind and name) infrastructure of a kind; areas become
// the point on their surface. With replace it first removes the kind's records of the same source.
func (l Layers) LoadInfrastructure(ctx context.Context, kind, source string, replace bool, features []LayerFeature) (removed, loaded int64, err error) {
	names, geoms := columns(features)
	refs := make([]string, len(features))
	for i, f := range features {
		refs[i] = f.Ref
	}
	err = pgx.BeginFunc(ctx, l.DB, func(tx pgx.Tx) error {
		if replace {
			tag, err := tx.Exec(ctx, `DELETE FROM infrastructure WHERE kind = $1 AND source = $2`, kind, source)
			if err != nil {
				return err
			}
			removed = tag.RowsAffected()
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO infrastructure (kind, name, ref, source, geom)
			SELECT $1, f.name, nullif(f.ref, ''), $2,
			       CASE WHEN GeometryType(f.geom) IN ('POINT', 'LINESTRING', 'MULTILINESTRING') THEN f.geom
			            ELSE ST_PointOnSurface(f.geom) END
			FROM (SELECT name, ref, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326), 25832) AS geom
			      FROM unnest($3::text[], $4::text[], $5::text[]) AS u(name, ref, g)) f
			WHERE NOT ST_IsEmpty(f.geom)
			ON CONFLICT (kind, name) DO UPDATE SET ref = excluded.ref, source = excluded.source, geom = excluded.geom`,
			kind, source, names, refs, geoms)
		if err != nil {
			return err
		}
		loaded = tag.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("load %s: %w", kind, err)
	}
	return removed, loaded, nil
}

func columns(features []LayerFeature) (names, geoms []string) {
	for _, f := range features {
		names = append(names, f.Name)
		geoms = append(geoms, string(f.Geometry))
	}
	return names, geoms
}
