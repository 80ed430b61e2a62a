package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
)

// districtRows is every parcel row of a district, each column as JSON and the geometry as WKB,
// except the columns that say who made a state and when (a revert is a new state, made by whom
// reverted it).
func districtRows(t *testing.T, db *pgtest.DB, ags string) map[int64]string {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `
		SELECT id, (to_jsonb(p) - '{valid_from,changed_by,upload_id,geom}'::text[])::text || encode(ST_AsBinary(geom), 'hex')
		FROM parcels p WHERE district_ags = $1 ORDER BY id`, ags)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var row string
		if err := rows.Scan(&id, &row); err != nil {
			t.Fatal(err)
		}
		out[id] = row
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// publish uploads a file, waits for its check and applies it, confirming endings with confirm.
func (c client) publish(file []byte, mode string, confirm int) (string, map[string]any) {
	c.t.Helper()
	code, body, hdr := c.upload(file, "flaechen.geojson", map[string]string{"mode": mode})
	if code != http.StatusAccepted {
		c.t.Fatalf("upload: %d %v", code, body)
	}
	loc := hdr.Get("Location")
	if u := c.waitChecked(loc); u["status"] != "ready" {
		c.t.Fatalf("upload %s: %v", loc, u)
	}
	path := loc + "/apply"
	if confirm > 0 {
		path += fmt.Sprintf("?confirm_ended=%d", confirm)
	}
	code, body, _ = c.do(http.MethodPost, path, "", nil)
	if code != http.StatusOK {
		c.t.Fatalf("apply %s: %d %v", loc, code, body)
	}
	return loc, body
}

func TestRevertRestoresTheDistrictAndRefusesWhenLaterChangesAreInTheWay(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}
	otherTok, _ := token(t, db, auth.Editor, "15002", "Halle GIS")
	other := client{t, base, otherTok}

	first, _ := editor.publish(parcelsFile(t, db, "15088", 12, "angeboten"), "upsert", 0)
	before := districtRows(t, db, "15088")
	if len(before) != 12 {
		t.Fatalf("%d parcels after the first delivery, want 12", len(before))
	}

	// A replace with 3 of the 12 ends 9: more than 10 %, so the number must be confirmed.
	code, body, hdr := editor.upload(parcelsFile(t, db, "15088", 3, "reserviert"), "flaechen.geojson", map[string]string{"mode": "replace"})
	if code != http.StatusAccepted {
		t.Fatalf("upload: %d %v", code, body)
	}
	replace := hdr.Get("Location")
	u := editor.waitChecked(replace)
	prev := u["preview"].(map[string]any)
	if prev["ended"].(float64) != 9 || prev["confirm_ended_required"] != true || prev["district_current"].(float64) != 12 {
		t.Fatalf("preview %v, want 9 endings of 12 current parcels that need confirming", prev)
	}
	for _, q := range []string{"", "?confirm_ended=8"} {
		code, body, _ := editor.do(http.MethodPost, replace+"/apply"+q, "", nil)
		if code != http.StatusConflict || !strings.Contains(detail(body), "confirm_ended=9") {
			t.Errorf("apply%s: %d %v, want 409 asking for confirm_ended=9", q, code, body)
		}
	}
	if got := districtRows(t, db, "15088"); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatal("a refused apply changed parcels")
	}
	if code, body, _ := editor.do(http.MethodPost, replace+"/apply?confirm_ended=9", "", nil); code != http.StatusOK {
		t.Fatalf("apply with confirm_ended=9: %d %v", code, body)
	}

	// A later upload changes one of the same parcels: reverting the replace is refused, naming it.
	later, _ := editor.publish(parcelsFile(t, db, "15088", 1, "vermarktet"), "upsert", 0)
	laterID := strings.TrimPrefix(later, "/api/v1/uploads/")
	code, plan, _ := editor.do(http.MethodGet, replace+"/revert", "", nil)
	conflicts, _ := plan["conflicts"].([]any)
	if code != http.StatusOK || len(conflicts) != 1 || fmt.Sprint(conflicts[0].(map[string]any)["upload_id"]) != laterID {
		t.Fatalf("revert plan: %d %v, want one conflict, upload %s", code, plan, laterID)
	}
	code, body, _ = editor.do(http.MethodPost, replace+"/revert", "", nil)
	if code != http.StatusConflict || !strings.Contains(detail(body), "upload "+laterID) || !strings.Contains(detail(body), "newest first") {
		t.Fatalf("revert under a later change: %d %v, want 409 naming upload %s", code, body, laterID)
	}
	if code, body, _ := other.do(http.MethodPost, later+"/revert", "", nil); code != http.StatusForbidden {
		t.Errorf("another district's editor reverting: %d %v, want 403", code, body)
	}

	// Newest first: the later upload, then the replace; the district is as it was.
	if code, body, _ := editor.do(http.MethodPost, later+"/revert", "", nil); code != http.StatusOK {
		t.Fatalf("revert the later upload: %d %v", code, body)
	}
	code, plan, _ = editor.do(http.MethodGet, replace+"/revert", "", nil)
	pv := plan["preview"].(map[string]any)
	if code != http.StatusOK || pv["new"].(float64) != 9 || pv["changed"].(float64) != 3 || pv["ended"].(float64) != 0 || len(plan["conflicts"].([]any)) != 0 {
		t.Fatalf("revert plan: %d %v, want 9 re-opened and 3 restored parcels, no conflicts", code, plan)
	}
	code, reverted, _ := editor.do(http.MethodPost, replace+"/revert", "", nil)
	if code != http.StatusOK || reverted["kind"] != "revert" || reverted["by"] != "Saalekreis GIS" || reverted["status"] != "applied" {
		t.Fatalf("revert: %d %v", code, reverted)
	}
	after := districtRows(t, db, "15088")
	for id, row := range before {
		if after[id] != row {
			t.Errorf("parcel %d after the revert:\n%s\nbefore the replace:\n%s", id, after[id], row)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d parcel rows after the revert, %d before", len(after), len(before))
	}
	var recorded int
	if err := db.Pool.QueryRow(context.Background(), `
		SELECT count(*) FROM parcels WHERE upload_id = $1 AND changed_by = 'Saalekreis GIS'`, reverted["id"]).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != 12 {
		t.Errorf("%d parcels record the revert as their last change, want 12", recorded)
	}
	code, body, _ = editor.do(http.MethodPost, replace+"/revert", "", nil)
	if code != http.StatusConflict || !strings.Contains(detail(body), "reverted already") {
		t.Errorf("second revert: %d %v, want 409", code, body)
	}
	code, list, _ := editor.do(http.MethodGet, "/api/v1/uploads?district=15088", "", nil)
	if code != http.StatusOK {
		t.Fatalf("list: %d %v", code, list)
	}
	for _, x := range list["uploads"].([]any) {
		if x.(map[string]any)["preview"] == nil {
			t.Errorf("upload %v in the list has no counts", x.(map[string]any)["id"])
		}
	}

	// Undoing the first delivery ends the parcels it created.
	if code, body, _ := editor.do(http.MethodPost, first+"/revert", "", nil); code != http.StatusOK {
		t.Fatalf("revert the first delivery: %d %v", code, body)
	}
	var current int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM parcels WHERE district_ags = '15088' AND ended_at IS NULL`).Scan(&current); err != nil {
		t.Fatal(err)
	}
	if current != 0 {
		t.Errorf("%d current parcels after undoing the delivery that created them, want 0", current)
	}
}
