package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/upload"
)

// RevertPlan is what reverting an upload would do: its preview counts the parcels it would
// re-open (New), restore to their earlier values (Changed) and end (Ended: those the upload
// created or re-opened). Conflicts lists the later changes that touched the same parcels; while
// there are any, the upload cannot be reverted.
type RevertPlan struct {
	UploadID  int64            `json:"upload_id"`
	Preview   upload.Preview   `json:"preview"`
	Conflicts []RevertConflict `json:"conflicts"`
}

// RevertConflict is a later change of some of the parcels an upload touched.
type RevertConflict struct {
	UploadID *int64    `json:"upload_id,omitempty"`
	Kind     string    `json:"kind,omitempty"`
	Filename string    `json:"filename,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Parcels  int       `json:"parcels"`
}

// versionKeys are the columns of a parcel's state that are not its content: bookkeeping, derived
// values and the keys of parcel_versions (the trigger parcels_keep_history names the same).
var versionKeys = []string{"valid_from", "valid_to", "history_id", "changed_by", "upload_id",
	"dist_motorway_m", "dist_rail_terminal_m", "dist_airport_m", "dist_port_m",
	"gross_area_ha", "net_area_ha", "net_area_estimated", "size_class"}

// planRevert fills the temporary table revert_plan for upload id inside tx: each parcel the
// upload touched, the version before it (none for a parcel it created), what a revert does with
// it, the fields that change, and whether a later change touched it since.
func planRevert(ctx context.Context, tx pgx.Tx, id int64) error {
	_, err := tx.Exec(ctx, `
		CREATE TEMP TABLE revert_plan ON COMMIT DROP AS
		WITH mine AS (
			SELECT v.id, v.valid_from, v.ended_at, v.geom, v.name, v.external_id, to_jsonb(v) - $2::text[] - 'geom' AS content
			FROM parcel_versions v WHERE v.upload_id = $1
		), planned AS (
			SELECT m.id, m.external_id, coalesce(b.name, m.name) AS name, m.valid_from AS mine_from, b.history_id AS before_id,
			       m.ended_at AS mine_ended, b.ended_at AS before_ended, m.content AS mine_content,
			       to_jsonb(b) - $2::text[] - 'geom' AS before_content, m.geom AS mine_geom, b.geom AS before_geom,
			       (to_jsonb(p) - $2::text[] - 'geom') IS DISTINCT FROM m.content OR NOT ST_Equals(p.geom, m.geom) AS conflict
			FROM mine m
			JOIN parcels p ON p.id = m.id
			LEFT JOIN LATERAL (
				SELECT h.* FROM parcel_history h WHERE h.id = m.id AND h.valid_to = m.valid_from ORDER BY h.valid_from DESC LIMIT 1
			) b ON true
		)
		SELECT id, external_id, name, mine_from, before_id, conflict,
		       CASE WHEN before_id IS NULL OR (before_ended IS NOT NULL AND mine_ended IS NULL) THEN 'end'
		            WHEN before_ended IS NULL AND mine_ended IS NOT NULL THEN 'reopen'
		            ELSE 'restore' END AS action,
		       round((ST_Area(coalesce(before_geom, mine_geom)) / 1e4)::numeric, 4)::float8 AS area_ha,
		       CASE WHEN before_id IS NULL THEN NULL ELSE (
		           SELECT jsonb_object_agg(k, jsonb_build_object('old', mine_content -> k, 'new', before_content -> k))
		           FROM jsonb_object_keys(before_content) k
		           WHERE k <> 'ended_at' AND mine_content -> k IS DISTINCT FROM before_content -> k) END
		       || CASE WHEN before_id IS NOT NULL AND NOT ST_Equals(mine_geom, before_geom) THEN jsonb_build_object('geometry', jsonb_build_object(
		              'old', jsonb_build_object('area_ha', round((ST_Area(mine_geom) / 1e4)::numeric, 4)),
		              'new', jsonb_build_object('area_ha', round((ST_Area(before_geom) / 1e4)::numeric, 4)))) ELSE '{}' END AS fields
		FROM planned`, id, versionKeys)
	if err != nil {
		return fmt.Errorf("plan revert of upload %d: %w", id, err)
	}
	return nil
}

// revertPreview reads the plan back as a preview and the conflicts.
func revertPreview(ctx context.Context, tx pgx.Tx, id int64, mode upload.Mode) (RevertPlan, error) {
	plan := RevertPlan{UploadID: id, Conflicts: []RevertConflict{}}
	var raw []byte
	err := tx.QueryRow(ctx, `
		SELECT json_build_object(
			'mode', $2::text,
			'new', (SELECT count(*) FROM revert_plan WHERE action = 'reopen'),
			'changed', (SELECT count(*) FROM revert_plan WHERE action = 'restore'),
			'unchanged', 0,
			'ended', (SELECT count(*) FROM revert_plan WHERE action = 'end'),
			'new_parcels', coalesce((SELECT json_agg(json_build_object('parcel_id', id, 'external_id', external_id, 'name', name, 'area_ha', area_ha) ORDER BY external_id)
				FROM (SELECT * FROM revert_plan WHERE action = 'reopen' ORDER BY external_id LIMIT $1) x), '[]'),
			'changed_parcels', coalesce((SELECT json_agg(json_build_object('parcel_id', id, 'external_id', external_id, 'name', name, 'area_ha', area_ha,
				'fields', coalesce(fields, '{}')) ORDER BY external_id)
				FROM (SELECT * FROM revert_plan WHERE action = 'restore' ORDER BY external_id LIMIT $1) x), '[]'),
			'unchanged_parcels', '[]'::json,
			'ended_parcels', coalesce((SELECT json_agg(json_build_object('parcel_id', id, 'external_id', external_id, 'name', name, 'area_ha', area_ha) ORDER BY external_id)
				FROM (SELECT * FROM revert_plan WHERE action = 'end' ORDER BY external_id LIMIT $1) x), '[]'),
			'listed_per_kind', $1::int)::text`, upload.PreviewedParcels, string(mode)).Scan(&raw)
	if err != nil {
		return plan, fmt.Errorf("preview revert of upload %d: %w", id, err)
	}
	if err := json.Unmarshal(raw, &plan.Preview); err != nil {
		return plan, err
	}
	// A parcel is in the way when its current content is not what the upload made of it (an
	// upload reverted since and its revert cancel out); its later versions name who changed it.
	rows, err := tx.Query(ctx, `
		SELECT v.upload_id, coalesce(u.kind, ''), coalesce(u.filename, ''), coalesce(u.changed_by, min(v.changed_by)),
		       max(v.valid_from), count(DISTINCT v.id)::int
		FROM revert_plan r
		JOIN parcel_versions v ON v.id = r.id AND v.valid_from > r.mine_from
		LEFT JOIN uploads u ON u.id = v.upload_id
		WHERE r.conflict
		GROUP BY v.upload_id, u.kind, u.filename, u.changed_by
		ORDER BY max(v.valid_from) DESC`)
	if err != nil {
		return plan, fmt.Errorf("later changes of upload %d: %w", id, err)
	}
	plan.Conflicts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (RevertConflict, error) {
		var c RevertConflict
		err := r.Scan(&c.UploadID, &c.Kind, &c.Filename, &c.By, &c.At, &c.Parcels)
		return c, err
	})
	if err != nil {
		return plan, fmt.Errorf("later changes of upload %d: %w", id, err)
	}
	if plan.Conflicts == nil {
		plan.Conflicts = []RevertConflict{}
	}
	return plan, nil
}

// revertable loads an upload for a revert and says why it cannot be reverted, if it cannot.
func revertable(ctx context.Context, tx pgx.Tx, id int64) (ags string, mode upload.Mode, err error) {
	var status upload.Status
	var revertedBy *int64
	err = tx.QueryRow(ctx, `SELECT district_ags, mode, status, reverted_by FROM uploads WHERE id = $1`, id).Scan(&ags, &mode, &status, &revertedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", apperr.New(apperr.NotFound, "there is no upload %d", id)
	}
	if err != nil {
		return "", "", fmt.Errorf("upload %d: %w", id, err)
	}
	if status != upload.Applied {
		return "", "", apperr.New(apperr.Conflict, "upload %d was not published (%s): there is nothing to revert", id, status)
	}
	if revertedBy != nil {
		return "", "", apperr.New(apperr.Conflict, "upload %d was reverted already, by upload %d: revert %d to publish it again", id, *revertedBy, *revertedBy)
	}
	return ags, mode, nil
}

// RevertPlan shows what reverting an upload would change, and the later changes that stand in
// its way.
func (s Uploads) RevertPlan(ctx context.Context, id int64) (RevertPlan, error) {
	var plan RevertPlan
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		_, mode, err := revertable(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := planRevert(ctx, tx, id); err != nil {
			return err
		}
		plan, err = revertPreview(ctx, tx, id, mode)
		return err
	})
	return plan, err
}

// conflictError names the later changes that keep an upload from being reverted.
func conflictError(id int64, cs []RevertConflict) error {
	var names []string
	for _, c := range cs {
		what := "a change without upload"
		if c.UploadID != nil {
			what = fmt.Sprintf("upload %d", *c.UploadID)
			if c.Filename != "" {
				what += " (" + c.Filename + ")"
			}
		}
		names = append(names, fmt.Sprintf("%s by %s at %s, %d parcel(s)", what, c.By, c.At.Format(time.RFC3339), c.Parcels))
	}
	return apperr.New(apperr.Conflict, "upload %d cannot be reverted: later changes touched the same parcels: %s. Revert them first, newest first",
		id, strings.Join(names, "; "))
}

// Revert undoes an applied upload in one transaction under the district's lock: every parcel it
// touched gets the state it had before (parcels it ended are re-opened under their ids, earlier
// attributes and geometry come back, parcels it created are ended). The revert is an upload of
// its own (kind revert) made by, so the history names who reverted what and when. If a later
// change touched the same parcels, nothing is done and the error is a Conflict naming it.
func (s Uploads) Revert(ctx context.Context, id int64, accountID *int64, by string) (Upload, error) {
	var revertID int64
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		ags, mode, err := revertable(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := lockDistrict(ctx, tx, ags); err != nil {
			return err
		}
		// Reloaded under the lock: a revert of the same upload may just have finished.
		if _, _, err := revertable(ctx, tx, id); err != nil {
			return err
		}
		if err := planRevert(ctx, tx, id); err != nil {
			return err
		}
		plan, err := revertPreview(ctx, tx, id, mode)
		if err != nil {
			return err
		}
		if len(plan.Conflicts) > 0 {
			return conflictError(id, plan.Conflicts)
		}
		var filename string
		if err := tx.QueryRow(ctx, `SELECT filename FROM uploads WHERE id = $1`, id).Scan(&filename); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO uploads (district_ags, account_id, changed_by, mode, filename, status, kind, reverts, preview,
			                     progress, previewed_at, applied_at)
			VALUES ($1, $2, $3, $4, $5, 'applied', 'revert', $6, $7, '{"phase": "applied"}', now(), now()) RETURNING id`,
			ags, accountID, by, string(mode), filename, id, plan.Preview).Scan(&revertID)
		if err != nil {
			return fmt.Errorf("record revert of upload %d: %w", id, err)
		}
		if err := writeRevert(ctx, tx, id, revertID, by, plan.Preview); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE uploads SET reverted_by = $2, updated_at = now() WHERE id = $1`, id, revertID); err != nil {
			return fmt.Errorf("mark upload %d reverted: %w", id, err)
		}
		return auditTx(ctx, tx, accountID, "upload.revert", fmt.Sprintf("upload %d", id), map[string]any{
			"district": ags, "by": by, "revert": revertID,
			"reopened": plan.Preview.New, "restored": plan.Preview.Changed, "ended": plan.Preview.Ended})
	})
	if err != nil {
		return Upload{}, err
	}
	return s.Get(ctx, revertID)
}

// writeRevert writes the planned states: each parcel with an earlier version gets its content
// back (the trigger keeps the state being undone in the history), the others are ended.
func writeRevert(ctx context.Context, tx pgx.Tx, id, revertID int64, by string, p upload.Preview) error {
	rows, err := tx.Query(ctx, `
		SELECT attname FROM pg_attribute
		WHERE attrelid = 'parcels'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' AND attidentity = ''
		  AND attname <> ALL ($1::text[]) AND attname <> 'ended_at'
		ORDER BY attnum`, versionKeys)
	if err != nil {
		return err
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("parcel columns: %w", err)
	}
	own := make([]string, len(cols))
	earlier := make([]string, len(cols))
	for i, c := range cols {
		own[i] = pgx.Identifier{c}.Sanitize()
		earlier[i] = "h." + own[i]
	}
	// An earlier ended state is ended again now: a state cannot end before it begins.
	tag, err := tx.Exec(ctx, `
		UPDATE parcels p SET (`+strings.Join(own, ", ")+`) = (`+strings.Join(earlier, ", ")+`),
		       ended_at = CASE WHEN h.ended_at IS NOT NULL THEN now() END, changed_by = $2, upload_id = $1
		FROM revert_plan r JOIN parcel_history h ON h.history_id = r.before_id
		WHERE p.id = r.id AND r.before_id IS NOT NULL`, revertID, by)
	if err != nil {
		return fmt.Errorf("revert upload %d (restore parcels): %w", id, err)
	}
	restored := int(tag.RowsAffected())
	tag, err = tx.Exec(ctx, `
		UPDATE parcels p SET ended_at = now(), changed_by = $2, upload_id = $1
		FROM revert_plan r WHERE p.id = r.id AND r.before_id IS NULL AND p.ended_at IS NULL`, revertID, by)
	if err != nil {
		return fmt.Errorf("revert upload %d (end created parcels): %w", id, err)
	}
	created := int(tag.RowsAffected())
	var want, wantCreated int
	if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE before_id IS NOT NULL), count(*) FILTER (WHERE before_id IS NULL) FROM revert_plan`).
		Scan(&want, &wantCreated); err != nil {
		return err
	}
	if restored != want || created != wantCreated || restored+created != p.New+p.Changed+p.Ended {
		return fmt.Errorf("revert upload %d: %d parcels restored and %d ended, the plan had %d and %d: rolled back", id, restored, created, want, wantCreated)
	}
	return nil
}
