// Package problem writes HTTP answers: errors as RFC 9457 problem documents (mapping each
// apperr kind to its status in one table) and JSON bodies. Handler is the one wrapper through
// which handlers return their errors.
package problem

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

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
	apperr.Unavailable:  http.StatusServiceUnavailable,
	apperr.TooMany:      http.StatusTooManyRequests,
	apperr.Internal:     http.StatusInternalServerError,
}

// RetryAfter is how long a client is asked to wait (Retry-After, seconds) when the database is
// unavailable.
const RetryAfter = 5

// Document is an RFC 9457 problem document.
type Document struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Fields map[string]string `json:"fields,omitempty"`
}

// errUnavailable answers for a database that cannot be reached; what failed goes to the log.
var errUnavailable = apperr.New(apperr.Unavailable, "the database is not reachable at the moment; try again in a few seconds")

// errBadText answers for text PostgreSQL cannot store: only a client sends it.
var errBadText = apperr.New(apperr.Invalid, "a value holds a NUL character or bytes that are not UTF-8; remove them")

// kindOf is the kind of err, with failures to reach the database (refused or broken connections,
// a pool that cannot connect) as Unavailable rather than Internal.
func kindOf(err error) apperr.Kind {
	k := apperr.KindOf(err)
	if k == apperr.Internal && databaseDown(err) {
		return apperr.Unavailable
	}
	return k
}

// badText tells text PostgreSQL refuses to store (SQLSTATE 22021: NUL or invalid UTF-8; 22P05:
// untranslatable), which comes only from what a client sent.
func badText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05")
}

// databaseDown tells failures to reach PostgreSQL: no connection could be made, the connection
// broke, or the server is shutting down or starting (SQLSTATE 57P01-57P03, class 08).
func databaseDown(err error) bool {
	var ce *pgconn.ConnectError
	var oe *net.OpError
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &oe):
		return true
	case errors.As(err, &pe):
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || strings.HasPrefix(pe.Code, "08")
	}
	return false
}

// Write answers with a JSON problem. Internal errors are logged and answered without internals;
// an unavailable database is answered 503 with Retry-After.
func Write(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if apperr.KindOf(err) == apperr.Internal && badText(err) {
		err = errBadText
	}
	kind := kindOf(err)
	status := statusOf[kind]
	p := Document{Type: "about:blank", Title: http.StatusText(status), Status: status}
	var e *apperr.Error
	switch {
	case kind == apperr.Unavailable && !errors.As(err, &e):
		log.WarnContext(r.Context(), "database unavailable", "err", err, "path", r.URL.Path)
		p.Detail = errUnavailable.Message
	case kind == apperr.Internal || !errors.As(err, &e):
		if r.Context().Err() != nil {
			return // the client went away; nobody is listening
		}
		log.ErrorContext(r.Context(), "internal error", "err", err, "path", r.URL.Path)
		p.Detail = "internal error; the request id in the server log tells the operator what happened: " + w.Header().Get("X-Request-Id")
	default:
		p.Detail, p.Fields = e.Message, e.Fields
	}
	if kind == apperr.Unavailable {
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("ETag")
	w.Header().Del("Content-Encoding")
	w.Header().Del("Content-Length")
	w.Header().Del("Cache-Control")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// JSON answers with a JSON document. It is encoded before the first byte is sent, so that a
// value JSON cannot hold (NaN) is an error the handler returns, never a 200 with an empty body.
func JSON(w http.ResponseWriter, contentType string, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode the answer: %w", err)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n')) // an error means the client went away
	return nil
}
