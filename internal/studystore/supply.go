package studystore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/study"
)

// SupplyRequest asks for the supply of a selection grouped by some dimensions.
type SupplyRequest struct {
	Selection
	GroupBy []study.Grouping
	// MinSiteHa is the gross area from which a site counts in sites_at_least_min (the study: 5 ha).
	MinSiteHa float64
	// MotorwayKm is the distance of the near_motorway share.
	MotorwayKm float64
}

// Supply counts parcels and sites with their gross and net area, the reserve and the shares a
// planner reports, for the whole selection and for each group, in one pass over the parcels: each
// group collects its site ids, and the sites are counted once each from those.
func (s Store) Supply(ctx context.Context, r SupplyRequest) (study.Supply, error) {
	var q stmt
	from, conds, err := q.selection(r.Selection)
	if err != nil {
		return study.Supply{}, err
	}
	var cols, exprs, selected []string
	for i, g := range r.GroupBy {
		p, ok := parcelsCollection.Property(g.Property, r.Internal)
		if !ok {
			return study.Supply{}, apperr.New(apperr.Invalid, "group_by: %s is internal: sign in to group by it", g.Name)
		}
		label := "NULL::text"
		if g.LabelProperty != "" {
			lp, _ := parcelsCollection.Property(g.LabelProperty, r.Internal)
			label = lp.PropertySQL(r.Internal)
		}
		key := p.PropertySQL(r.Internal)
		exprs = append(exprs, key, label)
		cols = append(cols, fmt.Sprintf("%s AS k%d, %s AS l%d", key, i, label, i))
		selected = append(selected, fmt.Sprintf("g.k%[1]d, g.l%[1]d", i))
	}
	shares := shareSums(&q, r)
	minSite := q.arg(r.MinSiteHa)
	siteID := siteIDSQL(r.Internal)
	grouping, groupBy := "1", ""
	if len(exprs) > 0 {
		// Grouping sets need the expressions themselves, not the output names.
		grouping = "GROUPING(" + exprs[0] + ")"
		groupBy = "GROUP BY GROUPING SETS ((" + strings.Join(exprs, ", ") + "), ())"
	}
	cols = append(cols, grouping+" AS total")
	selected = append(selected, "g.total, g.parcels, g.gross_ha, g.net_ha, g.reserve_parcels, g.reserve_ha")
	for i := range shares.sums {
		selected = append(selected, fmt.Sprintf("g.sh%d", i))
	}
	sql := `
		WITH groups AS (
			SELECT ` + strings.Join(cols, ", ") + `, count(*) AS parcels,
			       coalesce(sum(t.gross_area_ha), 0) AS gross_ha, coalesce(sum(t.net_area_ha), 0) AS net_ha,
			       count(*) FILTER (WHERE t.status = 'offered') AS reserve_parcels,
			       coalesce(sum(t.net_area_ha) FILTER (WHERE t.status = 'offered'), 0) AS reserve_ha,
			       ` + strings.Join(shares.sums, ", ") + `,
			       array_agg(` + siteID + `) FILTER (WHERE ` + siteID + ` IS NOT NULL) AS site_ids
			FROM ` + from + constraintSummary + `
			WHERE ` + where(conds) + `
			` + groupBy + `
		)
		SELECT ` + strings.Join(selected, ", ") + `, x.*
		FROM groups g, LATERAL (
			SELECT count(*), coalesce(sum(s.gross_area_ha), 0),
			       count(*) FILTER (WHERE s.gross_area_ha >= ` + minSite + `),
			       coalesce(sum(s.gross_area_ha) FILTER (WHERE s.gross_area_ha >= ` + minSite + `), 0)
			FROM sites s WHERE s.id = ANY (g.site_ids)) x`
	rows, err := s.db.Query(ctx, sql, q.Values()...)
	if err != nil {
		return study.Supply{}, fmt.Errorf("supply: %w", err)
	}
	out := study.Supply{MinSiteHa: r.MinSiteHa, MotorwayKm: r.MotorwayKm, MarketableRule: study.MarketableRule(r.Internal), Groups: []study.SupplyGroup{}}
	for _, g := range r.GroupBy {
		out.GroupBy = append(out.GroupBy, g.Name)
	}
	defer rows.Close()
	for rows.Next() {
		g, total, err := scanSupplyRow(rows, r, shares.names)
		if err != nil {
			return study.Supply{}, fmt.Errorf("supply: %w", err)
		}
		if total {
			out.Total = g
		} else {
			out.Groups = append(out.Groups, g)
		}
	}
	if err := rows.Err(); err != nil {
		return study.Supply{}, fmt.Errorf("supply: %w", err)
	}
	sortGroups(out.Groups, r.GroupBy)
	for i := range out.Groups {
		var keys [][2]string
		for _, g := range r.GroupBy {
			keys = append(keys, [2]string{g.Property, out.Groups[i].Key[g.Name]})
		}
		out.Groups[i].ParcelsFilter = study.ParcelsFilter(r.Scope, r.Filter, keys)
	}
	out.Total.ParcelsFilter = study.ParcelsFilter(r.Scope, r.Filter, nil)
	return out, nil
}

// shares are the sums behind the shares a reader gets, in study.Shares order.
type shares struct{ names, sums []string }

func shareSums(q *stmt, r SupplyRequest) shares {
	cond := func(name string) string {
		switch name {
		case study.ShareBuildingRights:
			return "t.planning_status = 'in_force'"
		case study.ShareRestrictedMinor:
			return "pc.parcel_id IS NOT NULL AND NOT pc.severe"
		case study.ShareRestrictedSever:
			return "coalesce(pc.severe, false)"
		case study.ShareBrownfield:
			return "NOT t.greenfield"
		case study.SharePubliclyOwned:
			return "t.ownership::text = ANY (" + q.arg(study.PublicOwnerships) + "::text[])"
		case study.ShareMarketable:
			return marketableSQL(r.Internal)
		}
		return "t.dist_motorway_m <= " + q.arg(r.MotorwayKm*1000)
	}
	var sh shares
	for _, name := range study.Shares(r.Internal) {
		sh.names = append(sh.names, name)
		sh.sums = append(sh.sums, fmt.Sprintf("coalesce(sum(t.net_area_ha) FILTER (WHERE %s), 0) AS sh%d", cond(name), len(sh.sums)))
	}
	return sh
}

func scanSupplyRow(rows pgx.Rows, r SupplyRequest, shareNames []string) (study.SupplyGroup, bool, error) {
	n := len(r.GroupBy)
	keys, labels := make([]*string, n), make([]*string, n)
	var total int
	var g study.SupplyGroup
	shareHa := make([]float64, len(shareNames))
	var sites, largeSites int
	var siteHa, largeSiteHa float64
	dest := []any{}
	for i := range n {
		dest = append(dest, &keys[i], &labels[i])
	}
	dest = append(dest, &total, &g.Parcels, &g.GrossHa, &g.NetHa, &g.Reserve.Parcels, &g.Reserve.NetHa)
	for i := range shareHa {
		dest = append(dest, &shareHa[i])
	}
	dest = append(dest, &sites, &siteHa, &largeSites, &largeSiteHa)
	if err := rows.Scan(dest...); err != nil {
		return g, false, err
	}
	g.GrossHa, g.NetHa, g.Reserve.NetHa = study.Round(g.GrossHa, 4), study.Round(g.NetHa, 4), study.Round(g.Reserve.NetHa, 4)
	g.Sites = study.SiteFigure{Count: sites, GrossHa: study.Round(siteHa, 4)}
	g.AtLeastMin = study.SiteFigure{Count: largeSites, GrossHa: study.Round(largeSiteHa, 4)}
	g.Shares = map[string]study.Share{}
	for i, name := range shareNames {
		g.Shares[name] = study.NewShare(shareHa[i], g.NetHa)
	}
	if total == 1 || n == 0 {
		return g, true, nil
	}
	g.Key, g.Label = map[string]string{}, map[string]study.Text{}
	for i, gr := range r.GroupBy {
		k := ""
		if keys[i] != nil {
			k = *keys[i]
		}
		g.Key[gr.Name] = k
		g.Label[gr.Name] = gr.Label(k)
		if labels[i] != nil {
			g.Label[gr.Name] = study.Text{DE: *labels[i], EN: *labels[i]}
		}
	}
	return g, false, nil
}

// sortGroups orders groups by their keys, codes in the order of their code list.
func sortGroups(groups []study.SupplyGroup, by []study.Grouping) {
	slices.SortFunc(groups, func(a, b study.SupplyGroup) int {
		for _, g := range by {
			ka, kb := a.Key[g.Name], b.Key[g.Name]
			if len(g.Codes.Codes) > 0 {
				if c := cmp.Compare(slices.Index(g.Codes.Values(), ka), slices.Index(g.Codes.Values(), kb)); c != 0 {
					return c
				}
			}
			if c := cmp.Compare(ka, kb); c != 0 {
				return c
			}
		}
		return 0
	})
}
