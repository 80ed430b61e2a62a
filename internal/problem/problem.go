// Package problem writes HTTP answers: errors as RFC 9457 problem documents (mapping each
// apperr kind to its status in one table) and JSON bodies.
package problem

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"landatlas/internal/apperr"
)

// statusOf maps each error kind to its HTTP status: the one table of it.
var statusOf = map[apperr.Kind]int{
	apperr.Invalid:      http.StatusBadRequest,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.TooLarge:     http.StatusRequestEntityTooLarge,
	apperr.TooMany:      http.StatusTooManyRequests,
	apperr.Internal:     http.StatusInternalServerError,
}

// Status returns the HTTP status for an error.
func Status(err error) int { return statusOf[apperr.KindOf(err)] }

// Document is an RFC 9457 problem document.
type Document struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Fields map[string]string `json:"fields,omitempty"`
}

// Write answers with a JSON problem. Internal errors are logged and answered without internals.
func Write(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	kind := apperr.KindOf(err)
	status := statusOf[kind]
	p := Document{Type: "about:blank", Title: http.StatusText(status), Status: status}
	var e *apperr.Error
	if kind == apperr.Internal || !errors.As(err, &e) {
		if r.Context().Err() != nil {
			return // the client went away; nobody is listening
		}
		log.ErrorContext(r.Context(), "internal error", "err", err, "path", r.URL.Path)
		p.Detail = "internal error; the request id in the server log tells the operator what happened: " + w.Header().Get("X-Request-Id")
	} else {
		p.Detail, p.Fields = e.Message, e.Fields
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("ETag")
	w.Header().Del("Content-Encoding")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// JSON answers with a JSON document.
func JSON(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
