package enquirystore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/enquiry"
)

// Item is an entry of a shortlist.
type Item struct {
	ID        int64   `json:"id"`
	Kind      string  `json:"kind"`
	ItemID    int64   `json:"item_id"`
	MemberIDs []int64 `json:"member_ids,omitempty"`
	Position  int     `json:"position"`
	Note      string  `json:"note"`
	// Name, District and NetHa describe the item as signed-in readers see it now.
	Name     string   `json:"name"`
	District []string `json:"districts"`
	NetHa    float64  `json:"net_area_ha"`
	// Public says whether the public may see it now: otherwise a proposal shows it as no longer available.
	Public bool `json:"public"`
}

// ItemInput adds an item to a shortlist: a parcel, a site, or a large site by its members.
type ItemInput struct {
	Kind      string  `json:"kind"`
	ItemID    int64   `json:"item_id"`
	MemberIDs []int64 `json:"member_ids"`
	Note      string  `json:"note"`
}

// AddItem puts a parcel, site or merged large site at the end of an enquiry's shortlist.
func (s Store) AddItem(ctx context.Context, p *auth.Principal, id int64, in ItemInput) ([]Item, error) {
	if len([]rune(in.Note)) > enquiry.MaxMessage {
		return nil, apperr.New(apperr.Invalid, "note: at most %d characters", enquiry.MaxMessage)
	}
	var parcels, sites []int64
	switch in.Kind {
	case "parcel":
		parcels = []int64{in.ItemID}
		in.MemberIDs = nil
	case "site":
		sites = []int64{in.ItemID}
		in.MemberIDs = nil
	case "large_site":
		in.MemberIDs = slices.Compact(slices.Sorted(slices.Values(in.MemberIDs)))
		if len(in.MemberIDs) < 2 || len(in.MemberIDs) > enquiry.MaxItems {
			return nil, apperr.New(apperr.Invalid, "member_ids: a large site has 2 to %d parcels", enquiry.MaxItems)
		}
		parcels, in.ItemID = in.MemberIDs, in.MemberIDs[0]
	default:
		return nil, apperr.New(apperr.Invalid, "kind: use parcel, site or large_site")
	}
	_, err := s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		if _, err := itemDistricts(ctx, tx, parcels, sites, true); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO shortlist_items (enquiry_id, kind, item_id, member_ids, position, note, added_by)
			SELECT $1, $2, $3, $4, coalesce(max(position), 0) + 1, $5, $6 FROM shortlist_items WHERE enquiry_id = $1 AND removed_at IS NULL
			ON CONFLICT (enquiry_id, kind, item_id) WHERE removed_at IS NULL DO NOTHING`,
			id, in.Kind, in.ItemID, nonNil(in.MemberIDs), strings.TrimSpace(in.Note), accountOf(p))
		if err != nil {
			return fmt.Errorf("add to shortlist: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "this %s is already on the shortlist", strings.ReplaceAll(in.Kind, "_", " "))
		}
		return event(ctx, tx, p, id, "shortlist.added", map[string]any{"kind": in.Kind, "item_id": in.ItemID, "member_ids": in.MemberIDs})
	})
	if err != nil {
		return nil, err
	}
	return s.Shortlist(ctx, id)
}

// ItemChange changes a shortlist entry: its note, or its place (1 is first).
type ItemChange struct {
	Note     *string `json:"note"`
	Position *int    `json:"position"`
}

// ChangeItem sets an entry's note or moves it to another place, shifting the others.
func (s Store) ChangeItem(ctx context.Context, p *auth.Principal, id, itemID int64, c ItemChange) ([]Item, error) {
	_, err := s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		var ids []int64
		rows, err := tx.Query(ctx, `SELECT id FROM shortlist_items WHERE enquiry_id = $1 AND removed_at IS NULL ORDER BY position, id`, id)
		if err == nil {
			ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		if err != nil {
			return fmt.Errorf("change shortlist: %w", err)
		}
		at := slices.Index(ids, itemID)
		if at < 0 {
			return apperr.New(apperr.NotFound, "no entry %d on the shortlist", itemID)
		}
		detail := map[string]any{"entry": itemID}
		if c.Note != nil {
			if len([]rune(*c.Note)) > enquiry.MaxMessage {
				return apperr.New(apperr.Invalid, "note: at most %d characters", enquiry.MaxMessage)
			}
			if _, err := tx.Exec(ctx, `UPDATE shortlist_items SET note = $2 WHERE id = $1`, itemID, strings.TrimSpace(*c.Note)); err != nil {
				return fmt.Errorf("change shortlist: %w", err)
			}
			detail["note"] = true
		}
		if c.Position != nil {
			to := *c.Position - 1
			if to < 0 || to >= len(ids) {
				return apperr.New(apperr.Invalid, "position: give 1 to %d", len(ids))
			}
			ids = slices.Insert(slices.Delete(ids, at, at+1), to, itemID)
			if _, err := tx.Exec(ctx, `UPDATE shortlist_items s SET position = o.n FROM unnest($1::bigint[]) WITH ORDINALITY o(id, n) WHERE s.id = o.id`, ids); err != nil {
				return fmt.Errorf("reorder shortlist: %w", err)
			}
			detail["position"] = *c.Position
		}
		return event(ctx, tx, p, id, "shortlist.changed", detail)
	})
	if err != nil {
		return nil, err
	}
	return s.Shortlist(ctx, id)
}

// RemoveItem takes an entry off the shortlist (its row is kept, ended).
func (s Store) RemoveItem(ctx context.Context, p *auth.Principal, id, itemID int64) ([]Item, error) {
	_, err := s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		tag, err := tx.Exec(ctx, `UPDATE shortlist_items SET removed_at = now() WHERE id = $1 AND enquiry_id = $2 AND removed_at IS NULL`, itemID, id)
		if err != nil {
			return fmt.Errorf("remove from shortlist: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.NotFound, "no entry %d on the shortlist", itemID)
		}
		return event(ctx, tx, p, id, "shortlist.removed", map[string]any{"entry": itemID})
	})
	if err != nil {
		return nil, err
	}
	return s.Shortlist(ctx, id)
}

// publicParcel and publicSite are the catalog's rule for what the public may see now, as a
// condition on alias t: a shortlisted item that became internal or ended fails it.
var (
	publicParcel = "(" + visibleWhere(parcelsCollection, false) + ")"
	publicSite   = "(" + visibleWhere(sitesCollection, false) + ")"
)

// Shortlist returns an enquiry's shortlist in order, each entry described as it is now.
func (s Store) Shortlist(ctx context.Context, id int64) ([]Item, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT i.id, i.kind, i.item_id, i.member_ids, row_number() OVER (ORDER BY i.position, i.id)::int, i.note,
		       coalesce(x.name, ''), coalesce(x.districts, '{}'), coalesce(x.net, 0), coalesce(x.public, false)
		FROM shortlist_items i
		LEFT JOIN LATERAL (
			SELECT t.name, ARRAY[t.district_ags::text] AS districts, t.net_area_ha AS net, `+publicParcel+` AS public
			FROM parcels t WHERE i.kind = 'parcel' AND t.id = i.item_id
			UNION ALL
			SELECT t.name, ARRAY[t.district_ags::text], (SELECT coalesce(sum(q.net_area_ha), 0) FROM parcels q WHERE q.site_id = t.id AND q.ended_at IS NULL),
			       `+publicSite+`
			FROM sites t WHERE i.kind = 'site' AND t.id = i.item_id
			UNION ALL
			SELECT string_agg(t.name, ' + ' ORDER BY t.id), array_agg(DISTINCT t.district_ags::text), sum(t.net_area_ha), bool_and(`+publicParcel+`)
			FROM parcels t WHERE i.kind = 'large_site' AND t.id = ANY (i.member_ids)
			HAVING count(*) > 0
		) x ON true
		WHERE i.enquiry_id = $1 AND i.removed_at IS NULL
		ORDER BY i.position, i.id`, id)
	if err != nil {
		return nil, fmt.Errorf("shortlist: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) {
		var it Item
		err := r.Scan(&it.ID, &it.Kind, &it.ItemID, &it.MemberIDs, &it.Position, &it.Note, &it.Name, &it.District, &it.NetHa, &it.Public)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("shortlist: %w", err)
	}
	return nonNil(out), nil
}

// Proposal is a link sent to an investor; its token is never stored.
type Proposal struct {
	ID            int64      `json:"id"`
	CreatedAt     time.Time  `json:"created_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	FirstViewedAt *time.Time `json:"first_viewed_at,omitempty"`
	LastViewedAt  *time.Time `json:"last_viewed_at,omitempty"`
	Views         int        `json:"views"`
	CreatedBy     string     `json:"created_by"`
}

// DefaultProposalDays is how long a proposal link works unless a planner says otherwise.
const DefaultProposalDays = 90

// CreateProposal makes a proposal link for an enquiry's shortlist, valid for days, and returns
// its token (shown once) and its record.
func (s Store) CreateProposal(ctx context.Context, p *auth.Principal, id int64, days int) (string, Proposal, error) {
	if days < 1 || days > 365 {
		return "", Proposal{}, apperr.New(apperr.Invalid, "days: a link is valid for 1 to 365 days")
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", Proposal{}, err
	}
	token = "p" + strings.TrimPrefix(token, "la_")
	hash = auth.HashToken(token)
	var pid int64
	_, err = s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM shortlist_items WHERE enquiry_id = $1 AND removed_at IS NULL`, id).Scan(&n); err != nil {
			return fmt.Errorf("create proposal: %w", err)
		}
		if n == 0 {
			return apperr.New(apperr.Invalid, "the shortlist is empty: add parcels or sites before making a proposal link")
		}
		err := tx.QueryRow(ctx, `INSERT INTO proposals (enquiry_id, token_hash, created_by, expires_at)
			VALUES ($1, $2, $3, now() + make_interval(days => $4)) RETURNING id`, id, hash, accountOf(p), days).Scan(&pid)
		if err != nil {
			return fmt.Errorf("create proposal: %w", err)
		}
		return event(ctx, tx, p, id, "proposal.created", map[string]any{"proposal": pid, "days": days})
	})
	if err != nil {
		return "", Proposal{}, err
	}
	list, err := s.Proposals(ctx, id)
	if err != nil {
		return "", Proposal{}, err
	}
	i := slices.IndexFunc(list, func(x Proposal) bool { return x.ID == pid })
	return token, list[i], nil
}

// RevokeProposal ends a proposal link at once.
func (s Store) RevokeProposal(ctx context.Context, p *auth.Principal, id, proposalID int64) error {
	_, err := s.change(ctx, p, id, func(tx pgx.Tx, e enquiry.Enquiry) error {
		tag, err := tx.Exec(ctx, `UPDATE proposals SET revoked_at = now() WHERE id = $1 AND enquiry_id = $2 AND revoked_at IS NULL`, proposalID, id)
		if err != nil {
			return fmt.Errorf("revoke proposal: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.NotFound, "no active proposal link %d", proposalID)
		}
		return event(ctx, tx, p, id, "proposal.revoked", map[string]any{"proposal": proposalID})
	})
	return err
}

// Proposals lists an enquiry's proposal links with their views.
func (s Store) Proposals(ctx context.Context, id int64) ([]Proposal, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT p.id, p.created_at, p.expires_at, p.revoked_at, p.first_viewed_at, p.last_viewed_at, p.views, coalesce(a.label, '')
		FROM proposals p LEFT JOIN accounts a ON a.id = p.created_by WHERE p.enquiry_id = $1 ORDER BY p.id`, id)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Proposal, error) {
		var x Proposal
		err := r.Scan(&x.ID, &x.CreatedAt, &x.ExpiresAt, &x.RevokedAt, &x.FirstViewedAt, &x.LastViewedAt, &x.Views, &x.CreatedBy)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	return nonNil(out), nil
}

// Opened is what a proposal link shows: the enquiry's reference, language and shortlist.
type Opened struct {
	ProposalID int64
	EnquiryID  int64
	Reference  string
	Lang       string
	ExpiresAt  time.Time
	Items      []Item
}

// errNoProposal is the one answer for unknown, revoked and expired links, so a link's state
// tells nobody whether a token ever existed.
var errNoProposal = apperr.New(apperr.NotFound, "this proposal link is unknown, revoked or expired: ask your contact for a new one")

// OpenProposal finds the proposal of a token, records the view (first, last, count) and, at the
// first view, queues a notification. count false opens it without recording (the print view).
func (s Store) OpenProposal(ctx context.Context, token string, count bool) (Opened, error) {
	var o Opened
	var first bool
	var districts []string
	err := pgx.BeginTxFunc(ctx, s.DB, pgx.TxOptions{}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			SELECT p.id, e.id, e.reference, e.lang, p.expires_at, p.first_viewed_at IS NULL, e.districts
			FROM proposals p JOIN enquiries e ON e.id = p.enquiry_id
			WHERE p.token_hash = $1 AND p.revoked_at IS NULL AND p.expires_at > now()
			FOR UPDATE OF p`, auth.HashToken(token)).Scan(&o.ProposalID, &o.EnquiryID, &o.Reference, &o.Lang, &o.ExpiresAt, &first, &districts)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNoProposal
		}
		if err != nil {
			return fmt.Errorf("open proposal: %w", err)
		}
		if !count {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE proposals SET views = views + 1, last_viewed_at = now(),
			first_viewed_at = coalesce(first_viewed_at, now()) WHERE id = $1`, o.ProposalID); err != nil {
			return fmt.Errorf("record proposal view: %w", err)
		}
		if !first {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO enquiry_events (enquiry_id, kind, detail) VALUES ($1, 'proposal.viewed', $2)`,
			o.EnquiryID, map[string]any{"proposal": o.ProposalID}); err != nil {
			return fmt.Errorf("record proposal view: %w", err)
		}
		return queueViewed(ctx, tx, o.EnquiryID, o.Reference, districts)
	})
	if err != nil {
		return o, err
	}
	o.Items, err = s.Shortlist(ctx, o.EnquiryID)
	return o, err
}
