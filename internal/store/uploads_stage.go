package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"landatlas/internal/apperr"
	"landatlas/internal/upload"
)

// StagedFeature is one feature of an upload as the importer read it.
type StagedFeature struct {
	Feature    int
	ExternalID string
	Attrs      map[string]any
	Fallback   map[string]any
	// WKB is the feature's polygons in the file's CRS, or nil when it has none to check.
	WKB []byte
}

// Stage streams features into the upload's staging rows with COPY, as next yields them; next
// returns ok false after the last one. Nothing is half-staged: an error of next or of the
// database rolls the whole COPY back.
func (s Uploads) Stage(ctx context.Context, id int64, next func() (StagedFeature, bool, error)) (int64, error) {
	src := pgx.CopyFromFunc(func() ([]any, error) {
		f, ok, err := next()
		if err != nil || !ok {
			return nil, err
		}
		var ext *string
		if f.ExternalID != "" {
			ext = &f.ExternalID
		}
		var fallback any
		if len(f.Fallback) > 0 {
			fallback = f.Fallback
		}
		return []any{id, f.Feature, ext, f.Attrs, fallback, f.WKB}, nil
	})
	n, err := s.DB.CopyFrom(ctx, pgx.Identifier{"upload_features"},
		[]string{"upload_id", "idx", "external_id", "attrs", "fallback", "raw_wkb"}, src)
	if err != nil {
		return n, fmt.Errorf("stage upload %d: %w", id, err)
	}
	return n, nil
}

// AddIssues stores issues an upload's check found at a stage (read, geometry, overlap).
func (s Uploads) AddIssues(ctx context.Context, id int64, stage string, issues []upload.Issue) error {
	if len(issues) == 0 {
		return nil
	}
	rows := make([][]any, len(issues))
	for i, is := range issues {
		rows[i] = []any{id, is.Feature, nullIfEmpty(is.ExternalID), nullIfEmpty(is.Field), string(is.Severity), is.Rule, is.DE, is.EN, stage, nullIfEmpty(is.Suggest)}
	}
	_, err := s.DB.CopyFrom(ctx, pgx.Identifier{"upload_issues"},
		[]string{"upload_id", "feature", "external_id", "field", "severity", "rule", "de", "en", "stage", "suggest"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("store issues of upload %d: %w", id, err)
	}
	return nil
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// RegionBoxes returns the extent of the nine districts, widened by upload.RegionMarginM, in each
// of the given CRSs. A CRS PostGIS does not know is refused.
func (s Uploads) RegionBoxes(ctx context.Context, srids []int) ([]upload.RegionBox, error) {
	rows, err := s.DB.Query(ctx, `
		WITH region AS (
			SELECT ST_Segmentize(ST_SetSRID(ST_Expand(ST_Extent(geom), $1)::geometry, 25832), 5000) AS g FROM districts
		)
		SELECT s.srid, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
		FROM region, unnest($2::int[]) AS s(srid)
		JOIN spatial_ref_sys r ON r.srid = s.srid,
		LATERAL (SELECT ST_Transform(region.g, s.srid)::box2d AS b) t`, float64(upload.RegionMarginM), srids)
	if err != nil {
		return nil, fmt.Errorf("region boxes: %w", err)
	}
	boxes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (upload.RegionBox, error) {
		var b upload.RegionBox
		err := r.Scan(&b.SRID, &b.Bound.Min[0], &b.Bound.Min[1], &b.Bound.Max[0], &b.Bound.Max[1])
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("region boxes: %w", err)
	}
	for _, srid := range srids {
		if !hasBox(boxes, srid) {
			return nil, apperr.New(apperr.Invalid, "EPSG:%d is not a coordinate reference system landatlas knows: give one such as EPSG:25832 or EPSG:25833", srid)
		}
	}
	return boxes, nil
}

func hasBox(boxes []upload.RegionBox, srid int) bool {
	for _, b := range boxes {
		if b.SRID == srid {
			return true
		}
	}
	return false
}

// CheckGeometry transforms the staged geometries of the features from..to from the file's CRS to
// EPSG:25832, repairs invalid ones with ST_MakeValid, finds each one's municipality and measures
// what the geometry rules need. Features whose centre lies outside box (the region in the file's
// CRS) are left alone: the importer reports them.
func (s Uploads) CheckGeometry(ctx context.Context, id int64, srid int, box orb.Bound, district string, from, to int) ([]upload.GeometryFacts, error) {
	var facts []upload.GeometryFacts
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		// The district is cut into pieces of at most 64 vertices: a parcel lies in one piece or
		// straddles a few, and either test is cheap, where one against the whole outline is not.
		rows, err := tx.Query(ctx, `
			WITH parts AS MATERIALIZED (
				SELECT ST_Subdivide(geom, 64) AS geom FROM districts WHERE ags = $9
			), muniparts AS MATERIALIZED (
				SELECT ags, name, ST_Subdivide(geom, 64) AS geom FROM municipalities WHERE district_ags = $9
			), src AS MATERIALIZED (
				SELECT f.idx, f.external_id, (f.attrs->>'net_area_given_ha')::float8 AS net_ha,
				       ST_Transform(ST_SetSRID(ST_GeomFromWKB(f.raw_wkb), $2), 25832) AS g
				FROM upload_features f
				WHERE f.upload_id = $1 AND f.idx BETWEEN $3 AND $4 AND f.raw_wkb IS NOT NULL
				  AND ST_Intersects(ST_Centroid(ST_Envelope(ST_GeomFromWKB(f.raw_wkb))), ST_MakeEnvelope($5, $6, $7, $8))
			), repaired AS MATERIALIZED (
				SELECT idx, external_id, net_ha, ST_IsValid(g) AS valid, ST_Area(g) AS area_before,
				       CASE WHEN ST_IsValid(g) THEN 0 ELSE ST_Area(ST_ConvexHull(g)) END AS hull_area,
				       CASE WHEN ST_IsValid(g) THEN '' ELSE ST_IsValidReason(g) END AS reason,
				       CASE WHEN ST_IsValid(g) THEN ST_Multi(g) ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END AS fixed
				FROM src
			), measured AS MATERIALIZED (
				SELECT r.*, ST_Area(r.fixed) AS area_after,
				       CASE WHEN ST_Area(r.fixed) = 0 THEN 0
				            WHEN EXISTS (SELECT 1 FROM parts p WHERE p.geom && r.fixed AND ST_CoveredBy(r.fixed, p.geom)) THEN 1
				            ELSE (SELECT coalesce(sum(ST_Area(ST_Intersection(r.fixed, p.geom))), 0) FROM parts p WHERE p.geom && r.fixed)
				                 / ST_Area(r.fixed) END AS inside,
				       -- The municipalities a parcel lies in, largest share first; none when one piece of a
				       -- municipality covers it, the common case, which needs no intersection.
				       CASE WHEN ST_Area(r.fixed) = 0 OR EXISTS (SELECT 1 FROM muniparts mp WHERE mp.geom && r.fixed AND ST_CoveredBy(r.fixed, mp.geom)) THEN NULL
				            ELSE (SELECT jsonb_agg(jsonb_build_object('ags', s.ags, 'name', s.name, 'share', s.share) ORDER BY s.share DESC) FROM (
				                SELECT mp.ags, min(mp.name) AS name, sum(ST_Area(ST_Intersection(r.fixed, mp.geom))) / ST_Area(r.fixed) AS share
				                FROM muniparts mp WHERE mp.geom && r.fixed GROUP BY mp.ags) s WHERE s.share > 0) END AS munis
				FROM repaired r
			)
			UPDATE upload_features u
			SET geom = CASE WHEN m.area_after > 0 THEN m.fixed END,
			    municipality_ags = CASE WHEN m.area_after > 0 THEN coalesce(m.munis -> 0 ->> 'ags',
			        (SELECT mu.ags FROM municipalities mu WHERE mu.district_ags = $9 AND ST_Intersects(mu.geom, ST_PointOnSurface(m.fixed)) LIMIT 1),
			        (SELECT mu.ags FROM municipalities mu WHERE mu.district_ags = $9 AND ST_Intersects(mu.geom, m.fixed)
			         ORDER BY ST_Area(ST_Intersection(mu.geom, m.fixed)) DESC LIMIT 1)) END
			FROM measured m
			WHERE u.upload_id = $1 AND u.idx = m.idx
			RETURNING m.idx, coalesce(m.external_id, ''), m.valid, m.reason, m.area_before, m.area_after, m.hull_area, m.inside, m.net_ha,
			    CASE WHEN m.inside < $10 AND m.area_after > 0 THEN (
			        SELECT CASE WHEN d.ags = '14729' THEN 'Landkreis Leipzig' ELSE d.name END FROM districts d
			        WHERE d.ags <> $9 AND ST_Intersects(d.geom, ST_PointOnSurface(m.fixed)) LIMIT 1) END,
			    coalesce(m.munis -> 0 ->> 'name', ''), coalesce((m.munis -> 0 ->> 'share')::float8, 1),
			    coalesce(m.munis -> 1 ->> 'name', ''), coalesce((m.munis -> 1 ->> 'share')::float8, 0)`,
			id, srid, from, to, box.Min[0], box.Min[1], box.Max[0], box.Max[1], district, upload.MinInsideDistrict)
		if err != nil {
			return err
		}
		facts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (upload.GeometryFacts, error) {
			var f upload.GeometryFacts
			var other *string
			err := r.Scan(&f.Feature, &f.ExternalID, &f.Valid, &f.Reason, &f.AreaBefore, &f.AreaAfter, &f.HullArea, &f.InsideDistrict, &f.NetAreaHa, &other,
				&f.Municipality, &f.InMunicipality, &f.OtherMunicipality, &f.InOther)
			if other != nil {
				f.MostlyIn = *other
			}
			return f, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("check geometry of upload %d: %w", id, err)
	}
	return facts, nil
}

// Overlaps finds staged features that overlap each other or a current parcel of another district,
// by more than upload.MinOverlapM2. Each overlap within the upload is returned for both features.
func (s Uploads) Overlaps(ctx context.Context, id int64, district string) ([]upload.Overlap, error) {
	var overlaps []upload.Overlap
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		// The upload's geometries go into a table of their own with its own spatial index. Over
		// the shared staging table the planner combines the spatial index with a range of the key
		// (idx > a.idx) and pairs the features quadratically; here it can only pair neighbours.
		for _, sql := range []string{
			`CREATE TEMP TABLE staged ON COMMIT DROP AS
			 SELECT idx, coalesce(external_id, '') AS external_id, geom FROM upload_features WHERE upload_id = $1 AND geom IS NOT NULL`,
			`CREATE INDEX ON staged USING gist (geom)`,
			`ANALYZE staged`,
		} {
			var args []any
			if strings.Contains(sql, "$1") {
				args = []any{id}
			}
			if _, err := tx.Exec(ctx, sql, args...); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `
		WITH pairs AS (
			SELECT a.idx AS a_idx, a.external_id AS a_id, b.idx AS b_idx, b.external_id AS b_id,
			       ST_Area(ST_Intersection(a.geom, b.geom)) AS area, ST_Area(a.geom) AS a_area, ST_Area(b.geom) AS b_area
			FROM staged a JOIN staged b ON b.geom && a.geom AND b.idx > a.idx
			WHERE ST_Relate(a.geom, b.geom, 'T********')
		)
		SELECT a_idx, a_id, b_idx, b_id, '', area, area / a_area FROM pairs WHERE area > $2
		UNION ALL
		SELECT b_idx, b_id, a_idx, a_id, '', area, area / b_area FROM pairs WHERE area > $2
		UNION ALL
		SELECT f.idx, f.external_id, 0, p.external_id,
		       CASE WHEN d.ags = '14729' THEN 'Landkreis Leipzig' ELSE d.name END,
		       ST_Area(ST_Intersection(f.geom, p.geom)), ST_Area(ST_Intersection(f.geom, p.geom)) / ST_Area(f.geom)
		FROM staged f
		JOIN parcels p ON p.ended_at IS NULL AND p.district_ags <> $1 AND p.geom && f.geom
		JOIN districts d ON d.ags = p.district_ags
		WHERE ST_Relate(f.geom, p.geom, 'T********') AND ST_Area(ST_Intersection(f.geom, p.geom)) > $2
		ORDER BY 1, 3`, district, upload.MinOverlapM2)
		if err != nil {
			return err
		}
		overlaps, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (upload.Overlap, error) {
			var o upload.Overlap
			err := r.Scan(&o.Feature, &o.ExternalID, &o.OtherFeature, &o.OtherID, &o.OtherDistrict, &o.AreaM2, &o.Share)
			return o, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("overlaps of upload %d: %w", id, err)
	}
	var out []upload.Overlap
	for _, o := range overlaps {
		if o.Share >= upload.MinOverlapShare {
			out = append(out, o)
		}
	}
	return out, nil
}

// DeleteIssues removes the issues of a stage, before the stage runs again.
func (s Uploads) DeleteIssues(ctx context.Context, id int64, stage string) error {
	if _, err := s.DB.Exec(ctx, `DELETE FROM upload_issues WHERE upload_id = $1 AND stage = $2`, id, stage); err != nil {
		return fmt.Errorf("delete %s issues of upload %d: %w", stage, id, err)
	}
	return nil
}
