package enquiryapi

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
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

// clientAddr is the address a request came from. Forwarding headers are the client's to write,
// so X-Forwarded-For is read only from a trusted proxy (several instances behind a load balancer
// would otherwise share one limit for everyone): the client is then the right-most address in it
// that is not itself a trusted proxy, the last one a proxy of ours appended.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		peer = host
	}
	if !isTrusted(peer, trusted) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // not written by a proxy of ours: the address before it is the last one known
		}
		peer = hop
		if !isTrusted(hop, trusted) {
			break
		}
	}
	return peer
}

func isTrusted(addr string, trusted []netip.Prefix) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
