package studystore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"landatlas/internal/store"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// benchStore opens the database `make bench` prepares (100,000 demo parcels).
func benchStore(b *testing.B) studystore.Store {
	b.Helper()
	url := os.Getenv("LANDATLAS_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("LANDATLAS_BENCH_DATABASE_URL is not set: run `make bench`, which prepares a database of 100,000 demo parcels")
	}
	pool, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return studystore.New(pool)
}

// snapshot runs a query the way the API does: in a read-only snapshot without JIT.
func snapshot(st studystore.Store, fn func(studystore.Store) error) error {
	return st.Snapshot(context.Background(), fn)
}

func benchGroupBy(b *testing.B, names string) []study.Grouping {
	g, err := study.ParseGroupBy(names)
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// Target: under 300 ms on 100,000 parcels.
func BenchmarkSupplyTwoGroupings(b *testing.B) {
	st := benchStore(b)
	req := studystore.SupplyRequest{Selection: studystore.Selection{Internal: true}, GroupBy: benchGroupBy(b, "district,size_class"), MinSiteHa: 5, MotorwayKm: 5}
	for b.Loop() {
		if err := snapshot(st, func(st studystore.Store) error { _, err := st.Supply(context.Background(), req); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSupplyTwoGroupingsAsOf(b *testing.B) {
	st := benchStore(b)
	req := studystore.SupplyRequest{Selection: studystore.Selection{Internal: true, AsOf: time.Now().AddDate(-3, 0, 0)},
		GroupBy: benchGroupBy(b, "district,status"), MinSiteHa: 5, MotorwayKm: 5}
	for b.Loop() {
		if err := snapshot(st, func(st studystore.Store) error { _, err := st.Supply(context.Background(), req); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTakeUpAndReach(b *testing.B) {
	st := benchStore(b)
	now := time.Now()
	for b.Loop() {
		if err := snapshot(st, func(st studystore.Store) error {
			_, err := st.TakeUp(context.Background(), studystore.Selection{Internal: true}, study.DefaultWindow(now))
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: under 500 ms. Every kind of hard criterion, every weight, and merged large sites.
func BenchmarkSearchAllCriteria(b *testing.B) {
	st := benchStore(b)
	by := study.Date{Time: time.Now().AddDate(3, 0, 0)}
	s, err := study.NewSearch("")
	if err != nil {
		b.Fatal(err)
	}
	s.Criteria = study.Criteria{
		MinNetHa: 1, MaxNetHa: 50, UseTypes: []string{"GI", "GE", "SO"}, PlanningStatuses: []string{"in_force", "built_up_area", "in_preparation"},
		Availabilities: []string{"now", "short_term", "medium_term"}, AvailableBy: &by,
		MaxDistanceKm:      map[string]float64{"motorway_junction": 15, "rail_freight_terminal": 40, "airport": 80, "inland_port": 120},
		ExcludeConstraints: []study.ConstraintRule{{Severity: "severe"}, {Kind: "flood_hq100"}},
		Require:            study.Utilities{MinPowerMW: 1, Serviced: "partial"},
	}
	s.Prefer = study.Utilities{Flags: study.Flagged("rail_siding", "hydrogen"), MinBroadbandMbps: 1000}
	s.TargetNetHa = 10
	for _, c := range study.ScoredCriteria() {
		s.Weights[c.Name] = 1
	}
	if err := s.Check(); err != nil {
		b.Fatal(err)
	}
	pages := studystore.SearchPages{Limit: 20, ExcludedLimit: 20}
	for b.Loop() {
		if err := snapshot(st, func(st studystore.Store) error {
			_, err := st.Search(context.Background(), studystore.Selection{Internal: true}, s, pages)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: under 3 s for the region.
func BenchmarkLargeSitesRegion(b *testing.B) {
	st := benchStore(b)
	opt := study.LargeSiteOptions{DistanceM: study.DefaultClusterDistanceM, MinNetHa: study.DefaultLargeSiteMinHa}
	for b.Loop() {
		if err := snapshot(st, func(st studystore.Store) error {
			_, err := st.LargeSites(context.Background(), studystore.Selection{Internal: true}, opt)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNearbyTenNearest(b *testing.B) {
	st := benchStore(b)
	for b.Loop() {
		if err := snapshot(st, func(st studystore.Store) error {
			_, err := st.Nearby(context.Background(), studystore.NearbyRequest{Selection: studystore.Selection{Internal: true}, Lon: 12.18, Lat: 51.43, K: 10})
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
