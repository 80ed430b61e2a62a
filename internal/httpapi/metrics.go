package httpapi

import (
	"crypto/subtle"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"landatlas/internal/apperr"
	"landatlas/internal/problem"
)

// MetricsHandler serves the Prometheus metrics of reg without any check: for a listener of its
// own (LANDATLAS_METRICS_ADDR) on an address only the operators reach.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// handleMetrics serves /metrics on the main address only to the holder of the metrics token
// (LANDATLAS_METRICS_TOKEN): the request counts by route show what editors and planners do.
// Without a token it answers 404 and names the settings.
func (s *Server) handleMetrics() http.HandlerFunc {
	metrics := MetricsHandler(s.registry)
	want := []byte(s.cfg.MetricsToken)
	return func(w http.ResponseWriter, r *http.Request) {
		if len(want) == 0 {
			problem.Write(w, r, s.log, apperr.New(apperr.NotFound,
				"metrics are not served on this address: set LANDATLAS_METRICS_ADDR for a listener of their own, or LANDATLAS_METRICS_TOKEN to serve them here to its bearer"))
			return
		}
		token, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok || subtle.ConstantTimeCompare([]byte(token), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			problem.Write(w, r, s.log, apperr.New(apperr.Unauthorized, "metrics need \"Authorization: Bearer <LANDATLAS_METRICS_TOKEN>\""))
			return
		}
		metrics.ServeHTTP(w, r)
	}
}
