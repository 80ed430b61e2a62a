package studyapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
	"landatlas/internal/studytest"
)

// api is the real HTTP handler on a database with the study fixture, and tokens of a planner and
// an editor.
type api struct {
	t       *testing.T
	base    string
	planner string
	editor  string
	db      *pgtest.DB
	fix     studytest.Fixture
}

func newAPI(t *testing.T) *api {
	t.Helper()
	db := pgtest.New(t, pgtest.Reference)
	fix := studytest.Load(t, db)
	h, err := httpapi.New(httpapi.Config{DB: db.Pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	a := &api{t: t, base: srv.URL, db: db, fix: fix}
	a.planner = a.token(auth.Planner, "")
	a.editor = a.token(auth.Editor, "15088")
	return a
}

func (a *api) token(role auth.Role, district string) string {
	token, hash, err := auth.NewToken()
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := (store.Accounts{DB: a.db.Pool}).Create(context.Background(), "test "+string(role), role, district, hash); err != nil {
		a.t.Fatal(err)
	}
	return token
}

// do sends a request and returns the status and body.
func (a *api) do(method, path, token string, body any) (int, []byte) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// get decodes a 200 answer into v.
func (a *api) get(path, token string, v any) {
	a.t.Helper()
	code, body := a.do(http.MethodGet, path, token, nil)
	if code != http.StatusOK {
		a.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

type supplyAnswer struct {
	Query struct {
		Reader string
	}
	Supply struct {
		Total  group
		Groups []group
	}
}

type group struct {
	Key     map[string]string
	Parcels int
	NetHa   float64 `json:"net_ha"`
	Reserve struct {
		NetHa float64 `json:"net_ha"`
	}
	Shares map[string]struct {
		NetHa float64 `json:"net_ha"`
	}
	ParcelsFilter string `json:"parcels_filter"`
	ParcelsHref   string `json:"parcels_href"`
	ItemsHref     string `json:"items_href"`
}

// The supply of the fixture through the API: the same numbers as worked out in studystore's tests.
func TestSupplyOverHTTP(t *testing.T) {
	a := newAPI(t)
	for _, c := range []struct {
		token      string
		reader     string
		net        map[string]float64
		marketable float64
	}{
		{a.planner, "internal", map[string]float64{"14713": 8.65, "14730": 19, "15088": 19}, 21.65},
		{"", "public", map[string]float64{"14713": 8.65, "14730": 10, "15088": 19}, 15.65},
	} {
		var s supplyAnswer
		a.get("/api/v1/study/supply?group_by=district&as_of=2026-06-30", c.token, &s)
		if s.Query.Reader != c.reader || len(s.Supply.Groups) != 3 {
			t.Fatalf("%s: %+v", c.reader, s)
		}
		for _, g := range s.Supply.Groups {
			if !near(g.NetHa, c.net[g.Key["district"]]) {
				t.Errorf("%s: district %s net %g, want %g", c.reader, g.Key["district"], g.NetHa, c.net[g.Key["district"]])
			}
			// Every group links to its parcels: following the link lists as many as it counts.
			var fc struct {
				NumberMatched int `json:"numberMatched"`
				Features      []json.RawMessage
			}
			a.get(g.ParcelsHref, c.token, &fc)
			if fc.NumberMatched != g.Parcels || len(fc.Features) != g.Parcels {
				t.Errorf("%s: group %v counts %d parcels, %s lists %d", c.reader, g.Key, g.Parcels, g.ParcelsHref, fc.NumberMatched)
			}
		}
		if !near(s.Supply.Total.Shares["marketable"].NetHa, c.marketable) {
			t.Errorf("%s: marketable %g, want %g", c.reader, s.Supply.Total.Shares["marketable"].NetHa, c.marketable)
		}
	}
	// Without as_of the groups also link to the OGC API items with the same CQL2 filter.
	var s supplyAnswer
	a.get("/api/v1/study/supply?district=15088&group_by=status", a.planner, &s)
	u, err := url.Parse(s.Supply.Groups[0].ItemsHref)
	if err != nil || u.Path != "/ogcapi/collections/parcels/items" || u.Query().Get("filter") != "district_ags IN ('15088') AND status = 'offered'" {
		t.Errorf("items link %q", s.Supply.Groups[0].ItemsHref)
	}
}

func TestTakeUpAndBalanceOverHTTP(t *testing.T) {
	a := newAPI(t)
	var tu struct {
		TakeUp struct {
			Window struct{ From, To int }
			Total  struct {
				MeanHa     float64  `json:"mean_net_ha_per_year"`
				ReachYears *float64 `json:"reach_years"`
			}
		} `json:"take_up"`
	}
	a.get("/api/v1/study/take-up?as_of=2026-06-30", a.planner, &tu)
	if tu.TakeUp.Window.From != 2021 || !near(tu.TakeUp.Total.MeanHa, 1.9) || tu.TakeUp.Total.ReachYears == nil || *tu.TakeUp.Total.ReachYears != 11.39 {
		t.Errorf("planner take-up %+v, want window 2021–2025, mean 1.9, reach 11.39", tu.TakeUp)
	}
	a.get("/api/v1/study/take-up?as_of=2026-06-30", "", &tu)
	if !near(tu.TakeUp.Total.MeanHa, 1.3) || *tu.TakeUp.Total.ReachYears != 12.04 {
		t.Errorf("public take-up %+v, want mean 1.3 (without the internal H), reach 12.04", tu.TakeUp)
	}
	a.get("/api/v1/study/take-up?as_of=2022-06-30", a.planner, &tu)
	if !near(tu.TakeUp.Total.MeanHa, 0.8) || *tu.TakeUp.Total.ReachYears != 15.19 {
		t.Errorf("take-up as of 2022-06-30 %+v, want mean 0.8, reach 15.19", tu.TakeUp)
	}
	var b struct {
		Balance struct {
			Years  int
			Inputs []struct{ DE, EN string } `json:"inputs_used"`
			Total  struct {
				TrendDemandHa       float64  `json:"trend_demand_ha"`
				TrendBalanceHa      float64  `json:"trend_balance_ha"`
				EmploymentBalanceHa *float64 `json:"employment_balance_ha"`
			}
		}
	}
	a.get("/api/v1/study/balance?as_of=2026-06-30&margin=0.1&employment=all:1000:0.02", a.planner, &b)
	// 13 years: 2026–2038, the running year is demand.
	if b.Balance.Years != 13 || !near(b.Balance.Total.TrendDemandHa, 27.17) || !near(b.Balance.Total.TrendBalanceHa, 7.48) ||
		b.Balance.Total.EmploymentBalanceHa == nil || !near(*b.Balance.Total.EmploymentBalanceHa, 12.65) || len(b.Balance.Inputs) != 2 {
		t.Errorf("balance %+v, want 13 years, demand 27.17, balance 7.48, employment balance 12.65, two inputs named", b.Balance)
	}
	// As of New Year's Eve the year is complete: the same window as the next day's, the demand from the next year.
	a.get("/api/v1/study/take-up?as_of=2025-12-31", a.planner, &tu)
	if tu.TakeUp.Window.From != 2021 || tu.TakeUp.Window.To != 2025 {
		t.Errorf("take-up as of 2025-12-31: window %+v, want 2021–2025", tu.TakeUp.Window)
	}
	a.get("/api/v1/study/balance?as_of=2025-12-31", a.planner, &b)
	if b.Balance.Years != 13 || !strings.Contains(b.Balance.Inputs[0].DE, "2021–2025 × 13 Jahre (2026–2038)") {
		t.Errorf("balance as of 2025-12-31: %d years, %q; want 13 years 2026–2038", b.Balance.Years, b.Balance.Inputs[0].DE)
	}
}

func TestLargeSitesSearchAndNearbyOverHTTP(t *testing.T) {
	a := newAPI(t)
	f := a.fix
	var ls struct {
		LargeSites struct {
			Sites []struct {
				MemberIDs []int64 `json:"member_ids"`
				NetHa     float64 `json:"net_ha"`
				Lands     []string
			}
			StrategicReserves []json.RawMessage `json:"strategic_reserves"`
		} `json:"large_sites"`
	}
	a.get("/api/v1/study/large-sites", a.planner, &ls)
	if len(ls.LargeSites.Sites) != 1 || !slices.Equal(ls.LargeSites.Sites[0].MemberIDs, f.IDs("A", "B", "C")) ||
		!near(ls.LargeSites.Sites[0].NetHa, 31) || len(ls.LargeSites.StrategicReserves) != 1 {
		t.Errorf("planner large sites %+v, want A+B+C (31 ha) and one strategic reserve", ls.LargeSites)
	}
	ls.LargeSites.StrategicReserves = nil
	a.get("/api/v1/study/large-sites", "", &ls)
	if len(ls.LargeSites.Sites) != 1 || !slices.Equal(ls.LargeSites.Sites[0].MemberIDs, f.IDs("A", "B")) || ls.LargeSites.StrategicReserves != nil {
		t.Errorf("public large sites %+v, want A+B (25 ha) and no strategic reserves", ls.LargeSites)
	}

	search := map[string]any{
		"criteria": map[string]any{"min_net_ha": 0.5, "max_net_ha": 20, "max_distance_km": map[string]float64{"motorway_junction": 5},
			"exclude_constraints": []map[string]string{{"severity": "severe"}}},
		"target_net_ha": 10,
		"weights":       map[string]float64{"area": 1, "planning_status": 1, "availability": 1, "motorway_junction": 1, "rail_freight_terminal": 0, "airport": 0, "inland_port": 0, "utilities": 0, "constraints": 0},
	}
	var res struct {
		Search struct {
			Parcels  page
			Excluded page
		}
	}
	code, body := a.do(http.MethodPost, "/api/v1/study/search?as_of=2026-06-30", a.planner, search)
	if code != http.StatusOK || json.Unmarshal(body, &res) != nil {
		t.Fatalf("POST search: %d %s", code, body)
	}
	if got := res.Search.Parcels.ids(); !slices.Equal(got, f.IDs("A", "C", "B", "E")) {
		t.Errorf("planner ranking %v, want A C B E %v", got, f.IDs("A", "C", "B", "E"))
	}
	if len(res.Search.Excluded.Items) != 1 || res.Search.Excluded.Items[0].Reasons[0].Code != "constraint" {
		t.Errorf("excluded %+v, want D for its severe constraint", res.Search.Excluded)
	}
	code, body = a.do(http.MethodPost, "/api/v1/study/search?as_of=2026-06-30", "", search)
	if code != http.StatusOK || json.Unmarshal(body, &res) != nil {
		t.Fatalf("public POST search: %d %s", code, body)
	}
	if got := res.Search.Parcels.ids(); !slices.Equal(got, f.IDs("A", "B", "E")) {
		t.Errorf("public ranking %v, want A B E", got)
	}
	a.get("/api/v1/study/search?preset=large_industrial", "", &res)
	for _, name := range []string{"logistics", "large_industrial", "small_business", "research_production"} {
		if code, body := a.do(http.MethodGet, "/api/v1/study/search?preset="+name, a.planner, nil); code != http.StatusOK {
			t.Errorf("preset %s: %d %s", name, code, body)
		}
	}

	var nb struct {
		Nearby struct {
			Total   *int
			Parcels []struct {
				ID        int64
				DistanceM float64 `json:"distance_m"`
			}
		}
	}
	a.get("/api/v1/study/nearby?parcel="+itoa(f.Parcels["A"])+"&distance_m=100", a.planner, &nb)
	if nb.Nearby.Total == nil || *nb.Nearby.Total != 2 || nb.Nearby.Parcels[1].ID != f.Parcels["C"] || nb.Nearby.Parcels[1].DistanceM != 30 {
		t.Errorf("nearby A within 100 m: %+v, want B at 0 m and C at 30 m", nb.Nearby)
	}
	if code, _ := a.do(http.MethodGet, "/api/v1/study/nearby?k=3&parcel="+itoa(f.Parcels["C"]), "", nil); code != http.StatusNotFound {
		t.Errorf("the public asking near the internal parcel C: %d, want 404", code)
	}
}

type page struct {
	Total int
	Items []struct {
		ID      int64
		Reasons []struct{ Code string }
	}
}

func (p page) ids() []int64 {
	var out []int64
	for _, i := range p.Items {
		out = append(out, i.ID)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestBadRequestsSayWhatToFix(t *testing.T) {
	a := newAPI(t)
	for _, c := range []struct {
		path, token, want string
	}{
		{"/api/v1/study/supply?distict=15088", "", `unknown query parameter \"distict\"`},
		{"/api/v1/study/supply?district=99999", "", "district"},
		{"/api/v1/study/supply?group_by=ownership", "", "group_by: ownership is internal"},
		{"/api/v1/study/supply?filter=owner_willing%20%3D%20%27yes%27", "", "filter"},
		{"/api/v1/study/supply?as_of=2999-01-01", "", "as_of"},
		{"/api/v1/study/supply?as_of=yesterday", "", "as_of"},
		{"/api/v1/study/take-up?as_of=2026-06-30&to_year=2026", "", "window"},
		{"/api/v1/study/balance?target_year=2020&as_of=2026-06-30", "", "target_year"},
		{"/api/v1/study/balance?employment=15088:many:0.02", "", "employment"},
		{"/api/v1/study/nearby?k=3", "", "point"},
		{"/api/v1/study/search?preset=warehouse", "", "preset"},
		{"/api/v1/study/supply?polygon=POINT(12%2051)", "", "polygon"},
	} {
		code, body := a.do(http.MethodGet, c.path, c.token, nil)
		if code != http.StatusBadRequest || !strings.Contains(string(body), c.want) {
			t.Errorf("GET %s: %d %s, want 400 naming %q", c.path, code, body, c.want)
		}
	}
	code, body := a.do(http.MethodPost, "/api/v1/study/search", "", map[string]any{"criteria": map[string]any{"min_area": 2}})
	if code != http.StatusBadRequest || !strings.Contains(string(body), "min_area") {
		t.Errorf("search with an unknown field: %d %s", code, body)
	}
}

// csvTable downloads a CSV table of a run.
func (a *api) csvTable(path, token string) [][]string {
	a.t.Helper()
	code, body := a.do(http.MethodGet, path, token, nil)
	if code != http.StatusOK {
		a.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	return rows
}

// column finds a row's value by its header.
func column(rows [][]string, row int, name string) string {
	i := slices.Index(rows[0], name)
	if i < 0 {
		return "<no column " + name + ">"
	}
	return rows[row][i]
}

// The public never sees an internal parcel behind any figure: not in the parcels list, the
// constraint overlay, a search (ranked or excluded) or a nearby answer, today or at a past date.
func TestPublicNeverSeesInternalParcels(t *testing.T) {
	a := newAPI(t)
	internal := []int64{a.fix.Parcels["C"], a.fix.Parcels["H"]}
	for _, asOf := range []string{"", "&as_of=2022-06-30"} {
		var fc struct {
			NumberMatched int `json:"numberMatched"`
			Features      []struct{ ID int64 }
		}
		a.get("/api/v1/study/parcels?limit=100"+asOf, "", &fc)
		for _, f := range fc.Features {
			if slices.Contains(internal, f.ID) {
				t.Errorf("parcels%s lists the internal parcel %d", asOf, f.ID)
			}
		}
		var ov struct {
			Constraints struct {
				Parcels []struct{ ID int64 }
			}
		}
		a.get("/api/v1/study/constraints?limit=100"+asOf, "", &ov)
		var search struct {
			Search struct{ Parcels, Excluded page }
		}
		a.get("/api/v1/study/search?preset=logistics&excluded_limit=100"+asOf, "", &search)
		var nb struct {
			Nearby struct {
				Parcels []struct{ ID int64 }
			}
		}
		a.get("/api/v1/study/nearby?k=100&parcel="+itoa(a.fix.Parcels["B"])+asOf, "", &nb)
		var seen []int64
		for _, p := range ov.Constraints.Parcels {
			seen = append(seen, p.ID)
		}
		seen = append(append(seen, search.Search.Parcels.ids()...), search.Search.Excluded.ids()...)
		for _, p := range nb.Nearby.Parcels {
			seen = append(seen, p.ID)
		}
		for _, id := range seen {
			if slices.Contains(internal, id) {
				t.Errorf("a public answer%s names the internal parcel %d", asOf, id)
			}
		}
		if len(nb.Nearby.Parcels) == 0 || len(search.Search.Excluded.Items) == 0 {
			t.Errorf("the public answers%s are empty: the check would not catch anything", asOf)
		}
	}
}

// The service's OpenAPI document (/ogcapi/api) carries the study's paths.
func TestOpenAPIDocumentHasTheStudy(t *testing.T) {
	a := newAPI(t)
	var doc struct {
		Paths map[string]map[string]any
	}
	a.get("/ogcapi/api?f=json", "", &doc)
	for _, p := range []string{"/api/v1/study/supply", "/api/v1/study/runs", "/api/v1/study/runs/{id}/report.html"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("the OpenAPI document lacks %s", p)
		}
	}
	if _, ok := doc.Paths["/api/v1/study/runs"]["post"]; !ok {
		t.Error("the OpenAPI document lacks POST /api/v1/study/runs")
	}
}
