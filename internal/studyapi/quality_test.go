package studyapi_test

import (
	"context"
	"slices"
	"testing"

	"landatlas/internal/study"
)

// Freshness and completeness on the fixture, computed by hand: Saalekreis has A, G and K. Of the
// 16 weight points of the internal view, A has net area (2), power (1), ownership (1), willingness
// (1), and here a description (2) and an e-mail (1.5): 8.5/16; G and K net area, ownership and
// willingness: 4/16 each. A was confirmed ten days ago (fresh), G two years ago (stale), K never.
func TestQualityByHand(t *testing.T) {
	a := newAPI(t)
	_, err := a.db.Pool.Exec(context.Background(), `
		UPDATE parcels SET description = 'Gut erschlossen', contact_email = 'wirtschaft@example.org', last_confirmed = current_date - 10 WHERE id = $1;`,
		a.fix.Parcels["A"])
	if err == nil {
		_, err = a.db.Pool.Exec(context.Background(), `UPDATE parcels SET last_confirmed = current_date - 730 WHERE id = $1`, a.fix.Parcels["G"])
	}
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Quality struct {
			FreshMonths int `json:"fresh_months"`
			Total       study.Quality
			Districts   []study.Quality
			Parcels     struct {
				Total int
				Items []study.ParcelQuality
			}
		}
	}
	var q answer
	a.get("/api/v1/study/quality?district=15088", a.planner, &q)
	d := q.Quality.Total
	if q.Quality.FreshMonths != 12 || d.Parcels != 3 || d.Fresh != 1 || d.Stale != 1 || d.Never != 1 || d.FreshShare != 0.3333 || d.Completeness != 0.3438 {
		t.Errorf("Saalekreis: %+v (fresh months %d); want 3 parcels, 1 fresh, 1 stale, 1 never, fresh share 0.3333, completeness (8.5+4+4)/16/3 = 0.3438", d, q.Quality.FreshMonths)
	}
	if d.Missing["description"] != 2 || d.Missing["net_area_given_ha"] != 0 || d.Missing["price_min_eur_m2"] != 3 {
		t.Errorf("missing fields %v; want description 2, net area 0, price 3", d.Missing)
	}
	items := q.Quality.Parcels.Items
	if len(items) != 3 || items[2].ID != a.fix.Parcels["A"] || items[2].Completeness != 0.5313 || items[2].Freshness != study.Fresh {
		t.Fatalf("parcels worst first %+v; want A last with 0.5313, fresh", items)
	}
	want := []string{"price_min_eur_m2", "contact_name", "contact_phone", "expose_url", "broadband_mbps", "grz", "max_height_m"}
	if !slices.Equal(items[2].Missing, want) {
		t.Errorf("A misses %v, want %v", items[2].Missing, want)
	}
	a.get("/api/v1/study/quality?district=15088&sort=last_confirmed", a.planner, &q)
	if got := q.Quality.Parcels.Items; got[0].ID != a.fix.Parcels["K"] || got[1].ID != a.fix.Parcels["G"] {
		t.Errorf("by last confirmation: %+v; want K (never), then G", got)
	}
	// The public's completeness counts the public fields only: A has 6.5 of 14 points.
	a.get("/api/v1/study/quality?district=15088&sort=-completeness", "", &q)
	if got := q.Quality.Parcels.Items; len(got) != 3 || got[0].ID != a.fix.Parcels["A"] || got[0].Completeness != 0.4643 || slices.Contains(got[0].Missing, "ownership") {
		t.Errorf("public view %+v; want A first with 0.4643 and no internal field named", got)
	}
	a.get("/api/v1/study/quality?district=15088&fresh_months=120", a.planner, &q)
	if q.Quality.Total.Fresh != 2 {
		t.Errorf("with 120 months: %d fresh, want 2", q.Quality.Total.Fresh)
	}
}
