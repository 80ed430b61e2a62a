package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
)

func TestDistrictContactIsEditedByItsEditorsAndReadByAnyone(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}
	otherTok, _ := token(t, db, auth.Editor, "15002", "Halle GIS")
	public := client{t, base, ""}
	const contact = `{"office":"Amt für Wirtschaftsförderung","name":"Anna Beispiel","email":"wirtschaft@saalekreis.example","phone":"+49 3461 40-1234","web":"https://www.saalekreis.example/wirtschaft"}`

	if code, body, _ := (client{t, base, otherTok}).do(http.MethodPut, "/api/v1/districts/15088/contact", "application/json", strings.NewReader(contact)); code != http.StatusForbidden {
		t.Errorf("another district's editor: %d %v, want 403", code, body)
	}
	code, body, _ := editor.do(http.MethodPut, "/api/v1/districts/15088/contact", "application/json", strings.NewReader(`{"name":"A","email":"not an address","web":"saalekreis.de"}`))
	fields, _ := body["fields"].(map[string]any)
	if code != http.StatusBadRequest || fields["email"] == nil || fields["web"] == nil {
		t.Errorf("a bad contact: %d %v, want 400 naming email and web", code, body)
	}
	if code, body, _ := editor.do(http.MethodPut, "/api/v1/districts/15088/contact", "application/json", strings.NewReader(contact)); code != http.StatusOK || body["updated_by"] != "Saalekreis GIS" {
		t.Fatalf("save the contact: %d %v", code, body)
	}
	code, body, _ = public.do(http.MethodGet, "/api/v1/districts/15088/contact", "", nil)
	if code != http.StatusOK || body["email"] != "wirtschaft@saalekreis.example" || body["office"] != "Amt für Wirtschaftsförderung" || body["updated_by"] != nil {
		t.Errorf("the public reads the contact: %d %v, want it without who edited it", code, body)
	}
	if code, body, _ := public.do(http.MethodGet, "/api/v1/districts/15002/contact", "", nil); code != http.StatusOK || body["name"] != "" {
		t.Errorf("a district without a contact: %d %v, want an empty one", code, body)
	}
}
