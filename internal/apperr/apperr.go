// Package apperr defines the one set of error kinds landatlas answers with. Adapters create them
// with a message that tells the client what to fix; the HTTP layer maps each kind to a status.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the client can do about it.
type Kind string

// The error kinds. Internal is the default for errors that carry no kind.
const (
	Invalid      Kind = "invalid"
	Unauthorized Kind = "unauthorized"
	Forbidden    Kind = "forbidden"
	NotFound     Kind = "not_found"
	Conflict     Kind = "conflict"
	TooLarge     Kind = "too_large"
	// Unavailable is a dependency that does not answer (the database is down): try again later.
	Unavailable Kind = "unavailable"
	// TooMany is a client sending more than it may (rate limit): try again after Retry-After.
	TooMany  Kind = "too_many_requests"
	Internal Kind = "internal"
)

// Error is an error with a kind and a message meant for the client.
type Error struct {
	Kind    Kind
	Message string
	// Fields holds field-level problems (field name -> what is wrong), for validation errors.
	Fields map[string]string
}

func (e *Error) Error() string { return e.Message }

// New returns an error of kind k with a formatted message for the client.
func New(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err, or Internal when err carries none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
