package studyapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/csvout"
	"landatlas/internal/parcel"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// csvTables are the tables of a run that export as CSV.
var csvTables = []string{"supply", "take_up", "reach", "balance", "large_sites", "strategic_reserves", "search", "parcels"}

// RunTable answers GET /api/v1/study/runs/{id}/tables/{table}.csv: one table of a run as CSV
// (RFC 4180, decimal point), from the stored figures; the parcels table lists the run's parcels
// in their state at its as_of.
func (s *Service) RunTable() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		table := chi.URLParam(r, "table")
		if !slices.Contains(csvTables, table) {
			return apperr.New(apperr.NotFound, "table %q: a run has the tables %s", table, strings.Join(csvTables, ", "))
		}
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		var rows [][]string
		if table == "parcels" {
			err = s.store.Snapshot(r.Context(), func(st studystore.Store) error {
				rows, err = parcelRows(r.Context(), st, run)
				return err
			})
			if err != nil {
				return err
			}
		} else {
			rows = runTable(run, table)
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="landatlas-run-%d-%s.csv"`, run.ID, table))
		return csvout.Write(w, rows)
	})
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optNum(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

func ids(v []int64) string {
	s := make([]string, len(v))
	for i, id := range v {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, " ")
}

// runTable turns a stored figure of a run into CSV rows, header first.
func runTable(run study.Run, table string) [][]string {
	res := run.Results
	switch table {
	case "supply":
		return supplyRows(res.Supply)
	case "take_up":
		rows := [][]string{{"year", "district_ags", "name", "net_ha", "parcels", "partial_year"}}
		for _, u := range append(res.TakeUp.Districts, res.TakeUp.Region) {
			for _, v := range u.Series {
				rows = append(rows, []string{strconv.Itoa(v.Year), u.DistrictAGS, u.Name, num(v.NetHa), strconv.Itoa(v.Parcels), strconv.FormatBool(v.Partial)})
			}
		}
		return rows
	case "reach":
		w := res.TakeUp.Window
		rows := [][]string{{"district_ags", "name", "window_from", "window_to", "window_net_ha", "mean_net_ha_per_year",
			"reserve_net_ha", "marketable_net_ha", "reach_years"}}
		for _, u := range append(res.TakeUp.Districts, res.TakeUp.Region) {
			rows = append(rows, []string{u.DistrictAGS, u.Name, strconv.Itoa(w.From), strconv.Itoa(w.To), num(u.WindowHa), num(u.MeanHa),
				num(u.ReserveHa), num(u.MarketableHa), optNum(u.ReachYears)})
		}
		return rows
	case "balance":
		b := res.Balance
		rows := [][]string{{"district_ags", "name", "target_year", "years", "margin", "reserve_net_ha", "marketable_net_ha",
			"mean_take_up_net_ha_per_year", "trend_demand_ha", "trend_balance_ha", "employment_demand_ha", "employment_balance_ha"}}
		for _, u := range append(b.Districts, b.Region) {
			rows = append(rows, []string{u.DistrictAGS, u.Name, strconv.Itoa(b.TargetYear), strconv.Itoa(b.Years), num(b.Margin),
				num(u.ReserveHa), num(u.MarketableHa), num(u.MeanTakeUpHa), num(u.TrendDemandHa), num(u.TrendBalanceHa),
				optNum(u.EmploymentDemandHa), optNum(u.EmploymentBalanceHa)})
		}
		return rows
	case "large_sites":
		rows := [][]string{{"id", "member_ids", "district_ags", "lands", "net_ha", "available_net_ha", "gross_ha",
			"largest_contiguous_ha", "best_planning_status", "constraints", "site_ids"}}
		for _, ls := range res.LargeSites.Sites {
			var cs []string
			for _, c := range ls.Constraints {
				cs = append(cs, fmt.Sprintf("%s:%s:%s", c.Kind, c.Severity, num(c.Share)))
			}
			rows = append(rows, []string{ls.ID, ids(ls.MemberIDs), strings.Join(ls.Districts, " "), strings.Join(ls.Lands, " "),
				num(ls.NetHa), num(ls.AvailableNetHa), num(ls.GrossHa), num(ls.LargestPartHa), ls.BestPlanningStatus,
				strings.Join(cs, " "), ids(ls.SiteIDs)})
		}
		return rows
	case "strategic_reserves":
		rows := [][]string{{"site_id", "name", "district_ags", "district_name", "gross_ha", "parcels", "net_ha", "offered_net_ha", "best_planning_status"}}
		for _, sr := range res.LargeSites.StrategicReserves {
			rows = append(rows, []string{strconv.FormatInt(sr.SiteID, 10), sr.Name, sr.DistrictAGS, sr.DistrictName, num(sr.GrossHa),
				strconv.Itoa(sr.Parcels), num(sr.NetHa), num(sr.OfferedNetHa), sr.BestPlanningStatus})
		}
		return rows
	}
	return searchRows(res.Search)
}

func supplyRows(s study.Supply) [][]string {
	head := []string{}
	for _, g := range s.GroupBy {
		head = append(head, g, g+"_label")
	}
	head = append(head, "parcels", "gross_ha", "net_ha", "reserve_parcels", "reserve_net_ha", "sites", "sites_gross_ha",
		"sites_at_least_min", "sites_at_least_min_gross_ha")
	var shares []string
	for name := range s.Total.Shares {
		shares = append(shares, name)
	}
	slices.Sort(shares)
	for _, name := range shares {
		head = append(head, name+"_net_ha", name+"_share")
	}
	head = append(head, "parcels_filter")
	rows := [][]string{head}
	for _, g := range append(slices.Clone(s.Groups), s.Total) {
		var row []string
		for _, name := range s.GroupBy {
			if g.Key == nil {
				row = append(row, "", "Gesamt")
				continue
			}
			row = append(row, g.Key[name], g.Label[name].DE)
		}
		row = append(row, strconv.Itoa(g.Parcels), num(g.GrossHa), num(g.NetHa), strconv.Itoa(g.Reserve.Parcels), num(g.Reserve.NetHa),
			strconv.Itoa(g.Sites.Count), num(g.Sites.GrossHa), strconv.Itoa(g.AtLeastMin.Count), num(g.AtLeastMin.GrossHa))
		for _, name := range shares {
			row = append(row, num(g.Shares[name].NetHa), num(g.Shares[name].Share))
		}
		rows = append(rows, append(row, g.ParcelsFilter))
	}
	return rows
}

func searchRows(res *study.SearchResult) [][]string {
	rows := [][]string{{"kind", "rank", "parcel_id", "member_ids", "name", "district_ags", "net_ha", "score", "reasons", "explanation_de", "explanation_en"}}
	if res == nil {
		return rows
	}
	add := func(kind string, p *study.Page) {
		if p == nil {
			return
		}
		for _, o := range p.Items {
			var reasons []string
			for _, r := range o.Reasons {
				reasons = append(reasons, r.Code)
			}
			id := ""
			if o.ParcelID != 0 {
				id = strconv.FormatInt(o.ParcelID, 10)
			}
			rows = append(rows, []string{kind, strconv.Itoa(o.Rank), id, ids(o.Members), o.Name, strings.Join(o.Districts, " "),
				num(o.NetHa), num(o.Total), strings.Join(reasons, " "), o.Explanation.DE, o.Explanation.EN})
		}
	}
	add("parcel", &res.Parcels)
	add("large_site", res.LargeSites)
	add("excluded", &res.Excluded)
	return rows
}

// parcelColumns are the columns of a run's parcels table: the public export fields of the
// registry, so that the table is the same for every audience.
var parcelColumns = func() []string {
	var names []string
	for _, f := range parcel.ParcelFields() {
		if f.Export && !f.Internal {
			names = append(names, f.Name)
		}
	}
	return names
}()

func parcelRows(ctx context.Context, st studystore.Store, run study.Run) ([][]string, error) {
	sel, err := st.RunSelection(ctx, run)
	if err != nil {
		return nil, err
	}
	rows := [][]string{parcelColumns}
	err = st.WriteParcels(ctx, sel, func(feature []byte) error {
		var f struct {
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal(feature, &f); err != nil {
			return err
		}
		row := make([]string, len(parcelColumns))
		for i, c := range parcelColumns {
			switch v := f.Properties[c].(type) {
			case nil:
			case float64:
				row[i] = num(v)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		rows = append(rows, row)
		return nil
	})
	return rows, err
}

// RunParcels answers GET /api/v1/study/runs/{id}/parcels.geojson: the parcels behind a run's
// figures in their state at its as_of, streamed.
func (s *Service) RunParcels() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/geo+json")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="landatlas-run-%d-parcels.geojson"`, run.ID))
		bw := bufio.NewWriter(w)
		err = s.store.Snapshot(r.Context(), func(st studystore.Store) error {
			sel, err := st.RunSelection(r.Context(), run)
			if err != nil {
				return err
			}
			return writeParcels(r.Context(), st, bw, sel)
		})
		if err != nil {
			return fmt.Errorf("stream parcels of run %d: %w", run.ID, err) // cut short once bytes are out
		}
		return bw.Flush()
	})
}

func writeParcels(ctx context.Context, st studystore.Store, w io.Writer, sel studystore.Selection) error {
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	first := true
	err := st.WriteParcels(ctx, sel, func(feature []byte) error {
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		first = false
		_, err := w.Write(feature)
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "]}\n")
	return err
}

// largeSitesGeoJSON is a run's large sites as a FeatureCollection.
func largeSitesGeoJSON(run study.Run) ([]byte, error) {
	type feature struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, ls := range run.Results.LargeSites.Sites {
		props := map[string]any{
			"id": ls.ID, "member_ids": ids(ls.MemberIDs), "district_ags": strings.Join(ls.Districts, " "),
			"district_names": strings.Join(ls.DistrictNames, ", "), "lands": strings.Join(ls.Lands, ", "),
			"crosses_lands": ls.CrossesLands, "net_ha": ls.NetHa, "available_net_ha": ls.AvailableNetHa, "gross_ha": ls.GrossHa,
			"largest_contiguous_ha": ls.LargestPartHa, "best_planning_status": ls.BestPlanningStatus,
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", ID: ls.ID, Geometry: ls.Geometry, Properties: props})
	}
	return json.Marshal(fc)
}

// RunLargeSites answers GET /api/v1/study/runs/{id}/large-sites.geojson from the stored figures.
func (s *Service) RunLargeSites() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		body, err := largeSitesGeoJSON(run)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/geo+json")
		_, _ = w.Write(body)
		return nil
	})
}

// RunGeoPackage answers GET /api/v1/study/runs/{id}/export.gpkg: the run's parcels and large
// sites as a GeoPackage in EPSG:25832, made by ogr2ogr from the GeoJSON exports in a temporary
// directory that is removed once the file is served.
func (s *Service) RunGeoPackage() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		dir, err := os.MkdirTemp("", "landatlas-run-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		gpkg, err := s.geoPackage(r.Context(), run, dir)
		if err != nil {
			return err
		}
		f, err := os.Open(gpkg)
		if err != nil {
			return err
		}
		defer f.Close()
		w.Header().Set("Content-Type", "application/geopackage+sqlite3")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="landatlas-run-%d.gpkg"`, run.ID))
		http.ServeContent(w, r, "", run.CreatedAt, f)
		return nil
	})
}

func (s *Service) geoPackage(ctx context.Context, run study.Run, dir string) (string, error) {
	parcels := filepath.Join(dir, "parcels.geojson")
	f, err := os.Create(parcels)
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriter(f)
	err = s.store.Snapshot(ctx, func(st studystore.Store) error {
		sel, err := st.RunSelection(ctx, run)
		if err != nil {
			return err
		}
		return writeParcels(ctx, st, bw, sel)
	})
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("geopackage: %w", err)
	}
	out := filepath.Join(dir, fmt.Sprintf("run-%d.gpkg", run.ID))
	if err := ogr2ogr(ctx, "-f", "GPKG", "-t_srs", "EPSG:25832", "-nln", "parcels", out, parcels); err != nil {
		return "", err
	}
	if len(run.Results.LargeSites.Sites) > 0 {
		body, err := largeSitesGeoJSON(run)
		if err != nil {
			return "", err
		}
		sites := filepath.Join(dir, "large_sites.geojson")
		if err := os.WriteFile(sites, body, 0o600); err != nil {
			return "", err
		}
		if err := ogr2ogr(ctx, "-f", "GPKG", "-update", "-t_srs", "EPSG:25832", "-nln", "large_sites", out, sites); err != nil {
			return "", err
		}
	}
	return out, nil
}

func ogr2ogr(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ogr2ogr", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ogr2ogr %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}
