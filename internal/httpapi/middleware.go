package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"landatlas/internal/auth"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
)

type requestIDKey struct{}

// RequestLogHandler adds the request id of the context to every log line written with it.
type RequestLogHandler struct{ slog.Handler }

// Handle adds request_id when the record's context has one.
func (h RequestLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapper around derived handlers.
func (h RequestLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return RequestLogHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup keeps the wrapper around derived handlers.
func (h RequestLogHandler) WithGroup(name string) slog.Handler {
	return RequestLogHandler{h.Handler.WithGroup(name)}
}

// requestID gives each request an id (the client's X-Request-Id if sane), in the context and the response.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 || strings.ContainsAny(id, " \t\r\n") {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// httpMetrics are the request counters and latencies on /metrics.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "landatlas_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "landatlas_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10),
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// accessLog logs each request and records its metrics under the route pattern (not the raw path,
// which would make one time series per parcel).
func accessLog(log *slog.Logger, m *httpMetrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			m.requests.WithLabelValues(route, r.Method, strconv.Itoa(ww.Status())).Inc()
			m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
			log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
				"bytes", ww.BytesWritten(), "ms", elapsed.Milliseconds())
		})
	}
}

// authenticator resolves "Authorization: Bearer <token>" into the request's Principal. A request
// without the header is the public; a wrong or revoked token is refused, never treated as public.
type authenticator interface {
	Authenticate(ctx context.Context, token string) (*auth.Principal, error)
}

func authenticate(a authenticator, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := r.Header.Get("Authorization")
			if h == "" {
				next.ServeHTTP(w, r)
				return
			}
			token, ok := bearerToken(h)
			if !ok {
				problem.Write(w, r, log, errBadAuthHeader)
				return
			}
			p, err := a.Authenticate(r.Context(), token)
			if err != nil {
				problem.Write(w, r, log, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
		})
	}
}

// bearerToken reads "Bearer <token>"; the scheme is case-insensitive (RFC 9110, section 11.1).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// checkRequest refuses query strings and paths no handler may see (httpx.CheckRequest).
func (s *Server) checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := httpx.CheckRequest(r); err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// longRead gives a route longer than the server's ReadTimeout to receive its body (uploads).
func longRead(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if d > 0 {
				// An error means the connection cannot be given more time (e.g. in tests over
				// a recorder); the server's own deadline then stays.
				_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// headAsGet answers HEAD with the route's GET handler; net/http drops the body. (chi's GetHead
// does this only where no route matches HEAD, and the web app's catch-all matches every path.)
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			if rctx := chi.RouteContext(r.Context()); rctx != nil {
				rctx.RouteMethod = http.MethodGet
			}
		}
		next.ServeHTTP(w, r)
	})
}
