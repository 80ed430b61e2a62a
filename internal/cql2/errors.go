package cql2

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits that keep hostile input from consuming unbounded time or memory.
const (
	// MaxInputBytes is the largest filter (text or JSON) that is parsed.
	MaxInputBytes = 64 << 10
	// MaxDepth is the deepest nesting of expressions and parentheses.
	MaxDepth = 100
	// MaxInList is the longest list of an IN predicate.
	MaxInList = 1000
	// MaxCoordinates is the largest number of positions in all geometry
	// literals of one filter together.
	MaxCoordinates = 10000
	// maxBindArgs is PostgreSQL's limit on bind parameters per statement.
	maxBindArgs = 65535
)

// Error is the error returned by ParseText, ParseJSON and Compile. Its message
// is meant to be shown to the client who wrote the filter.
type Error struct {
	// Pos is the byte offset (0-based) of the offending token in cql2-text
	// input, or -1 for cql2-json input and for errors without a position.
	Pos int
	// Msg says what is wrong.
	Msg string
	// Hint optionally says what is allowed instead.
	Hint string

	located bool // the JSON parser has already added the document path
}

// Error formats the message as "<Msg>[ at position <Pos>][; <Hint>]".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg)
	if e.Pos >= 0 {
		fmt.Fprintf(&b, " at position %d", e.Pos)
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

func errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// withHint sets the hint and returns the error, for one-line construction.
func (e *Error) withHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// quote renders a user-supplied name or value for an error message. Go
// quoting keeps control characters and invalid UTF-8 readable.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
