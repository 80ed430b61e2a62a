package enquirystore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// CountRequest counts a public request from a client address in the window ending at windowEnd
// and reports whether it is within limit. The count lives in the database (enquiry_rate), so
// every server instance on it shares the limit; one upsert counts atomically, and a request
// over the limit is not counted. The row's key is a hash of the table's secret, the window and
// the address: the address itself is never stored.
func (s Store) CountRequest(ctx context.Context, addr string, windowEnd time.Time, limit int) (bool, error) {
	var requests int
	err := s.DB.QueryRow(ctx, `
		INSERT INTO enquiry_rate (key, window_end, requests)
		SELECT sha256(convert_to(secret || '|' || $4::bigint || '|' || $1::text, 'UTF8')), $2, 1 FROM enquiry_rate_secret
		ON CONFLICT (key) DO UPDATE SET requests = enquiry_rate.requests + 1 WHERE enquiry_rate.requests < $3
		RETURNING requests`, addr, windowEnd, limit, windowEnd.Unix()).Scan(&requests)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("count the request for the rate limit: %w", err)
	}
	return true, nil
}

// ForgetRateWindows deletes the counts of windows that ended before t.
func (s Store) ForgetRateWindows(ctx context.Context, t time.Time) error {
	if _, err := s.DB.Exec(ctx, `DELETE FROM enquiry_rate WHERE window_end < $1`, t); err != nil {
		return fmt.Errorf("forget past rate-limit windows: %w", err)
	}
	return nil
}
