package store

import (
	"context"
	"fmt"

	"landatlas/internal/catalog"
	"landatlas/internal/query"

	"github.com/jackc/pgx/v5/pgxpool"
)

// parcelsCollection is the catalog's parcels: their joins, queryables and visibility.
var parcelsCollection, _ = catalog.ByID("parcels")

// Districts answers questions about the nine districts.
type Districts struct{ DB *pgxpool.Pool }

// SupplyGeoJSON returns the nine districts as a WGS84 GeoJSON FeatureCollection with their parcel
// counts and gross/net area on offer. With internal false only public parcels count, so the public
// cannot learn of internal parcels from the figures.
func (s Districts) SupplyGeoJSON(ctx context.Context, internal bool) ([]byte, error) {
	a := &query.Args{}
	sel, err := query.Selection{Collection: parcelsCollection, Internal: internal}.Build(a)
	if err != nil {
		return nil, fmt.Errorf("district supply: %w", err)
	}
	var out []byte
	err = s.DB.QueryRow(ctx, `
		WITH supply AS (
			SELECT t.district_ags,
			       count(*) AS parcels,
			       count(*) FILTER (WHERE t.status = 'offered') AS parcels_offered,
			       coalesce(sum(t.gross_area_ha) FILTER (WHERE t.status = 'offered'), 0) AS gross_offered_ha,
			       coalesce(sum(t.net_area_ha) FILTER (WHERE t.status = 'offered'), 0) AS net_offered_ha
			FROM `+sel.From+sel.WhereClause()+`
			GROUP BY t.district_ags
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
		FROM districts d LEFT JOIN supply s ON s.district_ags = d.ags`, a.Values()...).Scan(&out)
	if err != nil {
		return nil, fmt.Errorf("district supply: %w", err)
	}
	return out, nil
}
