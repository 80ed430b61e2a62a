package httpapi

import (
	"net/http"

	"landatlas/internal/auth"
	"landatlas/internal/problem"
)

// handleDistricts lists the nine districts with their supply, as GeoJSON in WGS84.
func (s *Server) handleDistricts() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		body, err := s.districts.SupplyGeoJSON(r.Context(), auth.FromContext(r.Context()).SeesInternal())
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/geo+json")
		_, _ = w.Write(body)
		return nil
	})
}
