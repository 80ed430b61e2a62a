package studystore_test

import (
	"context"
	"testing"

	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// Figures computed side by side (Parallel) see the data of their snapshot: a parcel sold by
// someone else meanwhile changes none of them, so the report's parts still fit together.
func TestParallelSeesOneSnapshot(t *testing.T) {
	st, f, db := setup(t)
	ctx := context.Background()
	sel := studystore.Selection{Internal: true}
	var before, during []float64
	err := st.Snapshot(ctx, func(st studystore.Store) error {
		s, err := st.Supply(ctx, studystore.SupplyRequest{Selection: sel, MinSiteHa: 5, MotorwayKm: 5})
		if err != nil {
			return err
		}
		before = append(before, s.Total.Reserve.NetHa)
		if _, err := db.Pool.Exec(ctx, `UPDATE parcels SET status = 'sold' WHERE id = $1`, f.IDs("A")[0]); err != nil {
			return err
		}
		during = make([]float64, 3)
		fns := make([]func(studystore.Store) error, len(during))
		for i := range fns {
			fns[i] = func(st studystore.Store) error {
				s, err := st.Supply(ctx, studystore.SupplyRequest{Selection: sel, MinSiteHa: 5, MotorwayKm: 5})
				during[i] = s.Total.Reserve.NetHa
				return err
			}
		}
		return st.Parallel(ctx, fns...)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, ha := range during {
		if ha != before[0] {
			t.Errorf("part %d: reserve %g ha; the snapshot holds %g ha", i, ha, before[0])
		}
	}
	after, err := st.Supply(ctx, studystore.SupplyRequest{Selection: sel, MinSiteHa: 5, MotorwayKm: 5})
	if err != nil {
		t.Fatal(err)
	}
	if want := study.Round(before[0]-15, 4); after.Total.Reserve.NetHa != want {
		t.Errorf("after the sale: reserve %g ha, want %g (A's 15 ha sold)", after.Total.Reserve.NetHa, want)
	}
}
