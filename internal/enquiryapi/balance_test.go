package enquiryapi_test

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"landatlas/internal/enquiryapi"
)

// TestBalanceCountsTheEnquiriesDemandForPlanners checks the study balance's demand=enquiries on a
// fixture computed by hand: as of 30.06.2026 the take-up window is 2021–2025, and enquiries are
// recorded from 2022.
func TestBalanceCountsTheEnquiriesDemandForPlanners(t *testing.T) {
	b := newBench(t, enquiryapi.Settings{})
	for _, e := range []struct {
		at        string
		ha        float64
		districts string
	}{
		{"2022-06-01", 10, "{15088}"},
		{"2024-05-01", 20, "{15088,14730}"},
		{"2025-02-01", 6, "{}"},
		{"2026-03-01", 50, "{15088}"}, // after the window: not counted
	} {
		var created struct{ Reference string }
		b.ok("POST", "/api/v1/enquiries", "planner", map[string]any{"channel": "phone", "sector": "logistics", "min_net_ha": e.ha, "timing": "open"}, 201, &created)
		b.exec(`UPDATE enquiries SET received_at = $2::date + time '12:00', districts = $3::text[] WHERE reference = $1`, created.Reference, e.at, e.districts)
	}
	type figures struct {
		Enquiries int
		AskedHa   float64 `json:"asked_ha"`
		MeanHa    float64 `json:"mean_ha_per_year"`
		DemandHa  float64 `json:"demand_ha"`
		BalanceHa float64 `json:"balance_ha"`
	}
	type unit struct {
		District string  `json:"district_ags"`
		Reserve  float64 `json:"reserve_net_ha"`
		Enquiry  *figures
	}
	var answer struct {
		Balance struct {
			Years         int
			EnquiryWindow *struct{ From, To int } `json:"enquiry_window"`
			Total         unit
			Districts     []unit
		}
	}
	const path = "/api/v1/study/balance?as_of=2026-06-30&target_year=2038&demand=enquiries"
	b.ok("GET", path, "planner", nil, http.StatusOK, &answer)
	bal := answer.Balance
	// 2022–2025 (four years from the first enquiry) asked for 36 ha: 9 ha a year, 13 years to 2038.
	if w := bal.EnquiryWindow; w == nil || w.From != 2022 || w.To != 2025 || bal.Years != 13 {
		t.Fatalf("enquiry window %+v over %d years, want 2022–2025 and 13 years", w, bal.Years)
	}
	want := map[string]float64{"": 117, "15088": 97.5, "14730": 65, "14713": 0}
	units := append(bal.Districts, bal.Total)
	for _, u := range units {
		w, ok := want[u.District]
		if !ok {
			continue
		}
		if u.Enquiry == nil || math.Abs(u.Enquiry.DemandHa-w) > 1e-9 || math.Abs(u.Enquiry.BalanceHa-(u.Reserve-w)) > 1e-6 {
			t.Errorf("district %q: enquiry figures %+v, want demand %g ha and the reserve %g less it", u.District, u.Enquiry, w, u.Reserve)
		}
		delete(want, u.District)
	}
	if len(want) != 0 {
		t.Errorf("no figures for %v", want)
	}

	// The balance counts what the demand statistics count: one definition.
	var stats struct {
		Years []struct {
			Year int
			Ha   float64
		}
	}
	b.ok("GET", "/api/v1/enquiries/stats", "planner", nil, http.StatusOK, &stats)
	sum := 0.0
	for _, y := range stats.Years {
		if y.Year >= 2022 && y.Year <= 2025 {
			sum += y.Ha
		}
	}
	if bal.Total.Enquiry.AskedHa != sum || sum != 36 {
		t.Errorf("the balance counts %g ha asked, the statistics %g ha; want 36 in both", bal.Total.Enquiry.AskedHa, sum)
	}

	// A district's scope counts the enquiries routed to it, not those routed to no district.
	b.ok("GET", path+"&district=15088", "planner", nil, http.StatusOK, &answer)
	if e := answer.Balance.Total.Enquiry; e == nil || e.AskedHa != 30 || e.Enquiries != 2 {
		t.Errorf("Saalekreis: %+v, want 2 enquiries for 30 ha", e)
	}

	// Without the option nobody gets enquiry figures; with it the public and editors get told why not.
	var plain struct{ Balance struct{ Total unit } }
	b.ok("GET", "/api/v1/study/balance?as_of=2026-06-30", "", nil, http.StatusOK, &plain)
	if plain.Balance.Total.Enquiry != nil {
		t.Errorf("the balance without demand=enquiries carries %+v", plain.Balance.Total.Enquiry)
	}
	for who, status := range map[string]int{"": http.StatusUnauthorized, "saalekreis": http.StatusForbidden} {
		if resp, body := b.do("GET", path, who, nil); resp.StatusCode != status {
			t.Errorf("demand=enquiries as %q: %d %s, want %d", who, resp.StatusCode, body, status)
		}
	}
	if resp, body := b.do("GET", path+"&municipality=15088205", "planner", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("demand=enquiries for a municipality: %d %s, want 400 (enquiries are routed to districts)", resp.StatusCode, body)
	}

	// A saved run keeps the option in its parameters and the figures in its results; a public
	// run cannot count enquiries.
	params := map[string]any{"title": "Bilanz mit Anfragen", "as_of": "2026-06-30", "demand": map[string]any{"target_year": 2038, "enquiries": true}}
	var run struct {
		ID      int64
		Params  struct{ Demand struct{ Enquiries bool } }
		Results struct{ Balance struct{ Total unit } }
	}
	b.ok("POST", "/api/v1/study/runs", "planner", params, http.StatusCreated, &run)
	if !run.Params.Demand.Enquiries || run.Results.Balance.Total.Enquiry == nil || run.Results.Balance.Total.Enquiry.DemandHa != 117 {
		t.Errorf("run: params %+v, total %+v; want demand.enquiries and 117 ha", run.Params, run.Results.Balance.Total.Enquiry)
	}
	if resp, body := b.do("GET", "/api/v1/study/runs/"+strconv.FormatInt(run.ID, 10)+"/report.html", "planner", nil); resp.StatusCode != http.StatusOK ||
		!strings.Contains(string(body), "Bilanz Anfragen ha") || !strings.Contains(string(body), "Anfragen: angefragte Nettofläche 2022–2025") {
		t.Errorf("the run's report: %d, want the enquiry columns and inputs", resp.StatusCode)
	}
	params["audience"] = "public"
	if resp, body := b.do("POST", "/api/v1/study/runs", "planner", params); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("public run with enquiries: %d %s, want 400", resp.StatusCode, body)
	}
}
