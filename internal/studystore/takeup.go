package studystore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/study"
)

// TakeUp computes take-up per year and district (study.TakeUpRow's definition), the reserve and
// marketable reserve at the selection's time, and from them the means and reaches over window.
// The filter applies to the state in which a parcel became sold.
func (s Store) TakeUp(ctx context.Context, sel Selection, window study.Window) (study.TakeUp, error) {
	rows, err := s.takeUpRows(ctx, sel)
	if err != nil {
		return study.TakeUp{}, err
	}
	stock, err := s.stock(ctx, sel)
	if err != nil {
		return study.TakeUp{}, err
	}
	return study.BuildTakeUp(rows, stock, sel.Scope.DistrictsIn(), sel.at(), window, sel.Internal), nil
}

// takeUpRows finds the states that became sold: a sold state whose previous state of the same
// parcel (the history row that ended when it began) was not sold. A first state that is already
// sold has no previous state and does not count.
func (s Store) takeUpRows(ctx context.Context, sel Selection) ([]study.TakeUpRow, error) {
	var q stmt
	from, conds, err := q.versions(sel)
	if err != nil {
		return nil, err
	}
	conds = append(conds,
		"t.status = 'sold'",
		"t.valid_from <= "+q.arg(sel.at()),
		"(t.ended_at IS NULL OR t.ended_at > t.valid_from)",
		`EXISTS (SELECT 1 FROM parcel_history prev
			WHERE prev.id = t.id AND prev.valid_to = t.valid_from AND prev.status <> 'sold')`)
	rows, err := s.db.Query(ctx, `
		SELECT extract(year FROM t.valid_from AT TIME ZONE 'Europe/Berlin')::int, t.district_ags::text,
		       sum(t.net_area_ha), count(*)
		FROM `+from+`
		WHERE `+where(conds)+`
		GROUP BY 1, 2 ORDER BY 1, 2`, q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("take-up: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (study.TakeUpRow, error) {
		var t study.TakeUpRow
		err := r.Scan(&t.Year, &t.DistrictAGS, &t.NetHa, &t.Parcels)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("take-up: %w", err)
	}
	return out, nil
}

// stock returns each district's reserve and marketable reserve at the selection's time.
func (s Store) stock(ctx context.Context, sel Selection) ([]study.Stock, error) {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `
		SELECT t.district_ags::text,
		       coalesce(sum(t.net_area_ha) FILTER (WHERE t.status = 'offered'), 0),
		       coalesce(sum(t.net_area_ha) FILTER (WHERE `+marketableSQL(sel.Internal)+`), 0)
		FROM `+from+constraintSummary+`
		WHERE `+where(conds)+`
		GROUP BY 1 ORDER BY 1`, q.Values()...)
	if err != nil {
		return nil, fmt.Errorf("reserve: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (study.Stock, error) {
		var st study.Stock
		err := r.Scan(&st.DistrictAGS, &st.ReserveHa, &st.MarketableHa)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("reserve: %w", err)
	}
	return out, nil
}
