package studyapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// CreateRun answers POST /api/v1/study/runs (planners and admins): it computes supply, take-up and
// reach, demand and balance, large sites and optionally a site search on one snapshot of the
// data, stores parameters, data version, figures and parcel ids, and answers with the run.
func (s *Service) CreateRun() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p := auth.FromContext(r.Context())
		switch {
		case p == nil:
			return apperr.New(apperr.Unauthorized, "study runs are created by planners and admins: sign in with a bearer token")
		case p.Role != auth.Planner && p.Role != auth.Admin:
			return apperr.New(apperr.Forbidden, "study runs are created by planners and admins, not by %s accounts", p.Role)
		}
		in, err := decodeRun(w, r)
		if err != nil {
			return err
		}
		in.AccountID = p.AccountID
		if in.Params.Demand.Enquiries {
			d, err := s.enquiries.Demand(r.Context(), enquiryDistricts(in.Params.Scope))
			if err != nil {
				return err
			}
			in.Enquiries = &d
		}
		run, err := s.store.CreateRun(r.Context(), in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", runHref(run.ID, ""))
		return problem.JSON(w, "application/json", http.StatusCreated, s.runAnswer(run, run.DataVersion))
	})
}

// decodeRun reads the parameters of a run over the study's defaults.
func decodeRun(w http.ResponseWriter, r *http.Request) (studystore.RunInput, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return studystore.RunInput{}, apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", maxBody)
		}
		return studystore.RunInput{}, apperr.New(apperr.Invalid, "read the request body: %v", err)
	}
	params := study.DefaultRunParams()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&params); err != nil {
		return studystore.RunInput{}, apperr.New(apperr.Invalid, "study run: %v", err)
	}
	if err := params.Check(); err != nil {
		return studystore.RunInput{}, err
	}
	in := studystore.RunInput{Params: params}
	if len(params.Search) > 0 && string(params.Search) != "null" {
		search, err := parseSearch(params.Search)
		if err != nil {
			return studystore.RunInput{}, err
		}
		if err := search.Check(); err != nil {
			return studystore.RunInput{}, err
		}
		in.Search = &search
	}
	return in, nil
}

// runAnswer is a run with the links to its exports and whether the data changed since.
type runAnswer struct {
	study.Run
	// CurrentDataVersion is the data version now; DataChanged says whether it moved since the
	// run, which then still shows its own figures.
	CurrentDataVersion map[string]int64 `json:"current_data_version"`
	DataChanged        bool             `json:"data_changed"`
	// Official says the run is a closed campaign's official state (amtlicher Stand).
	Official *study.Official `json:"official,omitempty"`
	Links    []runLink       `json:"links"`
}

type runLink struct {
	Rel   string `json:"rel"`
	Type  string `json:"type"`
	Title string `json:"title"`
	Href  string `json:"href"`
}

func (s *Service) runAnswer(run study.Run, current map[string]int64) runAnswer {
	a := runAnswer{Run: run, CurrentDataVersion: current, DataChanged: !maps.Equal(run.DataVersion, current)}
	a.Links = append(a.Links,
		runLink{"self", "application/json", "this run", runHref(run.ID, "")},
		runLink{"alternate", "text/html", "printable report", runHref(run.ID, "/report.html")},
		runLink{"enclosure", "application/geo+json", "parcels behind the figures", runHref(run.ID, "/parcels.geojson")},
		runLink{"enclosure", "application/geo+json", "large sites", runHref(run.ID, "/large-sites.geojson")},
		runLink{"enclosure", "application/geopackage+sqlite3", "GeoPackage (parcels, large sites)", runHref(run.ID, "/export.gpkg")})
	a.Links = append(a.Links, runLink{"enclosure", xlsxType, "all tables (XLSX)", runHref(run.ID, "/tables.xlsx")})
	for _, t := range tablesOf(run) {
		a.Links = append(a.Links, runLink{"enclosure", "text/csv", "table " + t, runHref(run.ID, "/tables/"+t+".csv")},
			runLink{"enclosure", xlsxType, "table " + t + " (XLSX)", runHref(run.ID, "/tables/"+t+".xlsx")})
	}
	return a
}

func runHref(id int64, suffix string) string {
	return "/api/v1/study/runs/" + strconv.FormatInt(id, 10) + suffix
}

// Run answers GET /api/v1/study/runs/{id}: the stored run, the same figures whatever changed
// since. The public reads public runs only.
func (s *Service) Run() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		run, err := s.loadRun(r)
		if err != nil {
			return err
		}
		current, err := s.store.DataVersion(r.Context(), run.Audience == "internal")
		if err != nil {
			return err
		}
		answer := s.runAnswer(run, current)
		if answer.Official, err = s.store.OfficialOf(r.Context(), run.ID); err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, answer)
	})
}

func (s *Service) loadRun(r *http.Request) (study.Run, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return study.Run{}, apperr.New(apperr.NotFound, "study run %q: not found", chi.URLParam(r, "id"))
	}
	return s.store.Run(r.Context(), id, auth.FromContext(r.Context()).SeesInternal())
}

// Runs answers GET /api/v1/study/runs: the runs the reader may read, newest first, paged.
func (s *Service) Runs() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		limit, offset, err := page(r.URL.Query(), 20, 200)
		if err != nil {
			return err
		}
		runs, total, err := s.store.Runs(r.Context(), auth.FromContext(r.Context()).SeesInternal(), limit, offset)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{
			"total": total, "limit": limit, "offset": offset, "runs": runs,
		})
	})
}
