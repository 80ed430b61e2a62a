package httpapi_test

import (
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
)

// Every route of routes.go but the web app's pages is in the one OpenAPI document, with its
// method.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	h, err := httpapi.New(httpapi.Config{DB: db.Pool, Log: slog.New(slog.DiscardHandler), Uploads: httpapi.UploadConfig{TempDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/ogcapi/api?f=json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /ogcapi/api: %d %v", resp.StatusCode, err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	// documented holds "METHOD /full/path" of every operation, paths from the host root.
	var documented []string
	for path, item := range doc.Paths {
		full := "/ogcapi" + path
		if _, ok := item["servers"]; ok {
			full = path // a path item with its own server ("/") is a path from the host root
		}
		for method := range item {
			if method != "servers" {
				documented = append(documented, strings.ToUpper(method)+" "+strings.TrimSuffix(full, "/"))
			}
		}
	}
	webApp := append([]string{"/", "/*", "/parcel/{id}", "/parcel/{id}/print", "/list/print", "/compare", "/glossary", "/study", "/study/run/{id}", "/search", "/upload", "/upload/{id}",
		"/edit", "/edit/{id}", "/enquiries", "/enquiries/{id}", "/campaigns", "/campaigns/{id}", "/study/run/{id}/report", "/monitoring/report"},
		// Pages for people, not API: proposal links and the imprint and privacy pages.
		"/angebot/{token}", "/angebot/{token}/expose", "/impressum", "/datenschutz")
	n := 0
	err = chi.Walk(h.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if slices.Contains(webApp, strings.TrimSuffix(route, "/")) || route == "/" {
			return nil
		}
		n++
		// A path parameter of the route matches any segment of a documented path (the features
		// API documents each collection's paths).
		pattern := regexp.MustCompile(`\\{[^}]+\\}`).ReplaceAllString(regexp.QuoteMeta(strings.TrimSuffix(route, "/")), `[^/]+`)
		re := regexp.MustCompile("^" + method + " " + pattern + "$")
		if !slices.ContainsFunc(documented, re.MatchString) {
			t.Errorf("%s %s is not in the OpenAPI document", method, route)
		}
		return nil
	})
	if err != nil || n < 45 {
		t.Errorf("walked %d routes (%v), want every one of routes.go", n, err)
	}

	// The readable page shows the same operations, with their methods and parameters.
	resp, err = http.Get(srv.URL + "/ogcapi/api.html")
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /ogcapi/api.html: %d %v", resp.StatusCode, err)
	}
	for _, want := range []string{"POST /api/v1/uploads", "PUT /api/v1/districts/{ags}/mapping", "GET /tiles/{collectionId}/{z}/{x}/{y}.mvt",
		"GET /collections/parcels/items", "<code>min_site_ha</code>", "GET /readyz"} {
		if !strings.Contains(html.UnescapeString(string(page)), want) {
			t.Errorf("/ogcapi/api.html does not show %q", want)
		}
	}
}
