package studyapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A run's tables open in German Excel: semicolons, decimal commas, a byte order mark, German
// headings and labels beside codes; the same tables as XLSX hold numbers as numbers. A table the
// run does not hold (a site search it was saved without) is not offered, and not served empty.
func TestRunTablesForGermanExcel(t *testing.T) {
	a := newAPI(t)
	code, body := a.do(http.MethodPost, "/api/v1/study/runs", a.planner, runParams)
	if code != http.StatusCreated {
		t.Fatalf("create run: %d %s", code, body)
	}
	var run struct {
		ID    int64
		Links []struct{ Type, Href string }
	}
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/study/runs/" + itoa(run.ID)
	for _, l := range run.Links {
		if strings.Contains(l.Href, "/tables/search.") {
			t.Errorf("a run without a site search offers %s", l.Href)
		}
	}
	if code, body := a.do(http.MethodGet, base+"/tables/search.csv", a.planner, nil); code != http.StatusNotFound || !strings.Contains(string(body), "search") {
		t.Errorf("search.csv of a run without a search: %d %s; want 404 saying why", code, body)
	}

	code, body = a.do(http.MethodGet, base+"/tables/supply.csv?format=csv-excel", a.planner, nil)
	if code != http.StatusOK || !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Fatalf("supply.csv for Excel: %d, starts %q; want 200 and a UTF-8 byte order mark", code, body[:min(len(body), 20)])
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read the Excel CSV with semicolons: %v", err)
	}
	total := len(rows) - 1
	if rows[0][0] != "Kreis" || rows[0][1] != "Kreis (Bezeichnung)" || column(rows, total, "Kreis (Bezeichnung)") != "Gesamt" ||
		column(rows, total, "Reserve netto ha") != "34,65" || column(rows, 1, "Kreis") != "14713" || column(rows, 1, "netto ha") != "8,65" {
		t.Errorf("supply for Excel = %v", rows)
	}
	if code, body := a.do(http.MethodGet, base+"/tables/supply.csv?format=xls", a.planner, nil); code != http.StatusBadRequest || !strings.Contains(string(body), "csv-excel") {
		t.Errorf("format=xls: %d %s; want 400 naming the formats", code, body)
	}

	// The parcels: codes and their German labels side by side.
	code, body = a.do(http.MethodGet, base+"/tables/parcels.csv?format=csv-excel", a.planner, nil)
	r = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.Comma = ';'
	parcels, err := r.ReadAll()
	if code != http.StatusOK || err != nil || len(parcels) != 11 || column(parcels, 1, "Status") != "offered" || column(parcels, 1, "Status (Bezeichnung)") != "angeboten" {
		t.Errorf("parcels for Excel: %d %v %v", code, err, parcels[:min(len(parcels), 2)])
	}

	code, body = a.do(http.MethodGet, base+"/tables.xlsx", a.planner, nil)
	if code != http.StatusOK {
		t.Fatalf("tables.xlsx: %d %s", code, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 7 || sheets[0] != "Angebot" || sheets[6] != "Flächen" {
		t.Errorf("sheets %v; want Angebot … Flächen, one per table the run holds", sheets)
	}
	xrows, err := f.GetRows("Angebot")
	if err != nil {
		t.Fatal(err)
	}
	last := len(xrows) - 1
	if column(xrows, last, "Kreis (Bezeichnung)") != "Gesamt" || column(xrows, last, "Reserve netto ha") != "34.65" {
		t.Errorf("Angebot sheet %v", xrows)
	}
	cell, err := excelize.CoordinatesToCellName(colIndex(xrows[0], "Reserve netto ha")+1, last+1)
	if err != nil {
		t.Fatal(err)
	}
	if typ, err := f.GetCellType("Angebot", cell); err != nil || typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("reserve cell %s is %v (%v), want a number", cell, typ, err)
	}
	if v, err := f.GetCellValue("Angebot", cell, excelize.Options{RawCellValue: true}); err != nil || v != "34.65" {
		t.Errorf("reserve cell %s = %q (%v), want the number 34.65", cell, v, err)
	}
}

func colIndex(head []string, name string) int {
	for i, h := range head {
		if h == name {
			return i
		}
	}
	return -1
}

// The dashboard's tables come as CSV for German Excel and as XLSX with the study API's figures.
func TestDashboardTablesForExcel(t *testing.T) {
	a := newAPI(t)
	var b struct {
		Balance struct {
			Total struct {
				TrendDemandHa float64 `json:"trend_demand_ha"`
			}
		}
	}
	a.get("/api/v1/study/balance?as_of=2025-12-31&district=15088", a.planner, &b)
	code, body := a.do(http.MethodGet, "/api/v1/study/tables/balance.csv?as_of=2025-12-31&district=15088&format=csv-excel", a.planner, nil)
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if code != http.StatusOK || err != nil {
		t.Fatalf("balance.csv: %d %v %s", code, err, body)
	}
	last := len(rows) - 1
	want := strings.Replace(strconv.FormatFloat(b.Balance.Total.TrendDemandHa, 'f', -1, 64), ".", ",", 1)
	if column(rows, last, "Bedarf Trend ha") != want || column(rows, last, "Bedarf ab") != "2026" || column(rows, last, "Jahre") != "13" {
		t.Errorf("balance table %v; want demand %s from 2026 over 13 years", rows, want)
	}
	code, body = a.do(http.MethodGet, "/api/v1/study/tables/supply.xlsx?group_by=size_class", a.planner, nil)
	if code != http.StatusOK {
		t.Fatalf("supply.xlsx: %d %s", code, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xrows, err := f.GetRows("Angebot")
	if err != nil || len(xrows) < 2 || xrows[0][0] != "Größenklasse" || !strings.Contains(xrows[1][1], "ha") {
		t.Errorf("supply by size class: %v %v", xrows, err)
	}
	if code, _ := a.do(http.MethodGet, "/api/v1/study/tables/nothing.csv", a.planner, nil); code != http.StatusNotFound {
		t.Errorf("an unknown table: %d, want 404", code)
	}
}
