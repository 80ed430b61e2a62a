package studyapi

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/parcel"
	"landatlas/internal/problem"
	"landatlas/internal/study"
)

//go:embed monitoring.html
var monitoringHTML string

var monitoringTemplate = template.Must(template.New("monitoring").Funcs(reportFuncs).Funcs(template.FuncMap{
	"value": func(unit string, v *float64) string {
		if v == nil {
			return "–"
		}
		return formatValue(unit, *v, false)
	},
	"change": func(unit string, v *float64) string {
		if v == nil {
			return "–"
		}
		return formatValue(unit, *v, true)
	},
	"trend": func(v *float64) string {
		switch {
		case v == nil || *v == 0:
			return ""
		case *v > 0:
			return "up"
		}
		return "down"
	},
}).Parse(monitoringHTML))

// formatValue writes an indicator's value in its unit; a change gets its sign.
func formatValue(unit string, v float64, signed bool) string {
	// A change too small to show in its unit's decimals is no change, not "-0".
	shown := map[string]float64{"share": 1000, "count": 1}[unit]
	if shown == 0 {
		shown = 10
	}
	if signed && math.Round(v*shown) == 0 {
		return "±0"
	}
	sign := ""
	if signed && v > 0 {
		sign = "+"
	}
	switch unit {
	case "ha":
		return sign + reportFuncs["ha"].(func(float64) string)(v) + " ha"
	case "count":
		return sign + study.FormatNumber(v, 0, "de")
	case "share":
		if signed {
			return sign + study.FormatNumber(v*100, 1, "de") + " Pp."
		}
		return study.FormatNumber(v*100, 1, "de") + " %"
	}
	return sign + study.FormatNumber(v, 1, "de") + " Jahre"
}

// headline are the indicators of the key figures at the top of the report.
var headline = []string{"reserve_ha", "marketable_ha", "take_up_mean_ha", "reach_years", "large_sites.20", "balance_ha", "completeness", "fresh_share"}

// monitoringData is what the monitoring report shows.
type monitoringData struct {
	Title     string
	C         comparison
	Internal  bool
	URL       string
	Now       time.Time
	Chart     chart
	Map       study.MapOverview
	Sites     []study.LargeSite
	SiteNames map[string]string
}

// Headline says whether an indicator is a key figure.
func (d monitoringData) Headline(key string) bool { return slices.Contains(headline, key) }

// renderMonitoring renders the report of a request.
func (s *Service) renderMonitoring(r *http.Request) ([]byte, error) {
	c, err := s.monitoring(r)
	if err != nil {
		return nil, err
	}
	d := monitoringData{Title: "Region Mitteldeutschland", C: c, Internal: auth.FromContext(r.Context()).SeesInternal(),
		URL: "/monitoring/report?" + r.URL.RawQuery, Now: s.now(), Sites: c.sites, SiteNames: siteNames(c.sites)}
	scope := study.Scope{}
	if ags := r.URL.Query().Get("district"); ags != "" {
		d.Title = c.Units[0].Name
		scope.Districts = []string{ags}
		var mine []study.LargeSite
		for _, site := range c.sites {
			if slices.Contains(site.Districts, ags) {
				mine = append(mine, site)
			}
		}
		d.Sites, d.SiteNames = mine, siteNames(mine)
	}
	if d.Map, err = s.store.MapOverview(r.Context(), scope, d.Sites); err != nil {
		return nil, err
	}
	var labels []string
	var before, after []float64
	for _, code := range parcel.Availabilities().Codes {
		for _, i := range c.Units[0].Indicators {
			if i.Key == "reserve_ha.availability."+code.Value && i.To != nil && i.From != nil {
				labels, before, after = append(labels, shorten(code.DE)), append(before, *i.From), append(after, *i.To)
			}
		}
	}
	d.Chart = barChart(labels, before, after)
	var buf bytes.Buffer
	if err := monitoringTemplate.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("render the monitoring report: %w", err)
	}
	return buf.Bytes(), nil
}

// MonitoringReport answers GET /api/v1/study/monitoring/report.html: the printable monitoring
// report for the region (or district=) at a reference date with the changes since the previous
// one; the web app shows it at /monitoring/report with the same parameters.
func (s *Service) MonitoringReport() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		body, err := s.renderMonitoring(r)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
		return nil
	})
}

// MonitoringPDF answers GET /api/v1/study/monitoring/report.pdf: the same report printed to PDF
// by headless Chromium (Debian's, which `make deps` installs), from a file in a temporary
// directory, so no token or network is needed to render it.
func (s *Service) MonitoringPDF() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		body, err := s.renderMonitoring(r)
		if err != nil {
			return err
		}
		pdf, err := printPDF(r.Context(), body)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="landatlas-monitoring.pdf"`)
		_, _ = w.Write(pdf)
		return nil
	})
}

// printPDF prints an HTML page with headless Chromium.
func printPDF(ctx context.Context, html []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "landatlas-pdf-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	page, out := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(page, html, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--print-to-pdf="+out, "file://"+page)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chromium --print-to-pdf: %w: %s", err, msg)
	}
	return os.ReadFile(out)
}
