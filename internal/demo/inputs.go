package demo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Inputs reads what Generate needs from a database whose reference layers are loaded: the
// municipalities and the motorway junctions, in a fixed order so that Generate stays
// deterministic.
func Inputs(ctx context.Context, db *pgxpool.Pool) ([]Municipality, []Junction, error) {
	rows, err := db.Query(ctx, `SELECT ags, district_ags, name, ST_AsBinary(geom) FROM municipalities ORDER BY ags`)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: read municipalities: %w", err)
	}
	var munis []Municipality
	for rows.Next() {
		var m Municipality
		var geom []byte
		if err := rows.Scan(&m.AGS, &m.DistrictAGS, &m.Name, &geom); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("demo: read municipalities: %w", err)
		}
		g, err := wkb.Unmarshal(geom)
		if err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("demo: municipality %s: %w", m.AGS, err)
		}
		switch g := g.(type) {
		case orb.MultiPolygon:
			m.Geom = g
		case orb.Polygon:
			m.Geom = orb.MultiPolygon{g}
		default:
			rows.Close()
			return nil, nil, fmt.Errorf("demo: municipality %s: a %s is no area", m.AGS, g.GeoJSONType())
		}
		munis = append(munis, m)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("demo: read municipalities: %w", err)
	}

	rows, err = db.Query(ctx, `SELECT name, ST_X(geom), ST_Y(geom) FROM infrastructure
		WHERE kind = 'motorway_junction' AND GeometryType(geom) = 'POINT' ORDER BY name`)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: read motorway junctions: %w", err)
	}
	defer rows.Close()
	var junctions []Junction
	for rows.Next() {
		var j Junction
		if err := rows.Scan(&j.Name, &j.Point[0], &j.Point[1]); err != nil {
			return nil, nil, fmt.Errorf("demo: read motorway junctions: %w", err)
		}
		junctions = append(junctions, j)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("demo: read motorway junctions: %w", err)
	}
	return munis, junctions, nil
}
