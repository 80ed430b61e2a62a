package httpapi

import (
	"net/http"

	"landatlas/internal/problem"
)

// handleConfig tells the web app what it needs at start: the optional external base map and the
// attribution of our own layers.
func (s *Server) handleConfig() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		return problem.JSON(w, "application/json", http.StatusOK, map[string]string{
			"basemap_style": s.cfg.BasemapStyle,
			"version":       s.cfg.Version,
			"attribution":   "© GeoBasis-DE / BKG",
		})
	})
}
