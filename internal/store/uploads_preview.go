package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/upload"
)

// districtLockClass is the first key of the advisory lock that serializes the previews and applies
// of one district (the second key is its AGS); uploads of different districts run in parallel.
const districtLockClass = 7342005

// lockDistrict takes the district's lock for the rest of the transaction. Every writer of a
// district's parcels through landatlas takes it.
func lockDistrict(ctx context.Context, tx pgx.Tx, ags string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2::int)`, districtLockClass, ags); err != nil {
		return fmt.Errorf("lock district %s: %w", ags, err)
	}
	return nil
}

// Conclude makes the report and the change preview of a checked upload and sets its status:
// ready without errors, invalid with. It holds the district's lock, so the preview and the
// fingerprint apply compares describe one state of the district's parcels.
func (s Uploads) Conclude(ctx context.Context, id int64, report upload.Report) (Upload, error) {
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var ags string
		var mode upload.Mode
		if err := tx.QueryRow(ctx, `SELECT district_ags, mode FROM uploads WHERE id = $1`, id).Scan(&ags, &mode); err != nil {
			return fmt.Errorf("upload %d: %w", id, err)
		}
		if err := lockDistrict(ctx, tx, ags); err != nil {
			return err
		}
		if err := diff(ctx, tx, id, ags, mode); err != nil {
			return err
		}
		preview, err := previewJSON(ctx, tx, id)
		if err != nil {
			return err
		}
		if preview, err = markEndings(preview); err != nil {
			return err
		}
		if err := fillReport(ctx, tx, id, &report); err != nil {
			return err
		}
		status := upload.Ready
		if report.Errors > 0 {
			status = upload.Invalid
		}
		progress := upload.Progress{Phase: status, Read: report.Features, Validated: report.Features}
		_, err = tx.Exec(ctx, `
			UPDATE uploads SET status = $2, report = $3, preview = $4, progress = $5, message = NULL,
			       fingerprint = district_fingerprint(district_ags), previewed_at = now(), updated_at = now()
			WHERE id = $1`, id, string(status), report, preview, progress)
		return err
	})
	if err != nil {
		return Upload{}, fmt.Errorf("conclude upload %d: %w", id, err)
	}
	return s.Get(ctx, id)
}

// diff matches the staged features to the district's parcels by external id and records for each
// what applying would do: new, changed (with each changed field, old and new) or unchanged; in
// replace mode also the current parcels the file lacks, which would be ended. A feature changes
// the fields it carries; a geometry that moved by less than a centimetre is unchanged.
func diff(ctx context.Context, tx pgx.Tx, id int64, ags string, mode upload.Mode) error {
	cols := upload.Columns()
	oldCols := make([]string, len(cols))
	newCols := make([]string, len(cols))
	for i, c := range cols {
		oldCols[i] = "p." + c
		newCols[i] = "r." + c
	}
	steps := []struct {
		sql  string
		args []any
	}{
		{`UPDATE upload_features SET action = NULL, parcel_id = NULL, changes = NULL WHERE upload_id = $1`, []any{id}},
		{`DELETE FROM upload_endings WHERE upload_id = $1`, []any{id}},
		{`
		WITH matched AS (
			SELECT f.idx, p.id AS parcel_id, f.attrs, f.geom AS new_geom, p.geom AS old_geom,
			       (SELECT to_jsonb(o) FROM (SELECT ` + strings.Join(oldCols, ", ") + `, p.municipality_ags, p.ended_at) o) AS old,
			       (SELECT to_jsonb(n) FROM (SELECT ` + strings.Join(newCols, ", ") + `, f.municipality_ags, NULL::timestamptz AS ended_at) n) AS new
			FROM upload_features f
			JOIN parcels p ON p.district_ags = $2 AND p.external_id = f.external_id
			CROSS JOIN LATERAL jsonb_populate_record(NULL::parcels, f.attrs) r
			WHERE f.upload_id = $1
		), compared AS (
			SELECT m.idx, m.parcel_id,
			       (SELECT jsonb_object_agg(k, jsonb_build_object('old', m.old -> k, 'new', m.new -> k))
			        FROM jsonb_object_keys(m.new) k
			        WHERE (m.attrs ? k OR k = 'ended_at' OR (k = 'municipality_ags' AND m.new_geom IS NOT NULL))
			          AND m.old -> k IS DISTINCT FROM m.new -> k) AS changes,
			       m.new_geom IS NOT NULL AND NOT (m.old_geom = m.new_geom OR ST_HausdorffDistance(m.old_geom, m.new_geom) < 0.01) AS moved,
			       ST_Area(m.old_geom) AS old_area, ST_Area(m.new_geom) AS new_area
			FROM matched m
		)
		UPDATE upload_features u
		SET parcel_id = c.parcel_id,
		    changes = CASE WHEN c.moved THEN coalesce(c.changes, '{}') || jsonb_build_object('geometry', jsonb_build_object(
		                  'old', jsonb_build_object('area_ha', round((c.old_area / 1e4)::numeric, 4)),
		                  'new', jsonb_build_object('area_ha', round((c.new_area / 1e4)::numeric, 4))))
		              ELSE c.changes END,
		    action = CASE WHEN c.changes IS NULL AND NOT c.moved THEN 'unchanged' ELSE 'changed' END
		FROM compared c
		WHERE u.upload_id = $1 AND u.idx = c.idx`, []any{id, ags}},
		{`UPDATE upload_features SET action = 'new' WHERE upload_id = $1 AND action IS NULL AND external_id IS NOT NULL`, []any{id}},
	}
	if mode == upload.Replace {
		steps = append(steps, struct {
			sql  string
			args []any
		}{`
		INSERT INTO upload_endings (upload_id, parcel_id)
		SELECT $1, p.id FROM parcels p
		WHERE p.district_ags = $2 AND p.ended_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM upload_features f WHERE f.upload_id = $1 AND f.external_id = p.external_id)`, []any{id, ags}})
	}
	for _, st := range steps {
		if _, err := tx.Exec(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("preview upload %d: %w", id, err)
		}
	}
	return nil
}

// previewJSON renders the recorded diff as an upload.Preview, listing up to
// upload.PreviewedParcels parcels of each kind.
func previewJSON(ctx context.Context, tx pgx.Tx, id int64) ([]byte, error) {
	var out []byte
	err := tx.QueryRow(ctx, `
		WITH f AS (
			SELECT f.idx, f.external_id, f.parcel_id, f.action, f.changes,
			       coalesce(f.attrs ->> 'name', f.fallback ->> 'name') AS name,
			       round((ST_Area(f.geom) / 1e4)::numeric, 4) AS area_ha, (f.attrs ->> 'net_area_given_ha')::float8 AS net_ha
			FROM upload_features f WHERE f.upload_id = $1
		)
		SELECT json_build_object(
			'mode', (SELECT mode FROM uploads WHERE id = $1),
			'new', (SELECT count(*) FROM f WHERE action = 'new'),
			'changed', (SELECT count(*) FROM f WHERE action = 'changed'),
			'unchanged', (SELECT count(*) FROM f WHERE action = 'unchanged'),
			'ended', (SELECT count(*) FROM upload_endings WHERE upload_id = $1),
			'new_parcels', coalesce((SELECT json_agg(json_build_object('feature', idx, 'external_id', external_id,
				'name', name, 'area_ha', area_ha, 'net_area_ha', net_ha) ORDER BY idx)
				FROM (SELECT * FROM f WHERE action = 'new' ORDER BY idx LIMIT $2) x), '[]'),
			'changed_parcels', coalesce((SELECT json_agg(json_build_object('feature', idx, 'parcel_id', parcel_id,
				'external_id', external_id, 'name', name, 'area_ha', area_ha, 'net_area_ha', net_ha, 'fields', changes) ORDER BY idx)
				FROM (SELECT * FROM f WHERE action = 'changed' ORDER BY idx LIMIT $2) x), '[]'),
			'unchanged_parcels', coalesce((SELECT json_agg(json_build_object('feature', idx, 'parcel_id', parcel_id,
				'external_id', external_id, 'name', name, 'area_ha', area_ha) ORDER BY idx)
				FROM (SELECT * FROM f WHERE action = 'unchanged' ORDER BY idx LIMIT $2) x), '[]'),
			'ended_parcels', coalesce((SELECT json_agg(json_build_object('parcel_id', p.id, 'external_id', p.external_id,
				'name', p.name, 'area_ha', round(p.gross_area_ha::numeric, 4)) ORDER BY p.external_id)
				FROM (SELECT p.* FROM upload_endings e JOIN parcels p ON p.id = e.parcel_id
				      WHERE e.upload_id = $1 ORDER BY p.external_id LIMIT $2) p), '[]'),
			'listed_per_kind', $2::int,
			'district_current', (SELECT count(*) FROM parcels p JOIN uploads u ON u.district_ags = p.district_ags
			                     WHERE u.id = $1 AND p.ended_at IS NULL)
		)::text`, id, upload.PreviewedParcels).Scan(&out)
	if err != nil {
		return nil, fmt.Errorf("preview of upload %d: %w", id, err)
	}
	return out, nil
}

// markEndings sets in a preview whether its endings need their number confirmed.
func markEndings(preview []byte) ([]byte, error) {
	var p upload.Preview
	if err := json.Unmarshal(preview, &p); err != nil {
		return nil, err
	}
	p.ConfirmEnded = upload.EndingsNeedConfirmation(p.Ended, p.Current)
	return json.Marshal(p)
}

// fillReport adds the counts and the first issues from the stored issues to a report.
func fillReport(ctx context.Context, tx pgx.Tx, id int64, r *upload.Report) error {
	rows, err := tx.Query(ctx, `
		SELECT rule, severity, count(*)::int FROM upload_issues WHERE upload_id = $1
		GROUP BY rule, severity ORDER BY severity, count(*) DESC, rule`, id)
	if err != nil {
		return fmt.Errorf("report of upload %d: %w", id, err)
	}
	r.ByRule, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (upload.RuleCount, error) {
		var c upload.RuleCount
		err := row.Scan(&c.Rule, &c.Severity, &c.Count)
		return c, err
	})
	if err != nil {
		return fmt.Errorf("report of upload %d: %w", id, err)
	}
	r.Errors, r.Warnings = 0, 0
	for _, c := range r.ByRule {
		if c.Severity == upload.Error {
			r.Errors += c.Count
		} else {
			r.Warnings += c.Count
		}
	}
	rows, err = tx.Query(ctx, `
		SELECT feature, coalesce(external_id, ''), coalesce(field, ''), severity, rule, de, en, coalesce(suggest, '')
		FROM upload_issues WHERE upload_id = $1
		ORDER BY severity, feature, rule LIMIT $2`, id, upload.ReportedIssues)
	if err != nil {
		return fmt.Errorf("report of upload %d: %w", id, err)
	}
	r.Issues, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (upload.Issue, error) {
		var i upload.Issue
		err := row.Scan(&i.Feature, &i.ExternalID, &i.Field, &i.Severity, &i.Rule, &i.DE, &i.EN, &i.Suggest)
		return i, err
	})
	if err != nil {
		return fmt.Errorf("report of upload %d: %w", id, err)
	}
	r.NotListed = max(0, r.Errors+r.Warnings-len(r.Issues))
	return nil
}
