package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/region"
	"landatlas/internal/upload"
)

type catalogField struct {
	Name  string            `json:"name"`
	Type  string            `json:"type"`
	Label map[string]string `json:"label"`
	Flag  bool              `json:"flag"`
	Tile  bool              `json:"tile"`
	Sheet string            `json:"sheet"`
}

func getCatalog(t *testing.T, base, token, ifNoneMatch string) (int, http.Header, []catalogField, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/api/v1/catalog", nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Parcels   []catalogField `json:"parcels"`
		CodeLists map[string]any `json:"code_lists"`
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
			t.Fatalf("GET /api/v1/catalog: %v", err)
		}
	}
	return resp.StatusCode, resp.Header, doc.Parcels, doc.CodeLists
}

// The web app reads the field registry: labels in both languages, the new 24-hour flag, and for
// the public no internal field and no code list only internal fields use. Clients revalidate.
func TestCatalogServesTheRegistryPerReader(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	planner, _ := token(t, db, auth.Planner, "", "Regionalplanung")

	code, hdr, public, publicLists := getCatalog(t, base, "", "")
	if code != http.StatusOK || hdr.Get("ETag") == "" || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("public catalog: %d, ETag %q, %s", code, hdr.Get("ETag"), hdr.Get("Content-Type"))
	}
	byName := map[string]catalogField{}
	for _, f := range public {
		byName[f.Name] = f
	}
	op, ok := byName["operation_24h"]
	if !ok || op.Type != "boolean" || op.Label["de"] != "24/7-Betrieb zulässig" || op.Label["en"] != "24-hour operation allowed" || !op.Flag || !op.Tile || op.Sheet == "" {
		t.Errorf("operation_24h in the catalog: %+v (present %v)", op, ok)
	}
	for _, name := range []string{"ownership", "owner_willing", "remarks", "publication", "source", "changed_by", "net_area_given_ha"} {
		if _, ok := byName[name]; ok {
			t.Errorf("the public catalog has the field %s", name)
		}
	}
	for _, name := range []string{"ownership", "owner_willing", "publication"} {
		if _, ok := publicLists[name]; ok {
			t.Errorf("the public catalog has the code list %s", name)
		}
	}
	if _, ok := publicLists["use_type"]; !ok {
		t.Errorf("the public catalog lacks the code list use_type: %v", publicLists)
	}
	if code, _, _, _ := getCatalog(t, base, "", hdr.Get("ETag")); code != http.StatusNotModified {
		t.Errorf("revalidating the public catalog: %d, want 304", code)
	}

	code, phdr, internal, _ := getCatalog(t, base, planner, "")
	if code != http.StatusOK || phdr.Get("ETag") == hdr.Get("ETag") {
		t.Fatalf("planner's catalog: %d, ETag %q (public %q)", code, phdr.Get("ETag"), hdr.Get("ETag"))
	}
	found := false
	for _, f := range internal {
		found = found || f.Name == "ownership"
	}
	if !found {
		t.Errorf("the planner's catalog lacks ownership")
	}
	if code, _, _, _ := getCatalog(t, base, planner, hdr.Get("ETag")); code != http.StatusOK {
		t.Errorf("a planner revalidating with the public's ETag: %d, want 200 (another body)", code)
	}
}

// The upload form asks the server how the upload will read a file's columns; an upload of a
// file with those columns reads them the same way.
func TestGuessMappingIsWhatTheUploadReads(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}

	for _, c := range []struct {
		columns []string
		want    map[string]string
	}{
		{[]string{"kennung", "nutzungsart", "planungsrecht", "verfuegbar", "status", "potenzialart", "VERFUEGBAR_AB", "Nachtbetrieb"},
			map[string]string{"verfuegbar": "availability", "VERFUEGBAR_AB": "available_from", "Nachtbetrieb": "operation_24h"}},
		{[]string{"kennung", "nutzungsart", "planungsrecht", "Verfügbarkeit", "status", "potenzialart", "24h"},
			map[string]string{"Verfügbarkeit": "availability", "24h": "operation_24h"}},
	} {
		body, err := json.Marshal(map[string]any{"columns": c.columns})
		if err != nil {
			t.Fatal(err)
		}
		code, guess, _ := editor.do(http.MethodPost, "/api/v1/uploads/guess-mapping", "application/json", bytes.NewReader(body))
		if code != http.StatusOK {
			t.Fatalf("guess-mapping: %d %v", code, guess)
		}
		guessed := map[string]string{}
		for _, g := range guess["columns"].([]any) {
			g := g.(map[string]any)
			field, _ := g["field"].(string)
			guessed[g["column"].(string)] = field
		}
		for col, want := range c.want {
			if guessed[col] != want {
				t.Errorf("guess for %s: %q, want %q", col, guessed[col], want)
			}
		}

		// The same columns in a file: the upload's report says how it read them.
		props := map[string]any{}
		values := map[string]any{"kennung": "G-1", "nutzungsart": "GI", "planungsrecht": "4000", "status": "angeboten", "potenzialart": "Brache"}
		for _, col := range c.columns {
			v, ok := values[col]
			if !ok {
				v = "sofort"
				if strings.Contains(strings.ToLower(col), "ab") {
					v = "2027-01-01"
				}
				if col == "24h" || col == "Nachtbetrieb" {
					v = "ja"
				}
			}
			props[col] = v
		}
		pj, err := json.Marshal(props)
		if err != nil {
			t.Fatal(err)
		}
		file := fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":%s,
			"geometry":{"type":"Polygon","coordinates":[[[11.95,51.35],[11.951,51.35],[11.951,51.351],[11.95,51.351],[11.95,51.35]]]}}]}`, pj)
		code, created, hdr := editor.upload([]byte(file), "flaechen.geojson", nil)
		if code != http.StatusAccepted {
			t.Fatalf("upload: %d %v", code, created)
		}
		u := editor.waitChecked(hdr.Get("Location"))
		report, ok := u["report"].(map[string]any)
		if !ok {
			t.Fatalf("upload without a report: %v", u)
		}
		read := map[string]string{}
		for _, cu := range report["columns"].([]any) {
			cu := cu.(map[string]any)
			field, _ := cu["field"].(string)
			read[cu["column"].(string)] = field
		}
		for _, col := range c.columns {
			if read[col] != guessed[col] {
				t.Errorf("column %s: the form guesses %q, the upload reads %q", col, guessed[col], read[col])
			}
		}
	}

	if code, body, _ := editor.do(http.MethodPost, "/api/v1/uploads/guess-mapping", "application/json", strings.NewReader(`{"cols": []}`)); code != http.StatusBadRequest {
		t.Errorf("a body with an unknown member: %d %v, want 400", code, body)
	}
	if code, _, _ := (client{t, base, ""}).do(http.MethodPost, "/api/v1/uploads/guess-mapping", "application/json", strings.NewReader(`{"columns": ["a"]}`)); code != http.StatusUnauthorized {
		t.Errorf("guessing without a token: %d, want 401", code)
	}
}

// The upload form offers the systems the importer reads, in both languages, and proposes each
// district's usual one; the web app keeps no list of its own.
func TestUploadFieldsOfferTheCRSsTheImporterReads(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	resp, err := http.Get(base + "/api/v1/uploads/fields")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/uploads/fields: %d", resp.StatusCode)
	}
	var doc struct {
		CRS []struct {
			Code string `json:"code"`
			SRID int    `json:"srid"`
			DE   string `json:"de"`
			EN   string `json:"en"`
		} `json:"crs"`
		Usual map[string]string `json:"usual_crs"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	offered := map[string]bool{}
	for _, c := range doc.CRS {
		offered[c.Code] = true
		if c.Code != fmt.Sprintf("EPSG:%d", c.SRID) || !strings.HasSuffix(c.DE, "("+c.Code+")") || !strings.HasSuffix(c.EN, "("+c.Code+")") || len(c.DE) <= len(c.Code)+3 {
			t.Errorf("crs %+v: want code, srid and a German and an English label naming the code", c)
		}
	}
	for _, c := range upload.Candidates() {
		code := fmt.Sprintf("EPSG:%d", c.SRID)
		if _, err := upload.ParseCRS(code); err != nil || !offered[code] {
			t.Errorf("%s: the importer reads it (err %v), the form offers it: %v", code, err, offered[code])
		}
	}
	if len(doc.CRS) != len(upload.Candidates()) {
		t.Errorf("%d systems offered, the importer reads %d", len(doc.CRS), len(upload.Candidates()))
	}
	for _, d := range region.Districts() {
		if got := doc.Usual[d.AGS]; got != fmt.Sprintf("EPSG:%d", d.UsualSRID) || !offered[got] {
			t.Errorf("usual CRS of %s (%s): %q, want EPSG:%d among the offered ones", d.AGS, d.Name, got, d.UsualSRID)
		}
	}
}
