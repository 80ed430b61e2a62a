package enquiryapi

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// rateLimit counts requests per client address in fixed windows: at most limit in each window.
// It lives in memory, which is enough for one server; the counts of past windows are dropped.
type rateLimit struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu     sync.Mutex
	start  time.Time
	counts map[string]int
}

func newRateLimit(limit int, window time.Duration, now func() time.Time) *rateLimit {
	return &rateLimit{limit: limit, window: window, now: now, counts: map[string]int{}}
}

// allow counts a request from addr and reports whether it is within the limit; if not, how long
// until the next window begins.
func (l *rateLimit) allow(addr string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.start) >= l.window {
		l.start = now.Truncate(l.window)
		clear(l.counts)
	}
	if l.counts[addr] >= l.limit {
		return false, l.start.Add(l.window).Sub(now)
	}
	l.counts[addr]++
	return true, 0
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
