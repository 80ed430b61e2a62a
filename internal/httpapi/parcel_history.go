package httpapi

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/problem"
)

// handleParcelHistory lists the versions of a parcel: who changed what, when, through which
// upload. The public sees public parcels' public fields only.
func (s *Server) handleParcelHistory() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		if err != nil {
			return apperr.New(apperr.NotFound, "there is no parcel %q", chi.URLParam(r, "id"))
		}
		versions, err := s.uploads.history.Versions(r.Context(), id, auth.FromContext(r.Context()).SeesInternal())
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"parcel_id": id, "versions": versions})
	})
}
