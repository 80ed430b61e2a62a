package studyapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// liveTables are the dashboard's tables that export as CSV and XLSX for any scope and date.
var liveTables = []string{"supply", "take_up", "reach", "balance", "large_sites", "quality"}

// Table answers GET /api/v1/study/tables/{table}.csv: a figure of the dashboard, computed now
// for the request's scope, filter and as_of, as CSV (format=csv-excel for German Excel).
func (s *Service) Table() http.HandlerFunc { return s.table(formatCSV) }

// TableXLSX answers GET /api/v1/study/tables/{table}.xlsx: the same as an XLSX workbook.
func (s *Service) TableXLSX() http.HandlerFunc { return s.table(formatXLSX) }

func (s *Service) table(ext tableFormat) http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		table := chi.URLParam(r, "table")
		if !slices.Contains(liveTables, table) {
			return apperr.New(apperr.NotFound, "table %q: the tables are %s", table, strings.Join(liveTables, ", "))
		}
		req, err := s.parse(r, "format", "group_by", "min_site_ha", "motorway_km", "from_year", "to_year", "target_year", "margin",
			"employment", "demand", "distance_m", "min_net_ha")
		if err != nil {
			return err
		}
		f, err := parseFormat(req.values.Get("format"), ext)
		if err == nil && (ext == formatXLSX) != (f == formatXLSX) {
			err = apperr.New(apperr.Invalid, "format: %s does not fit the address's extension; use %s.csv?format=csv-excel or %s.xlsx", f, table, table)
		}
		if err != nil {
			return err
		}
		compute, err := s.liveSheet(r, req, table)
		if err != nil {
			return err
		}
		var sh sheet
		err = s.store.Snapshot(r.Context(), func(st studystore.Store) error {
			sh, err = compute(r, st)
			return err
		})
		if err != nil {
			return err
		}
		return s.serveSheets(w, "landatlas-"+table, f, sh)
	})
}

// liveSheet checks a table's parameters and returns how to compute it on a snapshot.
func (s *Service) liveSheet(r *http.Request, req request, table string) (func(*http.Request, studystore.Store) (sheet, error), error) {
	switch table {
	case "supply":
		sr, err := supplyRequest(req)
		if err != nil {
			return nil, err
		}
		return func(r *http.Request, st studystore.Store) (sheet, error) {
			sup, err := st.Supply(r.Context(), sr)
			return supplySheet(sup), err
		}, nil
	case "large_sites":
		opt := study.LargeSiteOptions{}
		var err error
		if opt.DistanceM, err = httpx.Number(req.values, "distance_m", study.DefaultClusterDistanceM, 0, 1000); err != nil {
			return nil, err
		}
		if opt.MinNetHa, err = httpx.Number(req.values, "min_net_ha", study.DefaultLargeSiteMinHa, 0.01, 10000); err != nil {
			return nil, err
		}
		return func(r *http.Request, st studystore.Store) (sheet, error) {
			ls, err := st.LargeSites(r.Context(), req.sel, opt)
			return largeSitesSheet(ls), err
		}, nil
	}
	if table == "quality" {
		return func(r *http.Request, st studystore.Store) (sheet, error) {
			months, err := st.FreshMonths(r.Context())
			if err != nil {
				return sheet{}, err
			}
			report, _, err := st.Quality(r.Context(), req.sel, months)
			return qualitySheet(report), err
		}, nil
	}
	window, err := s.window(req)
	if err != nil {
		return nil, err
	}
	var in study.DemandInputs
	var enquiries *study.EnquiryDemand
	if table == "balance" {
		if in, enquiries, err = s.balanceInputs(r, req); err != nil {
			return nil, err
		}
	}
	return func(r *http.Request, st studystore.Store) (sheet, error) {
		tu, err := st.TakeUp(r.Context(), req.sel, window)
		switch table {
		case "take_up":
			return takeUpSheet(tu), err
		case "reach":
			return reachSheet(tu), err
		}
		b := study.BuildBalance(tu, in)
		if enquiries != nil {
			b.AddEnquiries(*enquiries)
		}
		return balanceSheet(b), err
	}, nil
}
