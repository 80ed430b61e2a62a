package enquirystore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/auth"
	"landatlas/internal/enquiry"
	"landatlas/internal/outbox"
	"landatlas/internal/region"
)

// Region is the outbox recipient that stands for the region's coordinator.
const Region = "region"

// Message is a notification in the outbox. Messages carry no personal data: the reference and
// the requirements, and where to read the rest.
type Message struct {
	ID         int64      `json:"id"`
	CreatedAt  time.Time  `json:"created_at"`
	Kind       string     `json:"kind"`
	Recipient  string     `json:"recipient"`
	ToAddress  string     `json:"to_address,omitempty"`
	Subject    string     `json:"subject"`
	Body       string     `json:"body"`
	EnquiryID  *int64     `json:"enquiry_id,omitempty"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
	Attempts   int        `json:"attempts"`
	LastError  string     `json:"last_error,omitempty"`
	Reference  string     `json:"reference,omitempty"`
	Recipients string     `json:"recipient_name"`
}

// recipients are the coordinator and the districts an enquiry is routed to.
func recipients(districts []string) []string { return append([]string{Region}, districts...) }

func districtNames(districts []string) string {
	var names []string
	for _, ags := range districts {
		if d, ok := region.DistrictByAGS(ags); ok {
			names = append(names, d.Label())
		}
	}
	if len(names) == 0 {
		return "Region (keine Fläche genannt)"
	}
	return strings.Join(names, ", ")
}

func queueNew(ctx context.Context, tx pgx.Tx, id int64, ref string, districts []string, r enquiry.Requirements) error {
	area := "offen"
	switch {
	case r.MinNetHa != nil && r.MaxNetHa != nil:
		area = fmt.Sprintf("%g–%g ha", *r.MinNetHa, *r.MaxNetHa)
	case r.MinNetHa != nil:
		area = fmt.Sprintf("ab %g ha", *r.MinNetHa)
	case r.MaxNetHa != nil:
		area = fmt.Sprintf("bis %g ha", *r.MaxNetHa)
	}
	uses := "beliebig"
	if len(r.UseTypes) > 0 {
		uses = strings.Join(r.UseTypes, ", ")
	}
	body := fmt.Sprintf("Neue Anfrage %s\n\nBranche: %s\nFläche netto: %s\nNutzungsart: %s\nZeitpunkt: %s\nKreise: %s\n\n"+
		"Die Kontaktdaten stehen im Arbeitsbereich von landatlas unter Anfragen.\n",
		ref, enquiry.Label(enquiry.Sectors(), r.Sector, "de"), area, uses, enquiry.Label(enquiry.Timings(), r.Timing, "de"), districtNames(districts))
	return outbox.Queue(ctx, tx, "enquiry_new", &id, recipients(districts), "Neue Anfrage "+ref, body)
}

func queueViewed(ctx context.Context, tx pgx.Tx, id int64, ref string, districts []string) error {
	body := fmt.Sprintf("Der Angebotslink zur Anfrage %s wurde zum ersten Mal geöffnet.\n", ref)
	return outbox.Queue(ctx, tx, "proposal_viewed", &id, recipients(districts), "Angebot zu "+ref+" geöffnet", body)
}

// QueueReminders queues one reminder for each enquiry that is still new and unchanged for longer
// than after, and returns how many it queued.
func (s Store) QueueReminders(ctx context.Context, after time.Duration) (int, error) {
	n := 0
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE enquiries SET reminded_at = now()
			WHERE status = 'new' AND reminded_at IS NULL AND updated_at < now() - $1::interval
			RETURNING id, reference, districts`, after)
		if err != nil {
			return fmt.Errorf("reminders: %w", err)
		}
		type due struct {
			id        int64
			ref       string
			districts []string
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (due, error) {
			var d due
			err := r.Scan(&d.id, &d.ref, &d.districts)
			return d, err
		})
		if err != nil {
			return fmt.Errorf("reminders: %w", err)
		}
		for _, d := range list {
			body := fmt.Sprintf("Die Anfrage %s ist seit %s unbearbeitet (Status „neu“).\n", d.ref, after.Round(time.Hour))
			if err := outbox.Queue(ctx, tx, "reminder", &d.id, recipients(d.districts), "Erinnerung: Anfrage "+d.ref, body); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// Messages lists the outbox as the reader may see it: planners and admins every message, editors
// their district's; newest first.
func (s Store) Messages(ctx context.Context, p *auth.Principal) ([]Message, error) {
	cond, args := "true", []any{}
	if p.Role == auth.Editor {
		cond, args = "o.recipient = $1", []any{p.DistrictAGS}
	}
	rows, err := s.DB.Query(ctx, `
		SELECT o.id, o.created_at, o.kind, o.recipient, coalesce(o.to_address, ''), o.subject, o.body, o.enquiry_id,
		       o.sent_at, o.attempts, coalesce(o.last_error, ''), coalesce(e.reference, '')
		FROM outbox o LEFT JOIN enquiries e ON e.id = o.enquiry_id WHERE `+cond+` ORDER BY o.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return nonNil(out), nil
}

func scanMessage(r pgx.CollectableRow) (Message, error) {
	var m Message
	err := r.Scan(&m.ID, &m.CreatedAt, &m.Kind, &m.Recipient, &m.ToAddress, &m.Subject, &m.Body, &m.EnquiryID,
		&m.SentAt, &m.Attempts, &m.LastError, &m.Reference)
	m.Recipients = m.Recipient
	if d, ok := region.DistrictByAGS(m.Recipient); ok {
		m.Recipients = d.Label()
	} else if m.Recipient == Region {
		m.Recipients = "Koordination Region"
	}
	return m, err
}

// Deliver hands every unsent message to one of the given recipients with fewer than maxAttempts
// failed attempts to send, one at a time in order, and records each outcome; messages to other
// recipients stay in the outbox for the message list. It returns how many were sent.
func (s Store) Deliver(ctx context.Context, to []string, maxAttempts int, send func(Message) (address string, err error)) (int, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT o.id, o.created_at, o.kind, o.recipient, coalesce(o.to_address, ''), o.subject, o.body, o.enquiry_id,
		       o.sent_at, o.attempts, coalesce(o.last_error, ''), coalesce(e.reference, '')
		FROM outbox o LEFT JOIN enquiries e ON e.id = o.enquiry_id WHERE o.sent_at IS NULL AND o.attempts < $1 AND o.recipient = ANY ($2) ORDER BY o.id`, maxAttempts, nonNil(to))
	if err != nil {
		return 0, fmt.Errorf("outbox: %w", err)
	}
	pending, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return 0, fmt.Errorf("outbox: %w", err)
	}
	sent := 0
	for _, m := range pending {
		addr, sendErr := send(m)
		if sendErr != nil {
			_, err = s.DB.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2, to_address = nullif($3, '') WHERE id = $1`, m.ID, sendErr.Error(), addr)
		} else {
			sent++
			_, err = s.DB.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = NULL, sent_at = now(), to_address = $2 WHERE id = $1`, m.ID, addr)
		}
		if err != nil {
			return sent, fmt.Errorf("outbox: %w", err)
		}
	}
	return sent, nil
}
