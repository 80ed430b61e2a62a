package study

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseScope(t *testing.T) {
	for _, c := range []struct {
		query   string
		want    Scope
		wantErr string
	}{
		{"", Scope{}, ""},
		{"scope=region", Scope{}, ""},
		{"land=Sachsen", Scope{Lands: []string{"Sachsen"}}, ""},
		{"district=15088,14713,15088", Scope{Districts: []string{"15088", "14713"}}, ""},
		{"municipality=15088205", Scope{Municipalities: []string{"15088205"}}, ""},
		{"polygon=POLYGON((12 51,12.1 51,12.1 51.1,12 51))", Scope{Polygon: "POLYGON((12 51,12.1 51,12.1 51.1,12 51))"}, ""},
		{`polygon={"type":"Polygon","coordinates":[[[12,51],[12.1,51],[12.1,51.1],[12,51]]]}`, Scope{Polygon: "POLYGON((12 51,12.1 51,12.1 51.1,12 51))"}, ""},
		{"land=Bayern", Scope{}, "land"},
		{"district=15001", Scope{}, "district"},
		{"district=1508", Scope{}, "district"},
		{"municipality=09162000", Scope{}, "municipality"},
		{"municipality=150882", Scope{}, "municipality"},
		{"scope=nation", Scope{}, "scope"},
		{"scope=region&district=15088", Scope{}, "scope=region"},
		{"polygon=POINT(12 51)", Scope{}, "Polygon"},
		{"polygon=POLYGON((12 51,12.1 51,12.1 51.1))", Scope{}, "ring"},
		{"polygon=POLYGON((700000 5700000,700100 5700000,700100 5700100,700000 5700000))", Scope{}, "WGS84"},
		{"polygon=not wkt", Scope{}, "WKT"},
		{"polygon=POLYGON((12 51,NaN 51,12.1 51.1,12 51))", Scope{}, "WGS84"},
	} {
		v, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseScope(v.Get)
		switch {
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%s: err %v, want one naming %q", c.query, err, c.wantErr)
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: %v", c.query, err)
		case c.wantErr == "" && !(slices.Equal(got.Lands, c.want.Lands) && slices.Equal(got.Districts, c.want.Districts) &&
			slices.Equal(got.Municipalities, c.want.Municipalities) && got.Polygon == c.want.Polygon):
			t.Errorf("%s: %+v, want %+v", c.query, got, c.want)
		}
	}
}

func TestScopeFromJSON(t *testing.T) {
	var s Scope
	err := json.Unmarshal([]byte(`{"district": "15088", "land": ["Sachsen", "Thüringen"],
		"polygon": {"type": "Polygon", "coordinates": [[[12, 51], [12.1, 51], [12.1, 51.1], [12, 51]]]}}`), &s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Districts, []string{"15088"}) || len(s.Lands) != 2 || !strings.HasPrefix(s.Polygon, "POLYGON((12 51") {
		t.Errorf("scope %+v", s)
	}
	if err := json.Unmarshal([]byte(`{"kreis": "15088"}`), &s); err == nil {
		t.Error("an unknown scope field was accepted")
	}
	if d := (Scope{Lands: []string{"Thüringen"}}).DistrictsIn(); len(d) != 1 || d[0].AGS != "16077" {
		t.Errorf("districts in Thüringen: %v", d)
	}
	if d := (Scope{Municipalities: []string{"15088205"}}).DistrictsIn(); len(d) != 1 || d[0].AGS != "15088" {
		t.Errorf("districts of Leuna: %v", d)
	}
	// Areas put together: Thüringen and the Saalekreis.
	if d := (Scope{Lands: []string{"Thüringen"}, Districts: []string{"15088"}}).DistrictsIn(); len(d) != 2 || d[0].AGS != "15088" || d[1].AGS != "16077" {
		t.Errorf("districts of Thüringen and the Saalekreis: %v", d)
	}
}

func TestParseAsOf(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"", time.Time{}, false},
		// A date is the state at the end of that day in the region (CEST is UTC+2 in June).
		{"2022-06-30", time.Date(2022, 6, 30, 21, 59, 59, 999999000, time.UTC), false},
		{"2022-01-31", time.Date(2022, 1, 31, 22, 59, 59, 999999000, time.UTC), false},
		{"2022-06-30T12:00:00Z", time.Date(2022, 6, 30, 12, 0, 0, 0, time.UTC), false},
		{"2026-11-22", now, false}, // today: up to now
		{"2026-11-23", time.Time{}, true},
		{"1989-12-31", time.Time{}, true},
		{"30.06.2022", time.Time{}, true},
	} {
		got, err := ParseAsOf(c.in, now)
		if (err != nil) != c.wantErr || !got.Equal(c.want) {
			t.Errorf("ParseAsOf(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.wantErr)
		}
	}
}

func FuzzParseScope(f *testing.F) {
	f.Add("POLYGON((12 51,12.1 51,12.1 51.1,12 51))", "15088")
	f.Add(`{"type":"MultiPolygon","coordinates":[[[[12,51],[13,51],[13,52],[12,51]]]]}`, "Sachsen")
	f.Add("MULTIPOLYGON(((1 1,2 2,3 1,1 1)),((5 5,6 6,7 5,5 5)))", "")
	f.Fuzz(func(t *testing.T, polygon, district string) {
		v := url.Values{"polygon": {polygon}, "district": {district}}
		s, err := ParseScope(v.Get)
		if err != nil {
			return
		}
		// A scope that parsed reads back the same: its polygon is valid WKT of WGS84 positions.
		again, err := ParseScope(url.Values{"polygon": {s.Polygon}, "district": {strings.Join(s.Districts, ",")}}.Get)
		if err != nil || again.Polygon != s.Polygon {
			t.Fatalf("scope %+v does not read back: %+v, %v", s, again, err)
		}
	})
}

func FuzzParseAsOf(f *testing.F) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"2022-06-30", "2022-06-30T12:00:00Z", "2022-02-30", "9999-12-31", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseAsOf(s, now)
		if err == nil && got.After(now) {
			t.Fatalf("ParseAsOf(%q) = %v, after now", s, got)
		}
	})
}
