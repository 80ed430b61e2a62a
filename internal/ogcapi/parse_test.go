package ogcapi

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/region"
)

func TestParseBBox(t *testing.T) {
	epsg4326, _ := parseCRS("bbox-crs", epsgURI(4326))
	for _, c := range []struct {
		in      string
		crs     crs
		want    *bbox
		wantErr string
	}{
		{"", crs84, nil, ""},
		{"11.9,51.3,12.6,51.6", crs84, &bbox{11.9, 51.3, 12.6, 51.6, crs84}, ""},
		{"11.9, 51.3, 0, 12.6, 51.6, 100", crs84, &bbox{11.9, 51.3, 12.6, 51.6, crs84}, ""},
		// EPSG:4326 is latitude first; the box comes out in x/y order.
		{"51.3,11.9,51.6,12.6", epsg4326, &bbox{11.9, 51.3, 12.6, 51.6, epsg4326}, ""},
		{"170,-10,-170,10", crs84, &bbox{170, -10, -170, 10, crs84}, ""},
		{"690000,5700000,700000,5710000", storageCRS, &bbox{690000, 5700000, 700000, 5710000, storageCRS}, ""},
		{"1,2,3", crs84, nil, "has 3 numbers"},
		{"1,2,3,4,5", crs84, nil, "has 5 numbers"},
		{"a,2,3,4", crs84, nil, `"a" is not a number`},
		{"1,2,NaN,4", crs84, nil, "not a number"},
		{"1,2,Inf,4", crs84, nil, "not a number"},
		{"11,52,12,51", crs84, nil, "north of the upper one"},
		{"11,51,12,91", crs84, nil, "within ±90"},
		{"-181,51,12,52", crs84, nil, "within ±180"},
		{"700000,5700000,690000,5710000", storageCRS, nil, "east of the upper one"},
		{"1,2,10,3,4,5", crs84, nil, "lower height"},
	} {
		got, err := parseBBox(c.in, c.crs)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), "parameter bbox:") {
				t.Errorf("parseBBox(%q) error = %v, want one naming bbox and saying %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("parseBBox(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestParseDatetime(t *testing.T) {
	ts := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	for _, c := range []struct {
		in      string
		want    *period
		wantErr string
	}{
		{"", nil, ""},
		{"2022-01-01T12:00:00Z", &period{Instant: true, Start: ts("2022-01-01T12:00:00Z"), End: ts("2022-01-01T12:00:00Z")}, ""},
		{"2022-01-01T12:00:00+01:00", &period{Instant: true, Start: ts("2022-01-01T11:00:00Z"), End: ts("2022-01-01T11:00:00Z")}, ""},
		// A date is the whole day.
		{"2022-01-01", &period{Start: ts("2022-01-01T00:00:00Z"), End: ts("2022-01-01T23:59:59.999999Z")}, ""},
		{"2021-01-01/2021-12-31", &period{Start: ts("2021-01-01T00:00:00Z"), End: ts("2021-12-31T23:59:59.999999Z")}, ""},
		{"2021-06-01T00:00:00Z/..", &period{Start: ts("2021-06-01T00:00:00Z")}, ""},
		{"../2022-01-01T00:00:00Z", &period{End: ts("2022-01-01T00:00:00Z")}, ""},
		{"/2022-01-01", &period{End: ts("2022-01-01T23:59:59.999999Z")}, ""},
		{"../..", &period{}, ""},
		{"2022-13-01", nil, "not a date or timestamp"},
		{"2022-01-01T12:00:00", nil, "not a date or timestamp"}, // no time zone
		{"yesterday", nil, "not a date"},
		{"2022-01-01/2021-01-01", nil, "ends before it starts"},
		{"2021-01-01/2022-01-01/2023-01-01", nil, "more than one"},
		{"2021-01-01/soon", nil, `"soon" is not a date`},
	} {
		got, err := parseDatetime(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), "parameter datetime:") {
				t.Errorf("parseDatetime(%q) error = %v, want one saying %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || !samePeriod(got, c.want) {
			t.Errorf("parseDatetime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func samePeriod(a, b *period) bool {
	if a == nil || b == nil {
		return a == b
	}
	same := func(x, y *time.Time) bool { return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) }
	return a.Instant == b.Instant && same(a.Start, b.Start) && same(a.End, b.End)
}

func TestParseSortbyAndProperties(t *testing.T) {
	parcels, _ := catalog.ByID("parcels")
	keys, err := parseSortby("-net_area_ha, name,+status", parcels, false)
	if err != nil || sortName(keys) != "-net_area_ha,name,status" {
		t.Errorf("parseSortby = %v, %v", sortName(keys), err)
	}
	// An unencoded + arrives as a space.
	if keys, err := parseSortby(" name", parcels, false); err != nil || sortName(keys) != "name" {
		t.Errorf(`parseSortby(" name") = %v, %v`, sortName(keys), err)
	}
	for _, in := range []string{"remarks", "nope", "name,name", "-", "a,b,c,d,e,f"} {
		if _, err := parseSortby(in, parcels, false); err == nil || !strings.HasPrefix(err.Error(), "parameter sortby:") {
			t.Errorf("parseSortby(%q) error = %v, want a 400 naming sortby", in, err)
		}
	}
	if _, err := parseSortby("remarks", parcels, true); err != nil {
		t.Errorf("a signed-in reader cannot sort by remarks: %v", err)
	}
	props, err := parseProperties("name,net_area_ha,name", parcels, false)
	if err != nil || len(props) != 2 {
		t.Errorf("parseProperties = %v, %v; want name and net_area_ha once each", props, err)
	}
	if _, err := parseProperties("name,ownership", parcels, false); err == nil || !strings.Contains(err.Error(), `"ownership" is not a property`) {
		t.Errorf("the public may choose the internal ownership: %v", err)
	}
}

func TestParseLimit(t *testing.T) {
	for in, want := range map[string]int{"": 100, "1": 1, "10000": 10000, "10001": 10000, "99999999999999999999": 10000} {
		if got, err := parseLimit(in); err != nil || got != want {
			t.Errorf("parseLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-5", "1.5", "ten", "-99999999999999999999"} {
		if _, err := parseLimit(in); err == nil || !strings.HasPrefix(err.Error(), "parameter limit:") {
			t.Errorf("parseLimit(%q) error = %v, want a 400 naming limit", in, err)
		}
	}
}

func TestParseCRS(t *testing.T) {
	for _, in := range []string{"", crs84.URI, "[OGC:CRS84]", epsgURI(25833), "[EPSG:31468]"} {
		if _, err := parseCRS("crs", in); err != nil {
			t.Errorf("parseCRS(%q): %v", in, err)
		}
	}
	for _, in := range []string{"EPSG:4326", epsgURI(2154), "http://www.opengis.net/def/crs/OGC/1.3/CRS83"} {
		if _, err := parseCRS("crs", in); err == nil || !strings.Contains(err.Error(), crs84.URI) {
			t.Errorf("parseCRS(%q) error = %v, want one listing the supported CRSs", in, err)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	v, n := "2024-03-01T10:00:00.5Z", "12"
	types := []cql2.Type{cql2.Timestamp, cql2.String, cql2.Integer}
	c := cursor{Prev: true, Sort: "-valid_from,name", Keys: []*string{&v, nil, &n}}
	got, err := decodeCursor(c.encode(), "-valid_from,name", types)
	if err != nil || !got.Prev || *got.Keys[0] != v || got.Keys[1] != nil || *got.Keys[2] != n {
		t.Fatalf("decodeCursor(encode(%+v)) = %+v, %v", c, got, err)
	}
	if _, err := decodeCursor(c.encode(), "name", types[1:]); err == nil || !strings.Contains(err.Error(), "another sortby") {
		t.Errorf("a cursor of another sortby was accepted: %v", err)
	}
	bad := cursor{Keys: []*string{&n, nil, &v}, Sort: "-valid_from,name"}
	if _, err := decodeCursor(bad.encode(), "-valid_from,name", types); err == nil {
		t.Error("a cursor whose values do not fit the key types was accepted")
	}
	for _, in := range []string{"%%%", "bm90IGpzb24", strings.Repeat("A", 5000)} {
		if _, err := decodeCursor(in, "", []cql2.Type{cql2.Integer}); err == nil || !strings.HasPrefix(err.Error(), "parameter cursor:") {
			t.Errorf("decodeCursor(%.20q) error = %v", in, err)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		query, accept string
		want          format
	}{
		{"", "", formatJSON},
		{"", "*/*", formatJSON},
		{"", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", formatHTML},
		{"", "application/geo+json, application/json", formatJSON},
		{"", "application/json;q=0.5, text/html", formatHTML},
		{"f=json", "text/html", formatJSON},
		{"f=html", "application/json", formatHTML},
	} {
		r := httptest.NewRequest("GET", "/ogcapi?"+c.query, nil)
		r.Header.Set("Accept", c.accept)
		if got, err := negotiate(r); err != nil || got != c.want {
			t.Errorf("negotiate(%q, Accept %q) = %v, %v; want %v", c.query, c.accept, got, err, c.want)
		}
	}
	if _, err := negotiate(httptest.NewRequest("GET", "/ogcapi?f=xml", nil)); err == nil || !strings.Contains(err.Error(), "json or html") {
		t.Errorf("f=xml: %v", err)
	}
}

func TestCheckParams(t *testing.T) {
	q, _ := url.ParseQuery("limit=5&bbox=1,2,3,4&name=x")
	if err := checkParams(q, itemsParams, []string{"name"}); err != nil {
		t.Errorf("valid parameters refused: %v", err)
	}
	q, _ = url.ParseQuery("limit=5&limt=6")
	if err := checkParams(q, itemsParams, nil); err == nil || !strings.Contains(err.Error(), `"limt"`) || !strings.Contains(err.Error(), "limit, bbox") {
		t.Errorf("unknown parameter: %v, want a message naming it and the allowed ones", err)
	}
	q, _ = url.ParseQuery("limit=5&limit=6")
	if err := checkParams(q, itemsParams, nil); err == nil || !strings.Contains(err.Error(), "given 2 times") {
		t.Errorf("repeated parameter: %v", err)
	}
}

func TestETagOf(t *testing.T) {
	if etagOf("ab", "c") == etagOf("a", "bc") {
		t.Error("etagOf does not separate its parts")
	}
}

// Fuzz tests: the parsers of outside input never panic, and what they accept is consistent.

func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"11.9,51.3,12.6,51.6", "1,2,3,4,5,6", "170,-10,-170,10", "1e308,1,2,3", "-0,0,0,0", ",,,", "1,2,3"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, latLon bool) {
		c := crs84
		if latLon {
			c = supportedCRS[1]
		}
		b, err := parseBBox(s, c)
		if err != nil || b == nil {
			return
		}
		if b.MinY > b.MaxY || b.MinY < -90 || b.MaxY > 90 || b.MinX < -180 || b.MaxX > 180 {
			t.Fatalf("parseBBox(%q) accepted %+v", s, b)
		}
		area := region.StorageArea
		for _, p := range b.core().Clipped() {
			if p.MinX > p.MaxX || p.MinY > p.MaxY || p.MinX < area[0] || p.MaxY > area[3] {
				t.Fatalf("clipped part %+v of %+v is not inside the area", p, b)
			}
		}
	})
}

func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2022-01-01", "2022-01-01T12:00:00Z", "2021-01-01/..", "../2022-01-01T00:00:00.123+02:00", "/", "../..", "2022-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseDatetime(s)
		if err != nil || p == nil {
			return
		}
		if p.Start != nil && p.End != nil && p.Start.After(*p.End) {
			t.Fatalf("parseDatetime(%q) accepted an interval that ends before it starts", s)
		}
		if p.Instant && (p.Start == nil || p.End == nil) {
			t.Fatalf("parseDatetime(%q) made an instant without a time", s)
		}
	})
}

func FuzzDecodeCursor(f *testing.F) {
	v := "2024-01-01T00:00:00Z"
	f.Add(cursor{Keys: []*string{&v, nil}, Sort: "-valid_from"}.encode())
	f.Add("eyJrIjpbIjIiXX0")
	f.Add("")
	types := []cql2.Type{cql2.Timestamp, cql2.Integer}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s, "-valid_from", types)
		if err != nil || c == nil {
			return
		}
		if len(c.Keys) != len(types) {
			t.Fatalf("decodeCursor(%q) accepted %d keys", s, len(c.Keys))
		}
		for i, k := range c.Keys {
			if k == nil {
				continue
			}
			if _, err := keyValue(*k, types[i]); err != nil {
				t.Fatalf("decodeCursor(%q) accepted key %q: %v", s, *k, err)
			}
		}
	})
}

func FuzzParseSortby(f *testing.F) {
	for _, s := range []string{"-net_area_ha,name", " name", "+status", "-", ",", "remarks"} {
		f.Add(s, false)
	}
	parcels, _ := catalog.ByID("parcels")
	f.Fuzz(func(t *testing.T, s string, internal bool) {
		keys, err := parseSortby(s, parcels, internal)
		if err != nil {
			return
		}
		for _, k := range keys {
			if _, ok := parcels.Property(k.Prop.Name, internal); !ok {
				t.Fatalf("parseSortby(%q) accepted %q, which the reader may not see", s, k.Prop.Name)
			}
		}
	})
}
