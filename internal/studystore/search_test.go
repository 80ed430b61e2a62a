package studystore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// fixtureSearch scores area (target 10 ha), planning status, availability and the motorway
// (within 5 km) equally, and excludes severe constraints. Scores, by hand:
//
//	A 15 ha: area 10/15 = 0.6667, in force 1, now 1, 600 m → 1 − 600/5000 = 0.88     → 0.8867
//	C  6 ha: area 0.6, in force 1, now 1, 1059.95 m → 0.78801                          → 0.8470
//	B 10 ha: area 1, in preparation 0.5, medium term 0.4, 650 m → 0.87                 → 0.6925
//	E 0.65 ha: area 0.065, § 34 0.8, now 1, 1044.03 m → 0.791194                       → 0.6641
//	D: excluded, half of it in a severe flood zone.
func fixtureSearch(t *testing.T) study.Search {
	t.Helper()
	s, err := study.NewSearch("")
	if err != nil {
		t.Fatal(err)
	}
	s.Criteria = study.Criteria{MinNetHa: 0.5, MaxNetHa: 20, MaxDistanceKm: map[string]float64{"motorway_junction": 5},
		ExcludeConstraints: []study.ConstraintRule{{Severity: "severe"}}}
	s.TargetNetHa = 10
	s.Weights = map[string]float64{"area": 1, "planning_status": 1, "availability": 1, "motorway_junction": 1}
	return s
}

func ranked(p study.Page) (ids []int64, scores []float64) {
	for _, o := range p.Items {
		ids = append(ids, o.ParcelID)
		scores = append(scores, o.Total)
	}
	return ids, scores
}

func TestSearchRanksAndExplains(t *testing.T) {
	st, f, _ := setup(t)
	ctx := context.Background()
	pages := studystore.SearchPages{Limit: 10, ExcludedLimit: 10}
	for _, c := range []struct {
		name     string
		internal bool
		order    []string
		scores   []float64
	}{
		{"planner", true, []string{"A", "C", "B", "E"}, []float64{0.8867, 0.847, 0.6925, 0.6641}},
		{"public", false, []string{"A", "B", "E"}, []float64{0.8867, 0.6925, 0.6641}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := st.Search(ctx, studystore.Selection{Internal: c.internal, AsOf: asOf(t, "2026-06-30")}, fixtureSearch(t), pages)
			if err != nil {
				t.Fatal(err)
			}
			ids, scores := ranked(res.Parcels)
			if !slices.Equal(ids, f.IDs(c.order...)) || res.Parcels.Total != len(c.order) {
				t.Fatalf("ranking %v (total %d), want %v = %v", ids, res.Parcels.Total, c.order, f.IDs(c.order...))
			}
			for i := range scores {
				if !near(scores[i], c.scores[i]) {
					t.Errorf("%s scores %g, want %g", c.order[i], scores[i], c.scores[i])
				}
			}
			if res.Excluded.Total != 1 || res.Excluded.Items[0].ParcelID != f.Parcels["D"] ||
				res.Excluded.Items[0].Reasons[0].Code != "constraint" || res.Excluded.ByReason["constraint"] != 1 {
				t.Fatalf("excluded %+v, want D for its severe constraint", res.Excluded)
			}
			top := res.Parcels.Items[0].Explanation
			for _, want := range []string{"Rang 1 von", "15,0 ha GI", "0,6 km zur AS Test-Nord (A99)", "Gleisanschluss", "Punktzahl 0,89"} {
				if !strings.Contains(top.DE, want) {
					t.Errorf("explanation %q lacks %q", top.DE, want)
				}
			}
			if !strings.Contains(top.EN, "Rank 1 of") || !strings.Contains(top.EN, "0.6 km to AS Test-Nord (A99)") {
				t.Errorf("English explanation %q", top.EN)
			}
			why := res.Excluded.Items[0].Explanation
			if !strings.Contains(why.DE, "zu 50 % in Überschwemmungsgebiet HQ100 (schwerwiegend)") || !strings.Contains(why.EN, "50 % in flood zone hq100 (severe)") {
				t.Errorf("exclusion explained as %+v", why)
			}
		})
	}
}

// From 20 ha no single parcel fits, but A, B and C merge into a 31 ha site (A and B, 25 ha, for
// the public). Its area fit against 30 ha is 30/31; planning and availability are the members'
// net-weighted means: (15·1 + 10·0.5 + 6·1)/31 and (15·1 + 10·0.4 + 6·1)/31; the motorway that of
// A, its nearest member (0.88).
func TestSearchRanksMergedLargeSites(t *testing.T) {
	st, f, _ := setup(t)
	ctx := context.Background()
	s := fixtureSearch(t)
	s.Criteria.MinNetHa, s.Criteria.MaxNetHa, s.TargetNetHa = 20, 0, 30
	for _, c := range []struct {
		internal bool
		members  []string
		score    float64
	}{
		{true, []string{"A", "B", "C"}, study.Round((30.0/31+26.0/31+25.0/31+0.88)/4, 4)},
		{false, []string{"A", "B"}, study.Round((25.0/30+20.0/25+19.0/25+0.88)/4, 4)},
	} {
		res, err := st.Search(ctx, studystore.Selection{Internal: c.internal}, s, studystore.SearchPages{Limit: 10, ExcludedLimit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Parcels.Total != 0 || res.LargeSites == nil || res.LargeSites.Total != 1 {
			t.Fatalf("internal %v: %d parcels and large sites %+v; want none and one site", c.internal, res.Parcels.Total, res.LargeSites)
		}
		site := res.LargeSites.Items[0]
		if !slices.Equal(site.Members, f.IDs(c.members...)) || !near(site.Total, c.score) {
			t.Errorf("internal %v: site of %v scores %g, want %v scoring %g", c.internal, site.Members, site.Total, c.members, c.score)
		}
		if !strings.Contains(site.Explanation.DE, "über die Landesgrenze Sachsen/Sachsen-Anhalt") || len(site.Geometry) == 0 {
			t.Errorf("site explanation %q (geometry %d bytes)", site.Explanation.DE, len(site.Geometry))
		}
	}
}

func TestNearby(t *testing.T) {
	st, f, db := setup(t)
	ctx := context.Background()
	ids := func(n studystore.Nearby) (out []int64, dist []float64) {
		for _, p := range n.Parcels {
			out = append(out, p.ID)
			dist = append(dist, p.DistanceM)
		}
		return out, dist
	}
	for _, c := range []struct {
		name  string
		req   studystore.NearbyRequest
		want  []string
		dist  []float64
		total int
	}{
		{"within 100 m of A", studystore.NearbyRequest{Selection: studystore.Selection{Internal: true}, ParcelID: f.Parcels["A"], DistanceM: 100},
			[]string{"B", "C"}, []float64{0, 30}, 2},
		{"within 100 m of A, public", studystore.NearbyRequest{ParcelID: f.Parcels["A"], DistanceM: 100},
			[]string{"B"}, []float64{0}, 1},
		{"3 nearest to A", studystore.NearbyRequest{Selection: studystore.Selection{Internal: true}, ParcelID: f.Parcels["A"], K: 3},
			[]string{"B", "C", "G"}, []float64{0, 30, 130}, -1},
		{"3 nearest to A, public", studystore.NearbyRequest{ParcelID: f.Parcels["A"], K: 3},
			[]string{"B", "G", "K"}, []float64{0, 130, 130}, -1},
	} {
		got, dist := ids(mustNearby(t, st, c.req))
		if !slices.Equal(got, f.IDs(c.want...)) || !slices.Equal(dist, c.dist) {
			t.Errorf("%s: %v at %v m, want %v at %v m", c.name, got, dist, c.want, c.dist)
		}
		if n := mustNearby(t, st, c.req); (c.total < 0) != (n.Total == nil) || (n.Total != nil && *n.Total != c.total) {
			t.Errorf("%s: total %v, want %d", c.name, n.Total, c.total)
		}
	}
	// The point of the northern test junction: A lies 600 m away, B 650 m, G 710.21 m.
	var lon, lat float64
	if err := db.Pool.QueryRow(ctx, `SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_Point(720580, 5702000), 25832), 4326) p`).Scan(&lon, &lat); err != nil {
		t.Fatal(err)
	}
	got, dist := ids(mustNearby(t, st, studystore.NearbyRequest{Lon: lon, Lat: lat, K: 3}))
	if !slices.Equal(got, f.IDs("A", "B", "G")) || !near(dist[0], 600) || !near(dist[1], 650) || !near(dist[2], 710.21) {
		t.Errorf("nearest to the junction: %v at %v m, want A B G at 600, 650, 710.21 m", got, dist)
	}
	if _, err := st.Nearby(ctx, studystore.NearbyRequest{ParcelID: f.Parcels["C"], K: 3}); err == nil {
		t.Error("the public found parcels near the internal parcel C: it learns that C exists")
	}
}

func mustNearby(t *testing.T, st studystore.Store, r studystore.NearbyRequest) studystore.Nearby {
	t.Helper()
	n, err := st.Nearby(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConstraintOverlayStaysCurrent(t *testing.T) {
	st, f, db := setup(t)
	ctx := context.Background()
	o, err := st.Overlay(ctx, studystore.Selection{Internal: true}, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if o.Total != 2 || len(o.Summary) != 2 || o.Parcels[0].ID != f.Parcels["D"] || !near(o.Parcels[0].Constraints[0].Share, 0.5) ||
		o.Parcels[1].ID != f.Parcels["E"] || !near(o.Parcels[1].Constraints[0].Share, 1) {
		t.Fatalf("overlay %+v, want D half in the flood zone, E wholly in the noise zone", o)
	}
	// Widening D eastwards to 400 m halves its share; moving the flood zone away clears it.
	if _, err := db.Pool.Exec(ctx, `UPDATE parcels SET geom = ST_Multi(ST_MakeEnvelope(736000, 5693000, 736400, 5693200, 25832)) WHERE id = $1`, f.Parcels["D"]); err != nil {
		t.Fatal(err)
	}
	share := func() float64 {
		var s float64
		err := db.Pool.QueryRow(ctx, `SELECT coalesce((SELECT share FROM parcel_constraints WHERE parcel_id = $1 AND kind = 'flood_hq100'), 0)`, f.Parcels["D"]).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := share(); !near(s, 0.25) {
		t.Errorf("after D grew, its flood share is %g, want 0.25", s)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE constraint_areas SET geom = ST_Translate(geom, 5000, 0) WHERE kind = 'flood_hq100'`); err != nil {
		t.Fatal(err)
	}
	if s := share(); s != 0 {
		t.Errorf("after the flood zone moved away, D's flood share is %g, want 0", s)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO constraint_areas (kind, severity, name, source, geom)
		VALUES ('mining', 'severe', 'Test-Tagebau', 'test', ST_Multi(ST_MakeEnvelope(720000, 5702600, 720100, 5702700, 25832)))`); err != nil {
		t.Fatal(err)
	}
	o, err = st.Overlay(ctx, studystore.Selection{Internal: true, Scope: study.Scope{Districts: []string{"15088"}}}, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if o.Total != 1 || o.Parcels[0].ID != f.Parcels["G"] || !near(o.Parcels[0].Constraints[0].Share, 0.25) {
		t.Errorf("after a mining area was loaded: %+v, want G a quarter in it", o)
	}
}
