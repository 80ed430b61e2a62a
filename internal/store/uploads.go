package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/apperr"
	"landatlas/internal/upload"
)

// Uploads stores district uploads: the upload records, their staged features and issues, the
// preview of what applying would change, and the one transaction that applies it.
type Uploads struct {
	DB *pgxpool.Pool
	// ApplyDelay holds an apply transaction open this long before it commits. It exists for the
	// crash test only (LANDATLAS_TEST_APPLY_DELAY), which kills the process inside the window.
	ApplyDelay time.Duration
}

// Upload is one upload of a district's file.
type Upload struct {
	ID          int64
	DistrictAGS string
	AccountID   *int64
	// ChangedBy is who the applied changes are recorded as: the account's label, or the operator
	// of the command line.
	ChangedBy string
	Mode      upload.Mode
	Filename  string
	Format    string
	CRSParam  int // the crs parameter, 0 when the file's own CRS is to be used
	Layer     string
	Mapping   upload.Mapping // the district's saved mapping merged with the upload's own
	Status    upload.Status
	Message   string // why an upload failed
	Progress  upload.Progress
	// Report and Preview are the JSON of upload.Report and upload.Preview, or nil before they exist.
	Report      json.RawMessage
	Preview     json.RawMessage
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PreviewedAt *time.Time
	AppliedAt   *time.Time
	// Kind is file, revert, edit or confirm (migration 004).
	Kind string
	// Reverts is the upload a revert undoes; RevertedBy the revert that undid this one.
	Reverts    *int64
	RevertedBy *int64
	// ConfirmsUnchanged: the file is the district's current state, so the parcels it leaves
	// unchanged are confirmed as current when it is applied.
	ConfirmsUnchanged bool
}

// NewUpload is what creating an upload needs.
type NewUpload struct {
	DistrictAGS string
	AccountID   *int64
	ChangedBy   string
	Mode        upload.Mode
	Filename    string
	CRSParam    int
	Layer       string
	Mapping     upload.Mapping // the upload's own mapping, added to the district's saved one
	// ConfirmsUnchanged: "Datei ist aktueller Stand", the parcels left unchanged are confirmed.
	ConfirmsUnchanged bool
	// Kind is "" (a file) or edit: a change made in the browser, read without the district's
	// saved mapping (it names fields as landatlas does). EditParcel and EditBase name the parcel
	// an edit changes and the state it started from.
	Kind       string
	EditParcel *int64
	EditBase   *time.Time
}

// Create records a new upload, with the district's saved mapping merged into its own, and audits it.
func (s Uploads) Create(ctx context.Context, n NewUpload) (Upload, error) {
	saved, err := s.Mapping(ctx, n.DistrictAGS)
	if err != nil {
		return Upload{}, err
	}
	kind := "file"
	if n.Kind == "edit" {
		kind, saved = "edit", upload.Mapping{}
	}
	mapping, err := json.Marshal(saved.Merge(n.Mapping))
	if err != nil {
		return Upload{}, err
	}
	var crs *int
	if n.CRSParam != 0 {
		crs = &n.CRSParam
	}
	var id int64
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO uploads (district_ags, account_id, changed_by, mode, filename, crs_param, layer, mapping, progress, confirms_unchanged,
			                     kind, edit_parcel, edit_base)
			VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''), $8, $9, $10, $11, $12, $13) RETURNING id`,
			n.DistrictAGS, n.AccountID, n.ChangedBy, string(n.Mode), n.Filename, crs, n.Layer, mapping,
			upload.Progress{Phase: upload.Received}, n.ConfirmsUnchanged, kind, n.EditParcel, n.EditBase).Scan(&id)
		if err != nil {
			return fmt.Errorf("create upload: %w", err)
		}
		return auditTx(ctx, tx, n.AccountID, "upload.create", fmt.Sprintf("upload %d", id), map[string]any{
			"district": n.DistrictAGS, "mode": n.Mode, "filename": n.Filename, "by": n.ChangedBy})
	})
	if err != nil {
		return Upload{}, err
	}
	return s.Get(ctx, id)
}

const uploadColumns = `id, district_ags, account_id, changed_by, mode, filename, coalesce(format, ''),
	coalesce(crs_param, 0), coalesce(layer, ''), mapping, status, coalesce(message, ''), progress, report, preview,
	created_at, updated_at, previewed_at, applied_at, kind, reverts, reverted_by, confirms_unchanged`

func scanUpload(row pgx.Row) (Upload, error) {
	var u Upload
	var mapping []byte
	err := row.Scan(&u.ID, &u.DistrictAGS, &u.AccountID, &u.ChangedBy, &u.Mode, &u.Filename, &u.Format,
		&u.CRSParam, &u.Layer, &mapping, &u.Status, &u.Message, &u.Progress, &u.Report, &u.Preview,
		&u.CreatedAt, &u.UpdatedAt, &u.PreviewedAt, &u.AppliedAt, &u.Kind, &u.Reverts, &u.RevertedBy, &u.ConfirmsUnchanged)
	if err != nil {
		return u, err
	}
	return u, json.Unmarshal(mapping, &u.Mapping)
}

// Get returns an upload.
func (s Uploads) Get(ctx context.Context, id int64) (Upload, error) {
	u, err := scanUpload(s.DB.QueryRow(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, apperr.New(apperr.NotFound, "there is no upload %d", id)
	}
	if err != nil {
		return u, fmt.Errorf("get upload %d: %w", id, err)
	}
	return u, nil
}

// UploadFilter selects uploads for a list; the list runs from the newest, Before (an id) pages on.
type UploadFilter struct {
	DistrictAGS string
	Status      upload.Status
	Before      int64
	Limit       int
}

// List returns uploads, newest first, without their report and with only the counts of their preview.
func (s Uploads) List(ctx context.Context, f UploadFilter) ([]Upload, error) {
	where := []string{"true"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.DistrictAGS != "" {
		add("district_ags = $%d", f.DistrictAGS)
	}
	if f.Status != "" {
		add("status = $%d", string(f.Status))
	}
	if f.Before > 0 {
		add("id < $%d", f.Before)
	}
	args = append(args, f.Limit)
	sql := `SELECT ` + uploadColumnsWithoutDocuments + ` FROM uploads WHERE ` + strings.Join(where, " AND ") +
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args))
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Upload, error) { return scanUpload(r) })
}

const uploadColumnsWithoutDocuments = `id, district_ags, account_id, changed_by, mode, filename, coalesce(format, ''),
	coalesce(crs_param, 0), coalesce(layer, ''), mapping, status, coalesce(message, ''), progress, NULL::jsonb,
	preview - '{new_parcels,changed_parcels,unchanged_parcels,ended_parcels}'::text[],
	created_at, updated_at, previewed_at, applied_at, kind, reverts, reverted_by, confirms_unchanged`

// SetProgress records how far the worker is.
func (s Uploads) SetProgress(ctx context.Context, id int64, p upload.Progress) error {
	_, err := s.DB.Exec(ctx, `UPDATE uploads SET status = $2, progress = $3, updated_at = now() WHERE id = $1`,
		id, string(p.Phase), p)
	if err != nil {
		return fmt.Errorf("upload %d progress: %w", id, err)
	}
	return nil
}

// SetFormat records what the file was read as.
func (s Uploads) SetFormat(ctx context.Context, id int64, format, layer string) error {
	_, err := s.DB.Exec(ctx, `UPDATE uploads SET format = $2, layer = nullif($3, ''), updated_at = now() WHERE id = $1`, id, format, layer)
	if err != nil {
		return fmt.Errorf("upload %d format: %w", id, err)
	}
	return nil
}

// Fail marks an upload as failed: its file could not be read. The message says why, for the uploader.
func (s Uploads) Fail(ctx context.Context, id int64, message string) error {
	_, err := s.DB.Exec(ctx, `
		UPDATE uploads SET status = 'failed', message = $2, updated_at = now(),
		       progress = jsonb_set(progress, '{phase}', '"failed"')
		WHERE id = $1 AND status <> 'applied'`, id, message)
	if err != nil {
		return fmt.Errorf("fail upload %d: %w", id, err)
	}
	return nil
}

// Touch notes that an upload waiting for or in the hands of a worker is alive: a worker touches
// its uploads more often than Interrupted's idle time.
func (s Uploads) Touch(ctx context.Context, id int64) error {
	_, err := s.DB.Exec(ctx, `UPDATE uploads SET updated_at = now() WHERE id = $1 AND status IN ('received', 'reading', 'checking')`, id)
	if err != nil {
		return fmt.Errorf("touch upload %d: %w", id, err)
	}
	return nil
}

// Unfinished returns those of ids that are still waiting for or in the hands of a worker.
func (s Uploads) Unfinished(ctx context.Context, ids []int64) (map[int64]bool, error) {
	rows, err := s.DB.Query(ctx, `SELECT id FROM uploads WHERE id = ANY ($1) AND status IN ('received', 'reading', 'checking')`, ids)
	if err != nil {
		return nil, fmt.Errorf("unfinished uploads: %w", err)
	}
	out := map[int64]bool{}
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error { out[id] = true; return nil })
	if err != nil {
		return nil, fmt.Errorf("unfinished uploads: %w", err)
	}
	return out, nil
}

// Interrupted marks as failed the uploads a worker was busy with and that have not moved for a
// while: the process that read them is gone (a restart or a crash) or could not record how they
// ended (the database was unreachable). It returns how many.
func (s Uploads) Interrupted(ctx context.Context, idle time.Duration) (int64, error) {
	tag, err := s.DB.Exec(ctx, `
		UPDATE uploads SET status = 'failed', updated_at = now(), progress = jsonb_set(progress, '{phase}', '"failed"'),
		       message = 'interrupted: the server stopped, or lost its database, while reading or checking the file; upload it again'
		WHERE status IN ('received', 'reading', 'checking') AND updated_at < now() - make_interval(secs => $1)`, idle.Seconds())
	if err != nil {
		return 0, fmt.Errorf("mark interrupted uploads: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Expire removes the staged features, issues and endings of uploads finished for longer than age:
// the report and the preview stay with the upload, the bulk goes. A checked upload that was never
// applied cannot be applied any more and is marked failed. It returns how many uploads expired.
func (s Uploads) Expire(ctx context.Context, age time.Duration) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			WITH old AS (
				SELECT id FROM uploads u
				WHERE status IN ('ready', 'invalid', 'failed', 'applied') AND updated_at < now() - make_interval(secs => $1)
				  AND (EXISTS (SELECT 1 FROM upload_features f WHERE f.upload_id = u.id)
				       OR EXISTS (SELECT 1 FROM upload_issues i WHERE i.upload_id = u.id))
			), features AS (
				DELETE FROM upload_features WHERE upload_id IN (SELECT id FROM old)
			), issues AS (
				DELETE FROM upload_issues WHERE upload_id IN (SELECT id FROM old)
			), endings AS (
				DELETE FROM upload_endings WHERE upload_id IN (SELECT id FROM old)
			), unapplied AS (
				UPDATE uploads SET status = 'failed', progress = jsonb_set(progress, '{phase}', '"failed"'),
				       message = 'expired: it was checked but not applied for too long; upload the file again'
				WHERE id IN (SELECT id FROM old) AND status = 'ready'
			)
			SELECT count(*) FROM old`, age.Seconds()).Scan(&n)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("expire uploads: %w", err)
	}
	return n, nil
}

// Mapping returns a district's saved mapping (empty when it has none).
func (s Uploads) Mapping(ctx context.Context, ags string) (upload.Mapping, error) {
	var m upload.Mapping
	err := s.DB.QueryRow(ctx, `SELECT mapping FROM district_mappings WHERE district_ags = $1`, ags).Scan(&m)
	if errors.Is(err, pgx.ErrNoRows) {
		return upload.Mapping{}, nil
	}
	if err != nil {
		return m, fmt.Errorf("mapping of %s: %w", ags, err)
	}
	return m, nil
}

// SaveMapping replaces a district's saved mapping and audits it.
func (s Uploads) SaveMapping(ctx context.Context, ags string, m upload.Mapping, accountID *int64, by string) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO district_mappings (district_ags, mapping, updated_by) VALUES ($1, $2, $3)
			ON CONFLICT (district_ags) DO UPDATE SET mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = now()`,
			ags, m, by)
		if err != nil {
			return fmt.Errorf("save mapping of %s: %w", ags, err)
		}
		return auditTx(ctx, tx, accountID, "mapping.update", ags, m)
	})
}

// Audit records an action on an upload in the audit log.
func (s Uploads) Audit(ctx context.Context, accountID *int64, action string, id int64, detail any) error {
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		return auditTx(ctx, tx, accountID, action, fmt.Sprintf("upload %d", id), detail)
	})
}

func auditTx(ctx context.Context, tx pgx.Tx, accountID *int64, action, subject string, detail any) error {
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (account_id, action, subject, detail) VALUES ($1, $2, $3, $4)`,
		accountID, action, subject, detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
