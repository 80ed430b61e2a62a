package httpapi

import (
	"net/http"

	"landatlas/internal/auth"
	"landatlas/internal/problem"
)

// handleSession tells the web app who the bearer token belongs to, so it can show the role and
// offer what the role may do. Without a token the answer is the public.
func (s *Server) handleSession() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "no-store")
		p := auth.FromContext(r.Context())
		if p == nil {
			return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"signed_in": false, "role": "public"})
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{
			"signed_in": true, "label": p.Label, "role": p.Role, "district": p.DistrictAGS,
		})
	})
}
