package ogcapi

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
)

// pageMode is how the feature queries run: with the result description cached per connection, so
// that PostgreSQL sends the property values in binary, and planned for their arguments each time
// (an unnamed statement).
const pageMode = pgx.QueryExecModeCacheDescribe

// featureJSON appends to buf the GeoJSON feature of one row of featureColumns: the id's and the
// geometry's JSON as they came (a NULL geometry is null), then each property as JSON.
func featureJSON(buf []byte, props []catalog.Property, rows pgx.Rows, keys int) ([]byte, error) {
	vals, err := rows.Values()
	if err != nil {
		return buf, err
	}
	raw := rows.RawValues()
	text := func(v []byte) []byte {
		if v == nil {
			return append(buf, "null"...)
		}
		return append(buf, v...)
	}
	buf = append(buf, `{"type":"Feature","id":`...)
	buf = text(raw[keys])
	buf = append(buf, `,"geometry":`...)
	buf = text(raw[keys+1])
	buf = append(buf, `,"properties":{`...)
	for i, p := range props {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, p.Name)
		buf = append(buf, ':')
		if buf, err = appendJSONValue(buf, p.Type, vals[keys+2+i]); err != nil {
			return buf, err
		}
	}
	return append(buf, "}}"...), nil
}

// appendJSONValue appends a property's value as JSON: dates as YYYY-MM-DD, timestamps as RFC 3339
// in UTC without trailing zero fractions, numbers in the shortest form that reads back the same.
func appendJSONValue(buf []byte, typ cql2.Type, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		return appendJSONString(buf, v), nil
	case bool:
		return strconv.AppendBool(buf, v), nil
	case int64:
		return strconv.AppendInt(buf, v, 10), nil
	case int32:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case int16:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case float64:
		return appendJSONFloat(buf, v, 64), nil
	case float32:
		return appendJSONFloat(buf, float64(v), 32), nil
	case time.Time:
		if typ == cql2.Date {
			return append(append(append(buf, '"'), v.Format(time.DateOnly)...), '"'), nil
		}
		return append(append(append(buf, '"'), v.UTC().Format("2006-01-02T15:04:05.999999Z")...), '"'), nil
	}
	b, err := json.Marshal(v) // numeric, arrays: what pgx's types encode themselves
	return append(buf, b...), err
}

// appendJSONFloat appends a number as encoding/json writes it; NaN and infinities, which JSON
// cannot hold, as null.
func appendJSONFloat(buf []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(buf, "null"...)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(buf, f, format, -1, bits)
}

// appendJSONString appends s as a JSON string. Unlike encoding/json it leaves <, > and & as they
// are: the response is JSON, not HTML.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c == '\n':
			buf = append(buf, '\\', 'n')
		case c == '\r':
			buf = append(buf, '\\', 'r')
		case c == '\t':
			buf = append(buf, '\\', 't')
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		case c < utf8.RuneSelf:
			buf = append(buf, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				buf = append(buf, `\ufffd`...)
			case r == '\u2028' || r == '\u2029': // valid JSON, but not in JavaScript source
				buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
			default:
				buf = append(buf, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(buf, '"')
}
