// Package enquirystore is the PostGIS adapter of the demand side: enquiries and their timeline,
// shortlists, proposal links, the outbox of notifications, demand statistics and the erasure of
// personal data. Which parcels and sites the public may see comes from the catalog, at read time.
package enquirystore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/catalog"
	"landatlas/internal/enquiry"
	"landatlas/internal/query"
)

// Store reads and writes the demand side.
type Store struct{ DB query.DB } // a pool, or the replica router (writes go to the primary)

// querier is what a pool and a transaction have in common for reading.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

var (
	parcelsCollection = mustCollection("parcels")
	sitesCollection   = mustCollection("sites")
)

func mustCollection(id string) catalog.Collection {
	c, ok := catalog.ByID(id)
	if !ok {
		panic("catalog has no " + id + " collection")
	}
	return c
}

// visibleWhere is the catalog's rule for the current records of a collection a reader may see.
func visibleWhere(c catalog.Collection, internal bool) string {
	return strings.Join(c.Where(internal, false), " AND ")
}

// accountOf is the audit log's account of a principal (nil for the public).
func accountOf(p *auth.Principal) *int64 {
	if p == nil {
		return nil
	}
	return &p.AccountID
}

// audit records an action in the audit log inside tx.
func audit(ctx context.Context, tx pgx.Tx, p *auth.Principal, action, subject string, detail any) error {
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (account_id, action, subject, detail) VALUES ($1, $2, $3, $4)`,
		accountOf(p), action, subject, detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// event adds an entry to an enquiry's timeline and the same to the audit log.
func event(ctx context.Context, tx pgx.Tx, p *auth.Principal, enquiryID int64, kind string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO enquiry_events (enquiry_id, account_id, kind, detail) VALUES ($1, $2, $3, $4)`,
		enquiryID, accountOf(p), kind, detail); err != nil {
		return fmt.Errorf("enquiry event %s: %w", kind, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE enquiries SET updated_at = now() WHERE id = $1`, enquiryID); err != nil {
		return fmt.Errorf("enquiry event %s: %w", kind, err)
	}
	// The audit log outlives the retention of personal data: a note's text, which may name
	// people, stays in the timeline only (where erasure reaches it).
	logged := map[string]any{}
	for k, v := range detail {
		if k != "text" {
			logged[k] = v
		}
	}
	return audit(ctx, tx, p, "enquiry."+kind, strconv.FormatInt(enquiryID, 10), logged)
}

// itemDistricts returns the districts of the given parcels and sites, checking that the reader
// may see each (the public: public and current; signed-in readers: current).
func itemDistricts(ctx context.Context, q querier, parcelIDs, siteIDs []int64, internal bool) ([]string, error) {
	var out []string
	check := func(c catalog.Collection, ids []int64, field string) error {
		if len(ids) == 0 {
			return nil
		}
		rows, err := q.Query(ctx, `SELECT t.id, t.district_ags::text FROM `+c.FromClause("")+
			` WHERE `+visibleWhere(c, internal)+` AND t.id = ANY($1)`, ids)
		if err != nil {
			return fmt.Errorf("enquiry items: %w", err)
		}
		found := map[int64]bool{}
		var id int64
		var ags string
		if _, err := pgx.ForEachRow(rows, []any{&id, &ags}, func() error {
			found[id] = true
			out = append(out, ags)
			return nil
		}); err != nil {
			return fmt.Errorf("enquiry items: %w", err)
		}
		for _, id := range ids {
			if !found[id] {
				return &apperr.Error{Kind: apperr.Invalid, Message: fmt.Sprintf("%s: there is no %s %d on offer to ask about", field, strings.TrimSuffix(c.ID, "s"), id),
					Fields: map[string]string{field: fmt.Sprintf("no %s %d", strings.TrimSuffix(c.ID, "s"), id)}}
			}
		}
		return nil
	}
	if err := check(parcelsCollection, parcelIDs, "parcel_ids"); err != nil {
		return nil, err
	}
	if err := check(sitesCollection, siteIDs, "site_ids"); err != nil {
		return nil, err
	}
	return out, nil
}

// Create stores an enquiry: routed to the districts of what it asks about, with its reference
// number, the first entry of its timeline and a notification for each district and the region's
// coordinator. by is nil for a public enquiry, else the planner who recorded it.
func (s Store) Create(ctx context.Context, in enquiry.Input, by *auth.Principal) (enquiry.Enquiry, error) {
	var e enquiry.Enquiry
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		districts, err := itemDistricts(ctx, tx, in.ParcelIDs, in.SiteIDs, by != nil)
		if err != nil {
			return err
		}
		districts = enquiry.Route(districts)
		var seq int64
		var received time.Time
		if err := tx.QueryRow(ctx, `SELECT nextval('enquiry_reference_seq'), now()`).Scan(&seq, &received); err != nil {
			return fmt.Errorf("create enquiry: %w", err)
		}
		var consent *time.Time
		if in.Consent {
			consent = &received
		}
		r := in.Requirements
		err = tx.QueryRow(ctx, `
			INSERT INTO enquiries (reference, received_at, channel, lang, created_by, company, contact_name, email, phone,
			    message, consent_at, sector, use_types, min_net_ha, max_net_ha, timing, jobs, investment_meur,
			    max_motorway_km, rail_siding, parcel_ids, site_ids, districts)
			VALUES ($1, $2, $3, $4, $5, nullif($6, ''), nullif($7, ''), nullif($8, ''), nullif($9, ''), nullif($10, ''), $11,
			    $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
			RETURNING id`,
			enquiry.Reference(received, seq), received, in.Channel, in.Lang, accountOf(by), in.Company, in.ContactName,
			in.Email, in.Phone, in.Message, consent, r.Sector, nonNil(r.UseTypes), r.MinNetHa, r.MaxNetHa, r.Timing, r.Jobs,
			r.InvestmentMEUR, r.MaxMotorwayKm, r.RailSiding, nonNil(in.ParcelIDs), nonNil(in.SiteIDs), nonNil(districts)).Scan(&e.ID)
		if err != nil {
			return fmt.Errorf("create enquiry: %w", err)
		}
		if err := event(ctx, tx, by, e.ID, "created", map[string]any{"channel": in.Channel, "districts": districts}); err != nil {
			return err
		}
		e.Reference = enquiry.Reference(received, seq)
		return queueNew(ctx, tx, e.ID, e.Reference, districts, r)
	})
	if err != nil {
		return enquiry.Enquiry{}, err
	}
	return s.get(ctx, s.DB, e.ID, false)
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

const enquiryColumns = `e.id, e.reference, e.received_at, e.channel, e.lang, e.status::text, coalesce(e.lost_reason, ''),
	e.closed_at, e.assignee_id, coalesce(a.label, ''), e.sector, e.use_types, e.min_net_ha, e.max_net_ha, e.timing,
	e.jobs, e.investment_meur, e.max_motorway_km, e.rail_siding, e.parcel_ids, e.site_ids, e.districts, e.updated_at,
	e.personal_erased_at, coalesce(e.company, ''), coalesce(e.contact_name, ''), coalesce(e.email, ''),
	coalesce(e.phone, ''), coalesce(e.message, '')`

const enquiryFrom = `enquiries e LEFT JOIN accounts a ON a.id = e.assignee_id`

func scanEnquiry(row pgx.Row, personal bool) (enquiry.Enquiry, error) {
	var e enquiry.Enquiry
	var p enquiry.Personal
	r := &e.Requirements
	err := row.Scan(&e.ID, &e.Reference, &e.ReceivedAt, &e.Channel, &e.Lang, &e.Status, &e.LostReason, &e.ClosedAt,
		&e.AssigneeID, &e.Assignee, &r.Sector, &r.UseTypes, &r.MinNetHa, &r.MaxNetHa, &r.Timing, &r.Jobs,
		&r.InvestmentMEUR, &r.MaxMotorwayKm, &r.RailSiding, &e.ParcelIDs, &e.SiteIDs, &e.Districts, &e.UpdatedAt,
		&e.PersonalErasedAt, &p.Company, &p.ContactName, &p.Email, &p.Phone, &p.Message)
	if err != nil {
		return e, err
	}
	if personal && e.PersonalErasedAt == nil {
		e.Personal = &p
	}
	return e, nil
}

func (s Store) get(ctx context.Context, q querier, id int64, personal bool) (enquiry.Enquiry, error) {
	e, err := scanEnquiry(q.QueryRow(ctx, `SELECT `+enquiryColumns+` FROM `+enquiryFrom+` WHERE e.id = $1`, id), personal)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, apperr.New(apperr.NotFound, "no enquiry %d", id)
	}
	if err != nil {
		return e, fmt.Errorf("get enquiry %d: %w", id, err)
	}
	return e, nil
}

// Filter selects enquiries for a list.
type Filter struct {
	Status   string
	District string
	Year     int
	Assignee int64
	// Open keeps only enquiries not yet closed.
	Open bool
}

// List returns the enquiries the reader may see, newest first, without personal data.
func (s Store) List(ctx context.Context, p *auth.Principal, f Filter) ([]enquiry.Enquiry, error) {
	if p == nil {
		return nil, apperr.New(apperr.Unauthorized, "sign in to see enquiries")
	}
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if p.Role == auth.Editor {
		conds = append(conds, arg(p.DistrictAGS)+" = ANY (e.districts)")
	}
	if f.Status != "" {
		conds = append(conds, "e.status::text = "+arg(f.Status))
	}
	if f.District != "" {
		conds = append(conds, arg(f.District)+" = ANY (e.districts)")
	}
	if f.Year != 0 {
		conds = append(conds, "extract(year FROM e.received_at AT TIME ZONE 'Europe/Berlin') = "+arg(f.Year))
	}
	if f.Assignee != 0 {
		conds = append(conds, "e.assignee_id = "+arg(f.Assignee))
	}
	if f.Open {
		conds = append(conds, "e.closed_at IS NULL")
	}
	where := "true"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	rows, err := s.DB.Query(ctx, `SELECT `+enquiryColumns+` FROM `+enquiryFrom+` WHERE `+where+` ORDER BY e.received_at DESC, e.id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("list enquiries: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (enquiry.Enquiry, error) { return scanEnquiry(r, false) })
	if err != nil {
		return nil, fmt.Errorf("list enquiries: %w", err)
	}
	return nonNil(out), nil
}

// Get returns an enquiry the reader may see, with its personal data where the reader may see
// them; that read is written to the audit log.
func (s Store) Get(ctx context.Context, p *auth.Principal, id int64) (enquiry.Enquiry, error) {
	e, err := s.get(ctx, s.DB, id, false)
	if err != nil {
		return e, err
	}
	if !enquiry.CanSee(p, e.Districts) {
		return enquiry.Enquiry{}, apperr.New(apperr.NotFound, "no enquiry %d", id)
	}
	if !enquiry.SeesPersonal(p, e.Districts) || e.PersonalErasedAt != nil {
		return e, nil
	}
	err = pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if e, err = s.get(ctx, tx, id, true); err != nil {
			return err
		}
		return audit(ctx, tx, p, "enquiry.personal.read", e.Reference, map[string]any{"enquiry_id": id})
	})
	return e, err
}

// Requirements returns an enquiry the reader may see without its personal data (no audited read):
// what a site search for it needs.
func (s Store) Requirements(ctx context.Context, p *auth.Principal, id int64) (enquiry.Enquiry, error) {
	return s.visible(ctx, s.DB, p, id)
}

// visible loads an enquiry for a change by p, refusing what p may not manage.
func (s Store) visible(ctx context.Context, q querier, p *auth.Principal, id int64) (enquiry.Enquiry, error) {
	e, err := s.get(ctx, q, id, false)
	if err != nil {
		return e, err
	}
	if !enquiry.CanManage(p, e.Districts) {
		return enquiry.Enquiry{}, apperr.New(apperr.NotFound, "no enquiry %d", id)
	}
	return e, nil
}

// change runs fn on an enquiry p may manage, in a transaction, and returns its new state.
func (s Store) change(ctx context.Context, p *auth.Principal, id int64, fn func(tx pgx.Tx, e enquiry.Enquiry) error) (enquiry.Enquiry, error) {
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM enquiries WHERE id = $1 FOR UPDATE`, id); err != nil {
			return fmt.Errorf("lock enquiry: %w", err)
		}
		e, err := s.visible(ctx, tx, p, id)
		if err != nil {
			return err
		}
		return fn(tx, e)
	})
	if err != nil {
		return enquiry.Enquiry{}, err
	}
	return s.get(ctx, s.DB, id, false)
}

// SetStatus moves an enquiry along the pipeline; a loss records its reason, a closing status the
// time it closed (from which the retention period runs).
func (s Store) SetStatus(ctx context.Context, p *auth.Principal, id int64, status, lostReason string) (enquiry.Enquiry, error) {
	return s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		if err := enquiry.CheckMove(e.Status, status, lostReason); err != nil {
			return apperr.New(apperr.Invalid, "%s", err.Error())
		}
		var reason *string
		if status == enquiry.Lost {
			r := strings.TrimSpace(lostReason)
			reason = &r
		}
		_, err := tx.Exec(ctx, `UPDATE enquiries SET status = $2::enquiry_status, lost_reason = $3,
			closed_at = CASE WHEN $2 IN ('won', 'lost', 'withdrawn') THEN now() END WHERE id = $1`, id, status, reason)
		if err != nil {
			return fmt.Errorf("set enquiry status: %w", err)
		}
		detail := map[string]any{"from": e.Status, "to": status}
		if reason != nil {
			detail["lost_reason"] = *reason
		}
		return event(ctx, tx, p, id, "status", detail)
	})
}

// Assign gives an enquiry to an account (0: nobody).
func (s Store) Assign(ctx context.Context, p *auth.Principal, id, accountID int64) (enquiry.Enquiry, error) {
	return s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		var assignee *int64
		label := ""
		if accountID != 0 {
			err := tx.QueryRow(ctx, `SELECT label FROM accounts WHERE id = $1 AND revoked_at IS NULL`, accountID).Scan(&label)
			if errors.Is(err, pgx.ErrNoRows) {
				return &apperr.Error{Kind: apperr.Invalid, Message: fmt.Sprintf("assignee_id: no active account %d", accountID),
					Fields: map[string]string{"assignee_id": "choose an active account"}}
			}
			if err != nil {
				return fmt.Errorf("assign enquiry: %w", err)
			}
			assignee = &accountID
		}
		if _, err := tx.Exec(ctx, `UPDATE enquiries SET assignee_id = $2 WHERE id = $1`, id, assignee); err != nil {
			return fmt.Errorf("assign enquiry: %w", err)
		}
		return event(ctx, tx, p, id, "assigned", map[string]any{"assignee_id": assignee, "assignee": label})
	})
}

// AddNote adds a note to an enquiry's timeline.
func (s Store) AddNote(ctx context.Context, p *auth.Principal, id int64, text string) (enquiry.Enquiry, error) {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > enquiry.MaxMessage {
		return enquiry.Enquiry{}, apperr.New(apperr.Invalid, "text: write a note of 1 to %d characters", enquiry.MaxMessage)
	}
	return s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		return event(ctx, tx, p, id, "note", map[string]any{"text": text})
	})
}

// Event is an entry of an enquiry's timeline.
type Event struct {
	At      time.Time      `json:"at"`
	Account string         `json:"account"`
	Kind    string         `json:"kind"`
	Detail  map[string]any `json:"detail"`
}

// Timeline returns an enquiry's timeline, oldest first.
func (s Store) Timeline(ctx context.Context, id int64) ([]Event, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT v.at, coalesce(a.label, ''), v.kind, v.detail FROM enquiry_events v LEFT JOIN accounts a ON a.id = v.account_id
		WHERE v.enquiry_id = $1 ORDER BY v.at, v.id`, id)
	if err != nil {
		return nil, fmt.Errorf("enquiry timeline: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		err := r.Scan(&e.At, &e.Account, &e.Kind, &e.Detail)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("enquiry timeline: %w", err)
	}
	return nonNil(out), nil
}

// Assignee is an account an enquiry can be given to.
type Assignee struct {
	ID          int64  `json:"id"`
	Label       string `json:"label"`
	Role        string `json:"role"`
	DistrictAGS string `json:"district_ags,omitempty"`
}

// Assignees lists the active accounts.
func (s Store) Assignees(ctx context.Context) ([]Assignee, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, label, role::text, coalesce(district_ags, '') FROM accounts WHERE revoked_at IS NULL ORDER BY label, id`)
	if err != nil {
		return nil, fmt.Errorf("assignees: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assignee, error) {
		var a Assignee
		err := r.Scan(&a.ID, &a.Label, &a.Role, &a.DistrictAGS)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("assignees: %w", err)
	}
	return nonNil(out), nil
}
