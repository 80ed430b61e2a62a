package studystore

import (
	"context"
	"fmt"
	"strings"

	"landatlas/internal/study"
)

// Indicators computes the monitoring report's indicator set for the region and each district at
// the selection's date (its scope is the whole region; who reads decides which parcels count).
// Its parts run side by side on one snapshot (Parallel), so the figures fit together.
func (s Store) Indicators(ctx context.Context, sel Selection) (study.IndicatorSet, error) {
	sel.Scope = study.Scope{}
	at := sel.at()
	in := study.IndicatorInputs{AsOf: at}
	byDistrict, err := study.ParseGroupBy("district")
	if err != nil {
		return study.IndicatorSet{}, err
	}
	var version map[string]int64
	// Three parts of about equal cost, side by side: large sites, supply and take-up, the reserve
	// breakdown and the quality.
	err = s.Parallel(ctx,
		func(s Store) error {
			var err error
			if in.Large, err = s.LargeSites(ctx, sel, study.LargeSiteOptions{DistanceM: study.DefaultClusterDistanceM, MinNetHa: study.LargeSiteSizes[0]}); err != nil {
				return err
			}
			version, err = s.DataVersion(ctx, sel.Internal)
			return err
		},
		func(s Store) error {
			var err error
			if in.Base, err = s.Supply(ctx, SupplyRequest{Selection: sel, GroupBy: byDistrict, MinSiteHa: 5, MotorwayKm: 5}); err != nil {
				return err
			}
			in.TakeUp, err = s.TakeUp(ctx, sel, study.DefaultWindow(at))
			return err
		},
		func(s Store) error {
			var err error
			if in.ReserveBy, in.LocationReserve, err = s.reserveBreakdown(ctx, sel); err != nil {
				return err
			}
			months, err := s.FreshMonths(ctx)
			if err != nil {
				return err
			}
			in.Quality, err = s.QualitySummary(ctx, sel, months)
			return err
		},
	)
	if err != nil {
		return study.IndicatorSet{}, err
	}
	in.Balance = study.BuildBalance(in.TakeUp, study.DemandInputs{TargetYear: study.DefaultTargetYear})
	set := study.BuildIndicators(in)
	set.DataVersion = version
	return set, nil
}

// reserveBreakdown sums the reserve (parcels on offer) by district and each of the indicator
// dimensions in one pass (grouping sets), with the location filters as aggregate filters.
func (s Store) reserveBreakdown(ctx context.Context, sel Selection) (map[string]map[string]map[string]float64, map[string]map[string]float64, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, nil, err
	}
	var sets, locs []string
	for _, dim := range study.IndicatorDims {
		sets = append(sets, "(t.district_ags, t."+dim+"::text)")
	}
	for _, f := range study.LocationFilters {
		cond, err := q.filter(f.Filter, sel.Internal)
		if err != nil {
			return nil, nil, err
		}
		locs = append(locs, "coalesce(sum(t.net_area_ha) FILTER (WHERE "+cond+"), 0)")
	}
	var grouping []string
	for _, dim := range study.IndicatorDims {
		grouping = append(grouping, "t."+dim+"::text")
	}
	rows, err := s.db.Query(ctx, `
		SELECT t.district_ags, `+strings.Join(grouping, ", ")+`, sum(t.net_area_ha), `+strings.Join(locs, ", ")+`
		FROM `+from+` WHERE `+where(append(conds, "t.status = 'offered'"))+`
		GROUP BY GROUPING SETS ((t.district_ags), `+strings.Join(sets, ", ")+`)`, q.Values()...)
	if err != nil {
		return nil, nil, fmt.Errorf("reserve breakdown: %w", err)
	}
	defer rows.Close()
	by := map[string]map[string]map[string]float64{}
	located := map[string]map[string]float64{}
	for rows.Next() {
		var ags string
		codes := make([]*string, len(study.IndicatorDims))
		var ha float64
		loc := make([]float64, len(study.LocationFilters))
		dest := []any{&ags}
		for i := range codes {
			dest = append(dest, &codes[i])
		}
		dest = append(dest, &ha)
		for i := range loc {
			dest = append(dest, &loc[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, fmt.Errorf("reserve breakdown: %w", err)
		}
		grouped := false
		for i, c := range codes {
			if c == nil {
				continue
			}
			grouped = true
			dim := study.IndicatorDims[i]
			if by[dim] == nil {
				by[dim] = map[string]map[string]float64{}
			}
			if by[dim][ags] == nil {
				by[dim][ags] = map[string]float64{}
			}
			by[dim][ags][*c] += ha
		}
		if !grouped { // the district's row: the location sums
			for i, f := range study.LocationFilters {
				if located[f.Key] == nil {
					located[f.Key] = map[string]float64{}
				}
				located[f.Key][ags] = loc[i]
			}
		}
	}
	return by, located, rows.Err()
}
