package httpapi

import (
	"net/http"

	"landatlas/internal/problem"
)

// handleConfig tells the web app what it needs at start: the external base maps of its layer
// switch (none when turned off) and the attribution of our own layers.
func (s *Server) handleConfig() http.HandlerFunc {
	basemaps := s.cfg.Basemaps
	if basemaps == nil {
		basemaps = []Basemap{}
	}
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{
			"basemaps":    basemaps,
			"geocoder":    s.cfg.GeocoderURL != "",
			"version":     s.cfg.Version,
			"attribution": "© GeoBasis-DE / BKG",
		})
	})
}
