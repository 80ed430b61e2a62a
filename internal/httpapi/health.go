package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"landatlas/internal/problem"
	"landatlas/internal/store"
)

// handleHealthz answers while the process is up.
func (s *Server) handleHealthz() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		problem.JSON(w, "application/json", http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
	}
}

// handleReadyz answers 200 only when the database answers and its schema is current. Anyone may
// ask, so the answer says what is wrong in general terms; the details (database user, name,
// host or socket) go to the log only.
func (s *Server) handleReadyz() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		st, err := store.CheckSchema(ctx, s.cfg.DB)
		if err != nil {
			s.log.WarnContext(r.Context(), "not ready", "err", err)
			reason := "the database is not reachable"
			switch {
			case errors.Is(err, store.ErrSchemaBehind):
				reason = "the database schema is behind this binary: run landatlas migrate"
			case st.Current > st.Expected:
				reason = "the database schema is newer than this binary: deploy the newer binary"
			}
			w.Header().Set("Retry-After", strconv.Itoa(problem.RetryAfter))
			problem.JSON(w, "application/json", http.StatusServiceUnavailable, map[string]any{
				"status": "not ready", "reason": reason, "schema": st.Current, "expected_schema": st.Expected,
			})
			return
		}
		ready := map[string]any{"status": "ready", "schema": st.Current}
		// Replicas out of rotation leave the service ready: their reads go to the primary.
		if rs := s.db.Status(); len(rs) > 0 {
			ready["replicas"] = rs
		}
		problem.JSON(w, "application/json", http.StatusOK, ready)
	}
}
