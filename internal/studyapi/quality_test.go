package studyapi_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/study"
)

// Freshness and completeness on the fixture, computed by hand: Saalekreis has A, G and K. Of the
// 16 weight points of the internal view, A has net area (2), power (1), ownership (1), willingness
// (1), and here a description (2) and an e-mail (1.5): 8.5/16; G and K net area, ownership and
// willingness: 4/16 each. A was confirmed ten days ago (fresh), G two years ago (stale), K never.
func TestQualityByHand(t *testing.T) {
	a := newAPI(t)
	_, err := a.db.Pool.Exec(context.Background(), `
		UPDATE parcels SET description = 'Gut erschlossen', contact_email = 'wirtschaft@example.org', last_confirmed = current_date - 10 WHERE id = $1;`,
		a.fix.Parcels["A"])
	if err == nil {
		_, err = a.db.Pool.Exec(context.Background(), `UPDATE parcels SET last_confirmed = current_date - 730 WHERE id = $1`, a.fix.Parcels["G"])
	}
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Quality struct {
			FreshMonths int `json:"fresh_months"`
			Total       study.Quality
			Districts   []study.Quality
			Parcels     struct {
				Total int
				Items []study.ParcelQuality
			}
		}
	}
	var q answer
	a.get("/api/v1/study/quality?district=15088", a.planner, &q)
	d := q.Quality.Total
	if q.Quality.FreshMonths != 12 || d.Parcels != 3 || d.Fresh != 1 || d.Stale != 1 || d.Never != 1 || d.FreshShare != 0.3333 || d.Completeness != 0.3438 {
		t.Errorf("Saalekreis: %+v (fresh months %d); want 3 parcels, 1 fresh, 1 stale, 1 never, fresh share 0.3333, completeness (8.5+4+4)/16/3 = 0.3438", d, q.Quality.FreshMonths)
	}
	if d.Missing["description"] != 2 || d.Missing["net_area_given_ha"] != 0 || d.Missing["price_min_eur_m2"] != 3 {
		t.Errorf("missing fields %v; want description 2, net area 0, price 3", d.Missing)
	}
	items := q.Quality.Parcels.Items
	if len(items) != 3 || items[2].ID != a.fix.Parcels["A"] || items[2].Completeness != 0.5313 || items[2].Freshness != study.Fresh {
		t.Fatalf("parcels worst first %+v; want A last with 0.5313, fresh", items)
	}
	want := []string{"price_min_eur_m2", "contact_name", "contact_phone", "expose_url", "broadband_mbps", "grz", "max_height_m"}
	if !slices.Equal(items[2].Missing, want) {
		t.Errorf("A misses %v, want %v", items[2].Missing, want)
	}
	a.get("/api/v1/study/quality?district=15088&sort=last_confirmed", a.planner, &q)
	if got := q.Quality.Parcels.Items; got[0].ID != a.fix.Parcels["K"] || got[1].ID != a.fix.Parcels["G"] {
		t.Errorf("by last confirmation: %+v; want K (never), then G", got)
	}
	// The public's completeness counts the public fields only: A has 6.5 of 14 points.
	a.get("/api/v1/study/quality?district=15088&sort=-completeness", "", &q)
	if got := q.Quality.Parcels.Items; len(got) != 3 || got[0].ID != a.fix.Parcels["A"] || got[0].Completeness != 0.4643 || slices.Contains(got[0].Missing, "ownership") {
		t.Errorf("public view %+v; want A first with 0.4643 and no internal field named", got)
	}
	a.get("/api/v1/study/quality?district=15088&fresh_months=120", a.planner, &q)
	if q.Quality.Total.Fresh != 2 {
		t.Errorf("with 120 months: %d fresh, want 2", q.Quality.Total.Fresh)
	}
	// The monitoring report counts the same (in the database, without listing the parcels).
	var m struct{ Monitoring monitoringAnswer }
	a.get("/api/v1/study/monitoring?district=15088", a.planner, &m)
	for key, want := range map[string]float64{"completeness": 0.3438, "fresh_share": 0.3333} {
		if got := m.Monitoring.value(t, "15088", key); got.To == nil || *got.To != want {
			t.Errorf("monitoring %s of Saalekreis: %v; want %g as in the quality answer", key, deref(got.To), want)
		}
	}
}

// TestStaleParcelsHiddenFromThePublic: with public_max_age_months set, the public no longer sees
// parcels confirmed longer ago or never, in the features API, the fact sheet and the study alike,
// while planners still see them; the anonymous ETag moves with the setting; null shows them again.
func TestStaleParcelsHiddenFromThePublic(t *testing.T) {
	a := newAPI(t)
	ctx := context.Background()
	admin := a.token(auth.Admin, "")
	// Saalekreis: A confirmed ten days ago, G two years ago, K never.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE parcels SET last_confirmed = current_date - 10 WHERE id = $1`, a.fix.Parcels["A"]); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE parcels SET last_confirmed = current_date - 730 WHERE id = $1`, a.fix.Parcels["G"]); err != nil {
		t.Fatal(err)
	}
	var m study.MonitoringSettings
	a.get("/api/v1/monitoring/settings", a.planner, &m)
	if m.FreshMonths != 12 || m.PublicMaxAgeMonths != nil {
		t.Errorf("default settings %+v; want 12 months fresh and nothing hidden", m)
	}
	six := 6
	if code, _ := a.do(http.MethodPut, "/api/v1/monitoring/settings", a.planner, study.MonitoringSettings{FreshMonths: 12, PublicMaxAgeMonths: &six}); code != http.StatusForbidden {
		t.Errorf("a planner changes the settings: %d, want 403", code)
	}
	if code, body := a.do(http.MethodPut, "/api/v1/monitoring/settings", admin, map[string]any{"fresh_months": 12, "public_max_age_months": 0}); code != http.StatusBadRequest || !strings.Contains(string(body), "public_max_age_months") {
		t.Errorf("0 months: %d %s; want 400 naming the field", code, body)
	}
	count := func(token string) int {
		var s supplyAnswer
		a.get("/api/v1/study/supply?district=15088", token, &s)
		return s.Supply.Total.Parcels
	}
	etag := func() string {
		resp, err := http.Get(a.base + "/ogcapi/collections/parcels/items?limit=1")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("items: %d %s", resp.StatusCode, body)
		}
		return resp.Header.Get("ETag")
	}
	publicBefore, planners, tagBefore := count(""), count(a.planner), etag()
	if code, body := a.do(http.MethodPut, "/api/v1/monitoring/settings", admin, study.MonitoringSettings{FreshMonths: 12, PublicMaxAgeMonths: &six}); code != http.StatusOK {
		t.Fatalf("set 6 months: %d %s", code, body)
	}
	if got := count(""); got != publicBefore-2 {
		t.Errorf("the public counts %d parcels in Saalekreis, want %d (G and K hidden)", got, publicBefore-2)
	}
	if got := count(a.planner); got != planners {
		t.Errorf("planners count %d, want still %d", got, planners)
	}
	for _, p := range []string{"G", "K"} {
		if code, _ := a.do(http.MethodGet, "/ogcapi/collections/parcels/items/"+itoa(a.fix.Parcels[p]), "", nil); code != http.StatusNotFound {
			t.Errorf("the public reads stale parcel %s: %d, want 404", p, code)
		}
	}
	if code, _ := a.do(http.MethodGet, "/ogcapi/collections/parcels/items/"+itoa(a.fix.Parcels["A"]), "", nil); code != http.StatusOK {
		t.Errorf("the public reads fresh parcel A: %d, want 200", code)
	}
	if tagBefore == "" || etag() == tagBefore {
		t.Errorf("the anonymous ETag %q did not move with the setting", tagBefore)
	}
	if code, body := a.do(http.MethodPut, "/api/v1/monitoring/settings", admin, study.MonitoringSettings{FreshMonths: 12}); code != http.StatusOK {
		t.Fatalf("switch off: %d %s", code, body)
	}
	if got := count(""); got != publicBefore {
		t.Errorf("switched off, the public counts %d, want %d again", got, publicBefore)
	}
}
