package upload

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParseMapping: a mapping from an uploader either parses into one that validates, or is
// refused with an error; it never panics.
func FuzzParseMapping(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"columns": {"NR": "external_id", "X": "-"}}`, `{"values": {"use_type": {"Industrie": "GI"}}}`,
		`{"defaults": {"publication": "public", "grz": "0,8", "gas": "ja"}}`, `{"columns": {"a": 1}}`, `null`, `[]`, `{"columns":`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMapping(b)
		if err != nil {
			return
		}
		if p := m.Valid(); len(p) > 0 {
			t.Fatalf("ParseMapping accepted a mapping with problems %v", p)
		}
		n := NewNormalizer(m, today)
		n.Feature(1, "x", map[string]any{"a": "b"})
		n.Finish(1)
	})
}

// FuzzNormalize: any properties a file may hold normalize into attributes PostgreSQL can store as
// JSON, with every issue carrying both messages.
func FuzzNormalize(f *testing.F) {
	f.Add(`{"kennung": "A", "nutzungsart": "1800", "grz": "0,8", "stand": "31.12.2025", "gleis": "ja"}`)
	f.Add(`{"NUTZUNGSAR": 1700, "preis_min": "1.250,5", "preis_max": 3, "verfuegbar_ab": "2030/01/01"}`)
	f.Add(`{"id": null, "status": [1, 2], "flaeche_netto": {"a": 1}, "breitband": 1e400}`)
	f.Fuzz(func(t *testing.T, s string) {
		var props map[string]any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if dec.Decode(&props) != nil {
			return
		}
		n := NewNormalizer(Mapping{}, today)
		rec, issues := n.Feature(1, "", props)
		if _, err := json.Marshal(rec.Attrs); err != nil {
			t.Fatalf("attributes %v cannot be stored: %v", rec.Attrs, err)
		}
		for _, i := range append(issues, n.Finish(1)...) {
			if i.DE == "" || i.EN == "" || i.Rule == "" {
				t.Fatalf("issue without messages: %+v", i)
			}
		}
	})
}

// FuzzParseCRS never panics and gives a positive code or an error.
func FuzzParseCRS(f *testing.F) {
	for _, s := range []string{"EPSG:25833", "urn:ogc:def:crs:EPSG::4326", "CRS84", "http://www.opengis.net/def/crs/EPSG/0/3857", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := ParseCRS(s); err == nil && n <= 0 {
			t.Fatalf("ParseCRS(%q) = %d", s, n)
		}
	})
}
