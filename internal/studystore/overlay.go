package studystore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/parcel"
	"landatlas/internal/study"
)

// OverlaySummary is how much of a selection lies in constraints of one kind and severity.
type OverlaySummary struct {
	Kind     string     `json:"kind"`
	Severity string     `json:"severity"`
	Label    study.Text `json:"label"`
	Parcels  int        `json:"parcels"`
	// NetHa is the net area of the parcels touched; AreaHa the gross area inside the constraint.
	NetHa  float64 `json:"net_ha"`
	AreaHa float64 `json:"area_ha"`
}

// ParcelOverlay is one parcel's constraint overlay.
type ParcelOverlay struct {
	ID          int64                  `json:"id"`
	Name        string                 `json:"name"`
	DistrictAGS string                 `json:"district_ags"`
	GrossHa     float64                `json:"gross_area_ha"`
	Constraints []study.ConstraintArea `json:"constraints"`
}

// Overlay is the constraint overlay of a selection: a summary by kind and severity, and a page of
// the constrained parcels with the share of each in every kind.
type Overlay struct {
	Summary []OverlaySummary `json:"summary"`
	Total   int              `json:"total"`
	Limit   int              `json:"limit"`
	Offset  int              `json:"offset"`
	Parcels []ParcelOverlay  `json:"parcels"`
}

// Overlay reads the constraint overlay (parcel_constraints, kept current by triggers) for the
// parcels of a selection.
func (s Store) Overlay(ctx context.Context, sel Selection, limit, offset int) (Overlay, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return Overlay{}, err
	}
	lim, off := q.arg(limit), q.arg(offset)
	var summary, parcels []byte
	var total int
	err = s.db.QueryRow(ctx, `
		WITH sel AS (
			SELECT t.id, t.name, t.district_ags::text AS district_ags, t.gross_area_ha, t.net_area_ha
			FROM `+from+` WHERE `+where(conds)+`
		), hit AS (
			SELECT sel.*, pc.kind, pc.severity, pc.area_ha, pc.share
			FROM sel JOIN parcel_constraints pc ON pc.parcel_id = sel.id
		), page AS (
			SELECT id FROM hit GROUP BY id ORDER BY id LIMIT `+lim+` OFFSET `+off+`
		)
		SELECT
			coalesce((SELECT json_agg(json_build_object('kind', kind, 'severity', severity, 'parcels', n,
			          'net_ha', round(net::numeric, 4), 'area_ha', round(area::numeric, 4)) ORDER BY kind, severity)
			          FROM (SELECT kind, severity, count(*) AS n, sum(net_area_ha) AS net, sum(area_ha) AS area
			                FROM hit GROUP BY 1, 2) k), '[]'),
			(SELECT count(DISTINCT id) FROM hit),
			coalesce((SELECT json_agg(json_build_object('id', id, 'name', name, 'district_ags', district_ags,
			          'gross_area_ha', round(gross_area_ha::numeric, 4), 'constraints', constraints) ORDER BY id)
			          FROM (SELECT hit.id, hit.name, hit.district_ags, hit.gross_area_ha,
			                       json_agg(json_build_object('kind', kind, 'severity', severity,
			                           'area_ha', round(area_ha::numeric, 4), 'share', round(share::numeric, 4)) ORDER BY kind, severity) AS constraints
			                FROM hit JOIN page USING (id) GROUP BY 1, 2, 3, 4) p), '[]')`, q.Values()...).Scan(&summary, &total, &parcels)
	if err != nil {
		return Overlay{}, fmt.Errorf("constraint overlay: %w", err)
	}
	out := Overlay{Total: total, Limit: limit, Offset: offset}
	if err := json.Unmarshal(summary, &out.Summary); err != nil {
		return Overlay{}, fmt.Errorf("constraint overlay: %w", err)
	}
	for i := range out.Summary {
		k, sev := codeText(parcel.ConstraintKinds(), out.Summary[i].Kind), codeText(parcel.Severities(), out.Summary[i].Severity)
		out.Summary[i].Label = study.Text{DE: k.DE + " (" + sev.DE + ")", EN: k.EN + " (" + sev.EN + ")"}
	}
	if err := json.Unmarshal(parcels, &out.Parcels); err != nil {
		return Overlay{}, fmt.Errorf("constraint overlay: %w", err)
	}
	return out, nil
}

func codeText(l parcel.CodeList, v string) study.Text {
	for _, c := range l.Codes {
		if c.Value == v {
			return study.Text{DE: c.DE, EN: c.EN}
		}
	}
	return study.Text{DE: v, EN: v}
}

// ParcelsGeoJSON returns a page of the parcels of a selection as a WGS84 GeoJSON FeatureCollection
// with numberMatched: the parcels behind a figure. Properties are the catalog's, as the reader
// may see them, plus each parcel's constraint shares.
func (s Store) ParcelsGeoJSON(ctx context.Context, sel Selection, limit, offset int) ([]byte, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	// Only the page's rows are built; they are read again from the same FROM (and placeholders) by id.
	var out []byte
	err = s.db.QueryRow(ctx, `
		WITH matched AS (SELECT t.id FROM `+from+` WHERE `+where(conds)+`),
		page AS (SELECT id FROM matched ORDER BY id LIMIT `+q.arg(limit)+` OFFSET `+q.arg(offset)+`)
		SELECT json_build_object('type', 'FeatureCollection', 'numberMatched', (SELECT count(*) FROM matched),
		       'features', coalesce((
		           SELECT json_agg(json_build_object('type', 'Feature', 'id', t.id,
		               'geometry', ST_AsGeoJSON(ST_Transform(t.geom, 4326), 6)::json,
		               'properties', `+propertiesSQL(sel.Internal)+` || jsonb_build_object('constraints', coalesce(
		                   (SELECT jsonb_agg(jsonb_build_object('kind', kind, 'severity', severity, 'share', round(share::numeric, 4))
		                                     ORDER BY kind, severity)
		                    FROM parcel_constraints pc WHERE pc.parcel_id = t.id), '[]'))) ORDER BY t.id)
		           FROM `+from+` WHERE t.id IN (SELECT id FROM page)), '[]'))::text`, q.Values()...).Scan(&out)
	if err != nil {
		return nil, fmt.Errorf("parcels: %w", err)
	}
	return out, nil
}

// geoJSONProperties are the properties of the parcels behind a figure: the export fields of the
// registry (the feature id is the parcel's id). Internal ones are left out for the public by the
// catalog.
var geoJSONProperties = func() []string {
	var names []string
	for _, f := range parcel.ParcelFields() {
		if f.Export && f.Name != "id" {
			names = append(names, f.Name)
		}
	}
	return names
}()

// propertiesSQL builds the jsonb object of geoJSONProperties a reader may see. jsonb_build_object
// takes at most 100 arguments, so it is built in parts and concatenated.
func propertiesSQL(internal bool) string {
	var props []string
	for _, name := range geoJSONProperties {
		if p, ok := parcelsCollection.Property(name, internal); ok {
			props = append(props, fmt.Sprintf("'%s', %s", name, p.PropertySQL(internal)))
		}
	}
	var parts []string
	for i := 0; i < len(props); i += 40 {
		parts = append(parts, "jsonb_build_object("+strings.Join(props[i:min(len(props), i+40)], ", ")+")")
	}
	return strings.Join(parts, " || ")
}

// ParcelIDs returns the ids of the parcels of a selection: what a study run stores to trace its
// figures to.
func (s Store) ParcelIDs(ctx context.Context, sel Selection) ([]int64, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT t.id FROM `+from+` WHERE `+where(conds)+` ORDER BY t.id`, q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("parcel ids: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("parcel ids: %w", err)
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids, nil
}
