package studystore_test

import (
	"context"
	"reflect"
	"testing"

	"landatlas/internal/store"
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

// With no connection to spare (a pool of one, held by the snapshot), the parts run one after the
// other in the snapshot's own transaction: the answer comes, and it is the same.
func TestParallelWithoutSpareConnections(t *testing.T) {
	st, _, db := setup(t)
	ctx := context.Background()
	pool, err := store.OpenPool(ctx, db.URL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	sel := studystore.Selection{Internal: true, AsOf: asOf(t, "2025-12-31")}
	want, err := st.Indicators(ctx, sel)
	if err != nil {
		t.Fatal(err)
	}
	got, err := studystore.New(pool).Indicators(ctx, sel)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Units, want.Units) {
		t.Errorf("on one connection: %+v\nwant %+v", got.Units, want.Units)
	}
}
