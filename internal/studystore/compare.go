package studystore

import (
	"context"
	"fmt"
	"time"

	"landatlas/internal/study"
)

// MapOverview draws the districts and large sites for a printed page (see mapOverview).
func (s Store) MapOverview(ctx context.Context, scope study.Scope, sites []study.LargeSite) (study.MapOverview, error) {
	return s.mapOverview(ctx, scope, sites)
}

// ParcelChanges lists the parcels behind the changes between two times, as the reader may see
// them: new, ended, sold, status changed (other than to sold), availability changed, a
// restriction (constraint kind and severity) added or removed. Each kind with its parcel ids and
// their net area at the later time (the earlier for ended ones).
func (s Store) ParcelChanges(ctx context.Context, internal bool, from, to time.Time) ([]study.ParcelChange, error) {
	var q stmt
	fromA, condsA, err := q.selection(Selection{Internal: internal, AsOf: from})
	if err != nil {
		return nil, err
	}
	fromB, condsB, err := q.selection(Selection{Internal: internal, AsOf: to})
	if err != nil {
		return nil, err
	}
	overlayA, overlayB := q.overlayAt(from), q.overlayAt(to)
	rows, err := s.db.Query(ctx, `
		WITH a AS (SELECT t.id, t.status::text AS status, t.availability::text AS availability, t.net_area_ha FROM `+fromA+` WHERE `+where(condsA)+`),
		     b AS (SELECT t.id, t.status::text AS status, t.availability::text AS availability, t.net_area_ha FROM `+fromB+` WHERE `+where(condsB)+`),
		     c AS (
			SELECT CASE WHEN a.id IS NULL THEN 'new' WHEN b.id IS NULL THEN 'ended'
			            WHEN a.status <> 'sold' AND b.status = 'sold' THEN 'sold'
			            WHEN a.status <> b.status THEN 'status_changed' END AS kind,
			       coalesce(b.id, a.id) AS id, coalesce(b.net_area_ha, a.net_area_ha) AS net_ha
			FROM a FULL JOIN b ON a.id = b.id
			UNION ALL
			SELECT 'availability_changed', b.id, b.net_area_ha FROM a JOIN b ON a.id = b.id WHERE a.availability <> b.availability
			UNION ALL
			SELECT DISTINCT 'restriction_removed', b.id, b.net_area_ha FROM a JOIN b ON a.id = b.id
			JOIN (SELECT parcel_id, kind, severity FROM `+overlayA+` EXCEPT SELECT parcel_id, kind, severity FROM `+overlayB+`) r ON r.parcel_id = b.id
			UNION ALL
			SELECT DISTINCT 'restriction_added', b.id, b.net_area_ha FROM a JOIN b ON a.id = b.id
			JOIN (SELECT parcel_id, kind, severity FROM `+overlayB+` EXCEPT SELECT parcel_id, kind, severity FROM `+overlayA+`) r ON r.parcel_id = b.id)
		SELECT kind, array_agg(id ORDER BY id), sum(net_ha) FROM c WHERE kind IS NOT NULL GROUP BY kind`, q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("parcel changes: %w", err)
	}
	defer rows.Close()
	got := map[string]study.ParcelChange{}
	for rows.Next() {
		var c study.ParcelChange
		if err := rows.Scan(&c.Kind, &c.IDs, &c.NetHa); err != nil {
			return nil, fmt.Errorf("parcel changes: %w", err)
		}
		c.Parcels, c.NetHa = len(c.IDs), study.Round(c.NetHa, 4)
		got[c.Kind] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("parcel changes: %w", err)
	}
	var out []study.ParcelChange
	for _, k := range study.ChangeKinds {
		c, ok := got[k.Kind]
		if !ok {
			c = study.ParcelChange{Kind: k.Kind, IDs: []int64{}}
		}
		c.Label = k.Label
		out = append(out, c)
	}
	return out, nil
}
