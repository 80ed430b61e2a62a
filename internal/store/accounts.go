package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
)

// Account is a token holder as listed to admins; the token itself is never stored.
type Account struct {
	ID          int64
	Label       string
	Role        auth.Role
	DistrictAGS string
	CreatedAt   time.Time
	RevokedAt   *time.Time
	LastUsedAt  *time.Time
}

// Accounts stores accounts and their hashed tokens.
type Accounts struct{ DB *pgxpool.Pool }

// Create stores a new account for a token hash and returns its id.
func (s Accounts) Create(ctx context.Context, label string, role auth.Role, districtAGS string, tokenHash []byte) (int64, error) {
	if (role == auth.Editor) != (districtAGS != "") {
		return 0, apperr.New(apperr.Invalid, "an editor needs --district, other roles take none")
	}
	var district *string
	if districtAGS != "" {
		district = &districtAGS
	}
	var id int64
	err := s.DB.QueryRow(ctx, `
		INSERT INTO accounts (label, role, district_ags, token_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
		label, string(role), district, tokenHash).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create account: %w", err)
	}
	return id, s.Audit(ctx, &id, "token.create", label, nil)
}

// List returns all accounts, newest first.
func (s Accounts) List(ctx context.Context) ([]Account, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT id, label, role, coalesce(district_ags, ''), created_at, revoked_at, last_used_at
		FROM accounts ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) {
		var a Account
		err := r.Scan(&a.ID, &a.Label, &a.Role, &a.DistrictAGS, &a.CreatedAt, &a.RevokedAt, &a.LastUsedAt)
		return a, err
	})
}

// Revoke ends an account's token; it is kept for the audit trail.
func (s Accounts) Revoke(ctx context.Context, id int64) error {
	tag, err := s.DB.Exec(ctx, `UPDATE accounts SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, id)
	if err != nil {
		return fmt.Errorf("revoke account: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.New(apperr.NotFound, "no active account with id %d", id)
	}
	return s.Audit(ctx, &id, "token.revoke", fmt.Sprint(id), nil)
}

// Authenticate finds the active account of a token and notes its use: last_used_at on every
// request, and a "token.use" entry in the audit log at the first use in each hour, so the log
// shows when every token was used without a row per request (every write is audited on its own).
// A revoked token that is tried again is audited as "token.refused".
func (s Accounts) Authenticate(ctx context.Context, token string) (*auth.Principal, error) {
	var p auth.Principal
	hash := auth.HashToken(token)
	err := s.DB.QueryRow(ctx, `
		WITH prev AS (
			SELECT id, last_used_at FROM accounts WHERE token_hash = $1 AND revoked_at IS NULL FOR UPDATE
		), used AS (
			UPDATE accounts a SET last_used_at = now() FROM prev WHERE a.id = prev.id
			RETURNING a.id, a.label, a.role, coalesce(a.district_ags, '') AS district_ags
		), audited AS (
			INSERT INTO audit_log (account_id, action, subject)
			SELECT id, 'token.use', 'first use this hour' FROM prev
			WHERE last_used_at IS NULL OR last_used_at < date_trunc('hour', now())
		)
		SELECT id, label, role, district_ags FROM used`, hash).
		Scan(&p.AccountID, &p.Label, &p.Role, &p.DistrictAGS)
	if errors.Is(err, pgx.ErrNoRows) {
		_, _ = s.DB.Exec(ctx, `
			INSERT INTO audit_log (account_id, action, subject)
			SELECT id, 'token.refused', 'revoked token used' FROM accounts WHERE token_hash = $1`, hash)
		return nil, apperr.New(apperr.Unauthorized, "the bearer token is unknown or revoked: ask an admin for a new one (landatlas token create)")
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	return &p, nil
}

// Audit records an action in the audit log.
func (s Accounts) Audit(ctx context.Context, accountID *int64, action, subject string, detail any) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO audit_log (account_id, action, subject, detail) VALUES ($1, $2, $3, $4)`,
		accountID, action, subject, detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
