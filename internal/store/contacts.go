package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Contacts stores each district's contact for investors.
type Contacts struct{ DB *pgxpool.Pool }

// Contact is whom investors reach for a district's parcels when a parcel names nobody.
type Contact struct {
	District  string     `json:"district"`
	Office    string     `json:"office"`
	Name      string     `json:"name"`
	Email     string     `json:"email"`
	Phone     string     `json:"phone"`
	Web       string     `json:"web"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
}

// Get returns a district's contact; a district without one has an empty contact.
func (s Contacts) Get(ctx context.Context, ags string) (Contact, error) {
	c := Contact{District: ags}
	err := s.DB.QueryRow(ctx, `
		SELECT coalesce(office, ''), coalesce(name, ''), coalesce(email, ''), coalesce(phone, ''), coalesce(web, ''), updated_at, updated_by
		FROM district_contacts WHERE district_ags = $1`, ags).
		Scan(&c.Office, &c.Name, &c.Email, &c.Phone, &c.Web, &c.UpdatedAt, &c.UpdatedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("contact of %s: %w", ags, err)
	}
	return c, nil
}

// Save replaces a district's contact and audits it.
func (s Contacts) Save(ctx context.Context, c Contact, accountID *int64, by string) (Contact, error) {
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO district_contacts (district_ags, office, name, email, phone, web, updated_by)
			VALUES ($1, nullif($2, ''), nullif($3, ''), nullif($4, ''), nullif($5, ''), nullif($6, ''), $7)
			ON CONFLICT (district_ags) DO UPDATE SET office = excluded.office, name = excluded.name, email = excluded.email,
			    phone = excluded.phone, web = excluded.web, updated_by = excluded.updated_by, updated_at = now()`,
			c.District, c.Office, c.Name, c.Email, c.Phone, c.Web, by)
		if err != nil {
			return fmt.Errorf("save contact of %s: %w", c.District, err)
		}
		return auditTx(ctx, tx, accountID, "contact.update", c.District, c)
	})
	if err != nil {
		return c, err
	}
	return s.Get(ctx, c.District)
}
