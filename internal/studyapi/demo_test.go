package studyapi_test

import (
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"testing"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/studytest"
)

// headline is what a planner reads off the API for the study's headline figures.
type headline struct {
	sites, largeSites, strategic          int
	sitesHa, largeSitesHa, strategicHa    float64
	reserveHa, marketableHa, meanTakeUpHa float64
	reachYears, demandHa, balanceHa       float64
	crossBorder                           int
}

func (a *api) headline(t *testing.T, asOf string) headline {
	t.Helper()
	var h headline
	var s supplyAnswer
	a.get("/api/v1/study/supply?min_site_ha=5&as_of="+asOf, a.planner, &s)
	// The same answer, read for the sites of at least 5 ha.
	var sites struct {
		Supply struct {
			Total struct {
				AtLeast struct {
					Count   int
					GrossHa float64 `json:"gross_ha"`
				} `json:"sites_at_least_min"`
			}
		}
	}
	a.get("/api/v1/study/supply?min_site_ha=5&as_of="+asOf, a.planner, &sites)
	h.sites, h.sitesHa = sites.Supply.Total.AtLeast.Count, sites.Supply.Total.AtLeast.GrossHa
	h.reserveHa, h.marketableHa = s.Supply.Total.Reserve.NetHa, s.Supply.Total.Shares["marketable"].NetHa
	var ls struct {
		LargeSites struct {
			Sites []struct {
				NetHa        float64 `json:"net_ha"`
				CrossesLands bool    `json:"crosses_lands"`
			}
			TotalNetHa        float64    `json:"total_net_ha"`
			StrategicReserves []struct{} `json:"strategic_reserves"`
			StrategicHa       float64    `json:"strategic_reserves_gross_ha"`
		} `json:"large_sites"`
	}
	a.get("/api/v1/study/large-sites?as_of="+asOf, a.planner, &ls)
	h.largeSites, h.largeSitesHa = len(ls.LargeSites.Sites), ls.LargeSites.TotalNetHa
	h.strategic, h.strategicHa = len(ls.LargeSites.StrategicReserves), ls.LargeSites.StrategicHa
	// The demo's pairs of sites facing each other across borders have 9–17 ha together: they
	// merge from 10 ha.
	a.get("/api/v1/study/large-sites?min_net_ha=10&as_of="+asOf, a.planner, &ls)
	for _, s := range ls.LargeSites.Sites {
		if s.CrossesLands {
			h.crossBorder++
		}
	}
	var b struct {
		Balance struct {
			Total struct {
				MeanHa    float64 `json:"mean_take_up_net_ha_per_year"`
				DemandHa  float64 `json:"trend_demand_ha"`
				BalanceHa float64 `json:"trend_balance_ha"`
			}
		}
	}
	a.get("/api/v1/study/balance?target_year=2038&as_of="+asOf, a.planner, &b)
	h.meanTakeUpHa, h.demandHa, h.balanceHa = b.Balance.Total.MeanHa, b.Balance.Total.DemandHa, b.Balance.Total.BalanceHa
	var tu struct {
		TakeUp struct {
			Total struct {
				ReachYears *float64 `json:"reach_years"`
			}
		} `json:"take_up"`
	}
	a.get("/api/v1/study/take-up?as_of="+asOf, a.planner, &tu)
	if tu.TakeUp.Total.ReachYears != nil {
		h.reachYears = *tu.TakeUp.Total.ReachYears
	}
	return h
}

// A planner reproduces the study's headline figures for the demo data from the API alone, today
// and for a past date (domain.md "Published figures": 146 sites of at least 5 ha with 3,870 ha,
// about 200 ha of strategic reserves, demand to 2038 of 2,545–2,840 ha).
func TestDemoHeadlineFigures(t *testing.T) {
	db := pgtest.New(t, pgtest.Demo)
	h, err := httpapi.New(httpapi.Config{DB: db.Pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	a := &api{t: t, base: srv.URL, db: db, fix: studytest.Fixture{}}
	a.planner = a.token(auth.Planner, "")

	today := pgtest.DemoNow().Format(time.DateOnly)
	now := a.headline(t, today)
	t.Logf("as of %s: %d sites ≥ 5 ha with %.0f ha; reserve %.0f ha net, marketable %.0f ha; %d large sites ≥ 20 ha with %.0f ha (%d of 10 ha across a Land border); "+
		"%d strategic reserves with %.0f ha; mean take-up %.1f ha/yr; reach %.1f years; demand to 2038 %.0f ha, balance %.0f ha",
		today, now.sites, now.sitesHa, now.reserveHa, now.marketableHa, now.largeSites, now.largeSitesHa, now.crossBorder,
		now.strategic, now.strategicHa, now.meanTakeUpHa, now.reachYears, now.demandHa, now.balanceHa)
	if now.sites < 136 || now.sites > 156 || math.Abs(now.sitesHa/3870-1) > 0.05 {
		t.Errorf("%d sites of at least 5 ha with %.0f ha; the study has 146 with 3,870 ha", now.sites, now.sitesHa)
	}
	if now.strategic == 0 || math.Abs(now.strategicHa/200-1) > 0.25 {
		t.Errorf("%d strategic reserves with %.0f ha; the study recommends about 200 ha", now.strategic, now.strategicHa)
	}
	if now.meanTakeUpHa < 100 || now.meanTakeUpHa > 200 || now.demandHa < 1000 || now.reachYears <= 0 {
		t.Errorf("take-up %.1f ha/yr, demand %.0f ha, reach %.1f years: want the study's order of magnitude", now.meanTakeUpHa, now.demandHa, now.reachYears)
	}
	if now.largeSites == 0 || now.crossBorder == 0 {
		t.Errorf("%d large sites, %d of 10 ha across a Land border: the demo places sites facing each other across borders", now.largeSites, now.crossBorder)
	}

	past := "2021-06-30"
	then := a.headline(t, past)
	t.Logf("as of %s: %d sites ≥ 5 ha with %.0f ha; reserve %.0f ha net, marketable %.0f ha; %d large sites with %.0f ha; mean take-up %.1f ha/yr; reach %.1f years; demand to 2038 %.0f ha, balance %.0f ha",
		past, then.sites, then.sitesHa, then.reserveHa, then.marketableHa, then.largeSites, then.largeSitesHa, then.meanTakeUpHa, then.reachYears, then.demandHa, then.balanceHa)
	if then.reserveHa <= now.reserveHa || then.meanTakeUpHa == now.meanTakeUpHa || then.demandHa <= now.demandHa {
		t.Errorf("as of %s the reserve (%.0f ha), take-up (%.1f) and demand (%.0f) should differ from today's (%.0f, %.1f, %.0f): land was sold since and 17 years remained",
			past, then.reserveHa, then.meanTakeUpHa, then.demandHa, now.reserveHa, now.meanTakeUpHa, now.demandHa)
	}
}
