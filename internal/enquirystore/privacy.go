package enquirystore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/enquiry"
)

// erasePersonal is the one statement that erases an enquiry's personal fields and the texts of
// its notes (which may name people), keeping the requirements and the outcome for the statistics.
const erasePersonal = `
	WITH erased AS (
		UPDATE enquiries SET company = NULL, contact_name = NULL, email = NULL, phone = NULL, message = NULL,
		       personal_erased_at = now()
		WHERE personal_erased_at IS NULL AND %s
		RETURNING id, reference
	), notes AS (
		UPDATE enquiry_events v SET detail = jsonb_build_object('text_erased', true)
		FROM erased WHERE v.enquiry_id = erased.id AND v.kind = 'note'
	)
	SELECT id, reference FROM erased ORDER BY id`

// EraseExpired erases the personal fields of every enquiry closed more than months ago and
// returns the references it erased. It is the scheduled retention job.
func (s Store) EraseExpired(ctx context.Context, months int) ([]string, error) {
	if months < 1 {
		return nil, fmt.Errorf("retention: months must be at least 1, not %d", months)
	}
	var refs []string
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var err error
		refs, err = eraseWhere(ctx, tx, "closed_at < now() - make_interval(months => $1)", months)
		if err != nil || len(refs) == 0 {
			return err
		}
		return audit(ctx, tx, nil, "enquiry.retention.erased", fmt.Sprintf("%d enquiries", len(refs)),
			map[string]any{"references": refs, "months": months})
	})
	return refs, err
}

func eraseWhere(ctx context.Context, tx pgx.Tx, cond string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, fmt.Sprintf(erasePersonal, cond), args...)
	if err != nil {
		return nil, fmt.Errorf("erase personal data: %w", err)
	}
	var refs []string
	var id int64
	var ref string
	if _, err := pgx.ForEachRow(rows, []any{&id, &ref}, func() error {
		refs = append(refs, ref)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("erase personal data: %w", err)
	}
	return nonNil(refs), nil
}

func requireAdmin(p *auth.Principal) error {
	if p == nil || p.Role != auth.Admin {
		return apperr.New(apperr.Forbidden, "only admins export or erase a person's data")
	}
	return nil
}

func normEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") {
		return "", &apperr.Error{Kind: apperr.Invalid, Message: "email: give the person's e-mail address", Fields: map[string]string{"email": "an e-mail address"}}
	}
	return email, nil
}

// PersonExport is everything stored about one person: the enquiries sent with their e-mail
// address, with the personal fields and the timeline of each.
type PersonExport struct {
	Email     string            `json:"email"`
	Enquiries []PersonEnquiry   `json:"enquiries"`
	Notes     map[string][]Note `json:"notes"`
}

// PersonEnquiry is one enquiry in a person's export.
type PersonEnquiry struct {
	enquiry.Enquiry
	ConsentAt *string `json:"consent_at"`
}

// Note is a note of an enquiry's timeline, in a person's export.
type Note struct {
	At   string `json:"at"`
	Text string `json:"text"`
}

// ExportPerson returns one person's data (an admin answering a request for access); the export
// is audited.
func (s Store) ExportPerson(ctx context.Context, p *auth.Principal, email string) (PersonExport, error) {
	out := PersonExport{Enquiries: []PersonEnquiry{}, Notes: map[string][]Note{}}
	if err := requireAdmin(p); err != nil {
		return out, err
	}
	email, err := normEmail(email)
	if err != nil {
		return out, err
	}
	out.Email = email
	err = pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+enquiryColumns+`, to_char(e.consent_at, 'YYYY-MM-DD"T"HH24:MI:SSOF') FROM `+enquiryFrom+
			` WHERE lower(e.email) = $1 ORDER BY e.id`, email)
		if err != nil {
			return fmt.Errorf("export person: %w", err)
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PersonEnquiry, error) {
			var pe PersonEnquiry
			var p enquiry.Personal
			e := &pe.Enquiry
			rq := &e.Requirements
			err := r.Scan(&e.ID, &e.Reference, &e.ReceivedAt, &e.Channel, &e.Lang, &e.Status, &e.LostReason, &e.ClosedAt,
				&e.AssigneeID, &e.Assignee, &rq.Sector, &rq.UseTypes, &rq.MinNetHa, &rq.MaxNetHa, &rq.Timing, &rq.Jobs,
				&rq.InvestmentMEUR, &rq.MaxMotorwayKm, &rq.RailSiding, &e.ParcelIDs, &e.SiteIDs, &e.Districts, &e.UpdatedAt,
				&e.PersonalErasedAt, &p.Company, &p.ContactName, &p.Email, &p.Phone, &p.Message, &pe.ConsentAt)
			e.Personal = &p
			return pe, err
		})
		if err != nil {
			return fmt.Errorf("export person: %w", err)
		}
		out.Enquiries = nonNil(list)
		for _, pe := range list {
			rows, err := tx.Query(ctx, `SELECT to_char(at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), coalesce(detail->>'text', '') FROM enquiry_events
				WHERE enquiry_id = $1 AND kind = 'note' ORDER BY at, id`, pe.ID)
			if err != nil {
				return fmt.Errorf("export person: %w", err)
			}
			notes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Note, error) {
				var n Note
				err := r.Scan(&n.At, &n.Text)
				return n, err
			})
			if err != nil {
				return fmt.Errorf("export person: %w", err)
			}
			out.Notes[pe.Reference] = nonNil(notes)
		}
		return audit(ctx, tx, p, "enquiry.personal.export", "request for access", map[string]any{"enquiries": len(list)})
	})
	return out, err
}

// ErasePerson erases one person's personal data from every enquiry they sent (an admin answering
// a request for erasure) and returns the references; the statistics keep the enquiries.
func (s Store) ErasePerson(ctx context.Context, p *auth.Principal, email string) ([]string, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	email, err := normEmail(email)
	if err != nil {
		return nil, err
	}
	var refs []string
	err = pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if refs, err = eraseWhere(ctx, tx, "lower(email) = $1", email); err != nil {
			return err
		}
		return audit(ctx, tx, p, "enquiry.personal.erase", "request for erasure", map[string]any{"references": refs})
	})
	return refs, err
}
