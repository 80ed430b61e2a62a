package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Districts answers questions about the nine districts.
type Districts struct{ DB *pgxpool.Pool }

// SupplyGeoJSON returns the nine districts as a WGS84 GeoJSON FeatureCollection with their parcel
// counts and gross/net area on offer. With internal false only public parcels count, so the public
// cannot learn of internal parcels from the figures.
func (s Districts) SupplyGeoJSON(ctx context.Context, internal bool) ([]byte, error) {
	var out []byte
	err := s.DB.QueryRow(ctx, `
		WITH supply AS (
			SELECT district_ags,
			       count(*) AS parcels,
			       count(*) FILTER (WHERE status = 'offered') AS parcels_offered,
			       coalesce(sum(gross_area_ha) FILTER (WHERE status = 'offered'), 0) AS gross_offered_ha,
			       coalesce(sum(net_area_ha) FILTER (WHERE status = 'offered'), 0) AS net_offered_ha
			FROM parcels
			WHERE ended_at IS NULL AND ($1 OR publication = 'public')
			GROUP BY district_ags
		)
		SELECT json_build_object(
			'type', 'FeatureCollection',
			'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'id', d.ags,
				'geometry', ST_AsGeoJSON(ST_Transform(d.geom, 4326), 6)::json,
				'properties', json_build_object(
					'ags', d.ags, 'name', d.name, 'label', CASE WHEN d.ags = '14729' THEN 'Landkreis Leipzig' ELSE d.name END,
					'kind', d.kind, 'land', d.land,
					'area_km2', round(d.area_km2::numeric, 2),
					'parcels', coalesce(s.parcels, 0),
					'parcels_offered', coalesce(s.parcels_offered, 0),
					'gross_offered_ha', round(coalesce(s.gross_offered_ha, 0)::numeric, 2),
					'net_offered_ha', round(coalesce(s.net_offered_ha, 0)::numeric, 2),
					'parcels_href', '/ogcapi/collections/parcels/items?filter=' || 'district_ags%3D%27' || d.ags || '%27%20AND%20status%3D%27offered%27'
				)
			) ORDER BY d.ags), '[]'::json)
		)::text
		FROM districts d LEFT JOIN supply s ON s.district_ags = d.ags`, internal).Scan(&out)
	if err != nil {
		return nil, fmt.Errorf("district supply: %w", err)
	}
	return out, nil
}
