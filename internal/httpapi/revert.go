package httpapi

import (
	"net/http"

	"landatlas/internal/problem"
)

// handleRevertPlan shows what reverting an upload would change: the parcels it re-opens,
// restores and ends, and the later changes that are in the way (then the revert is refused).
func (s *Server) handleRevertPlan() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, u, err := s.uploadFor(r, "reverting an upload")
		if err == nil {
			err = mayWrite(p, u.DistrictAGS)
		}
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		plan, err := s.uploads.store.RevertPlan(r.Context(), u.ID)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, plan)
	}
}

// handleRevertUpload reverts an applied upload in one transaction and answers with the revert,
// an upload of its own; 409 names the later changes that touched the same parcels.
func (s *Server) handleRevertUpload() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, u, err := s.uploadFor(r, "reverting an upload")
		if err == nil {
			err = mayWrite(p, u.DistrictAGS)
		}
		if err == nil {
			u, err = s.uploads.store.Revert(r.Context(), u.ID, &p.AccountID, p.Label)
		}
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		w.Header().Set("Location", uploadPath(u.ID))
		problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	}
}
