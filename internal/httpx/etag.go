package httpx

import (
	"crypto/sha256"
	"encoding/hex"
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

// ETag is a weak ETag built from the parts that decide a response. Weak, because the same
// content may be sent gzipped or not.
func ETag(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return `W/"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
}

// SendCached answers with a whole body under an ETag of its content: a GET or HEAD whose
// If-None-Match names it gets 304 without the body. private marks answers that depend on the
// reader's token, which shared caches must not keep.
func SendCached(w http.ResponseWriter, r *http.Request, contentType string, body []byte, private bool) {
	h := w.Header()
	if private {
		h.Set("Cache-Control", "private, no-cache")
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	h.Add("Vary", "Authorization")
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if NotModified(w, r, ETag(contentType, string(body))) {
			return
		}
	}
	h.Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // an error means the client went away
}
