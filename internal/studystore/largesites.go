package studystore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/query"
	"landatlas/internal/study"
)

// siteIDSQL is a parcel's site id as the reader may see it: the public gets the ids of public
// sites only, as in the parcels collection.
func siteIDSQL(internal bool) string {
	p, ok := parcelsCollection.Property("site_id", internal)
	if !ok {
		panic("the parcels collection has no site_id")
	}
	return p.PropertySQL(internal)
}

// LargeSites merges neighbouring available parcels of the selection with ST_ClusterDBSCAN (every
// parcel is a core point, so a cluster is what is chained within the distance), keeps the
// clusters whose net area reaches the threshold, and describes each merged site. For planners it
// also lists the strategic reserve sites in the scope.
func (s Store) LargeSites(ctx context.Context, sel Selection, opt study.LargeSiteOptions) (study.LargeSites, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return study.LargeSites{}, err
	}
	conds = append(conds, "t.status = 'offered'", "t.availability <> 'not_available'")
	eps, minHa := q.arg(opt.DistanceM), q.arg(opt.MinNetHa)
	rows, err := s.db.Query(ctx, `
		WITH available AS (
			SELECT t.id, t.geom, t.net_area_ha, t.gross_area_ha, t.district_ags::text AS district_ags,
			       `+districtLabelSQL+` AS district_name, d.land, t.planning_status, t.availability, `+siteIDSQL(sel.Internal)+` AS site_id,
			       coalesce(s.strategic_reserve, false) AS strategic_reserve
			FROM `+from+`
			WHERE `+where(conds)+`
		), clustered AS (
			SELECT *, ST_ClusterDBSCAN(geom, eps := `+eps+`, minpoints := 1) OVER () AS cluster FROM available
		), kept AS (
			SELECT cluster FROM clustered GROUP BY cluster HAVING sum(net_area_ha) >= `+minHa+`
		), merged AS (
			SELECT c.cluster, array_agg(c.id ORDER BY c.id) AS ids,
			       array_agg(DISTINCT c.district_ags ORDER BY c.district_ags) AS districts,
			       array_agg(DISTINCT c.land ORDER BY c.land) AS lands,
			       sum(c.net_area_ha) AS net_ha, sum(c.gross_area_ha) AS gross_ha,
			       coalesce(sum(c.net_area_ha) FILTER (WHERE c.availability IN ('now', 'short_term')), 0) AS available_ha,
			       min(c.planning_status)::text AS best_planning,
			       coalesce(array_agg(DISTINCT c.site_id ORDER BY c.site_id) FILTER (WHERE c.site_id IS NOT NULL), '{}') AS site_ids,
			       bool_or(c.strategic_reserve) AS strategic_reserve,
			       ST_Union(c.geom) AS geom
			FROM clustered c JOIN kept USING (cluster)
			GROUP BY c.cluster
		)
		SELECT ids, districts,
		       ARRAY(SELECT `+districtLabelSQL+` FROM districts d WHERE d.ags = ANY (merged.districts) ORDER BY d.ags),
		       lands, net_ha, available_ha, gross_ha, largest_part_ha(geom), best_planning, site_ids, strategic_reserve,
		       ST_AsGeoJSON(ST_Transform(geom, 4326), 6),
		       coalesce((SELECT json_agg(json_build_object('kind', kind, 'severity', severity, 'area_ha', round(area::numeric, 4),
		                   'share', round((area / merged.gross_ha)::numeric, 4)) ORDER BY kind, severity)
		                 FROM (SELECT pc.kind, pc.severity, sum(pc.area_ha) AS area FROM parcel_constraints pc
		                       WHERE pc.parcel_id = ANY (merged.ids) GROUP BY 1, 2) c), '[]')
		FROM merged
		ORDER BY net_ha DESC, ids[1]`, q.Values()...)
	if err != nil {
		return study.LargeSites{}, fmt.Errorf("large sites: %w", err)
	}
	out := study.LargeSites{LargeSiteOptions: opt, Sites: []study.LargeSite{}}
	sites, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (study.LargeSite, error) {
		var ls study.LargeSite
		var geom string
		var constraints []byte
		var strategic bool
		err := r.Scan(&ls.MemberIDs, &ls.Districts, &ls.DistrictNames, &ls.Lands, &ls.NetHa, &ls.AvailableNetHa, &ls.GrossHa,
			&ls.LargestPartHa, &ls.BestPlanningStatus, &ls.SiteIDs, &strategic, &geom, &constraints)
		if err != nil {
			return ls, err
		}
		ls.ID = "cluster-" + strconv.FormatInt(ls.MemberIDs[0], 10)
		ls.Geometry = json.RawMessage(geom)
		ls.CrossesDistricts, ls.CrossesLands = len(ls.Districts) > 1, len(ls.Lands) > 1
		ls.NetHa, ls.AvailableNetHa = study.Round(ls.NetHa, 4), study.Round(ls.AvailableNetHa, 4)
		ls.GrossHa, ls.LargestPartHa = study.Round(ls.GrossHa, 4), study.Round(ls.LargestPartHa, 4)
		if sel.Internal {
			ls.StrategicReserve = &strategic
		}
		return ls, json.Unmarshal(constraints, &ls.Constraints)
	})
	if err != nil {
		return study.LargeSites{}, fmt.Errorf("large sites: %w", err)
	}
	out.Sites = sites
	for _, ls := range sites {
		out.TotalNetHa += ls.NetHa
	}
	out.TotalNetHa = study.Round(out.TotalNetHa, 4)
	if sel.Internal {
		if out.StrategicReserves, err = s.strategicReserves(ctx, sel); err != nil {
			return study.LargeSites{}, err
		}
		total := 0.0
		for _, r := range out.StrategicReserves {
			total += r.GrossHa
		}
		total = study.Round(total, 4)
		out.StrategicTotalHa = &total
	}
	return out, nil
}

// districtLabelSQL tells the two Leipzigs apart: the catalog's district name (alias d).
var districtLabelSQL = func() string {
	p, _ := parcelsCollection.Property("district_name", false)
	return p.SQL
}()

// strategicReserves lists the strategic reserve sites of the scope that existed at the selection's
// time, with the figures of their parcels in the selection. Only the members of strategic sites
// are summed (s is the parcel's site; sites keep no history of their attributes).
func (s Store) strategicReserves(ctx context.Context, sel Selection) ([]study.StrategicReserve, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	siteSel := sel
	siteSel.Filter, siteSel.IDs = "", nil
	siteFrom, siteConds, err := q.build(sitesCollection, siteSel, query.At(sel.AsOf))
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `
		WITH members AS (
			SELECT t.site_id, count(*) AS parcels, sum(t.net_area_ha) AS net_ha,
			       coalesce(sum(t.net_area_ha) FILTER (WHERE t.status = 'offered'), 0) AS offered_ha,
			       min(t.planning_status)::text AS best_planning
			FROM `+from+`
			WHERE `+where(conds)+` AND s.strategic_reserve
			GROUP BY t.site_id
		)
		SELECT t.id, t.name, t.district_ags::text, `+districtLabelSQL+`,
		       t.gross_area_ha, coalesce(mb.parcels, 0), coalesce(mb.net_ha, 0), coalesce(mb.offered_ha, 0), coalesce(mb.best_planning, '')
		FROM `+siteFrom+` LEFT JOIN members mb ON mb.site_id = t.id
		WHERE `+where(append(siteConds, "t.strategic_reserve"))+`
		ORDER BY t.gross_area_ha DESC, t.id`, q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("strategic reserves: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (study.StrategicReserve, error) {
		var sr study.StrategicReserve
		err := r.Scan(&sr.SiteID, &sr.Name, &sr.DistrictAGS, &sr.DistrictName, &sr.GrossHa, &sr.Parcels, &sr.NetHa, &sr.OfferedNetHa, &sr.BestPlanningStatus)
		sr.GrossHa, sr.NetHa, sr.OfferedNetHa = study.Round(sr.GrossHa, 4), study.Round(sr.NetHa, 4), study.Round(sr.OfferedNetHa, 4)
		return sr, err
	})
	if err != nil {
		return nil, fmt.Errorf("strategic reserves: %w", err)
	}
	if out == nil {
		out = []study.StrategicReserve{}
	}
	return out, nil
}
