package httpx

import (
	"net/http"
	"strings"
)

// NotModified is the one conditional-request rule: it sets the response's ETag and, when the
// request's If-None-Match names it (or is "*"), answers 304 Not Modified and reports true; the
// handler then writes nothing more. Headers that must come with a 304 (Cache-Control, Vary) are
// set before the call.
func NotModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	w.Header().Set("ETag", etag)
	if !ETagMatches(r.Header.Get("If-None-Match"), etag) {
		return false
	}
	w.WriteHeader(http.StatusNotModified)
	return true
}

// ETagMatches compares an If-None-Match header with an ETag the weak way RFC 9110 prescribes for
// If-None-Match: W/"x" and "x" match.
func ETagMatches(ifNoneMatch, etag string) bool {
	if strings.TrimSpace(ifNoneMatch) == "" {
		return false
	}
	if strings.TrimSpace(ifNoneMatch) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for t := range strings.SplitSeq(ifNoneMatch, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}
