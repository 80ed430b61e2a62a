package studyapi

import (
	"fmt"
	"slices"
	"strings"

	"landatlas/internal/parcel"
	"landatlas/internal/study"
)

// The study's figures as sheets: the same builders serve a stored run's tables and the live
// dashboard's (GET /api/v1/study/tables/{table}), so both read alike in every format.

// shareTitles are the German headings of the supply's shares.
var shareTitles = map[string]string{
	study.ShareBuildingRights: "Baurecht", study.ShareRestrictedMinor: "geringe Restriktion",
	study.ShareRestrictedSever: "schwerwiegende Restriktion", study.ShareBrownfield: "Brachfläche",
	study.SharePubliclyOwned: "öffentliches Eigentum", study.ShareMarketable: "marktfähig",
	study.ShareNearMotorway: "nahe Autobahnanschluss",
}

func supplySheet(s study.Supply) sheet {
	sh := sheet{Name: "supply", Title: "Angebot"}
	for _, name := range s.GroupBy {
		title := name
		for _, g := range study.Groupings() {
			if g.Name == name {
				title = g.Title.DE
			}
		}
		sh.Cols = append(sh.Cols, column{Key: name, DE: title, Coded: true})
	}
	sh.Cols = append(sh.Cols,
		column{Key: "parcels", DE: "Flächen"}, column{Key: "gross_ha", DE: "brutto ha"}, column{Key: "net_ha", DE: "netto ha"},
		column{Key: "reserve_parcels", DE: "Reserve Flächen"}, column{Key: "reserve_net_ha", DE: "Reserve netto ha"},
		column{Key: "sites", DE: "Standorte (alle)"}, column{Key: "sites_gross_ha", DE: "Standorte brutto ha"},
		column{Key: "sites_at_least_min", DE: fmt.Sprintf("Standorte ab %s ha", study.FormatNumber(s.MinSiteHa, 0, "de"))},
		column{Key: "sites_at_least_min_gross_ha", DE: fmt.Sprintf("Standorte ab %s ha brutto ha", study.FormatNumber(s.MinSiteHa, 0, "de"))})
	var shares []string
	for name := range s.Total.Shares {
		shares = append(shares, name)
	}
	slices.Sort(shares)
	for _, name := range shares {
		sh.Cols = append(sh.Cols, column{Key: name + "_net_ha", DE: shareTitles[name] + " netto ha"},
			column{Key: name + "_share", DE: shareTitles[name] + " Anteil"})
	}
	sh.Cols = append(sh.Cols, column{Key: "parcels_filter", DE: "Filter der Flächen (CQL2)"})
	for _, g := range append(slices.Clone(s.Groups), s.Total) {
		var row []any
		for _, name := range s.GroupBy {
			if g.Key == nil {
				row = append(row, coded{"", "Gesamt"})
				continue
			}
			row = append(row, coded{g.Key[name], g.Label[name].DE})
		}
		row = append(row, g.Parcels, g.GrossHa, g.NetHa, g.Reserve.Parcels, g.Reserve.NetHa,
			g.Sites.Count, g.Sites.GrossHa, g.AtLeastMin.Count, g.AtLeastMin.GrossHa)
		for _, name := range shares {
			row = append(row, g.Shares[name].NetHa, g.Shares[name].Share)
		}
		sh.Rows = append(sh.Rows, append(row, g.ParcelsFilter))
	}
	return sh
}

func takeUpSheet(t study.TakeUp) sheet {
	sh := sheet{Name: "take_up", Title: "Flächenumsatz", Cols: []column{
		{Key: "year", DE: "Jahr"}, {Key: "district_ags", DE: "Kreis (AGS)"}, {Key: "name", DE: "Kreis"},
		{Key: "net_ha", DE: "Umsatz netto ha"}, {Key: "parcels", DE: "Flächen"}, {Key: "mean_plot_ha", DE: "mittlere Fläche ha"},
		{Key: "partial_year", DE: "Jahr unvollständig"},
	}}
	for _, u := range append(slices.Clone(t.Districts), t.Region) {
		for _, v := range u.Series {
			sh.Rows = append(sh.Rows, []any{v.Year, u.DistrictAGS, u.Name, v.NetHa, v.Parcels, meanPlot(v), v.Partial})
		}
	}
	return sh
}

// meanPlot is the mean net area of the parcels sold in a year; nil in a year without sales.
func meanPlot(v study.YearValue) *float64 {
	if v.Parcels == 0 {
		return nil
	}
	m := study.Round(v.NetHa/float64(v.Parcels), 4)
	return &m
}

func reachSheet(t study.TakeUp) sheet {
	sh := sheet{Name: "reach", Title: "Reichweite", Cols: []column{
		{Key: "district_ags", DE: "Kreis (AGS)"}, {Key: "name", DE: "Kreis"}, {Key: "window_from", DE: "Mittel von"},
		{Key: "window_to", DE: "Mittel bis"}, {Key: "window_net_ha", DE: "Umsatz im Zeitraum ha"},
		{Key: "mean_net_ha_per_year", DE: "Umsatz je Jahr ha"}, {Key: "reserve_net_ha", DE: "Reserve netto ha"},
		{Key: "marketable_net_ha", DE: "marktfähig ha"}, {Key: "reach_years", DE: "Reichweite Jahre"},
	}}
	for _, u := range append(slices.Clone(t.Districts), t.Region) {
		sh.Rows = append(sh.Rows, []any{u.DistrictAGS, u.Name, t.Window.From, t.Window.To, u.WindowHa, u.MeanHa,
			u.ReserveHa, u.MarketableHa, u.ReachYears})
	}
	return sh
}

func balanceSheet(b study.Balance) sheet {
	sh := sheet{Name: "balance", Title: "Bilanz", Cols: []column{
		{Key: "district_ags", DE: "Kreis (AGS)"}, {Key: "name", DE: "Kreis"}, {Key: "first_year", DE: "Bedarf ab"},
		{Key: "target_year", DE: "Zieljahr"}, {Key: "years", DE: "Jahre"}, {Key: "margin", DE: "Zuschlag"},
		{Key: "reserve_net_ha", DE: "Reserve netto ha"}, {Key: "marketable_net_ha", DE: "marktfähig ha"},
		{Key: "mean_take_up_net_ha_per_year", DE: "Umsatz je Jahr ha"}, {Key: "trend_demand_ha", DE: "Bedarf Trend ha"},
		{Key: "trend_balance_ha", DE: "Bilanz Trend ha"}, {Key: "employment_demand_ha", DE: "Bedarf Beschäftigung ha"},
		{Key: "employment_balance_ha", DE: "Bilanz Beschäftigung ha"},
		{Key: "enquiries", DE: "Anfragen"}, {Key: "enquiry_mean_ha_per_year", DE: "angefragt je Jahr ha"},
		{Key: "enquiry_demand_ha", DE: "Bedarf Anfragen ha"}, {Key: "enquiry_balance_ha", DE: "Bilanz Anfragen ha"},
	}}
	for _, u := range append(slices.Clone(b.Districts), b.Region) {
		row := []any{u.DistrictAGS, u.Name, b.FirstYear, b.TargetYear, b.Years, b.Margin,
			u.ReserveHa, u.MarketableHa, u.MeanTakeUpHa, u.TrendDemandHa, u.TrendBalanceHa, u.EmploymentDemandHa, u.EmploymentBalanceHa}
		if e := u.Enquiry; e != nil {
			row = append(row, e.Enquiries, e.MeanHa, e.DemandHa, e.BalanceHa)
		} else {
			var none *float64
			row = append(row, "", none, none, none)
		}
		sh.Rows = append(sh.Rows, row)
	}
	return sh
}

func largeSitesSheet(ls study.LargeSites) sheet {
	sh := sheet{Name: "large_sites", Title: "Großflächen", Cols: []column{
		{Key: "name", DE: "Großfläche"}, {Key: "id", DE: "Kennung"}, {Key: "member_ids", DE: "Flächen-IDs"},
		{Key: "district_ags", DE: "Kreise (AGS)"}, {Key: "district_names", DE: "Kreise"}, {Key: "lands", DE: "Länder"},
		{Key: "net_ha", DE: "netto ha"}, {Key: "available_net_ha", DE: "verfügbar netto ha"}, {Key: "gross_ha", DE: "brutto ha"},
		{Key: "largest_contiguous_ha", DE: "größter zusammenhängender Teil brutto ha"},
		{Key: "best_planning_status", DE: "bestes Planungsrecht", Coded: true}, {Key: "constraints", DE: "Restriktionen (Art:Schwere:Anteil)"},
		{Key: "site_ids", DE: "Standort-IDs"},
	}}
	names := siteNames(ls.Sites)
	for _, s := range ls.Sites {
		var cs []string
		for _, c := range s.Constraints {
			cs = append(cs, fmt.Sprintf("%s:%s:%s", c.Kind, c.Severity, num(c.Share)))
		}
		sh.Rows = append(sh.Rows, []any{names[s.ID], s.ID, ids(s.MemberIDs), strings.Join(s.Districts, " "),
			strings.Join(s.DistrictNames, ", "), strings.Join(s.Lands, " "), s.NetHa, s.AvailableNetHa, s.GrossHa, s.LargestPartHa,
			codeOf(parcel.PlanningStatuses(), s.BestPlanningStatus), strings.Join(cs, " "), ids(s.SiteIDs)})
	}
	return sh
}

func strategicSheet(ls study.LargeSites) sheet {
	sh := sheet{Name: "strategic_reserves", Title: "Vorsorgestandorte", Cols: []column{
		{Key: "site_id", DE: "Standort-ID"}, {Key: "name", DE: "Name"}, {Key: "district_ags", DE: "Kreis (AGS)"},
		{Key: "district_name", DE: "Kreis"}, {Key: "gross_ha", DE: "brutto ha"}, {Key: "parcels", DE: "Flächen"},
		{Key: "net_ha", DE: "netto ha"}, {Key: "offered_net_ha", DE: "angeboten netto ha"},
		{Key: "best_planning_status", DE: "bestes Planungsrecht", Coded: true},
	}}
	for _, sr := range ls.StrategicReserves {
		sh.Rows = append(sh.Rows, []any{int(sr.SiteID), sr.Name, sr.DistrictAGS, sr.DistrictName, sr.GrossHa, sr.Parcels,
			sr.NetHa, sr.OfferedNetHa, codeOf(parcel.PlanningStatuses(), sr.BestPlanningStatus)})
	}
	return sh
}

// searchKinds labels the kinds of rows of the site search's table.
var searchKinds = map[string]string{"parcel": "Fläche", "large_site": "zusammengelegter Standort", "excluded": "ausgeschlossen"}

func searchSheet(res *study.SearchResult) sheet {
	sh := sheet{Name: "search", Title: "Standortsuche", Cols: []column{
		{Key: "kind", DE: "Art", Coded: true}, {Key: "rank", DE: "Rang"}, {Key: "parcel_id", DE: "Flächen-ID"},
		{Key: "member_ids", DE: "Flächen-IDs"}, {Key: "name", DE: "Name"}, {Key: "district_ags", DE: "Kreise (AGS)"},
		{Key: "net_ha", DE: "netto ha"}, {Key: "score", DE: "Punkte"}, {Key: "reasons", DE: "Gründe"},
		{Key: "explanation_de", DE: "Begründung"}, {Key: "explanation_en", DE: "Begründung (englisch)"},
	}}
	if res == nil {
		return sh
	}
	add := func(kind string, p *study.Page) {
		if p == nil {
			return
		}
		for _, o := range p.Items {
			var reasons []string
			for _, r := range o.Reasons {
				reasons = append(reasons, r.Code)
			}
			var id any = ""
			if o.ParcelID != 0 {
				id = int(o.ParcelID)
			}
			var rank any = ""
			if o.Rank != 0 {
				rank = o.Rank
			}
			sh.Rows = append(sh.Rows, []any{coded{kind, searchKinds[kind]}, rank, id, ids(o.Members), o.Name,
				strings.Join(o.Districts, " "), o.NetHa, o.Total, strings.Join(reasons, " "), o.Explanation.DE, o.Explanation.EN})
		}
	}
	add("parcel", &res.Parcels)
	add("large_site", res.LargeSites)
	add("excluded", &res.Excluded)
	return sh
}

func qualitySheet(q study.QualityReport) sheet {
	sh := sheet{Name: "quality", Title: "Aktualität und Vollständigkeit", Cols: []column{
		{Key: "district_ags", DE: "Kreis (AGS)"}, {Key: "name", DE: "Kreis"}, {Key: "parcels", DE: "Flächen"},
		{Key: "fresh", DE: fmt.Sprintf("bestätigt in %d Monaten", q.FreshMonths)}, {Key: "stale", DE: "älter bestätigt"},
		{Key: "never", DE: "nie bestätigt"}, {Key: "fresh_share", DE: "Anteil aktuell"}, {Key: "completeness", DE: "Vollständigkeit"},
	}}
	for _, f := range q.Fields {
		sh.Cols = append(sh.Cols, column{Key: "missing_" + f.Name, DE: "ohne " + f.Label.DE})
	}
	for _, u := range append(slices.Clone(q.Districts), q.Total) {
		row := []any{u.DistrictAGS, u.Name, u.Parcels, u.Fresh, u.Stale, u.Never, u.FreshShare, u.Completeness}
		for _, f := range q.Fields {
			row = append(row, u.Missing[f.Name])
		}
		sh.Rows = append(sh.Rows, row)
	}
	return sh
}
