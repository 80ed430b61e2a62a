package ogcapi

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"landatlas/internal/cql2"
)

// Property values are written as JSON in Go: what a client parses must be the value PostgreSQL
// sent, for every type the catalog's properties have.
func TestPropertyValuesAreWrittenAsJSON(t *testing.T) {
	at := time.Date(2024, 5, 17, 8, 30, 15, 250000000, time.FixedZone("CEST", 2*3600))
	cases := []struct {
		typ  cql2.Type
		v    any
		want string
	}{
		{cql2.String, `Halle "Ost" \ Süd <GI> & Co.` + "\n\t\x01\u2028", `"Halle \"Ost\" \\ Süd <GI> & Co.\n\t\u0001\u2028"`},
		{cql2.String, "ungültig \xff", `"ungültig \ufffd"`},
		{cql2.Number, 0.416, `0.416`},
		{cql2.Number, 123456789.5, `123456789.5`},
		{cql2.Number, 1e-9, `1e-09`},
		{cql2.Number, math.NaN(), `null`},
		{cql2.Number, float32(0.1), `0.1`},
		{cql2.Integer, int64(-42), `-42`},
		{cql2.Integer, int32(7), `7`},
		{cql2.Boolean, true, `true`},
		{cql2.Date, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), `"2024-12-31"`},
		{cql2.Timestamp, at, `"2024-05-17T06:30:15.25Z"`},
		{cql2.Timestamp, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), `"2024-01-02T03:04:05Z"`},
		{cql2.String, nil, `null`},
	}
	for _, c := range cases {
		got, err := appendJSONValue(nil, c.typ, c.v)
		if err != nil || string(got) != c.want {
			t.Errorf("%v (%T) as %s: %s, %v; want %s", c.v, c.v, c.typ, got, err, c.want)
			continue
		}
		if !json.Valid(got) {
			t.Errorf("%v written as invalid JSON %s", c.v, got)
		}
	}
}
