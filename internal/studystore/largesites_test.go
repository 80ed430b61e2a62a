package studystore_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// The available parcels are A, B, C, D, E (and at earlier dates G and H). A and B touch across
// the border of Sachsen-Anhalt and Sachsen; C lies 30 m north of B; H lay 70 m east of B until it
// was sold; D and E are 200 m apart.
func TestLargeSitesAcrossTheBorder(t *testing.T) {
	st, f, _ := setup(t)
	ctx := context.Background()
	for _, c := range []struct {
		name                       string
		sel                        studystore.Selection
		opt                        study.LargeSiteOptions
		members                    []string
		net, avail, gross, largest float64
	}{
		{"planner", studystore.Selection{Internal: true}, study.LargeSiteOptions{DistanceM: 50, MinNetHa: 20},
			[]string{"A", "B", "C"}, 31, 21, 45, 36},
		{"public", studystore.Selection{}, study.LargeSiteOptions{DistanceM: 50, MinNetHa: 20},
			[]string{"A", "B"}, 25, 15, 36, 36},
		{"planner, 100 m, mid-2022", studystore.Selection{Internal: true, AsOf: asOf(t, "2022-06-30")}, study.LargeSiteOptions{DistanceM: 100, MinNetHa: 20},
			[]string{"A", "B", "C", "H"}, 34, 9, 49, 36}, // A was medium term then: available now C 6 + H 3
		{"planner, touching only", studystore.Selection{Internal: true}, study.LargeSiteOptions{DistanceM: 0, MinNetHa: 20},
			[]string{"A", "B"}, 25, 15, 36, 36},
	} {
		t.Run(c.name, func(t *testing.T) {
			ls, err := st.LargeSites(ctx, c.sel, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(ls.Sites) != 1 {
				t.Fatalf("%d large sites, want 1: %+v", len(ls.Sites), ls.Sites)
			}
			s := ls.Sites[0]
			if !slices.Equal(s.MemberIDs, f.IDs(c.members...)) {
				t.Errorf("members %v, want %v (%v)", s.MemberIDs, f.IDs(c.members...), c.members)
			}
			if !near(s.NetHa, c.net) || !near(s.AvailableNetHa, c.avail) || !near(s.GrossHa, c.gross) || !near(s.LargestPartHa, c.largest) {
				t.Errorf("net %g, available %g, gross %g, largest part %g; want %g, %g, %g, %g",
					s.NetHa, s.AvailableNetHa, s.GrossHa, s.LargestPartHa, c.net, c.avail, c.gross, c.largest)
			}
			if !slices.Equal(s.Districts, []string{"14730", "15088"}) || !slices.Equal(s.Lands, []string{"Sachsen", "Sachsen-Anhalt"}) ||
				!s.CrossesLands || !s.CrossesDistricts {
				t.Errorf("districts %v, lands %v: want the cluster across the border of Sachsen and Sachsen-Anhalt", s.Districts, s.Lands)
			}
			if s.BestPlanningStatus != "in_force" || len(s.Constraints) != 0 {
				t.Errorf("best planning status %s, constraints %v; want in_force, none", s.BestPlanningStatus, s.Constraints)
			}
			var g struct{ Type string }
			if err := json.Unmarshal(s.Geometry, &g); err != nil || (g.Type != "Polygon" && g.Type != "MultiPolygon") {
				t.Errorf("geometry %s is not a GeoJSON polygon: %v", s.Geometry, err)
			}
			if (ls.StrategicReserves != nil) != c.sel.Internal || (s.StrategicReserve != nil) != c.sel.Internal {
				t.Errorf("strategic reserves shown = %v, want %v: the flag is internal", ls.StrategicReserves != nil, c.sel.Internal)
			}
		})
	}
}

func TestLargeSitesThresholdAndStrategicReserves(t *testing.T) {
	st, f, _ := setup(t)
	ctx := context.Background()
	ls, err := st.LargeSites(ctx, studystore.Selection{}, study.LargeSiteOptions{DistanceM: 50, MinNetHa: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Sites) != 0 {
		t.Errorf("the public sees %d sites of 30 ha; A and B make 25 ha and C is internal", len(ls.Sites))
	}
	ls, err = st.LargeSites(ctx, studystore.Selection{Internal: true}, study.LargeSiteOptions{DistanceM: 50, MinNetHa: 2})
	if err != nil {
		t.Fatal(err)
	}
	// From 2 ha: A+B+C (31) and D (3, with its flood zone); E (0.65) stays out.
	if len(ls.Sites) != 2 || !slices.Equal(ls.Sites[1].MemberIDs, f.IDs("D")) {
		t.Fatalf("sites from 2 ha = %+v, want A+B+C and D", ls.Sites)
	}
	d := ls.Sites[1]
	if len(d.Constraints) != 1 || d.Constraints[0].Kind != "flood_hq100" || d.Constraints[0].Severity != "severe" ||
		!near(d.Constraints[0].AreaHa, 2) || !near(d.Constraints[0].Share, 0.5) || d.StrategicReserve == nil || !*d.StrategicReserve {
		t.Errorf("D: constraints %+v, strategic %v; want half (2 ha) in a severe flood zone, in a strategic reserve", d.Constraints, d.StrategicReserve)
	}
	if len(ls.StrategicReserves) != 1 {
		t.Fatalf("strategic reserves %+v, want S3", ls.StrategicReserves)
	}
	sr := ls.StrategicReserves[0]
	if sr.SiteID != f.Sites["S3"] || !near(sr.GrossHa, 18) || sr.Parcels != 2 || !near(sr.NetHa, 7) || !near(sr.OfferedNetHa, 3) || sr.BestPlanningStatus != "in_force" {
		t.Errorf("S3 = %+v, want 18 ha gross, D and F (7 ha net), 3 ha on offer", sr)
	}
}
