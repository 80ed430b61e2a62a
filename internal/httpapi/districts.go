package httpapi

import (
	"net/http"

	"landatlas/internal/auth"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
)

// handleDistricts lists the nine districts with their supply, as GeoJSON in WGS84.
func (s *Server) handleDistricts() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		internal := auth.FromContext(r.Context()).SeesInternal()
		body, err := s.districts.SupplyGeoJSON(r.Context(), internal)
		if err != nil {
			return err
		}
		httpx.SendCached(w, r, "application/geo+json", body, internal)
		return nil
	})
}
