package importer

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func decodeAll(s string) ([]Feature, string, error) {
	d := NewDecoder(strings.NewReader(s))
	var out []Feature
	for {
		f, err := d.Next()
		if err == io.EOF {
			return out, d.CRS(), nil
		}
		if err != nil {
			return out, d.CRS(), err
		}
		out = append(out, f)
	}
}

const square = `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`

func TestDecoder(t *testing.T) {
	feature := func(id string) string {
		return `{"type":"Feature","id":"` + id + `","geometry":` + square + `,"properties":{"kennung":"` + id + `","n":1.50}}`
	}
	cases := []struct {
		name  string
		in    string
		ids   []string
		crs   string
		error string
	}{
		{"collection", `{"type":"FeatureCollection","features":[` + feature("a") + `,` + feature("b") + `]}`, []string{"a", "b"}, "", ""},
		{"crs before", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}},"features":[` + feature("a") + `]}`, []string{"a"}, "urn:ogc:def:crs:EPSG::25833", ""},
		{"crs after", `{"features":[` + feature("a") + `],"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":31468}}}`, []string{"a"}, "EPSG:31468", ""},
		{"members we do not need", `{"type":"FeatureCollection","name":"x","bbox":[0,0,1,1],"features":[` + feature("a") + `],"foo":{"bar":[1,2]}}`, []string{"a"}, "", ""},
		{"one feature", feature("a"), []string{"a"}, "", ""},
		{"sequence", feature("a") + "\n" + feature("b") + "\n\n" + feature("c") + "\n", []string{"a", "b", "c"}, "", ""},
		{"RFC 8142 sequence with a byte order mark", "\xef\xbb\xbf\x1e" + feature("a") + "\n\x1e" + feature("b") + "\n", []string{"a", "b"}, "", ""},
		{"numeric id", `{"type":"Feature","id":17,"geometry":null,"properties":null}`, []string{"17"}, "", ""},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, nil, "", ""},
		{"empty file", ``, nil, "", ""},
		{"cut off", `{"type":"FeatureCollection","features":[` + feature("a") + `,{"type":"Feature","geometry":{"type":"Pol`, []string{"a"}, "", "ends in feature 2"},
		{"cut off between features", `{"type":"FeatureCollection","features":[` + feature("a") + `,`, []string{"a"}, "", "cut off"},
		{"syntax error", `{"type":"FeatureCollection","features":[{"type":"Feature",,}]}`, nil, "", "broken in feature 1"},
		{"not an object", `[1,2,3]`, nil, "", "does not start with a JSON object"},
		{"bare geometry", square, nil, "", "bare Polygon"},
		{"no type", `{"features":[]}`, nil, "", `no "type"`},
		{"features not an array", `{"type":"FeatureCollection","features":{}}`, nil, "", "not an array"},
		{"a geometry among features", `{"type":"FeatureCollection","features":[` + square + `]}`, nil, "", `not "Feature"`},
		{"garbage after a collection", `{"type":"FeatureCollection","features":[]} 17`, nil, "", "unexpected content"},
		{"blank space over the limit", `{"type":"FeatureCollection","features":[` + strings.Repeat(" ", MaxFeatureBytes) + `]}`, nil, "", "more than 8 MB in feature 1"},
		{"blank space over the limit after a feature", `{"type":"FeatureCollection","features":[` + feature("a") + "," + strings.Repeat("\n", MaxFeatureBytes+1<<20) + feature("b") + `]}`, []string{"a"}, "", "more than 8 MB in feature 2"},
		{"a huge feature", `{"type":"Feature","properties":{"x":"` + strings.Repeat("x", MaxFeatureBytes) + `"}}`, nil, "", "the limit for one feature"},
		{"nested too deep", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}}]}`, nil, "", "more than 32 deep in feature 1"},
		{"brackets in strings are no nesting", `{"type":"Feature","properties":{"x":"` + strings.Repeat("[{", 40) + `\"[["}}`, []string{""}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, crs, err := decodeAll(c.in)
			var ids []string
			for _, f := range fs {
				ids = append(ids, f.ID)
			}
			if strings.Join(ids, ",") != strings.Join(c.ids, ",") || crs != c.crs {
				t.Errorf("ids %v crs %q, want %v %q", ids, crs, c.ids, c.crs)
			}
			if c.error == "" && err != nil || c.error != "" && (err == nil || !strings.Contains(err.Error(), c.error)) {
				t.Errorf("error %v, want %q", err, c.error)
			}
		})
	}
}

// TestDecoderLimitsAreForEachFeature: a file far larger than MaxFeatureBytes streams through as
// long as every feature keeps to it.
func TestDecoderLimitsAreForEachFeature(t *testing.T) {
	big := `{"type":"Feature","properties":{"x":"` + strings.Repeat("x", 4<<20) + `"}}`
	in := `{"type":"FeatureCollection","features":[` + strings.Repeat(big+",", 9) + big + `]}`
	fs, _, err := decodeAll(in)
	if err != nil || len(fs) != 10 {
		t.Fatalf("10 features of 4 MB: %d features, %v", len(fs), err)
	}
}

func TestDecoderKeepsValuesAndReportsBadGeometry(t *testing.T) {
	fs, _, err := decodeAll(`{"type":"FeatureCollection","features":[
		{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]},"properties":{"kennung":"007","preis":12.50}},
		{"type":"Feature","geometry":{"type":"Polygon","coordinates":"nonsense"},"properties":{}},
		{"type":"Feature","geometry":{"type":"Hexagon","coordinates":[]},"properties":{}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if p := fs[0].Properties; p["kennung"] != "007" || p["preis"] != json.Number("12.50") {
		t.Errorf("properties %v: want digits as written", p)
	}
	if g, ok := fs[0].Geometry.(orb.Polygon); !ok || g[0][1] != (orb.Point{1, 0}) {
		t.Errorf("3D polygon read as %v, want its x/y", fs[0].Geometry)
	}
	for _, f := range fs[1:] {
		if f.GeometryErr == nil {
			t.Errorf("unreadable geometry accepted: %v", f.Geometry)
		}
	}
}

// FuzzDecoder: any input ends in features and io.EOF or in an error, never a panic or a loop, and
// an error is returned again by later calls.
func FuzzDecoder(f *testing.F) {
	for _, seed := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":` + square + `,"properties":{"a":1}}]}`,
		`{"features":[],"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:25833"}}}`,
		"\x1e{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n\x1e{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}",
		`{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[` + square + `]},"properties":{"x":[1,{"y":2}]}}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature"`, `[]`, `"x"`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(strings.NewReader(string(b)))
		for i := 0; i <= len(b)+1; i++ {
			_, err := d.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if _, again := d.Next(); again == nil || again.Error() != err.Error() {
					t.Fatalf("error %v, then %v", err, again)
				}
				return
			}
		}
		t.Fatalf("more features than bytes in %q", b)
	})
}
