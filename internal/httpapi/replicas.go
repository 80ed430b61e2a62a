package httpapi

import (
	"net/http"

	"landatlas/internal/auth"
)

// routeReads binds every GET of the data routes to a read replica in rotation (dbroute.Router.For):
// the features API, tiles, study and exports then read there, everything else on the primary. An
// account that has just written reads from the primary until a replica has replayed its write:
// every other request of a signed-in account that succeeds is taken as a write and remembered
// (dbroute.Router.Wrote) before its answer is sent, so the account's next request already knows.
func (s *Server) routeReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var account int64
		if p := auth.FromContext(r.Context()); p != nil {
			account = p.AccountID
		}
		switch {
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			next.ServeHTTP(w, r.WithContext(s.db.For(r.Context(), account)))
		case account == 0:
			next.ServeHTTP(w, r)
		default:
			mw := &writeMarker{ResponseWriter: w, mark: func() { s.db.Wrote(r.Context(), account) }}
			next.ServeHTTP(mw, r)
		}
	})
}

// writeMarker calls mark once, before the status of a successful answer is written.
type writeMarker struct {
	http.ResponseWriter
	mark    func()
	written bool
}

func (m *writeMarker) WriteHeader(code int) {
	if !m.written {
		m.written = true
		if code < 400 {
			m.mark()
		}
	}
	m.ResponseWriter.WriteHeader(code)
}

func (m *writeMarker) Write(b []byte) (int, error) {
	if !m.written {
		m.WriteHeader(http.StatusOK)
	}
	return m.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer below.
func (m *writeMarker) Unwrap() http.ResponseWriter { return m.ResponseWriter }
