package httpapi

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseBasemaps(t *testing.T) {
	tests := []struct {
		in      string
		want    []Basemap
		wantErr string
	}{
		{in: "", want: DefaultBasemaps},
		{in: "off", want: []Basemap{}},
		{in: " OFF ", want: []Basemap{}},
		{in: "https://example.test/style.json?key=a=b", want: []Basemap{{ID: "map", Style: "https://example.test/style.json?key=a=b"}}},
		{in: "map=http://127.0.0.1:9/a.json, aerial=http://127.0.0.1:9/{z}/{x}/{y}.png", want: []Basemap{
			{ID: "map", Style: "http://127.0.0.1:9/a.json"}, {ID: "aerial", Style: "http://127.0.0.1:9/{z}/{x}/{y}.png"},
		}},
		{in: "street=http://127.0.0.1:9/a.json", wantErr: "id one of map, grey, aerial"},
		{in: "map=http://a.test/1.json,map=http://a.test/2.json", wantErr: "given twice"},
		{in: "map=ftp://a.test/1.json", wantErr: "not an http(s) URL"},
		{in: "style.json", wantErr: "not id=URL"},
	}
	for _, tt := range tests {
		got, err := ParseBasemaps(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseBasemaps(%q) error = %v, want it to say %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseBasemaps(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseBasemaps(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, b := range DefaultBasemaps {
		if !strings.HasPrefix(b.Style, "https://sgx.geodatenzentrum.de/") {
			t.Errorf("default base map %s is not basemap.de/BKG: %s", b.ID, b.Style)
		}
	}
}
