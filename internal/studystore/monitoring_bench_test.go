package studystore_test

import (
	"context"
	"testing"
	"time"

	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// Target: closing a campaign (progress of every district and the official run) within 10 s at
// 100,000 parcels. Each round opens a campaign and closes it: the bench database keeps them.
func BenchmarkCloseCampaign(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	day := time.Now().In(study.Berlin).Format(time.DateOnly)
	for b.Loop() {
		c, err := st.OpenCampaign(ctx, study.CampaignInput{Title: "Bench", ReferenceDate: day, Deadline: day}, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.CloseCampaign(ctx, c.ID, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// Target: the region's report data (the indicator set at two dates) within 2 s at 100,000 parcels.
// The two dates run side by side on one snapshot, as the API computes them.
func BenchmarkMonitoringIndicators(b *testing.B) {
	st := benchStore(b)
	now := time.Now()
	for b.Loop() {
		err := snapshot(st, func(st studystore.Store) error {
			return st.Parallel(context.Background(), indicatorsAt(now.AddDate(-1, 0, 0)), indicatorsAt(now))
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// Target: compare's data (the indicator set at two dates and the parcels behind the changes)
// within 2 s at 100,000 parcels, computed as the API does.
func BenchmarkCompare(b *testing.B) {
	st := benchStore(b)
	now := time.Now()
	from := now.AddDate(-1, 0, 0)
	for b.Loop() {
		err := snapshot(st, func(st studystore.Store) error {
			return st.Parallel(context.Background(), indicatorsAt(from), indicatorsAt(now), func(st studystore.Store) error {
				_, err := st.ParcelChanges(context.Background(), true, from, now)
				return err
			})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func indicatorsAt(at time.Time) func(studystore.Store) error {
	return func(st studystore.Store) error {
		_, err := st.Indicators(context.Background(), studystore.Selection{Internal: true, AsOf: at})
		return err
	}
}

// Target: the parcels behind the changes between two dates (compare's own query) within 2 s.
func BenchmarkParcelChanges(b *testing.B) {
	st := benchStore(b)
	now := time.Now()
	for b.Loop() {
		err := snapshot(st, func(st studystore.Store) error {
			_, err := st.ParcelChanges(context.Background(), true, now.AddDate(-1, 0, 0), now)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
