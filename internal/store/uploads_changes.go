package store

import (
	"context"
	"fmt"
	"io"
)

// ChangesGeoJSON writes the changes of an upload's preview as a WGS84 GeoJSON FeatureCollection
// for the map: new and changed parcels with their changed fields, features with errors, and the
// parcels a replace would end (with their current geometry). Rows stream from PostGIS to w.
func (s Uploads) ChangesGeoJSON(ctx context.Context, id int64, w io.Writer) error {
	rows, err := s.DB.Query(ctx, `
		WITH errors AS (
			SELECT feature, count(*) AS n FROM upload_issues WHERE upload_id = $1 AND severity = 'error' GROUP BY feature
		)
		SELECT json_build_object('type', 'Feature', 'id', x.fid,
		       'geometry', ST_AsGeoJSON(ST_Transform(x.geom, 4326), 7)::json, 'properties', x.props)::text
		FROM (
			SELECT 'f' || f.idx AS fid, f.geom, json_build_object('feature', f.idx, 'action', coalesce(f.action, 'none'),
			       'external_id', f.external_id, 'parcel_id', f.parcel_id,
			       'name', coalesce(f.attrs ->> 'name', f.fallback ->> 'name'),
			       'changes', f.changes, 'errors', coalesce(e.n, 0)) AS props, f.idx AS ord
			FROM upload_features f LEFT JOIN errors e ON e.feature = f.idx
			WHERE f.upload_id = $1 AND f.geom IS NOT NULL AND (f.action IN ('new', 'changed') OR e.n > 0)
			UNION ALL
			SELECT 'p' || p.id, p.geom, json_build_object('action', 'ended', 'external_id', p.external_id,
			       'parcel_id', p.id, 'name', p.name, 'errors', 0), 2147483647
			FROM upload_endings u JOIN parcels p ON p.id = u.parcel_id
			WHERE u.upload_id = $1
		) x
		ORDER BY x.ord, x.fid`, id)
	if err != nil {
		return fmt.Errorf("changes of upload %d: %w", id, err)
	}
	defer rows.Close()
	// The first row is read before the first byte is written, so that a query that fails at once
	// is answered with an error and not with the start of a document.
	more := rows.Next()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("changes of upload %d: %w", id, err)
	}
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	for first := true; more; first, more = false, rows.Next() {
		var feature []byte
		if err := rows.Scan(&feature); err != nil {
			return fmt.Errorf("changes of upload %d: %w", id, err)
		}
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		if _, err := w.Write(feature); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("changes of upload %d: %w", id, err)
	}
	_, err = io.WriteString(w, "]}\n")
	return err
}
