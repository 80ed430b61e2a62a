package problem

import (
	"log/slog"
	"net/http"
)

// HandlerFunc is a handler that returns its error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handler is the one way a handler's error reaches the client. An error returned before the
// first byte of the response is answered with a problem document; one returned after it (a
// stream that failed in the middle) aborts the response, so that the client sees a broken
// connection, never a truncated 200.
func Handler(log *slog.Logger, h HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sw := &startWriter{ResponseWriter: w}
		err := h(sw, r)
		if err == nil {
			return
		}
		if sw.started {
			Abort(r, log, err)
		}
		Write(w, r, log, err)
	}
}

// Abort cuts a response off whose status was sent already: net/http closes the connection
// without finishing the body (no final chunk, fewer bytes than Content-Length).
func Abort(r *http.Request, log *slog.Logger, err error) {
	if r.Context().Err() == nil {
		log.ErrorContext(r.Context(), "response cut off", "err", err, "path", r.URL.Path)
	}
	panic(http.ErrAbortHandler)
}

// startWriter notes whether the response has begun.
type startWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startWriter) WriteHeader(status int) {
	if status >= 200 {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *startWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Flush passes flushes on, for streamed answers.
func (w *startWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController and httpx.AcceptsGzip reach the writer underneath.
func (w *startWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
