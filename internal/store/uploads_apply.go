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
	"landatlas/internal/region"
	"landatlas/internal/upload"
)

// Apply publishes exactly what an upload's preview showed, in one transaction under the
// district's lock: changed parcels get the new values, new ones are inserted, and in replace
// mode the parcels the file lacked are ended (never deleted). Every change becomes a version in
// the parcels' history, recorded with who made it and through which upload. If the district's
// parcels changed since the preview, nothing is applied and the error is a Conflict. So it is
// when the upload would end many parcels (upload.EndingsNeedConfirmation) and confirmEnded is not
// their exact number: nobody ends a large part of a district by accident, scripts neither.
func (s Uploads) Apply(ctx context.Context, id int64, accountID *int64, confirmEnded int) (Upload, error) {
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var ags string
		err := tx.QueryRow(ctx, `SELECT district_ags FROM uploads WHERE id = $1`, id).Scan(&ags)
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.New(apperr.NotFound, "there is no upload %d", id)
		}
		if err != nil {
			return err
		}
		if err := lockDistrict(ctx, tx, ags); err != nil {
			return err
		}
		var u struct {
			status      upload.Status
			message     string
			fingerprint string
			current     string
			changedBy   string
			previewedAt *time.Time
			appliedAt   *time.Time
			confirms    bool
			report      upload.Report
			preview     upload.Preview
		}
		var report, preview []byte
		err = tx.QueryRow(ctx, `
			SELECT status, coalesce(message, ''), coalesce(fingerprint, ''), district_fingerprint(district_ags), changed_by,
			       previewed_at, applied_at, report, preview, confirms_unchanged
			FROM uploads WHERE id = $1 FOR UPDATE`, id).
			Scan(&u.status, &u.message, &u.fingerprint, &u.current, &u.changedBy, &u.previewedAt, &u.appliedAt, &report, &preview, &u.confirms)
		if err != nil {
			return fmt.Errorf("upload %d: %w", id, err)
		}
		if err := applicable(id, u.status, u.message, u.appliedAt); err != nil {
			return err
		}
		if err := json.Unmarshal(report, &u.report); err != nil {
			return err
		}
		if err := json.Unmarshal(preview, &u.preview); err != nil {
			return err
		}
		if u.report.Errors > 0 {
			return apperr.New(apperr.Invalid, "upload %d has %d errors: nothing can be published until the file is corrected and uploaded again", id, u.report.Errors)
		}
		if err := editBaseHolds(ctx, tx, id); err != nil {
			return err
		}
		if u.fingerprint != u.current {
			d, _ := region.DistrictByAGS(ags)
			return apperr.New(apperr.Conflict, "the parcels of %s changed since upload %d was previewed (%s): nothing was applied. Preview it again (POST /api/v1/uploads/%d/preview, or run the import again), check the changes and apply then",
				d.Label(), id, u.previewedAt.Format(time.RFC3339), id)
		}
		if err := endingsConfirmed(ctx, tx, id, ags, u.preview.Ended, confirmEnded); err != nil {
			return err
		}
		if err := writeChanges(ctx, tx, id, ags, u.changedBy, u.preview); err != nil {
			return err
		}
		if u.confirms {
			if err := confirmUnchanged(ctx, tx, id, u.changedBy); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `
			UPDATE uploads SET status = 'applied', applied_at = now(), updated_at = now(),
			       progress = jsonb_set(progress, '{phase}', '"applied"')
			WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("mark upload %d applied: %w", id, err)
		}
		err = auditTx(ctx, tx, accountID, "upload.apply", fmt.Sprintf("upload %d", id), map[string]any{
			"district": ags, "by": u.changedBy, "new": u.preview.New, "changed": u.preview.Changed, "ended": u.preview.Ended})
		if err != nil {
			return err
		}
		return s.holdOpen(ctx)
	})
	if err != nil {
		return Upload{}, err
	}
	return s.Get(ctx, id)
}

// confirmUnchanged confirms as current the parcels a file that is the district's current state
// leaves unchanged: their last_confirmed becomes today, recorded as this upload's version.
func confirmUnchanged(ctx context.Context, tx pgx.Tx, id int64, by string) error {
	_, err := tx.Exec(ctx, `
		UPDATE parcels p SET last_confirmed = current_date, changed_by = $2, upload_id = $1
		FROM upload_features f
		WHERE f.upload_id = $1 AND f.action = 'unchanged' AND p.id = f.parcel_id AND p.ended_at IS NULL
		  AND p.last_confirmed IS DISTINCT FROM current_date`, id, by)
	if err != nil {
		return fmt.Errorf("apply upload %d (confirm unchanged parcels): %w", id, err)
	}
	return nil
}

// endingsConfirmed refuses to end many of a district's parcels unless confirmed is their number.
func endingsConfirmed(ctx context.Context, tx pgx.Tx, id int64, ags string, ended, confirmed int) error {
	var current int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM parcels WHERE district_ags = $1 AND ended_at IS NULL`, ags).Scan(&current); err != nil {
		return fmt.Errorf("count parcels of %s: %w", ags, err)
	}
	if !upload.EndingsNeedConfirmation(ended, current) || confirmed == ended {
		return nil
	}
	d, _ := region.DistrictByAGS(ags)
	if confirmed != 0 {
		return apperr.New(apperr.Conflict, "upload %d would end %d parcels of %s, not %d: nothing was applied. Check the parcels it ends and confirm their exact number (confirm_ended=%d)",
			id, ended, d.Label(), confirmed, ended)
	}
	return apperr.New(apperr.Conflict, "upload %d would end %d of the %d current parcels of %s: nothing was applied. If that is meant (the file is the full data set), confirm the number: apply with confirm_ended=%d",
		id, ended, current, d.Label(), ended)
}

// holdOpen waits ApplyDelay inside the apply transaction: the window the crash test kills the
// process in. It is zero outside that test.
func (s Uploads) holdOpen(ctx context.Context) error {
	if s.ApplyDelay <= 0 {
		return nil
	}
	select {
	case <-time.After(s.ApplyDelay):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func applicable(id int64, status upload.Status, message string, appliedAt *time.Time) error {
	switch status {
	case upload.Ready:
		return nil
	case upload.Applied:
		return apperr.New(apperr.Conflict, "upload %d was applied already (%s)", id, appliedAt.Format(time.RFC3339))
	case upload.Failed:
		return apperr.New(apperr.Conflict, "upload %d failed and cannot be applied: %s", id, message)
	case upload.Invalid:
		return apperr.New(apperr.Invalid, "upload %d has errors: nothing can be published until the file is corrected and uploaded again", id)
	}
	return apperr.New(apperr.Conflict, "upload %d is still being checked (%s): apply it when its status is ready", id, status)
}

// writeChanges performs the preview's changes and checks that each step touched as many parcels
// as the preview said: apply publishes exactly what was previewed, or nothing.
func writeChanges(ctx context.Context, tx pgx.Tx, id int64, ags, by string, p upload.Preview) error {
	cols := upload.Columns()
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = fmt.Sprintf("%s = CASE WHEN f.attrs ? '%s' THEN r.%s ELSE p.%s END", c, c, c, c)
	}
	d, _ := region.DistrictByAGS(ags)
	defaults, err := json.Marshal(upload.Defaults("Datenlieferung " + d.Label()))
	if err != nil {
		return err
	}
	steps := []struct {
		what string
		want int
		sql  string
		args []any
	}{
		{"changed", p.Changed, `
			UPDATE parcels p SET ` + strings.Join(set, ", ") + `,
			       municipality_ags = coalesce(f.municipality_ags, p.municipality_ags),
			       geom = CASE WHEN f.changes ? 'geometry' THEN f.geom ELSE p.geom END,
			       ended_at = NULL, changed_by = $2, upload_id = $1
			FROM upload_features f, LATERAL jsonb_populate_record(NULL::parcels, f.attrs) r
			WHERE f.upload_id = $1 AND f.action = 'changed' AND p.id = f.parcel_id`, []any{id, by}},
		{"new", p.New, `
			INSERT INTO parcels (district_ags, external_id, municipality_ags, ` + strings.Join(cols, ", ") + `, geom, changed_by, upload_id)
			SELECT $3, f.external_id, f.municipality_ags, r.` + strings.Join(cols, ", r.") + `, f.geom, $2, $1
			FROM upload_features f,
			     LATERAL jsonb_populate_record(NULL::parcels, $4::jsonb || jsonb_build_object('last_confirmed', current_date)
			         || coalesce(f.fallback, '{}') || jsonb_strip_nulls(f.attrs)) r
			WHERE f.upload_id = $1 AND f.action = 'new'
			ORDER BY f.idx`, []any{id, by, ags, defaults}},
		{"ended", p.Ended, `
			UPDATE parcels p SET ended_at = now(), changed_by = $2, upload_id = $1
			FROM upload_endings e WHERE e.upload_id = $1 AND p.id = e.parcel_id AND p.ended_at IS NULL`, []any{id, by}},
	}
	for _, st := range steps {
		tag, err := tx.Exec(ctx, st.sql, st.args...)
		if err != nil {
			return fmt.Errorf("apply upload %d (%s parcels): %w", id, st.what, err)
		}
		if int(tag.RowsAffected()) != st.want {
			return fmt.Errorf("apply upload %d: %d %s parcels written, the preview showed %d: rolled back", id, tag.RowsAffected(), st.what, st.want)
		}
	}
	return nil
}
