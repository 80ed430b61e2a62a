package studyapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/study"
)

type campaignAnswer struct {
	ID       int64
	ClosedAt *time.Time `json:"closed_at"`
	RunID    *int64     `json:"run_id"`
	Progress struct {
		Districts []study.Progress
		Total     study.Progress
	}
	Figures *study.OfficialFigures
}

func (c campaignAnswer) district(ags string) study.Progress {
	for _, d := range c.Progress.Districts {
		if d.DistrictAGS == ags {
			return d
		}
	}
	return study.Progress{}
}

// A campaign from opening to the official state: one district confirms everything, one updates
// a parcel and confirms another, one stays open; the coordinator sees that, exports the reminders
// and closes; the official figures equal the study API's at that moment and stay after later edits.
func TestCampaignToOfficialState(t *testing.T) {
	a := newAPI(t)
	ctx := context.Background()
	admin := a.token(auth.Admin, "")
	today := time.Now().In(study.Berlin).Format(time.DateOnly)
	in := map[string]string{"title": "Monitoring Test", "reference_date": today, "deadline": time.Now().AddDate(0, 1, 0).In(study.Berlin).Format(time.DateOnly)}
	if code, body := a.do(http.MethodPost, "/api/v1/campaigns", a.planner, in); code != http.StatusForbidden {
		t.Errorf("a planner opens a campaign: %d %s; want 403", code, body)
	}
	// Saalekreis confirmed its parcels this morning, before the campaign opened: that is no answer
	// to the campaign, and confirming again after the opening must count.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE parcels SET last_confirmed = current_date WHERE district_ags = '15088'`); err != nil {
		t.Fatal(err)
	}
	code, body := a.do(http.MethodPost, "/api/v1/campaigns", admin, in)
	if code != http.StatusCreated {
		t.Fatalf("open: %d %s", code, body)
	}
	var c campaignAnswer
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	if c.Progress.Total.Parcels != 10 || c.Progress.Total.Open != 10 {
		t.Errorf("at opening: %+v; want 10 parcels, all open", c.Progress.Total)
	}
	if code, body := a.do(http.MethodPost, "/api/v1/campaigns", admin, in); code != http.StatusConflict {
		t.Errorf("a second open campaign: %d %s; want 409", code, body)
	}
	base := "/api/v1/campaigns/" + itoa(c.ID)

	// Saalekreis (15088) confirms all its parcels; its editor may not confirm Nordsachsen's.
	if code, body := a.do(http.MethodPost, "/api/v1/districts/15088/confirm", a.editor, map[string]any{"all": true}); code != http.StatusOK || !strings.Contains(string(body), `"changed":3`) {
		t.Errorf("confirm all of 15088: %d %s; want 3 confirmed", code, body)
	}
	if code, _ := a.do(http.MethodPost, "/api/v1/districts/14730/confirm", a.editor, map[string]any{"all": true}); code != http.StatusForbidden {
		t.Errorf("an editor of 15088 confirms 14730: %d, want 403", code)
	}
	// Nordsachsen (14730): B is updated (as an upload or edit would), C confirmed by id, H stays open.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE parcels SET name = 'Fläche B (neu)', changed_by = 'test' WHERE id = $1`, a.fix.Parcels["B"]); err != nil {
		t.Fatal(err)
	}
	if code, body := a.do(http.MethodPost, "/api/v1/districts/14730/confirm", admin, map[string]any{"ids": []int64{a.fix.Parcels["C"], a.fix.Parcels["A"]}}); code != http.StatusBadRequest || !strings.Contains(string(body), itoa(a.fix.Parcels["A"])) {
		t.Errorf("confirming a parcel of another district: %d %s; want 400 naming it", code, body)
	}
	if code, body := a.do(http.MethodPost, "/api/v1/districts/14730/confirm", admin, map[string]any{"ids": []int64{a.fix.Parcels["C"]}}); code != http.StatusOK {
		t.Errorf("confirm C: %d %s", code, body)
	}

	a.get(base, a.planner, &c)
	for _, want := range []study.Progress{
		{DistrictAGS: "15088", Parcels: 3, Confirmed: 3},
		{DistrictAGS: "14730", Parcels: 3, Confirmed: 1, Changed: 1, Open: 1},
		{DistrictAGS: "14713", Parcels: 4, Open: 4},
	} {
		got := c.district(want.DistrictAGS)
		if got.Parcels != want.Parcels || got.Confirmed != want.Confirmed || got.Changed != want.Changed || got.Open != want.Open {
			t.Errorf("progress of %s: %+v; want %+v", want.DistrictAGS, got, want)
		}
	}
	var own campaignAnswer
	a.get(base, a.editor, &own)
	if len(own.Progress.Districts) != 1 || own.Progress.Districts[0].DistrictAGS != "15088" {
		t.Errorf("the editor of 15088 sees %+v; want their own district only", own.Progress.Districts)
	}
	var task struct {
		Total   int
		Parcels []study.CampaignParcel
	}
	a.get(base+"/districts/14730/parcels?state=open", a.planner, &task)
	if task.Total != 1 || task.Parcels[0].ID != a.fix.Parcels["H"] {
		t.Errorf("open parcels of 14730: %+v; want H", task)
	}
	code, body = a.do(http.MethodGet, base+"/reminders.csv", a.planner, nil)
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if code != http.StatusOK || err != nil || len(rows) != 3 || column(rows, 1, "district_ags") != "14713" || column(rows, 2, "open") != "1" {
		t.Errorf("reminders: %d %v %v; want 14713 and 14730", code, err, rows)
	}

	// Reminders go to the outbox of the two districts still open, whose editors read them.
	if code, _ := a.do(http.MethodPost, base+"/reminders", a.editor, nil); code != http.StatusForbidden {
		t.Errorf("an editor sends reminders: %d, want 403", code)
	}
	var reminded struct{ Reminded []study.Progress }
	if code, body := a.do(http.MethodPost, base+"/reminders", a.planner, nil); code != http.StatusOK || json.Unmarshal(body, &reminded) != nil || len(reminded.Reminded) != 2 {
		t.Errorf("send reminders: %d %s; want 14713 and 14730", code, body)
	}
	var queued int
	if err := a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE kind = 'reminder' AND enquiry_id IS NULL AND recipient IN ('14713', '14730') AND body LIKE '%noch zu bestätigen%'`).Scan(&queued); err != nil || queued != 2 {
		t.Errorf("reminders in the outbox: %d (%v), want 2", queued, err)
	}

	code, body = a.do(http.MethodPost, base+"/close", a.planner, nil)
	if code != http.StatusOK {
		t.Fatalf("close: %d %s", code, body)
	}
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	if c.ClosedAt == nil || c.RunID == nil || c.Figures == nil || c.district("14713").Open != 4 {
		t.Fatalf("closed campaign %+v", c)
	}
	var s supplyAnswer
	a.get("/api/v1/study/supply?as_of="+url.QueryEscape(c.Figures.AsOf.Format(time.RFC3339Nano)), a.planner, &s)
	if !near(s.Supply.Total.Reserve.NetHa, c.Figures.ReserveHa) || c.Figures.Parcels != s.Supply.Total.Parcels {
		t.Errorf("official reserve %g ha of %d parcels; the study API at %s says %g ha of %d", c.Figures.ReserveHa, c.Figures.Parcels,
			c.Figures.AsOf, s.Supply.Total.Reserve.NetHa, s.Supply.Total.Parcels)
	}
	official := c.Figures.ReserveHa

	// Later edits change the live figures, not the official state; a closed campaign stays closed.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE parcels SET status = 'sold' WHERE id = $1`, a.fix.Parcels["A"]); err != nil {
		t.Fatal(err)
	}
	a.get(base, a.planner, &c)
	a.get("/api/v1/study/supply", a.planner, &s)
	if c.Figures.ReserveHa != official || near(s.Supply.Total.Reserve.NetHa, official) {
		t.Errorf("after A was sold: official %g (was %g), live %g; want the official state unchanged and the live one moved", c.Figures.ReserveHa, official, s.Supply.Total.Reserve.NetHa)
	}
	if code, _ := a.do(http.MethodPost, base+"/close", a.planner, nil); code != http.StatusConflict {
		t.Errorf("closing again: %d, want 409", code)
	}
	// A confirmation after closing is an ordinary one: the official state stays as it was.
	if code, body := a.do(http.MethodPost, "/api/v1/districts/14713/confirm", admin, map[string]any{"all": true}); code != http.StatusOK {
		t.Errorf("confirming after the campaign closed: %d %s", code, body)
	}
	a.get(base, a.planner, &c)
	if c.district("14713").Open != 4 || c.Figures.ReserveHa != official {
		t.Errorf("after a later confirmation the closed campaign reads %+v, official %g; want 4 open and %g", c.district("14713"), c.Figures.ReserveHa, official)
	}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE study_runs SET title = 'x' WHERE id = $1`, *c.RunID); err == nil {
		t.Error("the official run could be changed")
	}
	code, report := a.do(http.MethodGet, "/api/v1/study/runs/"+itoa(*c.RunID)+"/report.html", a.planner, nil)
	for _, want := range []string{"Amtlicher Stand zum Stichtag", "Bei Abschluss noch offen: Leipzig (4 von 4 Flächen), Nordsachsen (1 von 3 Flächen)"} {
		if code != http.StatusOK || !strings.Contains(string(report), want) {
			t.Errorf("report (%d) lacks %q", code, want)
		}
	}
	var list struct{ Campaigns []campaignAnswer }
	a.get("/api/v1/campaigns", a.planner, &list)
	if len(list.Campaigns) != 1 || list.Campaigns[0].Figures == nil || list.Campaigns[0].Figures.ReserveHa != official {
		t.Errorf("campaign list %+v", list.Campaigns)
	}
}
