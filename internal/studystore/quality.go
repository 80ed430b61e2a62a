package studystore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/study"
)

// filledSQL is whether a parcel (t) has a marketing field filled: a value, text that is not
// empty, a code other than "unknown".
func filledSQL(name string) string {
	switch name {
	case "description", "contact_name", "contact_email", "contact_phone", "expose_url":
		return "coalesce(t." + name + ", '') <> ''"
	case "ownership", "owner_willing":
		return "t." + name + " <> 'unknown'"
	}
	return "t." + name + " IS NOT NULL"
}

// FreshMonths is the setting of how recent a confirmation must be to count as fresh.
func (s Store) FreshMonths(ctx context.Context) (int, error) {
	m, err := s.Settings(ctx)
	return m.FreshMonths, err
}

// Settings reads the monitoring settings.
func (s Store) Settings(ctx context.Context) (study.MonitoringSettings, error) {
	var m study.MonitoringSettings
	if err := s.db.QueryRow(ctx, `SELECT fresh_months, public_max_age_months FROM monitoring_settings`).Scan(&m.FreshMonths, &m.PublicMaxAgeMonths); err != nil {
		return m, fmt.Errorf("monitoring settings: %w", err)
	}
	return m, nil
}

// SetSettings changes the monitoring settings, recorded in the audit log with who changed them.
// A new public_max_age_months changes what the public sees at once (the trigger moves the data
// versions, so caches and ETags follow).
func (s Store) SetSettings(ctx context.Context, m study.MonitoringSettings, accountID int64) (study.MonitoringSettings, error) {
	if err := m.Check(); err != nil {
		return m, err
	}
	err := s.inTx(ctx, pgx.TxOptions{}, func(tx Store) error {
		if _, err := tx.db.Exec(ctx, `UPDATE monitoring_settings SET fresh_months = $1, public_max_age_months = $2`, m.FreshMonths, m.PublicMaxAgeMonths); err != nil {
			return fmt.Errorf("monitoring settings: %w", err)
		}
		_, err := tx.db.Exec(ctx, `INSERT INTO audit_log (account_id, action, subject, detail) VALUES (nullif($1, 0), 'monitoring.settings', 'monitoring_settings', $2)`,
			accountID, m)
		if err != nil {
			return fmt.Errorf("audit monitoring settings: %w", err)
		}
		return nil
	})
	return m, err
}

// Quality computes the freshness and completeness of the selection's parcels per parcel, per
// district and for the whole selection, at its date, with a confirmation fresh within freshMonths.
func (s Store) Quality(ctx context.Context, sel Selection, freshMonths int) (study.QualityReport, []study.ParcelQuality, error) {
	return s.quality(ctx, sel, freshMonths, true)
}

// QualitySummary is Quality's report without the parcels: the database counts the parcels by
// district, freshness and the fields they have, instead of sending each (the monitoring report).
func (s Store) QualitySummary(ctx context.Context, sel Selection, freshMonths int) (study.QualityReport, error) {
	report, _, err := s.quality(ctx, sel, freshMonths, false)
	return report, err
}

func (s Store) quality(ctx context.Context, sel Selection, freshMonths int, perParcel bool) (study.QualityReport, []study.ParcelQuality, error) {
	fields := study.MarketingFields(sel.Internal)
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return study.QualityReport{}, nil, err
	}
	filled := make([]string, len(fields))
	position := map[string]int{}
	for i, f := range fields {
		filled[i], position[f.Name] = filledSQL(f.Name), i
	}
	day := q.arg(sel.at())
	months := q.arg(freshMonths)
	cols := `t.district_ags,
		       CASE WHEN t.last_confirmed IS NULL THEN 'never'
		            WHEN t.last_confirmed > (` + day + `::timestamptz AT TIME ZONE 'Europe/Berlin')::date - make_interval(months => ` + months + `) THEN 'fresh'
		            ELSE 'stale' END,
		       ARRAY[` + strings.Join(filled, ", ") + `]`
	sql := `SELECT ` + cols + `, count(*) FROM ` + from + ` WHERE ` + where(conds) + ` GROUP BY 1, 2, 3`
	if perParcel {
		sql = `SELECT ` + cols + `, 1, t.id, t.name, to_char(t.last_confirmed, 'YYYY-MM-DD')
		FROM ` + from + ` WHERE ` + where(conds) + ` ORDER BY t.id`
	}
	rows, err := s.db.Query(ctx, sql, q.Values()...)
	if err != nil {
		return study.QualityReport{}, nil, fmt.Errorf("quality: %w", err)
	}
	defer rows.Close()
	report := study.QualityReport{FreshMonths: freshMonths, Fields: fields, Total: study.Quality{Name: "Gesamt", Missing: map[string]int{}}}
	index := map[string]int{}
	for _, d := range sel.Scope.DistrictsIn() {
		index[d.AGS] = len(report.Districts)
		report.Districts = append(report.Districts, study.Quality{DistrictAGS: d.AGS, Name: d.Label(), Missing: map[string]int{}})
	}
	var parcels []study.ParcelQuality
	sums := make([]float64, len(report.Districts))
	var total float64
	for rows.Next() {
		// Each row is n parcels of a district with one freshness and the same fields filled.
		var p study.ParcelQuality
		var flags []bool
		var n int
		dest := []any{&p.DistrictAGS, &p.Freshness, &flags, &n}
		if perParcel {
			dest = append(dest, &p.ID, &p.Name, &p.LastConfirmed)
		}
		if err := rows.Scan(dest...); err != nil {
			return report, nil, fmt.Errorf("quality: %w", err)
		}
		p.Completeness, p.Missing = study.Completeness(fields, func(name string) bool { return flags[position[name]] })
		if p.Missing == nil {
			p.Missing = []string{}
		}
		if perParcel {
			parcels = append(parcels, p)
		}
		i, ok := index[p.DistrictAGS]
		if !ok {
			continue
		}
		for _, u := range []*study.Quality{&report.Districts[i], &report.Total} {
			u.Parcels += n
			switch p.Freshness {
			case study.Fresh:
				u.Fresh += n
			case study.Stale:
				u.Stale += n
			default:
				u.Never += n
			}
			for _, m := range p.Missing {
				u.Missing[m] += n
			}
		}
		sums[i] += p.Completeness * float64(n)
		total += p.Completeness * float64(n)
	}
	if err := rows.Err(); err != nil {
		return report, nil, fmt.Errorf("quality: %w", err)
	}
	finish := func(u *study.Quality, sum float64) {
		if u.Parcels > 0 {
			u.FreshShare = study.Round(float64(u.Fresh)/float64(u.Parcels), 4)
			u.Completeness = study.Round(sum/float64(u.Parcels), 4)
		}
	}
	for i := range report.Districts {
		finish(&report.Districts[i], sums[i])
	}
	finish(&report.Total, total)
	return report, parcels, nil
}
