package httpapi

import (
	"context"
	"net/http"
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

// handleReadyz answers 200 only when the database answers and its schema is current.
func (s *Server) handleReadyz() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		st, err := store.CheckSchema(ctx, s.cfg.DB)
		if err != nil {
			problem.JSON(w, "application/json", http.StatusServiceUnavailable, map[string]any{
				"status": "not ready", "reason": err.Error(), "schema": st.Current, "expected_schema": st.Expected,
			})
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, map[string]any{"status": "ready", "schema": st.Current})
	}
}
