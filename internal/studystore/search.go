package studystore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/study"
)

// Candidates returns the parcels on offer in the selection with what the site search judges them
// by. The judging is study.Search's, in Go, so every exclusion keeps its reason.
func (s Store) Candidates(ctx context.Context, sel Selection) ([]study.Candidate, error) {
	var q query
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	conds = append(conds, "t.status = 'offered'")
	rows, err := s.db.Query(ctx, `
		SELECT t.id, t.name, t.district_ags::text, `+districtLabelSQL+`, d.land, t.use_type::text, t.planning_status::text,
		       t.availability::text, t.available_from, t.net_area_ha, t.gross_area_ha,
		       t.dist_motorway_m, t.dist_rail_terminal_m, t.dist_airport_m, t.dist_port_m,
		       t.power_mw::float8, t.broadband_mbps, t.rail_siding, t.hydrogen, t.gas, t.water, t.process_water,
		       t.waste_water, t.district_heat, t.serviced::text, pc.kinds, pc.severities, pc.shares
		FROM `+from+`
		LEFT JOIN (SELECT parcel_id, array_agg(kind::text ORDER BY kind, severity) AS kinds,
		                  array_agg(severity::text ORDER BY kind, severity) AS severities,
		                  array_agg(share ORDER BY kind, severity) AS shares
		           FROM parcel_constraints GROUP BY parcel_id) pc ON pc.parcel_id = t.id
		WHERE `+where(conds), q.args...)
	if err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	defer rows.Close()
	var out []study.Candidate
	for rows.Next() {
		var c study.Candidate
		var district, districtName, land string
		var availableFrom *time.Time
		dist := make([]*float64, len(study.DistanceKinds))
		var kinds, severities []string
		var shares []float64
		err := rows.Scan(&c.ParcelID, &c.Name, &district, &districtName, &land, &c.UseType, &c.PlanningStatus,
			&c.Availability, &availableFrom, &c.NetHa, &c.GrossHa, &dist[0], &dist[1], &dist[2], &dist[3],
			&c.PowerMW, &c.BroadbandMbps, &c.RailSiding, &c.Hydrogen, &c.Gas, &c.Water, &c.ProcessWater,
			&c.WasteWater, &c.DistrictHeat, &c.Serviced, &kinds, &severities, &shares)
		if err != nil {
			return nil, fmt.Errorf("search candidates: %w", err)
		}
		c.Districts, c.DistrictNames, c.Lands = []string{district}, []string{districtName}, []string{land}
		c.AvailableFrom = availableFrom
		for i, kind := range study.DistanceKinds {
			if dist[i] != nil {
				c.Distances.Set(kind, *dist[i])
			}
		}
		c.Constraints = []study.ConstraintShare{}
		for i := range kinds {
			c.Constraints = append(c.Constraints, study.ConstraintShare{Kind: kinds[i], Severity: severities[i], Share: study.Round(shares[i], 4)})
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	// In id order, so the excluded are listed the same way every time (sorting here is cheaper
	// than an index walk in the database).
	slices.SortFunc(out, func(a, b study.Candidate) int { return cmp.Compare(a.ParcelID, b.ParcelID) })
	return out, nil
}

// MergeGroups clusters the given parcels of a selection the way LargeSites does and returns the
// groups of at least two parcels, as parcel ids.
func (s Store) MergeGroups(ctx context.Context, sel Selection, ids []int64, distanceM float64) ([][]int64, error) {
	if len(ids) < 2 {
		return nil, nil
	}
	sel.IDs = ids
	var q query
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT array_agg(id ORDER BY id) FROM (
			SELECT t.id, ST_ClusterDBSCAN(t.geom, eps := `+q.arg(distanceM)+`, minpoints := 1) OVER () AS cluster
			FROM `+from+` WHERE `+where(conds)+`
		) c GROUP BY cluster HAVING count(*) > 1`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("merge sites: %w", err)
	}
	groups, err := pgx.CollectRows(rows, pgx.RowTo[[]int64])
	if err != nil {
		return nil, fmt.Errorf("merge sites: %w", err)
	}
	return groups, nil
}

// NearestJunctions names the nearest motorway junction of each of the given parcels of a
// selection, for the explanations of one page of results.
func (s Store) NearestJunctions(ctx context.Context, sel Selection, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	sel.IDs = ids
	var q query
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT t.id, (SELECT i.name FROM infrastructure i WHERE i.kind = 'motorway_junction' ORDER BY i.geom <-> t.geom LIMIT 1)
		FROM `+from+` WHERE `+where(conds), q.args...)
	if err != nil {
		return nil, fmt.Errorf("nearest junctions: %w", err)
	}
	var id int64
	var name *string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		if name != nil {
			out[id] = *name
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("nearest junctions: %w", err)
	}
	return out, nil
}

// MergedGeometry returns the union of the given parcels of a selection as WGS84 GeoJSON.
func (s Store) MergedGeometry(ctx context.Context, sel Selection, ids []int64) (json.RawMessage, error) {
	sel.IDs = ids
	var q query
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	var geom string
	err = s.db.QueryRow(ctx, `SELECT ST_AsGeoJSON(ST_Transform(ST_Union(t.geom), 4326), 6) FROM `+from+` WHERE `+where(conds), q.args...).Scan(&geom)
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

// explainPages names the nearest motorway junction of every parcel on the returned pages (for a
// large site, of its members) and explains them again with it.
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
	names, err := s.NearestJunctions(ctx, sel, ids)
	if err != nil {
		return err
	}
	for _, p := range pages {
		for i := range p.Items {
			o := &p.Items[i]
			if o.ParcelID != 0 {
				o.NearestMotorway = names[o.ParcelID]
			} else {
				o.NearestMotorway = names[o.NearestMotorwayMember()]
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
