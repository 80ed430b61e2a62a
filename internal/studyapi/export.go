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
	"landatlas/internal/parcel"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// runTables are the tables of a run that export as CSV and XLSX.
var runTables = []string{"supply", "take_up", "reach", "balance", "large_sites", "strategic_reserves", "search", "parcels"}

// tablesOf are the tables a run holds: the site search only when the run was saved with one, the
// strategic reserves only for planners' runs that have some; an empty table is not offered.
func tablesOf(run study.Run) []string {
	var out []string
	for _, t := range runTables {
		switch {
		case t == "search" && run.Results.Search == nil:
		case t == "strategic_reserves" && len(run.Results.LargeSites.StrategicReserves) == 0:
		default:
			out = append(out, t)
		}
	}
	return out
}

// RunTable answers GET /api/v1/study/runs/{id}/tables/{table}.csv and .xlsx: one table of a run
// from the stored figures (the parcels table lists the run's parcels in their state at its
// as_of). The CSV is for programs (comma, decimal point, codes) unless format=csv-excel asks for
// German Excel (semicolon, decimal comma, UTF-8 with BOM, German headings, labels beside codes).
func (s *Service) RunTable() http.HandlerFunc { return s.runTable(formatCSV) }

// RunTableXLSX answers GET /api/v1/study/runs/{id}/tables/{table}.xlsx: the table as a workbook.
func (s *Service) RunTableXLSX() http.HandlerFunc { return s.runTable(formatXLSX) }

func (s *Service) runTable(ext tableFormat) http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		table := chi.URLParam(r, "table")
		f, err := parseFormat(r.URL.Query().Get("format"), ext)
		if err != nil {
			return err
		}
		if (ext == formatXLSX) != (f == formatXLSX) {
			return apperr.New(apperr.Invalid, "format: %s does not fit the address's extension; use tables/%s.csv?format=csv-excel or tables/%s.xlsx", f, table, table)
		}
		if !slices.Contains(runTables, table) {
			return apperr.New(apperr.NotFound, "table %q: a run has the tables %s", table, strings.Join(runTables, ", "))
		}
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		if !slices.Contains(tablesOf(run), table) {
			return apperr.New(apperr.NotFound, "table %q: run %d has none (it holds %s); a site search is saved with the run's \"search\" parameter", table, run.ID, strings.Join(tablesOf(run), ", "))
		}
		sh, err := s.runSheet(r.Context(), run, table)
		if err != nil {
			return err
		}
		return s.serveSheets(w, fmt.Sprintf("landatlas-run-%d-%s", run.ID, table), f, sh)
	})
}

// RunWorkbook answers GET /api/v1/study/runs/{id}/tables.xlsx: every table of a run, one sheet each.
func (s *Service) RunWorkbook() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		var sheets []sheet
		for _, t := range tablesOf(run) {
			sh, err := s.runSheet(r.Context(), run, t)
			if err != nil {
				return err
			}
			sheets = append(sheets, sh)
		}
		return s.serveSheets(w, fmt.Sprintf("landatlas-run-%d", run.ID), formatXLSX, sheets...)
	})
}

func (s *Service) runSheet(ctx context.Context, run study.Run, table string) (sheet, error) {
	if table != "parcels" {
		return runSheet(run, table), nil
	}
	var sh sheet
	err := s.store.Snapshot(ctx, func(st studystore.Store) error {
		var err error
		sh, err = parcelSheet(ctx, st, run)
		return err
	})
	return sh, err
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func ids(v []int64) string {
	s := make([]string, len(v))
	for i, id := range v {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, " ")
}

// runSheet is a stored figure of a run as a sheet.
func runSheet(run study.Run, table string) sheet {
	res := run.Results
	switch table {
	case "supply":
		return supplySheet(res.Supply)
	case "take_up":
		return takeUpSheet(res.TakeUp)
	case "reach":
		return reachSheet(res.TakeUp)
	case "balance":
		return balanceSheet(res.Balance)
	case "large_sites":
		return largeSitesSheet(res.LargeSites)
	case "strategic_reserves":
		return strategicSheet(res.LargeSites)
	}
	return searchSheet(res.Search)
}

// parcelColumn is a column of a run's parcels table, with the code list of a coded field.
type parcelColumn struct {
	column
	codes *parcel.CodeList
}

// parcelColumns are the columns of a run's parcels table: the public export fields of the
// registry, so the table is the same for every audience; coded fields get their labels.
var parcelColumns = func() []parcelColumn {
	var out []parcelColumn
	for _, f := range parcel.ParcelFields() {
		if f.Export && !f.Internal {
			out = append(out, parcelColumn{column{Key: f.Name, DE: f.Label.DE, Coded: f.Codes != nil}, f.Codes})
		}
	}
	return out
}()

func parcelSheet(ctx context.Context, st studystore.Store, run study.Run) (sheet, error) {
	sel, err := st.RunSelection(ctx, run)
	if err != nil {
		return sheet{}, err
	}
	sh := sheet{Name: "parcels", Title: "Flächen"}
	for _, c := range parcelColumns {
		sh.Cols = append(sh.Cols, c.column)
	}
	err = st.WriteParcels(ctx, sel, func(feature []byte) error {
		var f struct {
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal(feature, &f); err != nil {
			return err
		}
		row := make([]any, len(parcelColumns))
		for i, c := range parcelColumns {
			v := f.Properties[c.Key]
			switch {
			case v == nil && c.codes != nil:
				row[i] = coded{}
			case v == nil:
				row[i] = ""
			case c.codes != nil:
				row[i] = codeOf(*c.codes, fmt.Sprint(v))
			default:
				if n, ok := v.(float64); ok {
					row[i] = n
				} else {
					row[i] = fmt.Sprint(v)
				}
			}
		}
		sh.Rows = append(sh.Rows, row)
		return nil
	})
	return sh, err
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
			// The header is out: a failure can only cut the document short, and the log says why.
			s.log.ErrorContext(r.Context(), "stream run parcels", "run", run.ID, "err", err)
			return nil
		}
		_ = bw.Flush()
		return nil
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
