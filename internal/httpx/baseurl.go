package httpx

import (
	"context"
	"net/http"
	"strings"
)

type baseURLKey struct{}

// WithBaseURL is middleware that makes base (e.g. "https://landatlas.example.org", no trailing
// slash) the address of every link the handlers build; empty leaves them to the request.
func WithBaseURL(base string) func(http.Handler) http.Handler {
	base = strings.TrimRight(base, "/")
	return func(next http.Handler) http.Handler {
		if base == "" {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), baseURLKey{}, base)))
		})
	}
}

// BaseURL is the scheme and host links of a response start with: the configured base URL
// (LANDATLAS_BASE_URL) when there is one, else what the request says (Host, and behind a proxy
// X-Forwarded-Proto and X-Forwarded-Host), which only a trusted proxy should be able to set.
func BaseURL(r *http.Request) string {
	if base, ok := r.Context().Value(baseURLKey{}).(string); ok {
		return base
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := firstValue(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" && !strings.ContainsAny(h, "/?#@\\\" <>") {
		host = h
	}
	return scheme + "://" + host
}

func firstValue(header string) string {
	v, _, _ := strings.Cut(header, ",")
	return strings.TrimSpace(v)
}
