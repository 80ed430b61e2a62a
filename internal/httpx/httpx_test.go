package httpx_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"landatlas/internal/apperr"
	"landatlas/internal/httpx"
)

// The one Accept-Encoding rule: what the middleware compresses is what AcceptsGzip tells a
// handler that sends pre-compressed bytes (tiles), for every header, "*" included.
func TestCompressAndAcceptsGzipAgree(t *testing.T) {
	var told bool
	body := strings.Repeat(`{"type":"Feature","properties":{"name":"Gewerbegebiet"}},`, 200)
	h := httpx.Compress()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		told = httpx.AcceptsGzip(w)
		w.Header().Set("Content-Type", "application/geo+json")
		_, _ = io.WriteString(w, body)
	}))
	for header, want := range map[string]bool{
		"gzip": true, "gzip, deflate, br": true, "br;q=1.0, gzip;q=0.8": true, "*": true, "br, *;q=0.5": true,
		"gzip;q=0": false, "gzip;q=0, *": false, "*;q=0": false, "identity": false, "": false, "br": false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		if header != "" {
			r.Header.Set("Accept-Encoding", header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		gzipped := w.Header().Get("Content-Encoding") == "gzip"
		if gzipped != want || told != want {
			t.Errorf("Accept-Encoding %q: compressed %v, AcceptsGzip %v; want %v", header, gzipped, told, want)
			continue
		}
		if gzipped {
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil || string(plain) != body {
				t.Errorf("Accept-Encoding %q: the body does not unpack to what was sent (%v)", header, err)
			}
		}
	}
}

// A handler that sets Content-Encoding itself (pre-gzipped tiles) is passed through unchanged.
func TestCompressPassesPrecompressedBodies(t *testing.T) {
	h := httpx.Compress()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, strings.Repeat("tile ", 1000))
		_ = zw.Close()
	}))
	r := httptest.NewRequest(http.MethodGet, "/t", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || string(plain) != strings.Repeat("tile ", 1000) {
		t.Errorf("pre-gzipped body changed on the way: %v", err)
	}
}

func TestETagMatches(t *testing.T) {
	etag := `W/"abc"`
	for h, want := range map[string]bool{etag: true, `"abc"`: true, `"x", ` + etag: true, " * ": true, `"x"`: false, "": false, `W/"abcd"`: false} {
		if got := httpx.ETagMatches(h, etag); got != want {
			t.Errorf("ETagMatches(%q) = %v, want %v", h, got, want)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Set("If-None-Match", etag)
	w := httptest.NewRecorder()
	if !httpx.NotModified(w, r, etag) || w.Code != http.StatusNotModified || w.Header().Get("ETag") != etag {
		t.Errorf("NotModified: %d, ETag %q; want 304 with the ETag", w.Code, w.Header().Get("ETag"))
	}
}

// What url.ParseQuery would drop silently is refused, with a message naming the problem.
func TestCheckRequest(t *testing.T) {
	for target, want := range map[string]string{
		"/ogcapi/collections/parcels/items?filter=id=1;":            `holds a ";" in "filter=id=1;"`,
		"/ogcapi/collections/parcels/items?bbox=12,51,12.01,51.01;": `holds a ";"`,
		"/api/v1/study/supply?district=15088;":                      `holds a ";" in "district=15088;"`,
		"/api/v1/uploads?district=15088&crs=EPSG:25833;":            `holds a ";" in "crs=EPSG:25833;"`,
		"/api/v1/study/supply?district=15088%zz":                    "malformed %-escape",
		"/api/v1/study/supply?filter=name%3D%27a%00%27":             "control character U+0000",
		"/ogcapi/collections/municipalities/items/%00":              "control character U+0000",
		"/ogcapi/collections/parcels/items?%01=1":                   "control character U+0001",
	} {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			t.Fatal(err)
		}
		err = httpx.CheckRequest(&http.Request{URL: u})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", target, err, want)
		}
		if k := apperr.KindOf(err); k != apperr.Invalid && k != apperr.NotFound {
			t.Errorf("%s: kind %s, want invalid or not found", target, k)
		}
	}
	for _, target := range []string{"/x?filter=name%3D%27a%3Bb%27", "/x?filter=a%0Ab%09c", "/x?a=1&b=2", "/x"} {
		u, _ := url.ParseRequestURI(target)
		if err := httpx.CheckRequest(&http.Request{URL: u}); err != nil {
			t.Errorf("%s refused: %v", target, err)
		}
	}
}

func TestNumbers(t *testing.T) {
	q := url.Values{"a": {"NaN"}, "b": {"Inf"}, "c": {"1e400"}, "d": {"-Infinity"}, "e": {"2.5"}, "f": {"12abc"}, "n": {"99999999999999999999"}}
	for _, name := range []string{"a", "b", "c", "d", "f"} {
		if _, err := httpx.Number(q, name, 0, -1e9, 1e9); err == nil || !strings.Contains(err.Error(), "parameter "+name+": ") {
			t.Errorf("Number(%s=%s): %v, want a 400 naming the parameter", name, q.Get(name), err)
		}
		if _, err := httpx.ParseNumber(name, q.Get(name)); err == nil {
			t.Errorf("ParseNumber(%s) accepted", q.Get(name))
		}
	}
	if f, err := httpx.Number(q, "e", 0, 0, 10); err != nil || f != 2.5 {
		t.Errorf("Number(2.5) = %v, %v", f, err)
	}
	if f, err := httpx.Number(q, "missing", 7, 0, 10); err != nil || f != 7 {
		t.Errorf("Number(absent) = %v, %v; want the default", f, err)
	}
	if _, err := httpx.Integer(q, "n", 0, 0, 100); err == nil || !strings.Contains(err.Error(), "whole number from 0 to 100") {
		t.Errorf("Integer(huge): %v", err)
	}
}

func TestCheckParams(t *testing.T) {
	q, _ := url.ParseQuery("limit=5&limt=6")
	err := httpx.CheckParams(q, []string{"limit", "bbox"}, []string{"name"}, "the queryables")
	if err == nil || !strings.Contains(err.Error(), `unknown query parameter "limt"; allowed here: limit, bbox, and the queryables: name`) {
		t.Errorf("unknown parameter: %v", err)
	}
	q, _ = url.ParseQuery("limit=5&limit=6")
	if err := httpx.CheckParams(q, []string{"limit"}, nil, ""); err == nil || !strings.Contains(err.Error(), "given 2 times") {
		t.Errorf("repeated parameter: %v", err)
	}
}

func FuzzCheckRequest(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "filter=id=1;", "x=%zz", "x=%00", "bbox=1,2,3,4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := &http.Request{URL: &url.URL{Path: "/x", RawQuery: raw}}
		if httpx.CheckRequest(r) == nil {
			// What is accepted is read whole: url.ParseQuery drops nothing.
			if _, err := url.ParseQuery(raw); err != nil {
				t.Errorf("accepted %q, which url.ParseQuery cannot read: %v", raw, err)
			}
		}
	})
}
