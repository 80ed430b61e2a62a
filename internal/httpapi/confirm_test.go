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

// versionCount is how many states a parcel has had (history rows plus the current one).
func versionCount(t *testing.T, db *pgtest.DB, id int64) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM parcel_versions WHERE id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConfirmationChangesOnlyLastConfirmedAndAddsHistory(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}
	otherTok, _ := token(t, db, auth.Editor, "15002", "Halle GIS")
	other := client{t, base, otherTok}
	ctx := context.Background()

	file := parcelsFile(t, db, "15088", 3, "angeboten")
	editor.publish(file, "upsert", 0)
	var today string
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE last_confirmed = current_date)::text FROM parcels`).Scan(&today); err != nil {
		t.Fatal(err)
	}
	if today != "3" {
		t.Errorf("%s of 3 newly published parcels are confirmed today, want all", today)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE parcels SET last_confirmed = '2020-01-31'`); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	rows, _ := db.Pool.Query(ctx, `SELECT id FROM parcels ORDER BY id`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	if rows.Err() != nil || len(ids) != 3 {
		t.Fatalf("parcels %v: %v", ids, rows.Err())
	}
	before := districtRows(t, db, "15088")
	versions := versionCount(t, db, ids[0])

	post := func(c client, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		code, out, _ := c.do(http.MethodPost, "/api/v1/districts/15088/confirm", "application/json", bytes.NewReader(b))
		return code, out
	}
	if code, body, _ := other.do(http.MethodPost, "/api/v1/districts/15088/confirm", "application/json", strings.NewReader(`{"all":true}`)); code != http.StatusForbidden {
		t.Errorf("another district's editor: %d %v, want 403", code, body)
	}
	if code, body := post(editor, map[string]any{"ids": []int64{ids[0], 999999}}); code != http.StatusBadRequest || !strings.Contains(detail(body), "999999") {
		t.Errorf("confirming an unknown parcel: %d %v, want 400 naming it", code, body)
	}
	code, conf := post(editor, map[string]any{"ids": []int64{ids[0]}})
	if code != http.StatusOK || conf["kind"] != "confirm" || conf["preview"].(map[string]any)["changed"].(float64) != 1 {
		t.Fatalf("confirm one parcel: %d %v", code, conf)
	}
	after := districtRows(t, db, "15088")
	for _, id := range ids {
		want := before[id]
		if id == ids[0] {
			want = strings.Replace(want, `"last_confirmed": "2020-01-31"`, `"last_confirmed": "`+localToday(t, db)+`"`, 1)
		}
		if after[id] != want {
			t.Errorf("parcel %d after confirming %d:\n%s\nwant\n%s", id, ids[0], after[id], want)
		}
	}
	if got := versionCount(t, db, ids[0]); got != versions+1 {
		t.Errorf("parcel %d has %d versions after the confirmation, want %d", ids[0], got, versions+1)
	}
	code, hist, _ := editor.do(http.MethodGet, "/api/v1/parcels/"+jsonID(ids[0])+"/history", "", nil)
	vs := hist["versions"].([]any)
	last := vs[len(vs)-1].(map[string]any)
	if code != http.StatusOK || last["upload_id"] != conf["id"] || len(last["changes"].(map[string]any)) != 1 || last["changes"].(map[string]any)["last_confirmed"] == nil {
		t.Errorf("history after the confirmation: %d %v, want a version by upload %v changing last_confirmed only", code, last, conf["id"])
	}

	// The whole district; then an identical file ticked "current state" confirms what it leaves unchanged.
	if code, body := post(editor, map[string]any{"all": true}); code != http.StatusOK || body["preview"].(map[string]any)["changed"].(float64) != 2 {
		t.Errorf("confirm the district: %d %v, want the 2 other parcels confirmed", code, body)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE parcels SET last_confirmed = '2020-01-31'`); err != nil {
		t.Fatal(err)
	}
	code, body, hdr := editor.upload(file, "flaechen.geojson", map[string]string{"confirm_unchanged": "true"})
	if code != http.StatusAccepted {
		t.Fatalf("upload: %d %v", code, body)
	}
	editor.waitChecked(hdr.Get("Location"))
	if code, body, _ := editor.do(http.MethodPost, hdr.Get("Location")+"/apply", "", nil); code != http.StatusOK || body["confirms_unchanged"] != true {
		t.Fatalf("apply: %d %v", code, body)
	}
	var confirmed int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM parcels WHERE last_confirmed = current_date`).Scan(&confirmed); err != nil {
		t.Fatal(err)
	}
	if confirmed != 3 {
		t.Errorf("%d of 3 unchanged parcels confirmed by a file ticked as the current state, want 3", confirmed)
	}
}

func localToday(t *testing.T, db *pgtest.DB) string {
	t.Helper()
	var d string
	if err := db.Pool.QueryRow(context.Background(), `SELECT current_date::text`).Scan(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func jsonID(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}
