package studyapi

import (
	"cmp"
	"net/http"
	"slices"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// qualitySorts are the orders of the parcel list: worst completeness first, oldest confirmation
// first (never confirmed before any date), and their reverses.
var qualitySorts = []string{"completeness", "-completeness", "last_confirmed", "-last_confirmed"}

// Quality answers GET /api/v1/study/quality: the freshness and completeness of the selection's
// parcels per district and for the whole selection, and a page of the parcels with their missing
// fields, sorted (sort=completeness, last_confirmed, or reversed with "-"). fresh_months defaults
// to the setting.
func (s *Service) Quality() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "fresh_months", "sort", "limit", "offset")
		if err != nil {
			return err
		}
		sort := cmp.Or(req.values.Get("sort"), "completeness")
		if !slices.Contains(qualitySorts, sort) {
			return apperr.New(apperr.Invalid, "sort: %q: use completeness, last_confirmed, or either with a leading - for the reverse", sort)
		}
		limit, offset, err := page(req.values, 100, 10000)
		if err != nil {
			return err
		}
		return s.respond(w, r, req, "quality", func(st studystore.Store) (any, error) {
			months, err := st.FreshMonths(r.Context())
			if err != nil {
				return nil, err
			}
			if months, err = httpx.Integer(req.values, "fresh_months", months, 1, 120); err != nil {
				return nil, err
			}
			report, parcels, err := st.Quality(r.Context(), req.sel, months)
			if err != nil {
				return nil, err
			}
			sortQuality(parcels, sort)
			pageOf := parcels[min(offset, len(parcels)):min(offset+limit, len(parcels))]
			return map[string]any{
				"fresh_months": report.FreshMonths, "fields": report.Fields, "total": report.Total, "districts": report.Districts,
				"parcels": map[string]any{"total": len(parcels), "limit": limit, "offset": offset, "items": append([]study.ParcelQuality{}, pageOf...)},
			}, nil
		})
	})
}

func sortQuality(p []study.ParcelQuality, sort string) {
	confirmed := func(x study.ParcelQuality) string {
		if x.LastConfirmed == nil {
			return ""
		}
		return *x.LastConfirmed
	}
	slices.SortStableFunc(p, func(a, b study.ParcelQuality) int {
		switch sort {
		case "-completeness":
			return cmp.Or(cmp.Compare(b.Completeness, a.Completeness), cmp.Compare(a.ID, b.ID))
		case "last_confirmed":
			return cmp.Or(cmp.Compare(confirmed(a), confirmed(b)), cmp.Compare(a.ID, b.ID))
		case "-last_confirmed":
			return cmp.Or(cmp.Compare(confirmed(b), confirmed(a)), cmp.Compare(a.ID, b.ID))
		}
		return cmp.Or(cmp.Compare(a.Completeness, b.Completeness), cmp.Compare(a.ID, b.ID))
	})
}

// Settings answers GET /api/v1/monitoring/settings (signed-in accounts): how recent a confirmation
// must be to count as fresh, and from what age parcels are hidden from the public.
func (s *Service) Settings() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := signedIn(r); err != nil {
			return err
		}
		m, err := s.store.Settings(r.Context())
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, m)
	})
}

// SetSettings answers PUT /api/v1/monitoring/settings (admins): {fresh_months, public_max_age_months}.
func (s *Service) SetSettings() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r)
		if err != nil {
			return err
		}
		if p.Role != auth.Admin {
			return apperr.New(apperr.Forbidden, "the monitoring settings are changed by admins, not by %s accounts", p.Role)
		}
		var in study.MonitoringSettings
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
		m, err := s.store.SetSettings(r.Context(), in, p.AccountID)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, m)
	})
}
