package studyapi_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"landatlas/internal/study"
)

type monitoringAnswer struct {
	From, To string
	Units    []study.UnitChanges
	Changes  []study.ParcelChange
}

func (m monitoringAnswer) value(t *testing.T, ags, key string) study.IndicatorChange {
	t.Helper()
	for _, u := range m.Units {
		if u.DistrictAGS != ags {
			continue
		}
		for _, i := range u.Indicators {
			if i.Key == key {
				return i
			}
		}
	}
	t.Fatalf("no indicator %s for %q", key, ags)
	return study.IndicatorChange{}
}

// The monitoring's indicators are the study API's figures at both dates, for the region and two
// districts, and the change is their difference; the changed parcels are the ones that changed.
func TestMonitoringEqualsTheStudyAPI(t *testing.T) {
	a := newAPI(t)
	var m struct{ Monitoring monitoringAnswer }
	a.get("/api/v1/study/monitoring?as_of=2025-12-31&previous=2023-12-31", a.planner, &m)
	var c struct{ Compare monitoringAnswer }
	a.get("/api/v1/study/compare?from=2023-12-31&to=2025-12-31", a.planner, &c)
	for _, scope := range []struct{ ags, param string }{{"", ""}, {"15088", "&district=15088"}, {"14713", "&district=14713"}} {
		var from, to supplyAnswer
		a.get("/api/v1/study/supply?as_of=2023-12-31"+scope.param, a.planner, &from)
		a.get("/api/v1/study/supply?as_of=2025-12-31"+scope.param, a.planner, &to)
		var tu struct {
			TakeUp struct {
				Total struct {
					MeanHa float64 `json:"mean_net_ha_per_year"`
				}
			} `json:"take_up"`
		}
		a.get("/api/v1/study/take-up?as_of=2025-12-31"+scope.param, a.planner, &tu)
		for _, ans := range []monitoringAnswer{m.Monitoring, c.Compare} {
			r := ans.value(t, scope.ags, "reserve_ha")
			if r.From == nil || r.To == nil || r.Change == nil || !near(*r.From, from.Supply.Total.Reserve.NetHa) || !near(*r.To, to.Supply.Total.Reserve.NetHa) ||
				!near(*r.Change, to.Supply.Total.Reserve.NetHa-from.Supply.Total.Reserve.NetHa) {
				t.Errorf("%q reserve %v → %v (%v); the study API says %g → %g", scope.ags, deref(r.From), deref(r.To), deref(r.Change),
					from.Supply.Total.Reserve.NetHa, to.Supply.Total.Reserve.NetHa)
			}
			if mean := ans.value(t, scope.ags, "take_up_mean_ha"); mean.To == nil || !near(*mean.To, tu.TakeUp.Total.MeanHa) {
				t.Errorf("%q mean take-up %v, the study API says %g", scope.ags, deref(mean.To), tu.TakeUp.Total.MeanHa)
			}
		}
	}
	// A was offered on both dates; F and G were sold before 2023; H was sold in 2023, within neither
	// window's end: between the two dates no parcel was sold, none new, none ended.
	for _, ch := range c.Compare.Changes {
		if ch.Kind == "sold" && ch.Parcels != 0 {
			t.Errorf("sold between the dates: %+v; want none", ch)
		}
	}
	var since struct{ Compare monitoringAnswer }
	a.get("/api/v1/study/compare?from=2022-12-31&to=2023-12-31", a.planner, &since)
	for _, ch := range since.Compare.Changes {
		if ch.Kind == "sold" && (ch.Parcels != 1 || ch.IDs[0] != a.fix.Parcels["H"] || ch.ParcelsHref == "") {
			t.Errorf("sold in 2023: %+v; want H with a link to it", ch)
		}
	}
	if code, body := a.do(http.MethodGet, "/api/v1/study/compare?from=2025-12-31&to=2023-12-31", a.planner, nil); code != http.StatusBadRequest {
		t.Errorf("from after to: %d %s; want 400", code, body)
	}
}

// The report renders to a PDF whose text holds the report's title, date and figures.
func TestMonitoringReportToPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed to read the PDF back: make deps installs it")
	}
	a := newAPI(t)
	code, html := a.do(http.MethodGet, "/api/v1/study/monitoring/report.html?as_of=2025-12-31&previous=2023-12-31", a.planner, nil)
	if code != http.StatusOK || !strings.Contains(string(html), "Gewerbeflächenmonitoring Region Mitteldeutschland") || !strings.Contains(string(html), ">G1</text>") {
		t.Fatalf("report: %d %.300s", code, html)
	}
	code, pdf := a.do(http.MethodGet, "/api/v1/study/monitoring/report.pdf?as_of=2025-12-31&previous=2023-12-31&district=15088", a.planner, nil)
	if code != http.StatusOK || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("report.pdf: %d %.200s", code, pdf)
	}
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, want := range []string{"Gewerbeflächenmonitoring Saalekreis", "Stichtag 31.12.2025", "Veränderung seit 31.12.2023", "Flächenreserve netto"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%.1500s", want, text)
		}
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// TestRestrictionsAddedAndRemoved: the constraint overlay keeps its history, so moving a
// flood area off its parcels shows as "restriction removed" between the two times and a new
// noise zone as "restriction added"; the study's severe share follows the current overlay.
func TestRestrictionsAddedAndRemoved(t *testing.T) {
	a := newAPI(t)
	ctx := context.Background()
	var flooded []int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT coalesce(array_agg(parcel_id ORDER BY parcel_id), '{}') FROM parcel_constraints WHERE kind = 'flood_hq100'`).Scan(&flooded); err != nil {
		t.Fatal(err)
	}
	if len(flooded) == 0 {
		t.Fatal("the fixture's flood area covers no parcel")
	}
	severe := func(asOf string) float64 {
		var s supplyAnswer
		a.get("/api/v1/study/supply?as_of="+url.QueryEscape(asOf), a.planner, &s) // "" is now
		return s.Supply.Total.Shares[study.ShareRestrictedSever].NetHa
	}
	var before time.Time
	if err := a.db.Pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	from := before.Format(time.RFC3339Nano)
	severeBefore := severe("")
	if severeBefore == 0 {
		t.Fatal("no severe restriction before the move")
	}
	// The flood area moves far off the parcels it covered, and a new
	// minor restriction (a second noise zone) is laid over the first flooded parcel.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE constraint_areas SET geom = ST_Multi(ST_MakeEnvelope(700000, 5600000, 700100, 5600100, 25832)) WHERE kind = 'flood_hq100'`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(ctx, `INSERT INTO constraint_areas (kind, severity, name, source, geom)
		SELECT 'noise', 'minor', 'Zweite Lärmzone', 'test', ST_Multi(ST_Buffer(geom, 1)) FROM parcels WHERE id = $1`, flooded[0]); err != nil {
		t.Fatal(err)
	}
	var after time.Time
	if err := a.db.Pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	to := after.Format(time.RFC3339Nano)
	if got := severe(to); got >= severeBefore {
		t.Errorf("severe restriction after the move: %g ha, want less than %g", got, severeBefore)
	}
	var c struct{ Compare monitoringAnswer }
	a.get("/api/v1/study/compare?from="+url.QueryEscape(from)+"&to="+url.QueryEscape(to), a.planner, &c)
	got := map[string][]int64{}
	for _, ch := range c.Compare.Changes {
		got[ch.Kind] = ch.IDs
	}
	if !slices.Equal(got["restriction_removed"], flooded) {
		t.Errorf("restriction removed: %v, want the flooded parcels %v", got["restriction_removed"], flooded)
	}
	if !slices.Contains(got["restriction_added"], flooded[0]) {
		t.Errorf("restriction added: %v, want %d among them", got["restriction_added"], flooded[0])
	}
	var history int
	if err := a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM parcel_constraint_history WHERE kind = 'flood_hq100'`).Scan(&history); err != nil || history != len(flooded) {
		t.Errorf("history of the flood overlay: %d rows (%v), want %d", history, err, len(flooded))
	}
}
