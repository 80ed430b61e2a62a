package studyapi

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// The monitoring report (Gewerbeflächenmonitoring) and the comparison of two dates or runs: the
// fixed indicator set (study.BuildIndicators) for the region and each district at a reference
// date, each beside its value at the previous reference date and the change.

var runRef = regexp.MustCompile(`^(?:run:)?([0-9]{1,12})$`)

// reference reads a date (YYYY-MM-DD or RFC 3339) or a stored run ("run:12" or "12": its as_of).
func (s *Service) reference(r *http.Request, name, value string, def time.Time) (time.Time, error) {
	if value == "" {
		return def, nil
	}
	if m := runRef.FindStringSubmatch(value); m != nil {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		run, err := s.store.Run(r.Context(), id, auth.FromContext(r.Context()).SeesInternal())
		if err != nil {
			return time.Time{}, apperr.New(apperr.NotFound, "%s: run %d: not found (give a date YYYY-MM-DD or a run id)", name, id)
		}
		return run.AsOf, nil
	}
	t, err := study.ParseAsOf(value, s.now())
	if err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, "%s: %q: give a date YYYY-MM-DD, an RFC 3339 time or a run id (run:12)", name, value)
	}
	return t, nil
}

// monitoringDates reads the reference date and the previous one: as_of (default today) or a
// closed campaign (campaign=ID, its official state), previous (default one year earlier).
func (s *Service) monitoringDates(r *http.Request, v url.Values, toName, fromName string) (to, from time.Time, official *study.Official, err error) {
	now := s.now()
	if c := v.Get("campaign"); c != "" {
		id, perr := strconv.ParseInt(c, 10, 64)
		if perr != nil || auth.FromContext(r.Context()) == nil {
			return to, from, nil, apperr.New(apperr.NotFound, "campaign %q: not found (campaigns are for signed-in readers)", c)
		}
		camp, cerr := s.store.Campaign(r.Context(), id)
		if cerr != nil {
			return to, from, nil, cerr
		}
		if camp.RunID == nil {
			return to, from, nil, apperr.New(apperr.Conflict, "campaign %d is still open: its official state is frozen when it closes", id)
		}
		if official, err = s.store.OfficialOf(r.Context(), *camp.RunID); err != nil {
			return to, from, nil, err
		}
		to = camp.Figures.AsOf
	} else if to, err = s.reference(r, toName, v.Get(toName), now); err != nil {
		return to, from, nil, err
	}
	if from, err = s.reference(r, fromName, v.Get(fromName), to.AddDate(-1, 0, 0)); err != nil {
		return to, from, nil, err
	}
	if !from.Before(to) {
		return to, from, nil, apperr.New(apperr.Invalid, "%s: %s is not before %s", fromName, from.In(study.Berlin).Format(time.DateOnly), to.In(study.Berlin).Format(time.DateOnly))
	}
	return to, from, official, nil
}

// comparison is the indicators at two dates side by side, and the parcels behind the changes.
type comparison struct {
	From        time.Time            `json:"from"`
	To          time.Time            `json:"to"`
	DataVersion map[string]int64     `json:"data_version"`
	Official    *study.Official      `json:"official,omitempty"`
	Units       []study.UnitChanges  `json:"units"`
	Changes     []study.ParcelChange `json:"changes"`
	// Restrictions says how restrictions are compared.
	Restrictions study.Text `json:"restrictions"`
	sites        []study.LargeSite
}

var restrictionsNote = study.Text{
	DE: "Hinzugekommene und entfallene Restriktionen zählen, seit landatlas die Restriktionen mit Historie führt; die Anteile mit Restriktion rechnen an beiden Tagen mit den heutigen Restriktionsebenen.",
	EN: "Restrictions added and removed count since landatlas keeps the restrictions' history; the restricted shares use today's constraint layers on both dates.",
}

// compare computes the comparison on one snapshot.
func (s *Service) compare(r *http.Request, from, to time.Time) (comparison, error) {
	internal := auth.FromContext(r.Context()).SeesInternal()
	c := comparison{From: from, To: to, Restrictions: restrictionsNote}
	err := s.store.Snapshot(r.Context(), func(st studystore.Store) error {
		// The two dates and the changed parcels are independent: they run side by side.
		var a, b study.IndicatorSet
		err := st.Parallel(r.Context(),
			func(st studystore.Store) (err error) {
				a, err = st.Indicators(r.Context(), studystore.Selection{Internal: internal, AsOf: from})
				return err
			},
			func(st studystore.Store) (err error) {
				b, err = st.Indicators(r.Context(), studystore.Selection{Internal: internal, AsOf: to})
				return err
			},
			func(st studystore.Store) (err error) {
				c.Changes, err = st.ParcelChanges(r.Context(), internal, from, to)
				return err
			})
		if err != nil {
			return err
		}
		c.Units, c.sites, c.DataVersion = study.CompareIndicators(a, b), b.Sites, b.DataVersion
		for i, ch := range c.Changes {
			at := to
			if ch.Kind == "ended" {
				at = from
			}
			if len(ch.IDs) > 0 && len(ch.IDs) <= 2000 {
				c.Changes[i].ParcelsHref = parcelsHref("id IN ("+ids(ch.IDs)+")", "", at.Format(time.RFC3339Nano))
			}
		}
		return nil
	})
	return c, err
}

// Compare answers GET /api/v1/study/compare?from=DATE|run&to=DATE|run: each indicator of the set
// for the region and each district at both, with the change, and the parcels behind the changes
// (new, ended, sold, status or availability changed).
func (s *Service) Compare() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		v := r.URL.Query()
		for name := range v {
			if name != "from" && name != "to" {
				return apperr.New(apperr.Invalid, "%s: unknown parameter; compare takes from and to (a date or a run)", name)
			}
		}
		if v.Get("from") == "" {
			return apperr.New(apperr.Invalid, "from: give the earlier date (YYYY-MM-DD) or run (run:12)")
		}
		to, from, _, err := s.monitoringDates(r, v, "to", "from")
		if err != nil {
			return err
		}
		c, err := s.compare(r, from, to)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"compare": c})
	})
}

// Monitoring answers GET /api/v1/study/monitoring: the indicator set at a reference date (as_of,
// or campaign=ID for a closed campaign's official state) beside the previous one (previous,
// default a year earlier), for the region and each district.
func (s *Service) Monitoring() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.monitoring(r)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"monitoring": c})
	})
}

func (s *Service) monitoring(r *http.Request) (comparison, error) {
	v := r.URL.Query()
	for name := range v {
		switch name {
		case "as_of", "previous", "campaign", "district", "format":
		default:
			return comparison{}, apperr.New(apperr.Invalid, "%s: unknown parameter; the monitoring takes as_of or campaign, previous, district", name)
		}
	}
	to, from, official, err := s.monitoringDates(r, v, "as_of", "previous")
	if err != nil {
		return comparison{}, err
	}
	c, err := s.compare(r, from, to)
	c.Official = official
	if err == nil && v.Get("district") != "" {
		var keep []study.UnitChanges
		for _, u := range c.Units {
			if u.DistrictAGS == v.Get("district") {
				keep = append(keep, u)
			}
		}
		if keep == nil {
			return c, apperr.New(apperr.Invalid, "district: %q is not one of the nine districts (5-digit AGS such as 15088)", v.Get("district"))
		}
		c.Units = keep
	}
	return c, err
}

// monitoringTable answers GET /api/v1/study/monitoring/indicators.csv and .xlsx: the report's
// data, one row per unit and indicator.
func (s *Service) monitoringTable(ext tableFormat) http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		f, err := parseFormat(r.URL.Query().Get("format"), ext)
		if err == nil && (ext == formatXLSX) != (f == formatXLSX) {
			err = apperr.New(apperr.Invalid, "format: %s does not fit the address's extension", f)
		}
		if err != nil {
			return err
		}
		c, err := s.monitoring(r)
		if err != nil {
			return err
		}
		sh := sheet{Name: "indicators", Title: "Monitoring", Cols: []column{
			{Key: "district_ags", DE: "Kreis (AGS)"}, {Key: "unit", DE: "Gebiet"}, {Key: "indicator", DE: "Kennzahl", Coded: true},
			{Key: "unit_of_measure", DE: "Einheit"}, {Key: "previous", DE: "Vorjahr " + c.From.In(study.Berlin).Format("02.01.2006")},
			{Key: "value", DE: "Stichtag " + c.To.In(study.Berlin).Format("02.01.2006")}, {Key: "change", DE: "Veränderung"},
		}}
		for _, u := range c.Units {
			for _, i := range u.Indicators {
				sh.Rows = append(sh.Rows, []any{u.DistrictAGS, u.Name, coded{i.Key, i.Label.DE}, i.Unit, i.From, i.To, i.Change})
			}
		}
		sheets := []sheet{sh, changesSheet(c.Changes)}
		return s.serveSheets(w, "landatlas-monitoring-"+c.To.In(study.Berlin).Format(time.DateOnly), f, sheets...)
	})
}

func changesSheet(changes []study.ParcelChange) sheet {
	sh := sheet{Name: "changes", Title: "Veränderungen", Cols: []column{
		{Key: "kind", DE: "Art", Coded: true}, {Key: "parcels", DE: "Flächen"}, {Key: "net_ha", DE: "netto ha"}, {Key: "ids", DE: "Flächen-IDs"},
	}}
	for _, c := range changes {
		sh.Rows = append(sh.Rows, []any{coded{c.Kind, c.Label.DE}, c.Parcels, c.NetHa, ids(c.IDs)})
	}
	return sh
}

// MonitoringCSV answers GET /api/v1/study/monitoring/indicators.csv (format=csv-excel for German Excel).
func (s *Service) MonitoringCSV() http.HandlerFunc { return s.monitoringTable(formatCSV) }

// MonitoringXLSX answers the report's data as a workbook (indicators and changes).
func (s *Service) MonitoringXLSX() http.HandlerFunc { return s.monitoringTable(formatXLSX) }
