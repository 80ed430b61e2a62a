package studystore_test

import (
	"context"
	"math"
	"testing"
	"time"

	"landatlas/internal/pgtest"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
	"landatlas/internal/studytest"
)

// setup gives a test its own database with the study fixture.
func setup(t *testing.T) (studystore.Store, studytest.Fixture, *pgtest.DB) {
	t.Helper()
	db := pgtest.New(t, pgtest.Reference)
	f := studytest.Load(t, db)
	return studystore.New(db.Pool), f, db
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// asOf is the fixture's date, as a request would give it.
func asOf(t *testing.T, date string) time.Time {
	t.Helper()
	at, err := study.ParseAsOf(date, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func groupBy(t *testing.T, names string) []study.Grouping {
	t.Helper()
	g, err := study.ParseGroupBy(names)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// fig is a group's parcel count and net area.
type fig struct {
	parcels int
	net     float64
}

// groupNet maps each group's key (of the one grouping) to its parcel count and net area.
func groupNet(s study.Supply, by string) map[string]fig {
	out := map[string]fig{}
	for _, g := range s.Groups {
		out[g.Key[by]] = fig{g.Parcels, g.NetHa}
	}
	return out
}

// The fixture's current supply, worked out by hand from the table in package studytest.
func TestSupplyTotalsAndShares(t *testing.T) {
	st, _, _ := setup(t)
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		internal bool
		want     study.SupplyGroup
		shares   map[string]float64
	}{
		{"planner", true, study.SupplyGroup{
			Parcels: 10, GrossHa: 67, NetHa: 46.65,
			Reserve:    study.Figure{Parcels: 5, NetHa: 34.65},                 // A B C D E
			Sites:      study.SiteFigure{Count: 3, GrossHa: 33.2 + 48.91 + 18}, // S1 S2 S3
			AtLeastMin: study.SiteFigure{Count: 3, GrossHa: 100.11},
		}, map[string]float64{
			study.ShareBuildingRights:  36,    // all but B (in preparation) and E (§ 34)
			study.ShareRestrictedSever: 3,     // D
			study.ShareRestrictedMinor: 0.65,  // E
			study.ShareBrownfield:      17.65, // B D E F
			study.SharePubliclyOwned:   25.5,  // A municipal, C development company, D Land, K federal
			study.ShareMarketable:      21.65, // A C E: B is medium term, D severely constrained
			study.ShareNearMotorway:    46.65, // all within 1.5 km of a test junction
		}},
		{"public", false, study.SupplyGroup{
			Parcels: 8, GrossHa: 54, NetHa: 37.65, // without C and H
			Reserve:    study.Figure{Parcels: 4, NetHa: 28.65},
			Sites:      study.SiteFigure{Count: 2, GrossHa: 51.2}, // S2 is internal
			AtLeastMin: study.SiteFigure{Count: 2, GrossHa: 51.2},
		}, map[string]float64{
			study.ShareBuildingRights: 27,
			study.ShareMarketable:     15.65, // A E: owner willingness is not applied for the public
			study.ShareBrownfield:     17.65,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := st.Supply(ctx, studystore.SupplyRequest{Selection: studystore.Selection{Internal: c.internal}, MinSiteHa: 5, MotorwayKm: 5})
			if err != nil {
				t.Fatal(err)
			}
			got := s.Total
			if got.Parcels != c.want.Parcels || !near(got.GrossHa, c.want.GrossHa) || !near(got.NetHa, c.want.NetHa) ||
				got.Reserve.Parcels != c.want.Reserve.Parcels || !near(got.Reserve.NetHa, c.want.Reserve.NetHa) {
				t.Errorf("total = %d parcels, %g ha gross, %g ha net, reserve %+v; want %d, %g, %g, %+v",
					got.Parcels, got.GrossHa, got.NetHa, got.Reserve, c.want.Parcels, c.want.GrossHa, c.want.NetHa, c.want.Reserve)
			}
			if got.Sites.Count != c.want.Sites.Count || !near(got.Sites.GrossHa, c.want.Sites.GrossHa) ||
				got.AtLeastMin.Count != c.want.AtLeastMin.Count || !near(got.AtLeastMin.GrossHa, c.want.AtLeastMin.GrossHa) {
				t.Errorf("sites = %+v, at least 5 ha %+v; want %+v, %+v", got.Sites, got.AtLeastMin, c.want.Sites, c.want.AtLeastMin)
			}
			for name, ha := range c.shares {
				if sh := got.Shares[name]; !near(sh.NetHa, ha) || !near(sh.Share, study.Round(ha/c.want.NetHa, 4)) {
					t.Errorf("share %s = %+v, want %g ha (%.4f)", name, sh, ha, ha/c.want.NetHa)
				}
			}
			if _, ok := got.Shares[study.SharePubliclyOwned]; ok != c.internal {
				t.Errorf("publicly owned share present = %v, want %v: ownership is internal", ok, c.internal)
			}
		})
	}
}

func TestSupplyByEachGrouping(t *testing.T) {
	st, _, _ := setup(t)
	ctx := context.Background()
	for _, c := range []struct {
		by       string
		internal bool
		want     map[string]fig
	}{
		{"district", true, map[string]fig{"14713": {4, 8.65}, "14730": {3, 19}, "15088": {3, 19}}},
		{"district", false, map[string]fig{"14713": {4, 8.65}, "14730": {1, 10}, "15088": {3, 19}}},
		{"municipality", true, map[string]fig{"14713000": {4, 8.65}, "14730340": {3, 19}, "15088150": {3, 19}}},
		{"land", true, map[string]fig{"Sachsen": {7, 27.65}, "Sachsen-Anhalt": {3, 19}}},
		{"use_type", true, map[string]fig{"GI": {4, 28}, "GE": {4, 16.5}, "MI": {1, 0.65}, "SO": {1, 1.5}}},
		{"planning_status", true, map[string]fig{"in_force": {8, 36}, "in_preparation": {1, 10}, "built_up_area": {1, 0.65}}},
		{"availability", true, map[string]fig{"now": {9, 36.65}, "medium_term": {1, 10}}},
		{"status", true, map[string]fig{"offered": {5, 34.65}, "reserved": {1, 1.5}, "sold": {4, 10.5}}},
		{"status", false, map[string]fig{"offered": {4, 28.65}, "reserved": {1, 1.5}, "sold": {3, 7.5}}},
		{"potential_kind", true, map[string]fig{"reserve_bplan": {5, 28}, "brownfield": {1, 10}, "infill_gap": {3, 4.65}, "conversion": {1, 4}}},
		{"ownership", true, map[string]fig{"municipal": {1, 15}, "development_company": {1, 6}, "land": {1, 3}, "federal": {1, 1.5}, "private": {6, 21.15}}},
		{"size_class", true, map[string]fig{"1-5": {6, 11.65}, "5-10": {2, 10}, "10-20": {1, 10}, "20-50": {1, 15}}},
		{"serviced", true, map[string]fig{"full": {7, 34.15}, "partial": {2, 11.5}, "none": {1, 1}}},
	} {
		s, err := st.Supply(ctx, studystore.SupplyRequest{Selection: studystore.Selection{Internal: c.internal}, GroupBy: groupBy(t, c.by), MinSiteHa: 5, MotorwayKm: 5})
		if err != nil {
			t.Fatalf("%s: %v", c.by, err)
		}
		got := groupNet(s, c.by)
		if len(got) != len(c.want) {
			t.Errorf("by %s (internal %v): groups %v, want %v", c.by, c.internal, got, c.want)
			continue
		}
		for k, w := range c.want {
			if g := got[k]; g.parcels != w.parcels || !near(g.net, w.net) {
				t.Errorf("by %s (internal %v): %s = %+v, want %+v", c.by, c.internal, k, g, w)
			}
		}
	}
}

func TestSupplyGroupsCarryTheirParcels(t *testing.T) {
	st, f, _ := setup(t)
	ctx := context.Background()
	s, err := st.Supply(ctx, studystore.SupplyRequest{
		Selection: studystore.Selection{Internal: true, Scope: study.Scope{Lands: []string{"Sachsen"}}, Filter: "status = 'offered'"},
		GroupBy:   groupBy(t, "district,size_class"), MinSiteHa: 5, MotorwayKm: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	// Sachsen's offers: B (14730, 10–20 ha), C (14730, 5–10), D and E (14713, 1–5).
	if len(s.Groups) != 3 {
		t.Fatalf("groups = %+v, want 3", s.Groups)
	}
	for _, g := range s.Groups {
		ids, err := st.ParcelIDs(ctx, studystore.Selection{Internal: true, Filter: g.ParcelsFilter})
		if err != nil {
			t.Fatalf("filter %q of group %v: %v", g.ParcelsFilter, g.Key, err)
		}
		if len(ids) != g.Parcels {
			t.Errorf("group %v counts %d parcels, its filter %q selects %d", g.Key, g.Parcels, g.ParcelsFilter, len(ids))
		}
	}
	first := s.Groups[0]
	if first.Key["district"] != "14713" || first.Key["size_class"] != "1-5" || first.Parcels != 2 || !near(first.NetHa, 3.65) {
		t.Errorf("first group = %v %d parcels %g ha, want 14713 / 1-5 with D and E (3.65 ha)", first.Key, first.Parcels, first.NetHa)
	}
	want := "land IN ('Sachsen') AND (status = 'offered') AND district_ags = '14713' AND size_class = '1-5'"
	if first.ParcelsFilter != want {
		t.Errorf("parcels filter = %q, want %q", first.ParcelsFilter, want)
	}
	_ = f
}

func TestSupplyAsOfFollowsTheHistory(t *testing.T) {
	st, _, _ := setup(t)
	ctx := context.Background()
	for _, c := range []struct {
		date                  string
		offered, sold         int
		reserveHa, marketable float64
	}{
		// 2022-06-30: A is medium term, G and H are still on offer, F and I are sold.
		{"2022-06-30", 7, 2, 40.15, 12.15},
		{"2026-06-30", 5, 4, 34.65, 21.65},
		// 2018-03-01: B C D E G K exist (A came in 2019, F 2019, H in June, I 2020).
		{"2018-03-01", 5, 0, 10 + 6 + 3 + 0.65 + 2.5, 6 + 0.65 + 2.5},
	} {
		s, err := st.Supply(ctx, studystore.SupplyRequest{Selection: studystore.Selection{Internal: true, AsOf: asOf(t, c.date)},
			GroupBy: groupBy(t, "status"), MinSiteHa: 5, MotorwayKm: 5})
		if err != nil {
			t.Fatal(err)
		}
		got := groupNet(s, "status")
		if got["offered"].parcels != c.offered || got["sold"].parcels != c.sold || !near(s.Total.Reserve.NetHa, c.reserveHa) ||
			!near(s.Total.Shares[study.ShareMarketable].NetHa, c.marketable) {
			t.Errorf("as of %s: %d offered, %d sold, reserve %g, marketable %g; want %d, %d, %g, %g", c.date,
				got["offered"].parcels, got["sold"].parcels, s.Total.Reserve.NetHa, s.Total.Shares[study.ShareMarketable].NetHa,
				c.offered, c.sold, c.reserveHa, c.marketable)
		}
	}
}

func TestSupplyRefusesInternalFieldsToThePublic(t *testing.T) {
	st, _, _ := setup(t)
	ctx := context.Background()
	if _, err := st.Supply(ctx, studystore.SupplyRequest{GroupBy: groupBy(t, "ownership"), MinSiteHa: 5, MotorwayKm: 5}); err == nil {
		t.Error("the public grouped by ownership, an internal field")
	}
	if _, err := st.Supply(ctx, studystore.SupplyRequest{Selection: studystore.Selection{Filter: "owner_willing = 'yes'"}, MinSiteHa: 5, MotorwayKm: 5}); err == nil {
		t.Error("the public filtered by owner_willing, an internal field")
	}
}

// Areas named together are put together: Sachsen-Anhalt (the Saalekreis: A G K) and Leipzig
// (D E F I); their filter lists the same parcels.
func TestSupplyOfAreasPutTogether(t *testing.T) {
	st, _, _ := setup(t)
	ctx := context.Background()
	sel := studystore.Selection{Internal: true, Scope: study.Scope{Lands: []string{"Sachsen-Anhalt"}, Districts: []string{"14713"}}}
	s, err := st.Supply(ctx, studystore.SupplyRequest{Selection: sel, MinSiteHa: 5, MotorwayKm: 5})
	if err != nil {
		t.Fatal(err)
	}
	if s.Total.Parcels != 7 || !near(s.Total.NetHa, 27.65) {
		t.Errorf("Sachsen-Anhalt and Leipzig: %d parcels, %g ha; want 7, 27.65", s.Total.Parcels, s.Total.NetHa)
	}
	ids, err := st.ParcelIDs(ctx, studystore.Selection{Internal: true, Filter: s.Total.ParcelsFilter})
	if err != nil || len(ids) != 7 {
		t.Errorf("the filter %q selects %d parcels (%v), want 7", s.Total.ParcelsFilter, len(ids), err)
	}
}
