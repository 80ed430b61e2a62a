package studystore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"landatlas/internal/parcel"
	"landatlas/internal/region"
	"landatlas/internal/study"
)

// Candidates returns the parcels on offer in the selection, in id order (so the excluded are
// listed the same way every time), with what the site search judges them by. The judging is study.Search's, in Go, so every exclusion keeps its reason. Names are left
// out: tens of thousands of rows come back, and only a page of them is shown (see describe).
func (s Store) Candidates(ctx context.Context, sel Selection) ([]study.Candidate, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	conds = append(conds, "t.status = 'offered'")
	rows, err := s.db.Query(ctx, `
		SELECT count(*) OVER (), t.id, t.district_ags::text, t.use_type::text, t.planning_status::text,
		       t.availability::text, t.available_from, t.net_area_ha, t.gross_area_ha,
		       t.dist_motorway_m, t.dist_rail_terminal_m, t.dist_airport_m, t.dist_port_m,
		       t.power_mw::float8, t.broadband_mbps, `+flagsSQL+`, t.serviced::text
		FROM `+from+`
		WHERE `+where(conds)+`
		ORDER BY t.id`, q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	defer rows.Close()
	var out []study.Candidate
	var n int
	var district string
	var dist [4]pgtype.Float8
	for rows.Next() {
		var c study.Candidate
		var availableFrom *time.Time // fresh each row: pgx fills a pointer it is given
		var flags int64
		err := rows.Scan(&n, &c.ParcelID, &district, &c.UseType, &c.PlanningStatus,
			&c.Availability, &availableFrom, &c.NetHa, &c.GrossHa, &dist[0], &dist[1], &dist[2], &dist[3],
			&c.PowerMW, &c.BroadbandMbps, &flags, &c.Serviced)
		if err != nil {
			return nil, fmt.Errorf("search candidates: %w", err)
		}
		d := districtsByAGS[district]
		c.Districts, c.DistrictNames, c.Lands = d.ags, d.name, d.land
		c.AvailableFrom = availableFrom
		c.Flags = study.FlagSet(flags)
		for i, kind := range study.DistanceKinds {
			if dist[i].Valid {
				c.Distances.Set(kind, dist[i].Float64)
			}
		}
		c.Constraints = []study.ConstraintShare{}
		if out == nil {
			// The count of the first row sizes the list: growing a list of 10^5 candidates by
			// appending would copy it over and over.
			out = make([]study.Candidate, 0, n)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	if err := s.addConstraints(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// flagsSQL reads the yes/no qualities of the field registry (parcel.Flags) as the bits of a
// study.FlagSet, in one column: a new flag in the registry is searched without a change here.
var flagsSQL = func() string {
	var bits []string
	for i, f := range parcel.Flags() {
		bits = append(bits, fmt.Sprintf("(t.%s::int::bigint << %d)", f.Column, i))
	}
	return "(" + strings.Join(bits, " | ") + ")"
}()

// districtSlices are a district's AGS, name and Land as the one-element lists of a candidate.
// Candidates of one district share them: they are only read.
type districtSlices struct{ ags, name, land []string }

var districtsByAGS = func() map[string]districtSlices {
	out := map[string]districtSlices{}
	for _, d := range region.Districts() {
		out[d.AGS] = districtSlices{[]string{d.AGS}, []string{d.Label()}, []string{d.Land}}
	}
	return out
}()

// addConstraints gives the candidates their constraint shares. The overlay is read whole, which
// is a few rows per constrained parcel and cheaper than joining it to every candidate.
func (s Store) addConstraints(ctx context.Context, cands []study.Candidate) error {
	index := make(map[int64]int, len(cands))
	for i, c := range cands {
		index[c.ParcelID] = i
	}
	rows, err := s.db.Query(ctx, `SELECT parcel_id, kind::text, severity::text, share FROM parcel_constraints ORDER BY parcel_id, kind, severity`)
	if err != nil {
		return fmt.Errorf("search constraints: %w", err)
	}
	var id int64
	var cs study.ConstraintShare
	_, err = pgx.ForEachRow(rows, []any{&id, &cs.Kind, &cs.Severity, &cs.Share}, func() error {
		if i, ok := index[id]; ok {
			cs.Share = study.Round(cs.Share, 4)
			cands[i].Constraints = append(cands[i].Constraints, cs)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("search constraints: %w", err)
	}
	return nil
}

// MergeGroups clusters the given parcels of a selection the way LargeSites does and returns the
// groups of at least two parcels, as parcel ids.
func (s Store) MergeGroups(ctx context.Context, sel Selection, ids []int64, distanceM float64) ([][]int64, error) {
	if len(ids) < 2 {
		return nil, nil
	}
	sel.IDs = ids
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT array_agg(id ORDER BY id) FROM (
			SELECT t.id, ST_ClusterDBSCAN(t.geom, eps := `+q.arg(distanceM)+`, minpoints := 1) OVER () AS cluster
			FROM `+from+` WHERE `+where(conds)+`
		) c GROUP BY cluster HAVING count(*) > 1`, q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("merge sites: %w", err)
	}
	groups, err := pgx.CollectRows(rows, pgx.RowTo[[]int64])
	if err != nil {
		return nil, fmt.Errorf("merge sites: %w", err)
	}
	return groups, nil
}

// description is what a page of results shows of a parcel beyond what it is judged by.
type description struct{ name, junction string }

// describe names the given parcels of a selection and their nearest motorway junctions, for the
// explanations of one page of results.
func (s Store) describe(ctx context.Context, sel Selection, ids []int64) (map[int64]description, error) {
	out := map[int64]description{}
	if len(ids) == 0 {
		return out, nil
	}
	sel.IDs = ids
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT t.id, t.name, coalesce((SELECT i.name FROM infrastructure i WHERE i.kind = 'motorway_junction'
		                               ORDER BY i.geom <-> t.geom LIMIT 1), '')
		FROM `+from+` WHERE `+where(conds), q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("describe parcels: %w", err)
	}
	var id int64
	var d description
	_, err = pgx.ForEachRow(rows, []any{&id, &d.name, &d.junction}, func() error {
		out[id] = d
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("describe parcels: %w", err)
	}
	return out, nil
}

// MergedGeometry returns the union of the given parcels of a selection as WGS84 GeoJSON.
func (s Store) MergedGeometry(ctx context.Context, sel Selection, ids []int64) (json.RawMessage, error) {
	sel.IDs = ids
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	var geom string
	err = s.db.QueryRow(ctx, `SELECT ST_AsGeoJSON(ST_Transform(ST_Union(t.geom), 4326), 6) FROM `+from+` WHERE `+where(conds), q.Values()...).Scan(&geom)
	if err != nil {
		return nil, fmt.Errorf("merged geometry: %w", err)
	}
	return json.RawMessage(geom), nil
}

// SearchPages says which pages of a search answer to return.
type SearchPages struct {
	Limit, Offset                 int
	ExcludedLimit, ExcludedOffset int
}

// Search runs a site search over the selection: it judges every parcel on offer, merges the ones
// that pass all but the area into large sites when the search asks for them, and returns the
// asked-for pages, explained with the names of the nearest motorway junctions.
func (s Store) Search(ctx context.Context, sel Selection, search study.Search, pages SearchPages) (study.SearchResult, error) {
	cands, err := s.Candidates(ctx, sel)
	if err != nil {
		return study.SearchResult{}, err
	}
	asOf := sel.at()
	ranked, excluded := search.Rank(cands, asOf)
	out := study.SearchResult{Search: search, AsOf: asOf,
		Parcels: study.NewPage(ranked, pages.Limit, pages.Offset), Excluded: study.NewPage(excluded, pages.ExcludedLimit, pages.ExcludedOffset)}
	out.Excluded.ByReason = map[string]int{}
	for _, e := range excluded {
		for _, r := range e.Reasons {
			out.Excluded.ByReason[r.Code]++
		}
	}
	var sites []study.Outcome
	if search.LargeSites {
		members := study.SiteMembers(ranked, excluded)
		byID := map[int64]study.Candidate{}
		ids := make([]int64, len(members))
		for i, m := range members {
			byID[m.ParcelID], ids[i] = m, m.ParcelID
		}
		groups, err := s.MergeGroups(ctx, sel, ids, search.SiteDistanceM)
		if err != nil {
			return study.SearchResult{}, err
		}
		var candGroups [][]study.Candidate
		for _, g := range groups {
			var cs []study.Candidate
			for _, id := range g {
				cs = append(cs, byID[id])
			}
			candGroups = append(candGroups, cs)
		}
		sites = search.RankSites(candGroups, asOf)
		page := study.NewPage(sites, pages.Limit, pages.Offset)
		out.LargeSites = &page
	}
	return out, s.explainPages(ctx, sel, search, &out)
}

// explainPages names every parcel on the returned pages and its nearest motorway junction (for a
// large site, its members') and puts the page into words.
func (s Store) explainPages(ctx context.Context, sel Selection, search study.Search, out *study.SearchResult) error {
	var ids []int64
	pages := []*study.Page{&out.Parcels, &out.Excluded}
	if out.LargeSites != nil {
		pages = append(pages, out.LargeSites)
	}
	for _, p := range pages {
		for _, o := range p.Items {
			if o.ParcelID != 0 {
				ids = append(ids, o.ParcelID)
			}
			ids = append(ids, o.Members...)
		}
	}
	described, err := s.describe(ctx, sel, ids)
	if err != nil {
		return err
	}
	for _, p := range pages {
		for i := range p.Items {
			o := &p.Items[i]
			if o.ParcelID != 0 {
				o.Name, o.NearestMotorway = described[o.ParcelID].name, described[o.ParcelID].junction
			} else {
				o.NearestMotorway = described[o.NearestMotorwayMember()].junction
			}
			search.Explain(o, p.Total, out.AsOf)
		}
	}
	if out.LargeSites != nil {
		for i := range out.LargeSites.Items {
			geom, err := s.MergedGeometry(ctx, sel, out.LargeSites.Items[i].Members)
			if err != nil {
				return err
			}
			out.LargeSites.Items[i].Geometry = geom
		}
	}
	return nil
}
