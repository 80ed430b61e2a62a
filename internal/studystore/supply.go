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
// planner reports, for the whole selection and for each group, in one pass over the parcels.
func (s Store) Supply(ctx context.Context, r SupplyRequest) (study.Supply, error) {
	var q query
	from, conds, err := q.selection(r.Selection)
	if err != nil {
		return study.Supply{}, err
	}
	var keys, labels []string
	for i, g := range r.GroupBy {
		p, ok := parcelsCollection.Property(g.Property, r.Internal)
		if !ok {
			return study.Supply{}, apperr.New(apperr.Invalid, "group_by: %s is internal: sign in to group by it", g.Name)
		}
		keys = append(keys, fmt.Sprintf("%s AS k%d", p.PropertySQL(r.Internal), i))
		label := "NULL::text"
		if g.LabelProperty != "" {
			lp, _ := parcelsCollection.Property(g.LabelProperty, r.Internal)
			label = lp.PropertySQL(r.Internal)
		}
		labels = append(labels, fmt.Sprintf("%s AS l%d", label, i))
	}
	shares := s.shareColumns(&q, r)
	minSite := q.arg(r.MinSiteHa)
	siteVisible := "s.publication = 'public'"
	if r.Internal {
		siteVisible = "true"
	}
	groupCols, grouping, groupBy := "", "1", ""
	if len(r.GroupBy) > 0 {
		var cols []string
		for i := range r.GroupBy {
			cols = append(cols, fmt.Sprintf("k%d", i), fmt.Sprintf("l%d", i))
		}
		groupCols = strings.Join(cols, ", ") + ", "
		grouping = "GROUPING(k0)"
		groupBy = "GROUP BY GROUPING SETS ((" + strings.Join(cols, ", ") + "), ())"
	}
	var join []string
	for i := range r.GroupBy {
		join = append(join, fmt.Sprintf("s.k%[1]d IS NOT DISTINCT FROM p.k%[1]d", i))
	}
	sql := `
		WITH sel AS (
			SELECT ` + strings.Join(append(keys, labels...), ", ") + strings.Repeat(",", min(len(keys), 1)) + `
			       t.site_id, s.gross_area_ha AS site_ha, ` + siteVisible + ` AS site_visible,
			       t.gross_area_ha, t.net_area_ha, t.status, ` + strings.Join(shares.exprs, ", ") + `
			FROM ` + from + constraintSummary + `
			WHERE ` + where(conds) + `
		), parcel_figures AS (
			SELECT ` + groupCols + grouping + ` AS total, count(*) AS parcels,
			       coalesce(sum(gross_area_ha), 0) AS gross_ha, coalesce(sum(net_area_ha), 0) AS net_ha,
			       count(*) FILTER (WHERE status = 'offered') AS reserve_parcels,
			       coalesce(sum(net_area_ha) FILTER (WHERE status = 'offered'), 0) AS reserve_ha,
			       ` + strings.Join(shares.sums, ", ") + `
			FROM sel ` + groupBy + `
		), site_figures AS (
			SELECT ` + groupCols + grouping + ` AS total, count(*) AS sites, coalesce(sum(site_ha), 0) AS site_ha,
			       count(*) FILTER (WHERE site_ha >= ` + minSite + `) AS large_sites,
			       coalesce(sum(site_ha) FILTER (WHERE site_ha >= ` + minSite + `), 0) AS large_site_ha
			FROM (SELECT DISTINCT ` + groupCols + `site_id, site_ha FROM sel WHERE site_id IS NOT NULL AND site_visible) x
			` + groupBy + `
		)
		SELECT p.*, coalesce(s.sites, 0), coalesce(s.site_ha, 0), coalesce(s.large_sites, 0), coalesce(s.large_site_ha, 0)
		FROM parcel_figures p LEFT JOIN site_figures s ON s.total = p.total` + strings.Repeat(" AND ", min(len(join), 1)) + strings.Join(join, " AND ")
	rows, err := s.db.Query(ctx, sql, q.args...)
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

// shares are the columns and sums behind the shares of a reader.
type shares struct{ names, exprs, sums []string }

func (s Store) shareColumns(q *query, r SupplyRequest) shares {
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
	for i, name := range study.Shares(r.Internal) {
		sh.names = append(sh.names, name)
		sh.exprs = append(sh.exprs, fmt.Sprintf("coalesce(%s, false) AS s%d", cond(name), i))
		sh.sums = append(sh.sums, fmt.Sprintf("coalesce(sum(net_area_ha) FILTER (WHERE s%d), 0)", i))
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
