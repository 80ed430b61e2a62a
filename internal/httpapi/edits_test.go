package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
)

func (c client) postJSON(path string, body any) (int, map[string]any) {
	c.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		c.t.Fatal(err)
	}
	code, out, _ := c.do(http.MethodPost, path, "application/json", bytes.NewReader(b))
	return code, out
}

// parcelState is a parcel's valid_from as the OGC API shows it, its status and name.
func (c client) parcelState(id int64) (string, string, string) {
	c.t.Helper()
	code, f, _ := c.do(http.MethodGet, "/ogcapi/collections/parcels/items/"+jsonID(id)+"?f=json", "", nil)
	if code != http.StatusOK {
		c.t.Fatalf("parcel %d: %d %v", id, code, f)
	}
	p := f["properties"].(map[string]any)
	return p["valid_from"].(string), p["status"].(string), p["name"].(string)
}

func TestEditAndConcurrentUploadOneConflictNothingLost(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}
	ctx := context.Background()

	editor.publish(parcelsFile(t, db, "15088", 3, "angeboten"), "upsert", 0)
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM parcels WHERE external_id = '15088-0'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	seen, _, oldName := editor.parcelState(id)

	// The editor's change is checked and previewed like an upload: only what it changes.
	code, edit := editor.postJSON("/api/v1/edits", map[string]any{"parcel_id": id, "base": seen, "properties": map[string]any{"status": "reserved", "name": "Geänderter Name"}})
	if code != http.StatusOK || edit["status"] != "ready" || edit["kind"] != "edit" {
		t.Fatalf("edit: %d %v", code, edit)
	}
	prev := edit["preview"].(map[string]any)
	changed := prev["changed_parcels"].([]any)
	if prev["changed"].(float64) != 1 || len(changed) != 1 || len(changed[0].(map[string]any)["fields"].(map[string]any)) != 2 {
		t.Fatalf("edit preview %v, want one parcel with two changed fields", prev)
	}

	// Meanwhile an upload changes the same parcel.
	editor.publish(parcelsFile(t, db, "15088", 1, "vermarktet"), "upsert", 0)
	code, body, _ := editor.do(http.MethodPost, "/api/v1/uploads/"+jsonID(int64(edit["id"].(float64)))+"/apply", "", nil)
	fields, _ := body["fields"].(map[string]any)
	if code != http.StatusConflict || !strings.Contains(detail(body), "changed meanwhile") || fields["status"] != "offered → sold" {
		t.Fatalf("applying the edit after the upload: %d %v, want 409 showing status offered → sold", code, body)
	}
	_, status, name := editor.parcelState(id)
	if status != "sold" || name != oldName {
		t.Fatalf("after the refused edit the parcel is %s %q, want the upload's sold and the old name %q", status, name, oldName)
	}
	if code, body := editor.postJSON("/api/v1/edits", map[string]any{"parcel_id": id, "base": seen, "properties": map[string]any{"name": "x"}}); code != http.StatusConflict {
		t.Errorf("an edit from the stale state: %d %v, want 409", code, body)
	}

	// From the current state the edit goes through; undoing it brings the upload's state back.
	now, _, _ := editor.parcelState(id)
	_, edit = editor.postJSON("/api/v1/edits", map[string]any{"parcel_id": id, "base": now, "properties": map[string]any{"status": "reserved", "name": "Geänderter Name"}})
	loc := "/api/v1/uploads/" + jsonID(int64(edit["id"].(float64)))
	if code, body, _ := editor.do(http.MethodPost, loc+"/apply", "", nil); code != http.StatusOK {
		t.Fatalf("apply the edit: %d %v", code, body)
	}
	if _, status, name := editor.parcelState(id); status != "reserved" || name != "Geänderter Name" {
		t.Fatalf("after the edit: %s %q", status, name)
	}
	if code, body, _ := editor.do(http.MethodPost, loc+"/revert", "", nil); code != http.StatusOK {
		t.Fatalf("undo the edit: %d %v", code, body)
	}
	if _, status, name := editor.parcelState(id); status != "sold" || name != oldName {
		t.Errorf("after undoing the edit: %s %q, want sold %q", status, name, oldName)
	}

	// A parcel drawn in the browser, then ended as sold and the ending undone.
	var ring string
	if err := db.Pool.QueryRow(ctx, `
		SELECT ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_PointOnSurface(geom), 60, 'quad_segs=1'), 4326), 9) FROM municipalities
		WHERE district_ags = '15088' ORDER BY ags DESC LIMIT 1`).Scan(&ring); err != nil {
		t.Fatal(err)
	}
	code, drawn := editor.postJSON("/api/v1/edits", map[string]any{"district": "15088", "geometry": json.RawMessage(ring), "properties": map[string]any{
		"external_id": "NEU-1", "name": "Gezeichnete Fläche", "use_type": "GI", "planning_status": "in_force", "availability": "now",
		"status": "offered", "potential_kind": "brownfield", "publication": "public"}})
	if code != http.StatusOK || drawn["status"] != "ready" || drawn["preview"].(map[string]any)["new"].(float64) != 1 {
		t.Fatalf("a drawn parcel: %d %v", code, drawn)
	}
	if code, body, _ := editor.do(http.MethodPost, "/api/v1/uploads/"+jsonID(int64(drawn["id"].(float64)))+"/apply", "", nil); code != http.StatusOK {
		t.Fatalf("publish the drawn parcel: %d %v", code, body)
	}
	var newID int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM parcels WHERE external_id = 'NEU-1' AND ended_at IS NULL AND use_type = 'GI'`).Scan(&newID); err != nil {
		t.Fatalf("the drawn parcel: %v", err)
	}
	vf, _, _ := editor.parcelState(newID)
	code, ended := editor.postJSON("/api/v1/parcels/"+jsonID(newID)+"/end", map[string]any{"base": vf, "reason": "sold"})
	if code != http.StatusOK || ended["kind"] != "edit" {
		t.Fatalf("end the parcel: %d %v", code, ended)
	}
	var st string
	var isEnded bool
	if err := db.Pool.QueryRow(ctx, `SELECT status::text, ended_at IS NOT NULL FROM parcels WHERE id = $1`, newID).Scan(&st, &isEnded); err != nil || st != "sold" || !isEnded {
		t.Fatalf("after ending as sold: %s ended %t %v", st, isEnded, err)
	}
	if code, body, _ := editor.do(http.MethodPost, "/api/v1/uploads/"+jsonID(int64(ended["id"].(float64)))+"/revert", "", nil); code != http.StatusOK {
		t.Fatalf("undo the ending: %d %v", code, body)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT status::text, ended_at IS NOT NULL FROM parcels WHERE id = $1`, newID).Scan(&st, &isEnded); err != nil || st != "offered" || isEnded {
		t.Errorf("after undoing the ending: %s ended %t %v, want offered and current", st, isEnded, err)
	}
}
