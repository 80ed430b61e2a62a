package ogcapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"landatlas/internal/cql2"
)

// cursor is the position a next or prev link continues from: the sort key values of the
// page's last feature (for next) or first feature (for prev), then its id. Clients see it only
// as an opaque token.
type cursor struct {
	// Prev says the page ends before the position instead of starting after it.
	Prev bool `json:"p,omitempty"`
	// Keys are the values in the text forms keyText produces; nil is SQL NULL.
	Keys []*string `json:"k"`
	// Sort names the order the keys belong to, so a cursor is not used with another sortby.
	Sort string `json:"s,omitempty"`
}

// maxCursorBytes bounds the token; real ones are far smaller.
const maxCursorBytes = 4096

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errCursor tells the client the token is not one of ours or does not fit the request.
func errCursor(why string) error {
	return invalid("cursor", "%s; use the next and prev links as they are, or leave cursor out for the first page", why)
}

// decodeCursor reads a cursor token for the given sort order and key types.
func decodeCursor(v, sort string, types []cql2.Type) (*cursor, error) {
	if v == "" {
		return nil, nil
	}
	if len(v) > maxCursorBytes {
		return nil, errCursor("the token is too long")
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil, errCursor("the token is damaged")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var c cursor
	if err := dec.Decode(&c); err != nil || dec.More() {
		return nil, errCursor("the token is damaged")
	}
	if c.Sort != sort || len(c.Keys) != len(types) {
		return nil, errCursor("the token belongs to another sortby")
	}
	for i, k := range c.Keys {
		if k == nil {
			continue
		}
		if _, err := keyValue(*k, types[i]); err != nil {
			return nil, errCursor("the token is damaged")
		}
	}
	return &c, nil
}

// keyValue turns a key's text form into the value bound for it.
func keyValue(s string, t cql2.Type) (any, error) {
	switch t {
	case cql2.Number:
		return strconv.ParseFloat(s, 64)
	case cql2.Integer:
		return strconv.ParseInt(s, 10, 64)
	case cql2.Boolean:
		return strconv.ParseBool(s)
	case cql2.Date:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, err
		}
		return s, nil
	case cql2.Timestamp:
		return time.Parse(time.RFC3339Nano, s)
	}
	return s, nil
}

// keyCast is the type a key's bound value is cast to.
func keyCast(t cql2.Type) string {
	switch t {
	case cql2.Number:
		return "float8"
	case cql2.Integer:
		return "bigint"
	case cql2.Boolean:
		return "boolean"
	case cql2.Date:
		return "date"
	case cql2.Timestamp:
		return "timestamptz"
	}
	return "text"
}

// keyText is the SQL of a key's text form, exact enough to find the row again: float8 text is
// the shortest exact form, timestamps are written in UTC with microseconds.
func keyText(expr string, t cql2.Type) string {
	switch t {
	case cql2.Date:
		return "to_char(" + expr + ", 'YYYY-MM-DD')"
	case cql2.Timestamp:
		return "to_char((" + expr + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
	}
	return "(" + expr + ")::text"
}

// sortName is the fingerprint of a sort order for cursors.
func sortName(keys []sortKey) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if k.Desc {
			b.WriteByte('-')
		}
		b.WriteString(k.Prop.Name)
	}
	return b.String()
}
