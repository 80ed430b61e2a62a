package studyapi

import (
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/parcel"
	"landatlas/internal/problem"
	"landatlas/internal/study"
)

//go:embed report.html
var reportHTML string

// reportFuncs format the printed reports' figures the German way.
var reportFuncs = template.FuncMap{
	// ha writes hectares as the dashboard does: one decimal, two below 1 ha.
	"ha": func(v float64) string {
		if v != 0 && math.Abs(v) < 1 {
			return study.FormatNumber(v, 2, "de")
		}
		return study.FormatNumber(v, 1, "de")
	},
	"ha2": func(v float64) string { return study.FormatNumber(v, 2, "de") },
	"pct": func(v float64) string { return study.FormatNumber(v*100, 1, "de") + " %" },
	"optYears": func(v *float64) string {
		if v == nil {
			return "∞ (kein Umsatz)"
		}
		return study.FormatNumber(*v, 1, "de")
	},
	"optHa": func(v *float64) string {
		if v == nil {
			return "–"
		}
		return study.FormatNumber(*v, 1, "de")
	},
	"n":    func(v int) string { return study.FormatNumber(float64(v), 0, "de") },
	"asof": asOfText,
	"isodate": func(s string) string {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return s
		}
		return t.Format("02.01.2006")
	},
	"date":       func(t time.Time) string { return t.In(study.Berlin).Format("02.01.2006") },
	"datetime":   func(t time.Time) string { return t.In(study.Berlin).Format("02.01.2006 15:04") },
	"planning":   func(v string) string { return label(parcel.PlanningStatuses(), v) },
	"constraint": func(v string) string { return label(parcel.ConstraintKinds(), v) },
	"severity":   func(v string) string { return label(parcel.Severities(), v) },
	"grouping": func(names []string) string {
		var titles []string
		for _, n := range names {
			for _, g := range study.Groupings() {
				if g.Name == n {
					titles = append(titles, g.Title.DE)
				}
			}
		}
		return strings.Join(titles, " und ")
	},
	"join": strings.Join,
}

var reportTemplate = template.Must(template.New("report").Funcs(reportFuncs).Parse(reportHTML))

// asOfText writes a study date: a date given as a day (counted to its end) as that day, a time
// as day and time.
func asOfText(t time.Time) string {
	b := t.In(study.Berlin)
	if b.Hour() == 23 && b.Minute() == 59 && b.Second() == 59 {
		return b.Format("02.01.2006")
	}
	return b.Format("02.01.2006, 15:04 Uhr")
}

// siteNames numbers the large sites in the order shown ("Großfläche 1"), the name the table, the
// map's labels and the charts share; the cluster ids are internal.
func siteNames(sites []study.LargeSite) map[string]string {
	names := make(map[string]string, len(sites))
	for i, s := range sites {
		names[s.ID] = "G" + strconv.Itoa(i+1)
	}
	return names
}

// employmentGiven reports whether any unit of a balance has an employment-based demand, so a report
// shows those columns only where they hold figures.
func employmentGiven(b study.Balance) bool {
	if b.Region.EmploymentDemandHa != nil {
		return true
	}
	for _, d := range b.Districts {
		if d.EmploymentDemandHa != nil {
			return true
		}
	}
	return false
}

func label(l parcel.CodeList, v string) string {
	for _, c := range l.Codes {
		if c.Value == v {
			return c.DE
		}
	}
	return v
}

// bar is one bar of a chart, laid out in the chart's own coordinates.
type bar struct {
	Label, Value     string
	X, Y, W, H       float64
	LabelX, LabelY   float64
	Negative, Second bool
}

// chart is a simple SVG bar chart: one or two series side by side per category.
type chart struct {
	Width, Height, Baseline float64
	Bars                    []bar
}

// barChart lays out bars for the categories; second, when given, is drawn beside the first.
// Negative values hang below the baseline.
func barChart(labels []string, first, second []float64) chart {
	const width, height, top, bottom = 680.0, 220.0, 20.0, 40.0
	maxV, minV := 0.0, 0.0
	for _, s := range [][]float64{first, second} {
		for _, v := range s {
			maxV, minV = math.Max(maxV, v), math.Min(minV, v)
		}
	}
	if maxV == minV {
		maxV = 1
	}
	scale := (height - top - bottom) / (maxV - minV)
	c := chart{Width: width, Height: height, Baseline: top + maxV*scale}
	slot := width / float64(max(len(labels), 1))
	series := 1.0
	if second != nil {
		series = 2
	}
	w := math.Min(60, slot*0.8/series)
	add := func(i int, v float64, k float64, isSecond bool) {
		x := float64(i)*slot + (slot-w*series)/2 + k*w
		h := math.Abs(v) * scale
		y := c.Baseline - h
		if v < 0 {
			y = c.Baseline
		}
		c.Bars = append(c.Bars, bar{Label: labels[i], Value: study.FormatNumber(v, 1, "de"), X: x, Y: y, W: w - 2, H: h,
			LabelX: float64(i)*slot + slot/2, LabelY: height - bottom/2, Negative: v < 0, Second: isSecond})
	}
	for i, v := range first {
		add(i, v, 0, false)
		if second != nil {
			add(i, second[i], 1, true)
		}
	}
	return c
}

// reportData is what the report template shows.
type reportData struct {
	Run      study.Run
	Internal bool
	Scope    string
	Supply   chart
	TakeUp   chart
	Balance  chart
	Map      study.MapOverview
	Rule     study.Text
	Now      time.Time
	// SiteNames are the large sites' short names (G1, G2, ...) by cluster id.
	SiteNames map[string]string
	// Employment says whether the balance has employment-based figures to show.
	Employment bool
	// Official is set when the run is a closed campaign's official state.
	Official *study.Official
}

// RunReport answers GET /api/v1/study/runs/{id}/report.html: a printable report of a run with
// tables, bar charts, a map overview, the methods and sources, its date and data version; the
// print stylesheet makes a browser's "print to PDF" a clean document.
func (s *Service) RunReport() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		res := run.Results
		d := reportData{Run: run, Internal: auth.FromContext(r.Context()).SeesInternal(), Scope: run.Params.Scope.String(),
			Map: res.Map, Rule: res.TakeUp.MarketableRule, Now: s.now(),
			SiteNames: siteNames(res.LargeSites.Sites), Employment: employmentGiven(res.Balance)}
		if d.Official, err = s.store.OfficialOf(r.Context(), run.ID); err != nil {
			return err
		}
		var labels []string
		var net, reserve []float64
		for _, g := range res.Supply.Groups {
			var parts []string
			for _, name := range res.Supply.GroupBy {
				parts = append(parts, g.Label[name].DE)
			}
			labels = append(labels, shorten(strings.Join(parts, " / ")))
			net, reserve = append(net, g.NetHa), append(reserve, g.Reserve.NetHa)
		}
		d.Supply = barChart(labels, net, reserve)
		labels, net = nil, nil
		for _, v := range res.TakeUp.Region.Series {
			labels, net = append(labels, strconv.Itoa(v.Year)), append(net, v.NetHa)
		}
		d.TakeUp = barChart(labels, net, nil)
		labels, net, reserve = nil, nil, nil
		for _, u := range res.Balance.Districts {
			labels = append(labels, shorten(u.Name))
			net, reserve = append(net, u.ReserveHa), append(reserve, u.TrendDemandHa)
		}
		d.Balance = barChart(labels, net, reserve)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := reportTemplate.Execute(w, d); err != nil {
			return fmt.Errorf("render report of run %d: %w", run.ID, err)
		}
		return nil
	})
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 14 {
		return string(r[:13]) + "…"
	}
	return s
}
