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

// Authenticate finds the active account of a token and notes its use. It takes no row lock an
// open transaction could hold: the account is read without FOR UPDATE (an apply's audit insert
// holds a key-share lock on its editor's row for the whole apply), last_used_at is written at most
// once per LastUsedInterval and skips a row another transaction has locked, and a "token.use"
// entry goes to the audit log at the first use in each hour, so the log shows when every token
// was used without a row per request (every write is audited on its own). A revoked token that is
// tried again is audited as "token.refused" once an hour, not on every request.
func (s Accounts) Authenticate(ctx context.Context, token string) (*auth.Principal, error) {
	var p auth.Principal
	var lastUsed *time.Time
	hash := auth.HashToken(token)
	err := s.DB.QueryRow(ctx, `
		SELECT id, label, role, coalesce(district_ags, ''), last_used_at
		FROM accounts WHERE token_hash = $1 AND revoked_at IS NULL`, hash).
		Scan(&p.AccountID, &p.Label, &p.Role, &p.DistrictAGS, &lastUsed)
	if errors.Is(err, pgx.ErrNoRows) {
		s.auditRefused(ctx, hash)
		return nil, apperr.New(apperr.Unauthorized, "the bearer token is unknown or revoked: ask an admin for a new one (landatlas token create)")
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if lastUsed == nil || time.Since(*lastUsed) >= LastUsedInterval {
		s.noteUse(ctx, p.AccountID)
	}
	return &p, nil
}

// LastUsedInterval is how stale an account's last_used_at may get: writing it on every request
// would make every authenticated read a write.
const LastUsedInterval = time.Minute

// noteUse sets last_used_at and audits the first use in an hour. A row locked by another
// transaction is skipped (a concurrent request is noting the same use), so a read never waits for
// it; a failure is not the request's failure either.
func (s Accounts) noteUse(ctx context.Context, id int64) {
	_, _ = s.DB.Exec(ctx, `
		WITH prev AS (
			SELECT id, last_used_at FROM accounts
			WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))
			FOR NO KEY UPDATE SKIP LOCKED
		), used AS (
			UPDATE accounts a SET last_used_at = now() FROM prev WHERE a.id = prev.id
		)
		INSERT INTO audit_log (account_id, action, subject)
		SELECT id, 'token.use', 'first use this hour' FROM prev
		WHERE last_used_at IS NULL OR last_used_at < date_trunc('hour', now())`, id, LastUsedInterval.Seconds())
}

// auditRefused records that a revoked token was tried, once an hour per account: a client
// retrying a revoked token must not fill the audit log.
func (s Accounts) auditRefused(ctx context.Context, hash []byte) {
	_, _ = s.DB.Exec(ctx, `
		INSERT INTO audit_log (account_id, action, subject)
		SELECT a.id, 'token.refused', 'revoked token used' FROM accounts a
		WHERE a.token_hash = $1 AND NOT EXISTS (
			SELECT 1 FROM audit_log l
			WHERE l.at > now() - interval '1 hour' AND l.account_id = a.id AND l.action = 'token.refused')`, hash)
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
