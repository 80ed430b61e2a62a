package enquiryapi

import (
	"context"
	"net"
	"net/http"
	"time"

	"landatlas/internal/enquirystore"
)

// rateLimit allows at most limit requests per client address in each fixed window. The counts
// are kept in the database, so the limit holds across every instance of the server.
type rateLimit struct {
	store  enquirystore.Store
	limit  int
	window time.Duration
	now    func() time.Time
}

// allow counts a request from addr and reports whether it is within the limit; if not, how long
// until the next window begins.
func (l rateLimit) allow(ctx context.Context, addr string) (bool, time.Duration, error) {
	now := l.now()
	end := now.Truncate(l.window).Add(l.window)
	ok, err := l.store.CountRequest(ctx, addr, end, l.limit)
	if err != nil || ok {
		return ok, 0, err
	}
	return false, end.Sub(now), nil
}

// forgetPast deletes the counts of windows that have ended.
func (l rateLimit) forgetPast(ctx context.Context) error {
	return l.store.ForgetRateWindows(ctx, l.now())
}

// clientAddr is the address a request came from. Forwarding headers are not trusted: they are
// the client's to write.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
