package studystore

import (
	"context"

	"landatlas/internal/study"
)

// Indicators computes the monitoring report's indicator set for the region and each district at
// the selection's date (its scope is the whole region; who reads decides which parcels count).
// Run it on a snapshot so the figures fit together.
func (s Store) Indicators(ctx context.Context, sel Selection) (study.IndicatorSet, error) {
	sel.Scope = study.Scope{}
	at := sel.at()
	in := study.IndicatorInputs{AsOf: at, ByDim: map[string]study.Supply{}, Locations: map[string]study.Supply{}}
	groups := func(names ...string) ([]study.Grouping, error) {
		var out []study.Grouping
		for _, n := range names {
			g, err := study.ParseGroupBy(n)
			if err != nil {
				return nil, err
			}
			out = append(out, g...)
		}
		return out, nil
	}
	supply := func(sel Selection, names ...string) (study.Supply, error) {
		g, err := groups(names...)
		if err != nil {
			return study.Supply{}, err
		}
		return s.Supply(ctx, SupplyRequest{Selection: sel, GroupBy: g, MinSiteHa: 5, MotorwayKm: 5})
	}
	var err error
	if in.Base, err = supply(sel, "district"); err != nil {
		return study.IndicatorSet{}, err
	}
	for _, dim := range study.IndicatorDims {
		if in.ByDim[dim], err = supply(sel, "district", dim); err != nil {
			return study.IndicatorSet{}, err
		}
	}
	for _, f := range study.LocationFilters {
		located := sel
		located.Filter = f.Filter
		if sel.Filter != "" {
			located.Filter = "(" + sel.Filter + ") AND (" + f.Filter + ")"
		}
		if in.Locations[f.Key], err = supply(located, "district"); err != nil {
			return study.IndicatorSet{}, err
		}
	}
	if in.TakeUp, err = s.TakeUp(ctx, sel, study.DefaultWindow(at)); err != nil {
		return study.IndicatorSet{}, err
	}
	in.Balance = study.BuildBalance(in.TakeUp, study.DemandInputs{TargetYear: study.DefaultTargetYear})
	opt := study.LargeSiteOptions{DistanceM: study.DefaultClusterDistanceM, MinNetHa: study.LargeSiteSizes[0]}
	if in.Large, err = s.LargeSites(ctx, sel, opt); err != nil {
		return study.IndicatorSet{}, err
	}
	months, err := s.FreshMonths(ctx)
	if err != nil {
		return study.IndicatorSet{}, err
	}
	if in.Quality, _, err = s.Quality(ctx, sel, months); err != nil {
		return study.IndicatorSet{}, err
	}
	set := study.BuildIndicators(in)
	set.DataVersion, err = s.DataVersion(ctx)
	return set, err
}
