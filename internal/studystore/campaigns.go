package studystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"landatlas/internal/apperr"
	"landatlas/internal/outbox"
	"landatlas/internal/region"
	"landatlas/internal/study"
)

// notContent are the columns whose change is no update of a parcel in a campaign: the history's
// bookkeeping, derived values, and the confirmation date itself (a confirmation is no change).
var notContent = []string{"valid_from", "valid_to", "changed_by", "upload_id", "dist_motorway_m", "dist_rail_terminal_m",
	"dist_airport_m", "dist_port_m", "gross_area_ha", "net_area_ha", "net_area_estimated", "size_class", "last_confirmed", "history_id"}

// campaignStates is the state of every parcel of a campaign's task ($1: campaign id, $2:
// notContent): the parcels current when it opened or since, each open, confirmed or changed
// (study.Campaign*). The state at opening is looked up only for parcels written since.
const campaignStates = `
	WITH c AS (SELECT opened_at, (opened_at AT TIME ZONE 'Europe/Berlin')::date AS opened_day,
	                  coalesce(closed_at, now()) AS until FROM campaigns WHERE id = $1),
	uploaded AS (
		SELECT DISTINCT f.parcel_id FROM c, uploads u JOIN upload_features f ON f.upload_id = u.id
		WHERE u.status = 'applied' AND u.applied_at >= c.opened_at AND u.applied_at <= c.until AND f.parcel_id IS NOT NULL
		UNION
		-- a confirmation names its parcels by their upload_id, also where it wrote no new version
		SELECT p.id FROM c, parcels p JOIN uploads u ON u.id = p.upload_id
		WHERE u.kind = 'confirm' AND u.status = 'applied' AND u.applied_at >= c.opened_at AND u.applied_at <= c.until),
	states AS (
		SELECT p.id, p.district_ags, p.external_id, p.name, p.last_confirmed, p.net_area_ha, p.ended_at IS NOT NULL AS ended,
		       CASE WHEN p.ended_at IS NOT NULL OR (p.valid_from >= c.opened_at AND
		                 (old.j IS NULL OR (to_jsonb(p) - $2::text[]) <> (old.j - $2::text[]))) THEN 'changed'
		            WHEN (p.valid_from >= c.opened_at AND p.last_confirmed >= c.opened_day) OR u.parcel_id IS NOT NULL THEN 'confirmed'
		            ELSE 'open' END AS state
		FROM c CROSS JOIN parcels p
		LEFT JOIN uploaded u ON u.parcel_id = p.id
		LEFT JOIN LATERAL (SELECT to_jsonb(v) AS j FROM parcel_history v
		                   WHERE p.valid_from >= c.opened_at AND v.id = p.id AND v.valid_from <= c.opened_at AND v.valid_to > c.opened_at) old ON true
		WHERE p.ended_at IS NULL OR p.ended_at >= c.opened_at)`

// OpenCampaign opens a campaign; only one is open at a time.
func (s Store) OpenCampaign(ctx context.Context, in study.CampaignInput, accountID int64) (study.Campaign, error) {
	ref, deadline, err := in.Check()
	if err != nil {
		return study.Campaign{}, err
	}
	var id int64
	err = s.db.QueryRow(ctx, `INSERT INTO campaigns (title, reference_date, deadline, opened_by) VALUES ($1, $2, $3, nullif($4, 0)) RETURNING id`,
		strings.TrimSpace(in.Title), ref, deadline, accountID).Scan(&id)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return study.Campaign{}, apperr.New(apperr.Conflict, "a campaign is open already: close it (POST /api/v1/campaigns/{id}/close) before opening the next")
	}
	if err != nil {
		return study.Campaign{}, fmt.Errorf("open campaign: %w", err)
	}
	return s.Campaign(ctx, id)
}

// Campaigns lists the campaigns, newest first, each with its progress and, once closed, its
// official figures.
func (s Store) Campaigns(ctx context.Context) ([]study.Campaign, error) {
	rows, err := s.db.Query(ctx, `SELECT id FROM campaigns ORDER BY opened_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	out := []study.Campaign{}
	for _, id := range ids {
		c, err := s.Campaign(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Campaign reads a campaign: the progress is counted now while it is open, and read as frozen once
// it is closed.
func (s Store) Campaign(ctx context.Context, id int64) (study.Campaign, error) {
	var c study.Campaign
	var ref, deadline time.Time
	var progress []byte
	err := s.db.QueryRow(ctx, `
		SELECT c.id, c.title, c.reference_date, c.deadline, c.opened_at, coalesce(o.label, ''), c.closed_at, coalesce(x.label, ''), c.run_id, c.progress
		FROM campaigns c LEFT JOIN accounts o ON o.id = c.opened_by LEFT JOIN accounts x ON x.id = c.closed_by
		WHERE c.id = $1`, id).
		Scan(&c.ID, &c.Title, &ref, &deadline, &c.OpenedAt, &c.OpenedBy, &c.ClosedAt, &c.ClosedBy, &c.RunID, &progress)
	if err != nil {
		return c, notFound(err, "campaign %d: not found", id)
	}
	c.ReferenceDate, c.Deadline = ref.Format(time.DateOnly), deadline.Format(time.DateOnly)
	if c.ClosedAt != nil {
		if err := json.Unmarshal(progress, &c.Progress); err != nil {
			return c, fmt.Errorf("campaign %d: %w", id, err)
		}
		run, err := s.Run(ctx, *c.RunID, true)
		if err != nil {
			return c, err
		}
		c.Figures = study.FiguresOf(run)
		return c, nil
	}
	c.Progress, err = s.campaignProgress(ctx, id)
	return c, err
}

// campaignProgress counts the parcels of every district by state, with the editors to remind.
func (s Store) campaignProgress(ctx context.Context, id int64) (study.CampaignProgress, error) {
	rows, err := s.db.Query(ctx, campaignStates+`
		SELECT d.ags, count(st.id), count(*) FILTER (WHERE st.state = 'confirmed'), count(*) FILTER (WHERE st.state = 'changed'),
		       count(*) FILTER (WHERE st.state = 'open'),
		       coalesce((SELECT array_agg(a.label ORDER BY a.label) FROM accounts a
		                 WHERE a.role = 'editor' AND a.district_ags = d.ags AND a.revoked_at IS NULL), '{}')
		FROM districts d LEFT JOIN states st ON st.district_ags = d.ags
		GROUP BY d.ags ORDER BY d.ags`, id, notContent)
	if err != nil {
		return study.CampaignProgress{}, fmt.Errorf("campaign %d progress: %w", id, err)
	}
	defer rows.Close()
	out := study.CampaignProgress{Districts: []study.Progress{}, Total: study.Progress{Name: "Region"}}
	for rows.Next() {
		var p study.Progress
		if err := rows.Scan(&p.DistrictAGS, &p.Parcels, &p.Confirmed, &p.Changed, &p.Open, &p.Editors); err != nil {
			return out, fmt.Errorf("campaign %d progress: %w", id, err)
		}
		d, _ := region.DistrictByAGS(p.DistrictAGS)
		p.Name = d.Label()
		p.Finish()
		out.Districts = append(out.Districts, p)
		out.Total.Parcels += p.Parcels
		out.Total.Confirmed += p.Confirmed
		out.Total.Changed += p.Changed
		out.Total.Open += p.Open
	}
	out.Total.Finish()
	return out, rows.Err()
}

// CampaignParcels lists a district's task in a campaign: its parcels in a state (all for ""),
// paged, with the total.
func (s Store) CampaignParcels(ctx context.Context, id int64, district, state string, limit, offset int) ([]study.CampaignParcel, int, error) {
	if _, err := s.Campaign(ctx, id); err != nil {
		return nil, 0, err
	}
	if state != "" && !slices.Contains(study.CampaignStates, state) {
		return nil, 0, apperr.New(apperr.Invalid, "state: %q: use %s", state, strings.Join(study.CampaignStates, ", "))
	}
	rows, err := s.db.Query(ctx, campaignStates+`
		SELECT id, external_id, name, state, to_char(last_confirmed, 'YYYY-MM-DD'), net_area_ha, ended, count(*) OVER ()
		FROM states WHERE district_ags = $3 AND ($4 = '' OR state = $4)
		ORDER BY CASE state WHEN 'open' THEN 0 WHEN 'confirmed' THEN 1 ELSE 2 END, name, id
		LIMIT $5 OFFSET $6`, id, notContent, district, state, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("campaign %d parcels: %w", id, err)
	}
	defer rows.Close()
	out := []study.CampaignParcel{}
	total := 0
	for rows.Next() {
		var p study.CampaignParcel
		if err := rows.Scan(&p.ID, &p.ExternalID, &p.Name, &p.State, &p.LastConfirmed, &p.NetHa, &p.Ended, &total); err != nil {
			return nil, 0, fmt.Errorf("campaign %d parcels: %w", id, err)
		}
		p.NetHa = study.Round(p.NetHa, 4)
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// CloseCampaign closes the open campaign: on one snapshot it stores the official state as a
// study run of the whole region (every parcel, planners' view) and the progress of every district,
// districts still open included. The run's title says "amtlicher Stand" and the reference date.
func (s Store) CloseCampaign(ctx context.Context, id, accountID int64) (study.Campaign, error) {
	err := s.inTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx Store) error {
		var closed *time.Time
		var title string
		var ref time.Time
		err := tx.db.QueryRow(ctx, `SELECT closed_at, title, reference_date FROM campaigns WHERE id = $1 FOR UPDATE`, id).Scan(&closed, &title, &ref)
		if err != nil {
			return notFound(err, "campaign %d: not found", id)
		}
		if closed != nil {
			return apperr.New(apperr.Conflict, "campaign %d was closed on %s: its official state never changes", id, closed.In(study.Berlin).Format("02.01.2006 15:04"))
		}
		progress, err := tx.campaignProgress(ctx, id)
		if err != nil {
			return err
		}
		p := study.DefaultRunParams()
		p.Title = fmt.Sprintf("Amtlicher Stand %s – %s", ref.Format("02.01.2006"), title)
		p.Audience = "internal"
		run, err := tx.CreateRun(ctx, RunInput{Params: p, AccountID: accountID})
		if err != nil {
			return err
		}
		frozen, err := json.Marshal(progress)
		if err != nil {
			return err
		}
		_, err = tx.db.Exec(ctx, `UPDATE campaigns SET closed_at = now(), closed_by = nullif($2, 0), run_id = $3, progress = $4 WHERE id = $1`,
			id, accountID, run.ID, frozen)
		if err != nil {
			return fmt.Errorf("close campaign %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return study.Campaign{}, err
	}
	return s.Campaign(ctx, id)
}

// OfficialOf says whether a run is the official state of a closed campaign; nil if not.
func (s Store) OfficialOf(ctx context.Context, runID int64) (*study.Official, error) {
	var o study.Official
	var ref time.Time
	var progress []byte
	err := s.db.QueryRow(ctx, `SELECT id, title, reference_date, closed_at, progress FROM campaigns WHERE run_id = $1`, runID).
		Scan(&o.CampaignID, &o.Title, &ref, &o.ClosedAt, &progress)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("official state of run %d: %w", runID, err)
	}
	var p study.CampaignProgress
	if err := json.Unmarshal(progress, &p); err != nil {
		return nil, err
	}
	o.ReferenceDate = ref.Format(time.DateOnly)
	o.OpenDistricts = p.OpenDistricts()
	if o.OpenDistricts == nil {
		o.OpenDistricts = []study.Progress{}
	}
	return &o, nil
}

// SendReminders puts a reminder in the outbox for every district with parcels still open in an
// open campaign (the district's editors read it in their messages, or get it by mail where SMTP
// is set up) and returns the districts reminded.
func (s Store) SendReminders(ctx context.Context, id int64) ([]study.Progress, error) {
	var sent []study.Progress
	err := s.inTx(ctx, pgx.TxOptions{}, func(tx Store) error {
		c, err := tx.Campaign(ctx, id)
		if err != nil {
			return err
		}
		if c.ClosedAt != nil {
			return apperr.New(apperr.Conflict, "campaign %d is closed: there is nothing to remind of", id)
		}
		day := func(iso string) string {
			if t, err := time.Parse(time.DateOnly, iso); err == nil {
				return t.Format("02.01.2006")
			}
			return iso
		}
		for _, d := range c.Progress.Districts {
			if d.Open == 0 {
				continue
			}
			subject := fmt.Sprintf("Erinnerung: %s, Rückmeldung bis %s", c.Title, day(c.Deadline))
			body := fmt.Sprintf("%s: %d von %d Flächen sind zum Stichtag %s noch zu bestätigen oder zu aktualisieren (Rückmeldung bis %s). "+
				"Die offenen Flächen stehen in landatlas unter Monitoring-Kampagnen.",
				d.Name, d.Open, d.Parcels, day(c.ReferenceDate), day(c.Deadline))
			if err := outbox.Queue(ctx, tx.db, "reminder", nil, []string{d.DistrictAGS}, subject, body); err != nil {
				return err
			}
			sent = append(sent, d)
		}
		return nil
	})
	return sent, err
}
