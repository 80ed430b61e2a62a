package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

func newServer(t *testing.T, db *pgtest.DB, uc httpapi.UploadConfig) string {
	t.Helper()
	uc.TempDir = t.TempDir()
	h, err := httpapi.New(httpapi.Config{DB: db.Pool, Log: slog.New(slog.DiscardHandler), Uploads: uc})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func token(t *testing.T, db *pgtest.DB, role auth.Role, district, label string) (string, int64) {
	t.Helper()
	tok, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	id, err := store.Accounts{DB: db.Pool}.Create(context.Background(), label, role, district, hash)
	if err != nil {
		t.Fatal(err)
	}
	return tok, id
}

// parcelsFile is a GeoJSON file of n parcels of a district: squares of 80 m around a point inside
// its largest municipality, with the required attributes in German.
func parcelsFile(t testing.TB, db *pgtest.DB, ags string, n int, status string) []byte {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `
		WITH c AS (SELECT ST_PointOnSurface(geom) p FROM municipalities WHERE district_ags = $1 ORDER BY ST_Area(geom) DESC LIMIT 1)
		SELECT i, ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(ST_X(p) + 200 * i, ST_Y(p), ST_X(p) + 200 * i + 80, ST_Y(p) + 80, 25832), 4326), 8)
		FROM c, generate_series(0, $2 - 1) i`, ags, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var features []string
	for rows.Next() {
		var i int
		var g string
		if err := rows.Scan(&i, &g); err != nil {
			t.Fatal(err)
		}
		features = append(features, fmt.Sprintf(`{"type":"Feature","geometry":%s,"properties":{"kennung":"%s-%d",
			"nutzungsart":"GE","planungsrecht":"rechtskräftig","verfuegbarkeit":"sofort","status":%q,
			"potenzialart":"Baulücke","oeffentlich":%q}}`, g, ags, i, status, map[bool]string{true: "ja", false: "nein"}[i%2 == 0]))
	}
	return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)
}

type client struct {
	t     testing.TB
	base  string
	token string
}

func (c client) do(method, path, contentType string, body io.Reader) (int, map[string]any, http.Header) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out, resp.Header
}

// upload posts a file as multipart with form fields.
func (c client) upload(file []byte, filename string, fields map[string]string) (int, map[string]any, http.Header) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(file)
	mw.Close()
	return c.do(http.MethodPost, "/api/v1/uploads", mw.FormDataContentType(), &buf)
}

// waitChecked polls an upload until the worker is done with it.
func (c client) waitChecked(location string) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, u, _ := c.do(http.MethodGet, location, "", nil)
		if code != http.StatusOK {
			c.t.Fatalf("GET %s: %d %v", location, code, u)
		}
		switch u["status"] {
		case "ready", "invalid", "failed":
			return u
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("upload %s still %v after 60 s", location, u["status"])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func detail(body map[string]any) string {
	s, _ := body["detail"].(string)
	return s
}

func parcelCounts(t *testing.T, db *pgtest.DB) [2]int {
	t.Helper()
	var c [2]int
	if err := db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM parcels), (SELECT count(*) FROM parcel_history)`).Scan(&c[0], &c[1]); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUploadFlowOverHTTP(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, account := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}

	code, body, hdr := editor.upload(parcelsFile(t, db, "15088", 3, "angeboten"), "flaechen.geojson", map[string]string{"mode": "replace"})
	if code != http.StatusAccepted || hdr.Get("Location") == "" {
		t.Fatalf("POST /api/v1/uploads: %d %v, want 202 with a Location", code, body)
	}
	u := editor.waitChecked(hdr.Get("Location"))
	if u["status"] != "ready" || u["district"] != "15088" || u["by"] != "Saalekreis GIS" {
		t.Fatalf("upload after checking: %v", u)
	}
	prev := u["preview"].(map[string]any)
	if prev["new"].(float64) != 3 || prev["mode"] != "replace" {
		t.Fatalf("preview %v, want 3 new parcels in replace mode", prev)
	}
	progress := u["progress"].(map[string]any)
	if progress["read"].(float64) != 3 || progress["validated"].(float64) != 3 {
		t.Errorf("progress %v, want 3 read and 3 validated", progress)
	}

	resp, err := http.Get(base + hdr.Get("Location") + "/changes.geojson")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous GET of the changes: %d, want 401", resp.StatusCode)
	}
	code, changes, hdr2 := editor.do(http.MethodGet, hdr.Get("Location")+"/changes.geojson", "", nil)
	if code != http.StatusOK || changes["type"] != "FeatureCollection" || len(changes["features"].([]any)) != 3 || hdr2.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("changes.geojson: %d %s %v", code, hdr2.Get("Content-Type"), changes)
	}

	code, applied, _ := editor.do(http.MethodPost, hdr.Get("Location")+"/apply", "", nil)
	if code != http.StatusOK || applied["status"] != "applied" {
		t.Fatalf("apply: %d %v", code, applied)
	}
	code, again, _ := editor.do(http.MethodPost, hdr.Get("Location")+"/apply", "", nil)
	if code != http.StatusConflict {
		t.Errorf("second apply: %d %v, want 409", code, again)
	}

	// A second delivery changes one parcel; the history shows it, to the public without internals.
	_, _, hdr = editor.upload(parcelsFile(t, db, "15088", 3, "reserviert"), "flaechen.geojson", nil)
	editor.waitChecked(hdr.Get("Location"))
	if code, body, _ := editor.do(http.MethodPost, hdr.Get("Location")+"/apply", "", nil); code != http.StatusOK {
		t.Fatalf("apply second delivery: %d %v", code, body)
	}
	var publicID, internalID int64
	db.QueryRow(t, `SELECT id FROM parcels WHERE external_id = '15088-0'`).Scan(&publicID)
	db.QueryRow(t, `SELECT id FROM parcels WHERE external_id = '15088-1'`).Scan(&internalID)
	code, hist, _ := editor.do(http.MethodGet, fmt.Sprintf("/api/v1/parcels/%d/history", publicID), "", nil)
	versions, _ := hist["versions"].([]any)
	if code != http.StatusOK || len(versions) != 2 {
		t.Fatalf("history: %d %v, want 2 versions", code, hist)
	}
	v2 := versions[1].(map[string]any)
	if v2["changed_by"] != "Saalekreis GIS" || v2["upload_id"] == nil || v2["changes"].(map[string]any)["status"] == nil {
		t.Errorf("second version %v: want who, which upload and the status change", v2)
	}
	anon := client{t, base, ""}
	code, hist, _ = anon.do(http.MethodGet, fmt.Sprintf("/api/v1/parcels/%d/history", publicID), "", nil)
	if v := hist["versions"].([]any)[1].(map[string]any); code != http.StatusOK || v["changed_by"] != nil {
		t.Errorf("public history: %d %v, want versions without who", code, hist)
	}
	if code, _, _ := anon.do(http.MethodGet, fmt.Sprintf("/api/v1/parcels/%d/history", internalID), "", nil); code != http.StatusNotFound {
		t.Errorf("public history of an internal parcel: %d, want 404", code)
	}

	code, list, _ := editor.do(http.MethodGet, "/api/v1/uploads?district=15088&limit=1", "", nil)
	if code != http.StatusOK || len(list["uploads"].([]any)) != 1 || list["next"] == nil {
		t.Fatalf("list: %d %v, want one upload and a next link", code, list)
	}
	code, list, _ = editor.do(http.MethodGet, list["next"].(string), "", nil)
	if code != http.StatusOK || len(list["uploads"].([]any)) != 1 {
		t.Errorf("next page: %d %v", code, list)
	}

	rows, _ := db.Pool.Query(context.Background(), `SELECT DISTINCT action FROM audit_log WHERE account_id = $1 ORDER BY 1`, account)
	actions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("audit log of the editor: %v", err)
	}
	if got := strings.Join(actions, ","); got != "token.create,token.use,upload.apply,upload.create" {
		t.Errorf("audit log of the editor: %s, want token.create, token.use, upload.apply and upload.create", got)
	}
}

func TestUploadAuthorization(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	saaleTok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	leipzigTok, _ := token(t, db, auth.Editor, "14713", "Leipzig GIS")
	plannerTok, _ := token(t, db, auth.Planner, "", "Region planner")
	revokedTok, revokedID := token(t, db, auth.Editor, "15088", "old laptop")
	if err := (store.Accounts{DB: db.Pool}).Revoke(context.Background(), revokedID); err != nil {
		t.Fatal(err)
	}
	saale, leipzig := client{t, base, saaleTok}, client{t, base, leipzigTok}

	// Leipzig's current data, which Saalekreis's editor must not be able to touch.
	_, _, hdr := leipzig.upload(parcelsFile(t, db, "14713", 2, "angeboten"), "l.geojson", nil)
	leipzig.waitChecked(hdr.Get("Location"))
	if code, body, _ := leipzig.do(http.MethodPost, hdr.Get("Location")+"/apply", "", nil); code != http.StatusOK {
		t.Fatalf("Leipzig's own apply: %d %v", code, body)
	}
	before := parcelCounts(t, db)
	file := parcelsFile(t, db, "14713", 1, "vermarktet")

	cases := []struct {
		name   string
		c      client
		fields map[string]string
		want   int
		says   string
	}{
		{"anonymous", client{t, base, ""}, map[string]string{"district": "15088"}, http.StatusUnauthorized, "Bearer"},
		{"revoked token", client{t, base, revokedTok}, map[string]string{"district": "15088"}, http.StatusUnauthorized, "revoked"},
		{"planner", client{t, base, plannerTok}, map[string]string{"district": "15088"}, http.StatusForbidden, "reads only"},
		{"editor of another district", saale, map[string]string{"district": "14713", "mode": "replace"}, http.StatusForbidden, "Saalekreis (15088) only"},
	}
	for _, c := range cases {
		code, body, _ := c.c.upload(file, "x.geojson", c.fields)
		if code != c.want || !strings.Contains(detail(body), c.says) {
			t.Errorf("%s uploads: %d %q, want %d saying %q", c.name, code, detail(body), c.want, c.says)
		}
	}
	// The district also comes in the query, checked before the body is read.
	code, body, _ := saale.do(http.MethodPost, "/api/v1/uploads?district=14713&filename=x.geojson", "application/geo+json", bytes.NewReader(file))
	if code != http.StatusForbidden {
		t.Errorf("editor of 15088 posting to 14713 in the query: %d %v", code, body)
	}

	// Leipzig's editor has a checked upload; Saalekreis's editor can neither preview nor apply it.
	_, _, hdr = leipzig.upload(file, "l2.geojson", map[string]string{"mode": "replace"})
	leipzig.waitChecked(hdr.Get("Location"))
	for _, action := range []string{"/preview", "/apply"} {
		if code, body, _ := saale.do(http.MethodPost, hdr.Get("Location")+action, "", nil); code != http.StatusForbidden {
			t.Errorf("Saalekreis's editor POST %s on Leipzig's upload: %d %v, want 403", action, code, body)
		}
	}
	if code, _, _ := saale.do(http.MethodPut, "/api/v1/districts/14713/mapping", "application/json", strings.NewReader(`{}`)); code != http.StatusForbidden {
		t.Errorf("Saalekreis's editor changing Leipzig's mapping: %d, want 403", code)
	}
	// Uploading Leipzig's parcels as Saalekreis's, to end Leipzig's, fails the district check.
	_, _, hdr = saale.upload(file, "sneaky.geojson", map[string]string{"district": "15088", "mode": "replace"})
	u := saale.waitChecked(hdr.Get("Location"))
	if u["status"] != "invalid" {
		t.Errorf("Saalekreis uploading Leipzig's parcels: %v, want invalid (outside the district)", u["status"])
	}
	if code, _, _ := saale.do(http.MethodPost, hdr.Get("Location")+"/apply", "", nil); code != http.StatusBadRequest {
		t.Errorf("apply of an invalid upload: %d, want 400", code)
	}
	if got := parcelCounts(t, db); got != before {
		t.Errorf("parcels/history %v after the refused requests, were %v", got, before)
	}
	if code, _, _ := (client{t, base, ""}).do(http.MethodGet, "/api/v1/uploads", "", nil); code != http.StatusUnauthorized {
		t.Errorf("anonymous list of uploads: %d, want 401", code)
	}
	var refused int
	db.QueryRow(t, `SELECT count(*) FROM audit_log WHERE account_id = $1 AND action = 'token.refused'`, revokedID).Scan(&refused)
	if refused != 1 {
		t.Errorf("the revoked token's use was audited %d times, want once", refused)
	}
}

func TestOversizeUploadIs413(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{MaxBytes: 1 << 20})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	c := client{t, base, tok}
	big := append(parcelsFile(t, db, "15088", 1, "angeboten"), bytes.Repeat([]byte(" "), 2<<20)...)
	code, body, _ := c.do(http.MethodPost, "/api/v1/uploads?district=15088&filename=big.geojson", "application/geo+json", bytes.NewReader(big))
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(detail(body), "1 MB") {
		t.Fatalf("2 MB with a limit of 1 MB: %d %q, want 413 naming the limit", code, detail(body))
	}
	code, body, _ = c.upload(big, "big.geojson", nil)
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB as multipart: %d %v, want 413", code, body)
	}
	var uploads int
	db.QueryRow(t, `SELECT count(*) FROM uploads`).Scan(&uploads)
	if uploads != 0 || parcelCounts(t, db) != [2]int{} {
		t.Errorf("an over-size body left %d uploads and parcels/history %v", uploads, parcelCounts(t, db))
	}
}

func TestMappingIsSavedAndUsed(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	c := client{t, base, tok}
	bad := `{"columns": {"NUTZ": "nutzung"}, "values": {"use_type": {"Industrie": "XX"}}}`
	code, body, _ := c.do(http.MethodPut, "/api/v1/districts/15088/mapping", "application/json", strings.NewReader(bad))
	fields, _ := body["fields"].(map[string]any)
	if code != http.StatusBadRequest || fields["columns.NUTZ"] == nil || fields["values.use_type.Industrie"] == nil {
		t.Fatalf("bad mapping: %d %v, want 400 with a problem per entry", code, body)
	}
	good := `{"columns": {"NUTZ": "use_type", "KENN": "external_id"}, "values": {"use_type": {"Industrie": "GI"}}, "defaults": {"publication": "public"}}`
	if code, body, _ := c.do(http.MethodPut, "/api/v1/districts/15088/mapping", "application/json", strings.NewReader(good)); code != http.StatusOK {
		t.Fatalf("save mapping: %d %v", code, body)
	}
	file := strings.ReplaceAll(strings.ReplaceAll(string(parcelsFile(t, db, "15088", 1, "angeboten")), `"kennung"`, `"KENN"`), `"nutzungsart":"GE"`, `"NUTZ":"Industrie"`)
	file = strings.ReplaceAll(file, `,"oeffentlich":"ja"`, "")
	_, _, hdr := c.upload([]byte(file), "own-names.geojson", nil)
	u := c.waitChecked(hdr.Get("Location"))
	if u["status"] != "ready" {
		t.Fatalf("upload with the district's own names: %v", u)
	}
	c.do(http.MethodPost, hdr.Get("Location")+"/apply", "", nil)
	var useType, publication string
	db.QueryRow(t, `SELECT use_type::text, publication::text FROM parcels WHERE external_id = '15088-0'`).Scan(&useType, &publication)
	if useType != "GI" || publication != "public" {
		t.Errorf("parcel imported with the mapping: use_type %s, publication %s; want GI and public", useType, publication)
	}
}
