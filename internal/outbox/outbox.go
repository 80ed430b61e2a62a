// Package outbox queues the notifications landatlas sends (new enquiries, proposals opened,
// reminders of enquiries and of monitoring campaigns): rows of the outbox table, which the mail
// job delivers where SMTP is set up and the workspace lists as messages.
package outbox

import (
	"context"
	"fmt"

	"landatlas/internal/query"
)

// Queue puts a message for each recipient (the region's coordinator or a district's AGS) in the
// outbox, in the caller's transaction; enquiryID names the enquiry it is about, or is nil (a
// campaign reminder).
func Queue(ctx context.Context, tx query.Querier, kind string, enquiryID *int64, recipients []string, subject, body string) error {
	for _, r := range recipients {
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (kind, recipient, subject, body, enquiry_id) VALUES ($1, $2, $3, $4, $5)`,
			kind, r, subject, body, enquiryID); err != nil {
			return fmt.Errorf("queue %s message: %w", kind, err)
		}
	}
	return nil
}
