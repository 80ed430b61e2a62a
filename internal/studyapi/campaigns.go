package studyapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/study"
)

// Campaigns (domain.md "Monitoring practice"): an admin opens one for a reference date and a
// deadline; each district's editors see their task and confirm or update their parcels; the
// coordinator (planners and admins) follows the progress, exports the reminders and closes it,
// which freezes the official state as a study run. Everything here is for signed-in readers.

// signedIn refuses the public.
func signedIn(r *http.Request) (*auth.Principal, error) {
	p := auth.FromContext(r.Context())
	if p == nil {
		return nil, apperr.New(apperr.Unauthorized, "campaigns are for signed-in accounts: sign in with a bearer token")
	}
	return p, nil
}

// coordinator refuses all but planners and admins.
func coordinator(r *http.Request, what string) (*auth.Principal, error) {
	p, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if p.Role != auth.Planner && p.Role != auth.Admin {
		return nil, apperr.New(apperr.Forbidden, "%s: for the region's coordinators (planners and admins), not %s accounts", what, p.Role)
	}
	return p, nil
}

func campaignID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "campaign %q: not found", chi.URLParam(r, "id"))
	}
	return id, nil
}

// forReader narrows a campaign to what an editor sees: the progress of their own district.
func forReader(c study.Campaign, p *auth.Principal) study.Campaign {
	if p.Role != auth.Editor {
		return c
	}
	var own []study.Progress
	for _, d := range c.Progress.Districts {
		if d.DistrictAGS == p.DistrictAGS {
			own = append(own, d)
		}
	}
	c.Progress.Districts = own
	return c
}

// OpenCampaign answers POST /api/v1/campaigns (admins): {title, reference_date, deadline}.
func (s *Service) OpenCampaign() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r)
		if err != nil {
			return err
		}
		if p.Role != auth.Admin {
			return apperr.New(apperr.Forbidden, "campaigns are opened by admins, not by %s accounts", p.Role)
		}
		var in study.CampaignInput
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
		c, err := s.store.OpenCampaign(r.Context(), in, p.AccountID)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/campaigns/"+strconv.FormatInt(c.ID, 10))
		return problem.JSON(w, "application/json", http.StatusCreated, c)
	})
}

// Campaigns answers GET /api/v1/campaigns: every campaign with its dates, progress and, once
// closed, its official figures; editors see their own district's progress.
func (s *Service) Campaigns() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r)
		if err != nil {
			return err
		}
		if err := httpx.CheckParams(r.URL.Query(), nil, nil, ""); err != nil {
			return err
		}
		list, err := s.store.Campaigns(r.Context())
		if err != nil {
			return err
		}
		for i := range list {
			list[i] = forReader(list[i], p)
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"campaigns": list})
	})
}

// Campaign answers GET /api/v1/campaigns/{id}.
func (s *Service) Campaign() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r)
		if err != nil {
			return err
		}
		id, err := campaignID(r)
		if err != nil {
			return err
		}
		if err := httpx.CheckParams(r.URL.Query(), nil, nil, ""); err != nil {
			return err
		}
		c, err := s.store.Campaign(r.Context(), id)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, forReader(c, p))
	})
}

// districtParam reads {ags} and refuses an editor of another district.
func districtParam(r *http.Request, p *auth.Principal) (string, error) {
	ags := chi.URLParam(r, "ags")
	if _, ok := region.DistrictByAGS(ags); !ok {
		return "", apperr.New(apperr.NotFound, "district %q: not one of the nine districts (5-digit AGS such as 15088)", ags)
	}
	if p.Role == auth.Editor && p.DistrictAGS != ags {
		return "", apperr.New(apperr.Forbidden, "district %s: an editor sees the task of their own district (%s) only", ags, p.DistrictAGS)
	}
	return ags, nil
}

// CampaignParcels answers GET /api/v1/campaigns/{id}/districts/{ags}/parcels?state=open: a
// district's task, its parcels with their state, paged.
func (s *Service) CampaignParcels() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r)
		if err != nil {
			return err
		}
		id, err := campaignID(r)
		if err != nil {
			return err
		}
		ags, err := districtParam(r, p)
		if err != nil {
			return err
		}
		limit, offset, err := page(r.URL.Query(), 100, 10000)
		if err != nil {
			return err
		}
		items, total, err := s.store.CampaignParcels(r.Context(), id, ags, r.URL.Query().Get("state"), limit, offset)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"total": total, "limit": limit, "offset": offset, "parcels": items})
	})
}

// CloseCampaign answers POST /api/v1/campaigns/{id}/close (coordinators): it freezes the
// official state, districts still open included.
func (s *Service) CloseCampaign() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := coordinator(r, "closing a campaign")
		if err != nil {
			return err
		}
		id, err := campaignID(r)
		if err != nil {
			return err
		}
		c, err := s.store.CloseCampaign(r.Context(), id, p.AccountID)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, c)
	})
}

// reminderSheet lists the districts with parcels still open, whom to remind and of what.
func reminderSheet(c study.Campaign) sheet {
	sh := sheet{Name: "reminders", Title: "Erinnerungen", Cols: []column{
		{Key: "district_ags", DE: "Kreis (AGS)"}, {Key: "name", DE: "Kreis"}, {Key: "editors", DE: "Bearbeiter"},
		{Key: "open", DE: "offen"}, {Key: "confirmed", DE: "bestätigt"}, {Key: "changed", DE: "geändert"},
		{Key: "parcels", DE: "Flächen"}, {Key: "done", DE: "erledigt (Anteil)"}, {Key: "reference_date", DE: "Stichtag"},
		{Key: "deadline", DE: "Rückmeldung bis"},
	}}
	for _, d := range c.Progress.OpenDistricts() {
		editors := ""
		for i, e := range d.Editors {
			if i > 0 {
				editors += ", "
			}
			editors += e
		}
		sh.Rows = append(sh.Rows, []any{d.DistrictAGS, d.Name, editors, d.Open, d.Confirmed, d.Changed, d.Parcels, d.Done,
			c.ReferenceDate, c.Deadline})
	}
	return sh
}

// reminders answers GET /api/v1/campaigns/{id}/reminders.csv and .xlsx (coordinators): the
// districts still open with their editors, to send reminders from (there is no notification
// outbox yet).
func (s *Service) reminders(ext tableFormat) http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := coordinator(r, "reminders"); err != nil {
			return err
		}
		id, err := campaignID(r)
		if err != nil {
			return err
		}
		f, err := parseFormat(r.URL.Query().Get("format"), ext)
		if err == nil && (ext == formatXLSX) != (f == formatXLSX) {
			err = apperr.New(apperr.Invalid, "format: %s does not fit the address's extension", f)
		}
		if err != nil {
			return err
		}
		c, err := s.store.Campaign(r.Context(), id)
		if err != nil {
			return err
		}
		return s.serveSheets(w, "landatlas-campaign-"+strconv.FormatInt(id, 10)+"-reminders", f, reminderSheet(c))
	})
}

// RemindersCSV answers GET /api/v1/campaigns/{id}/reminders.csv: the districts still open with
// their editors, to send reminders from (format=csv-excel for German Excel).
func (s *Service) RemindersCSV() http.HandlerFunc { return s.reminders(formatCSV) }

// RemindersXLSX answers GET /api/v1/campaigns/{id}/reminders.xlsx: the same as a workbook.
func (s *Service) RemindersXLSX() http.HandlerFunc { return s.reminders(formatXLSX) }

// decodeJSON reads a small JSON body into v, refusing unknown fields.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", maxBody)
		}
		return apperr.New(apperr.Invalid, "read the request body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "request body: %v", err)
	}
	return nil
}

// SendReminders answers POST /api/v1/campaigns/{id}/reminders (coordinators): a reminder in the
// outbox for each district with parcels still open, answered with the districts reminded.
func (s *Service) SendReminders() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := coordinator(r, "sending reminders"); err != nil {
			return err
		}
		id, err := campaignID(r)
		if err != nil {
			return err
		}
		sent, err := s.store.SendReminders(r.Context(), id)
		if err != nil {
			return err
		}
		if sent == nil {
			sent = []study.Progress{}
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"reminded": sent})
	})
}
