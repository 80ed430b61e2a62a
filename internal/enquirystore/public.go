package enquirystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/catalog"
)

// PublicRecord is a parcel or site as the public sees it now: the catalog's public properties
// only, and its outline as SVG path data in EPSG:25832 (y pointing down, as SVG draws it).
type PublicRecord struct {
	Collection catalog.Collection
	Properties map[string]any
	SVG        string
	// LabelX, LabelY are a point inside the outline; Box is xmin, ymin, xmax, ymax (SVG y).
	LabelX, LabelY float64
	Box            [4]float64
}

// publicSelect is, per collection, the statement of one record's public properties: built once
// from the catalog (its identifiers, its public rule), with the id as the only parameter.
var publicSelect = map[string]string{}

func init() {
	for _, c := range []catalog.Collection{parcelsCollection, sitesCollection} {
		var cols []string
		for _, p := range c.Visible(false) {
			cols = append(cols, p.PropertySQL(false)+" AS "+strconv.Quote(p.Name))
		}
		publicSelect[c.ID] = `
			SELECT to_jsonb(x) - '__geom', ST_AsSVG(x.__geom, 0, 1), ST_X(l.p), -ST_Y(l.p),
			       ST_XMin(x.__geom), -ST_YMax(x.__geom), ST_XMax(x.__geom), -ST_YMin(x.__geom)
			FROM (SELECT ` + strings.Join(cols, ", ") + `, ` + c.Geom + ` AS __geom FROM ` + c.FromClause("") +
			` WHERE ` + visibleWhere(c, false) + ` AND ` + c.IDColumn + ` = $1) x
			CROSS JOIN LATERAL (SELECT ST_PointOnSurface(x.__geom) AS p) l`
	}
}

// PublicRecord returns a parcel ("parcel") or site ("site") as the public may see it now, and
// false if the public may not see it (internal, ended or unknown): the check is the catalog's,
// made at every read, so a record hidden after it was proposed is no longer shown.
func (s Store) PublicRecord(ctx context.Context, kind string, id int64) (PublicRecord, bool, error) {
	c := parcelsCollection
	if kind == "site" {
		c = sitesCollection
	}
	rec := PublicRecord{Collection: c}
	var props []byte
	err := s.DB.QueryRow(ctx, publicSelect[c.ID], id).Scan(&props, &rec.SVG, &rec.LabelX, &rec.LabelY,
		&rec.Box[0], &rec.Box[1], &rec.Box[2], &rec.Box[3])
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, fmt.Errorf("public %s %d: %w", kind, id, err)
	}
	if err := json.Unmarshal(props, &rec.Properties); err != nil {
		return rec, false, fmt.Errorf("public %s %d: %w", kind, id, err)
	}
	return rec, true, nil
}

// DistrictOutlines returns the outlines of the districts within a box (SVG y, EPSG:25832) as
// SVG path data, clipped to the box: the background of a proposal's map.
func (s Store) DistrictOutlines(ctx context.Context, box [4]float64) ([]string, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT ST_AsSVG(ST_Boundary(ST_Intersection(d.geom, e.env)), 0, 0)
		FROM districts d, (SELECT ST_MakeEnvelope($1, $2, $3, $4, 25832) AS env) e
		WHERE d.geom && e.env ORDER BY d.ags`, box[0], -box[3], box[2], -box[1])
	if err != nil {
		return nil, fmt.Errorf("district outlines: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("district outlines: %w", err)
	}
	return out, nil
}
