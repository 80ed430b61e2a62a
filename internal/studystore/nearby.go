package studystore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/query"
	"landatlas/internal/study"
)

// NearbyRequest asks for the parcels of a selection near a point or a parcel: those within
// DistanceM (when above 0), at most K of them (when above 0), nearest first.
type NearbyRequest struct {
	Selection
	// Lon, Lat is a WGS84 point; used when ParcelID is 0.
	Lon, Lat  float64
	ParcelID  int64
	DistanceM float64
	K         int
	// Offset skips the nearest parcels, to page through those within DistanceM.
	Offset int
}

// NearbyParcel is a parcel with its distance from the origin (0 when they touch).
type NearbyParcel struct {
	ID             int64   `json:"id"`
	Name           string  `json:"name"`
	DistrictAGS    string  `json:"district_ags"`
	UseType        string  `json:"use_type"`
	PlanningStatus string  `json:"planning_status"`
	Availability   string  `json:"availability"`
	Status         string  `json:"status"`
	NetHa          float64 `json:"net_area_ha"`
	DistanceM      float64 `json:"distance_m"`
}

// Nearby is the answer of a nearby search. Total counts the parcels within the distance (nil
// without one: the k nearest have no total; 0 also when the page is past the end).
type Nearby struct {
	Total   *int           `json:"total,omitempty"`
	Parcels []NearbyParcel `json:"parcels"`
}

// Nearby finds parcels near a point or a parcel, with the distance in metres on the stored
// metric geometry. The reference parcel must be visible to the reader, else it is not found,
// and it is not listed itself.
func (s Store) Nearby(ctx context.Context, r NearbyRequest) (Nearby, error) {
	var q stmt
	var origin string
	if r.ParcelID == 0 {
		origin = fmt.Sprintf("ST_Transform(ST_SetSRID(ST_Point(%s, %s), 4326), 25832)", q.arg(r.Lon), q.arg(r.Lat))
	} else {
		ref, err := query.Selection{Collection: parcelsCollection, Internal: r.Internal, Time: query.At(r.AsOf), IDs: []int64{r.ParcelID}}.Build(&q.Args)
		if err != nil {
			return Nearby{}, err
		}
		origin = "(SELECT t.geom FROM " + ref.From + ref.WhereClause() + ")"
		var exists bool
		if err := s.db.QueryRow(ctx, "SELECT "+origin+" IS NOT NULL", q.Values()...).Scan(&exists); err != nil {
			return Nearby{}, fmt.Errorf("nearby: %w", err)
		}
		if !exists {
			return Nearby{}, apperr.New(apperr.NotFound, "parcel: no parcel %d (at this date, for this reader)", r.ParcelID)
		}
	}
	from, conds, err := q.selection(r.Selection)
	if err != nil {
		return Nearby{}, err
	}
	if r.ParcelID != 0 {
		conds = append(conds, "t.id <> "+q.arg(r.ParcelID))
	}
	total := "NULL::bigint"
	if r.DistanceM > 0 {
		conds = append(conds, "ST_DWithin(t.geom, "+origin+", "+q.arg(r.DistanceM)+")")
		total = "count(*) OVER ()"
	}
	// The nearest are found by walking the spatial index (ORDER BY <-> alone, with the origin
	// written out, not joined); equal distances are then ordered by id among a few more than asked.
	inner, limit := "ALL", "ALL"
	if r.K > 0 {
		inner, limit = q.arg(r.K+r.Offset+20), q.arg(r.K)
	}
	rows, err := s.db.Query(ctx, `
		SELECT * FROM (
			SELECT t.id, t.name, t.district_ags::text, t.use_type::text, t.planning_status::text, t.availability::text,
			       t.status::text, t.net_area_ha, ST_Distance(t.geom, `+origin+`) AS distance, `+total+`
			FROM `+from+`
			WHERE `+where(conds)+`
			ORDER BY t.geom <-> `+origin+`
			LIMIT `+inner+`) n
		ORDER BY distance, id
		LIMIT `+limit+` OFFSET `+q.arg(r.Offset), q.Values()...)
	if err != nil {
		return Nearby{}, fmt.Errorf("nearby: %w", err)
	}
	out := Nearby{Parcels: []NearbyParcel{}}
	var count *int64
	var p NearbyParcel
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Name, &p.DistrictAGS, &p.UseType, &p.PlanningStatus, &p.Availability,
		&p.Status, &p.NetHa, &p.DistanceM, &count}, func() error {
		p.NetHa, p.DistanceM = study.Round(p.NetHa, 4), study.Round(p.DistanceM, 2)
		out.Parcels = append(out.Parcels, p)
		return nil
	})
	if err != nil {
		return Nearby{}, fmt.Errorf("nearby: %w", err)
	}
	if r.DistanceM > 0 {
		n := 0
		if count != nil {
			n = int(*count)
		}
		out.Total = &n
	}
	return out, nil
}
