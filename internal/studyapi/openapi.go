package studyapi

import (
	"strings"

	"landatlas/internal/openapi"
	"landatlas/internal/study"
)

// Operations are the study endpoints for the service's OpenAPI document (paths from the host root).
func Operations() []openapi.Operation {
	var groupings []string
	for _, g := range study.Groupings() {
		groupings = append(groupings, g.Name)
	}
	var presets []string
	for _, p := range study.Presets() {
		presets = append(presets, p.Name)
	}
	sel := selectionDocs()
	paging := []openapi.Param{
		param("limit", "query", "Items per page.", openapi.Schema("type", "integer", "minimum", 1)),
		param("offset", "query", "Items to skip.", openapi.Schema("type", "integer", "minimum", 0, "default", 0)),
	}
	num := func(name, desc string, def float64) openapi.Param {
		return param(name, "query", desc, openapi.Schema("type", "number", "default", def))
	}
	window := []openapi.Param{
		param("from_year", "query", "First year of the take-up window (default: five full years before as_of).", openapi.Type("integer")),
		param("to_year", "query", "Last year of the take-up window, a full year before the year of as_of (default: the year before).", openapi.Type("integer")),
	}
	runID := openapi.PathParam("id", "The id of a study run.", openapi.Type("integer"))
	return []openapi.Operation{
		item("/api/v1/study/supply", "get", "studySupply", "Supply: counts, areas and shares",
			"Parcels and sites with gross and net ha, the reserve (on offer), sites of at least min_site_ha, and the shares with building rights, "+
				"restricted (minor/severe), brownfield, publicly owned (signed-in readers only), marketable and near a motorway junction; "+
				"for the selection and per group. Every group carries parcels_filter (CQL2) and links to its parcels.",
			concat(sel, []openapi.Param{
				listParam("group_by", "Groupings, comma-separated (at most 3): "+strings.Join(groupings, ", ")+". ownership is internal.", groupings),
				num("min_site_ha", "Gross area from which a site counts in sites_at_least_min (the study counted sites of 5 ha).", 5),
				num("motorway_km", "Distance of the near_motorway share.", 5),
			}), false),
		item("/api/v1/study/take-up", "get", "studyTakeUp", "Take-up and reach",
			"Take-up per year and district (net ha whose status became sold that year; parcels first recorded as sold do not count), "+
				"its mean over a window of full years, and the reach of the marketable reserve (years; null without take-up).",
			concat(sel, window), false),
		item("/api/v1/study/balance", "get", "studyBalance", "Demand forecast and balance",
			"Demand to target_year by the trend (mean take-up × years × (1 + margin)) and optionally by employment inputs, "+
				"balanced against the reserve per district and for the scope; inputs_used names what was used. "+
				"With demand=enquiries (planners and admins; 401/403 otherwise) every unit also gets enquiry: the net area investors' enquiries asked for "+
				"(each its least area, else its most, as the demand statistics /api/v1/enquiries/stats count it) in the take-up window's years from the first recorded enquiry on "+
				"(enquiry_window), its mean per year × years × (1 + margin) as demand_ha, and balance_ha; an enquiry routed to several districts counts in each, "+
				"and the whole region also counts those routed to none. Enquiries are routed to districts: the option takes no municipality, polygon or filter (400).",
			concat(sel, window, []openapi.Param{
				param("target_year", "query", "Horizon of the forecast.", openapi.Schema("type", "integer", "default", study.DefaultTargetYear)),
				num("margin", "Planning allowance on the forecast (0.1 = 10 %).", 0),
				param("employment", "query", "Employment inputs, comma-separated district:jobs:ha_per_job (district AGS or all), e.g. all:5000:0.02.",
					openapi.Type("string")),
				param("demand", "query", "trend (the default) or enquiries: the demand from enquiries beside the trend (planners and admins).",
					openapi.Schema("type", "string", "enum", []string{"trend", "enquiries"}, "default", "trend")),
			}), false),
		item("/api/v1/study/large-sites", "get", "studyLargeSites", "Large sites across borders",
			"Available parcels (on offer, not 'not available') within distance_m of each other merged across district and Land borders "+
				"(ST_ClusterDBSCAN) and kept from min_net_ha: merged geometry (WGS84), members, districts, Länder, areas, largest contiguous part, "+
				"best planning status, constraints. Signed-in readers also get the strategic reserve sites (Jokerflächen).",
			concat(sel, []openapi.Param{
				num("distance_m", "How far apart parcels of one site may lie (0: touching only).", study.DefaultClusterDistanceM),
				num("min_net_ha", "Net area from which a merged site is kept.", study.DefaultLargeSiteMinHa),
			}), false),
		item("/api/v1/study/search", "get", "studySearchPreset", "Site search with a preset",
			"Runs a named search ("+strings.Join(presets, ", ")+") over the parcels on offer and merged large sites.",
			concat(sel, []openapi.Param{param("preset", "query", "The preset.", openapi.Schema("type", "string", "enum", presets))}, paging, excludedPaging()), false),
		item("/api/v1/study/search", "post", "studySearch", "Site search with explainable ranking",
			"The body sets hard criteria (criteria: min_net_ha, max_net_ha, use_types, planning_statuses, availabilities, available_by, "+
				"max_distance_km by infrastructure kind, exclude_constraints [{kind, severity, min_share}], require {"+strings.Join(study.FlagNames(), ", ")+": true, min_power_mw, min_broadband_mbps, serviced}), "+
				"preferences (prefer, target_net_ha) and weights by criterion ("+criteriaNames()+"), over a preset if it names one. "+
				"The answer ranks parcels and large sites with a score per criterion and a sentence in German and English, and lists the excluded with their reasons.",
			concat(sel, paging, excludedPaging()), false),
		item("/api/v1/study/search/presets", "get", "studySearchPresets", "Site search presets", "The named searches with their criteria and weights.", nil, false),
		item("/api/v1/study/nearby", "get", "studyNearby", "Nearby parcels",
			"Parcels within distance_m of a point or a parcel and/or the k nearest, with distances in metres, nearest first.",
			concat(sel, []openapi.Param{
				param("point", "query", "lon,lat in WGS84.", openapi.Type("string")),
				param("parcel", "query", "A parcel id (must be visible to the reader).", openapi.Type("integer")),
				num("distance_m", "Radius in metres (up to 50 km).", 0),
				param("k", "query", "At most k parcels (default 10 without distance_m).", openapi.Type("integer")),
				param("offset", "query", "Parcels to skip.", openapi.Type("integer")),
			}), false),
		item("/api/v1/study/constraints", "get", "studyConstraints", "Constraint overlay",
			"The share of each parcel's area in each constraint kind and severity (kept current in PostGIS by triggers), "+
				"summed by kind and severity, with a page of the constrained parcels.", concat(sel, paging), false),
		item("/api/v1/study/parcels", "get", "studyParcels", "Parcels behind a figure",
			"The parcels of a selection as GeoJSON (WGS84) at as_of, with numberMatched: the target of every parcels_href.", concat(sel, paging), false),
		item("/api/v1/study/runs", "get", "studyRuns", "Study runs", "Stored runs the reader may read (the public: runs with audience public), newest first.", paging, false),
		item("/api/v1/study/runs", "post", "studyCreateRun", "Run the study",
			"Planners and admins (401/403 otherwise). The body (title, audience, as_of, scope, filter, group_by, min_site_ha, motorway_km, "+
				"window, demand {target_year, margin, employment, enquiries: true for the demand from enquiries, not in public runs}, large_sites {distance_m, min_net_ha}, search) is computed on one snapshot; "+
				"parameters, data version, figures and parcel ids are stored.", nil, true),
		item("/api/v1/study/runs/{id}", "get", "studyRun", "A study run", "The stored figures, the same however the data changed since (data_changed says whether they did); official names the campaign whose official state (amtlicher Stand) the run is.", []openapi.Param{runID}, false),
		item("/api/v1/study/runs/{id}/report.html", "get", "studyRunReport", "Printable report", "HTML with tables, charts, a map overview, methods, sources, date and data version; prints to a clean PDF.", []openapi.Param{runID}, false),
		item("/api/v1/study/runs/{id}/tables/{table}.csv", "get", "studyRunTable", "A table of a run as CSV",
			"Tables: "+strings.Join(runTables, ", ")+" (search only for runs saved with one, strategic_reserves only where there are some). "+
				"format=csv (default: comma, decimal point, codes) or csv-excel (German Excel: semicolon, decimal comma, UTF-8 with BOM, German headings, labels beside codes).",
			[]openapi.Param{runID, tableParam(runTables), formatParam()}, false),
		item("/api/v1/study/runs/{id}/tables/{table}.xlsx", "get", "studyRunTableXLSX", "A table of a run as XLSX", "German headings, numbers as numbers, labels beside codes.", []openapi.Param{runID, tableParam(runTables)}, false),
		item("/api/v1/study/runs/{id}/tables.xlsx", "get", "studyRunWorkbook", "All tables of a run as XLSX", "One sheet per table.", []openapi.Param{runID}, false),
		item("/api/v1/study/tables/{table}.csv", "get", "studyTable", "A dashboard table as CSV",
			"Tables: "+strings.Join(liveTables, ", ")+", computed for the selection with the parameters of its endpoint (group_by, target_year, ...). format=csv or csv-excel (German Excel).",
			concat(sel, []openapi.Param{tableParam(liveTables), formatParam()}), false),
		item("/api/v1/study/tables/{table}.xlsx", "get", "studyTableXLSX", "A dashboard table as XLSX", "The same table as a workbook.",
			concat(sel, []openapi.Param{tableParam(liveTables)}), false),
		item("/api/v1/study/quality", "get", "studyQuality", "Freshness and completeness",
			"Per district and for the selection: parcels confirmed within fresh_months (default: the setting, 12), earlier, never; the mean weighted completeness of the fields that matter for marketing, with the missing fields counted; and a page of the parcels (sort=completeness|last_confirmed, - for reverse).",
			concat(sel, paging, []openapi.Param{param("fresh_months", "query", "Months a confirmation counts as fresh.", openapi.Type("integer")),
				param("sort", "query", "Order of the parcels.", openapi.Schema("type", "string", "enum", qualitySorts))}), false),
		item("/api/v1/study/monitoring", "get", "studyMonitoring", "The monitoring's indicators",
			"The fixed indicator set for the region and each district at as_of (default today; a date, an RFC 3339 time or a run: run:12) or campaign=ID (a closed campaign's official state), each with its value at previous (default one year earlier) and the change; and the parcels behind the changes.",
			monitoringDocs(), false),
		item("/api/v1/study/monitoring/report.html", "get", "studyMonitoringReport", "The monitoring report", "Printable HTML: key figures, chart, map of large sites, all indicators per district with the previous value and the change. The web app shows it at /monitoring/report.", monitoringDocs(), false),
		item("/api/v1/study/monitoring/report.pdf", "get", "studyMonitoringPDF", "The monitoring report as PDF", "Printed by headless Chromium on the server.", monitoringDocs(), false),
		item("/api/v1/study/monitoring/indicators.csv", "get", "studyMonitoringCSV", "The monitoring's data as CSV", "One row per unit and indicator; format=csv-excel for German Excel.", concat(monitoringDocs(), []openapi.Param{formatParam()}), false),
		item("/api/v1/study/monitoring/indicators.xlsx", "get", "studyMonitoringXLSX", "The monitoring's data as XLSX", "Sheets: indicators and changes.", monitoringDocs(), false),
		item("/api/v1/study/compare", "get", "studyCompare", "Compare two dates or runs",
			"from and to: a date, an RFC 3339 time or a run (run:12). Each indicator for the region and each district at both and the change (to − from), and the parcels behind the changes: new, ended, sold, status or availability changed, restriction added or removed.",
			[]openapi.Param{param("from", "query", "The earlier date or run.", openapi.Type("string")), param("to", "query", "The later date or run (default now).", openapi.Type("string"))}, false),
		item("/api/v1/study/runs/{id}/parcels.geojson", "get", "studyRunParcels", "Parcels of a run", "The run's parcels in their state at its as_of, GeoJSON.", []openapi.Param{runID}, false),
		item("/api/v1/study/runs/{id}/large-sites.geojson", "get", "studyRunLargeSites", "Large sites of a run", "The run's merged large sites, GeoJSON.", []openapi.Param{runID}, false),
		item("/api/v1/study/runs/{id}/export.gpkg", "get", "studyRunGeoPackage", "GeoPackage of a run", "Layers parcels and large_sites in EPSG:25832.", []openapi.Param{runID}, false),
		campaign("/api/v1/monitoring/settings", "get", "monitoringSettings", "Monitoring settings",
			"fresh_months (a confirmation within that many months counts as fresh) and public_max_age_months (parcels confirmed longer ago, or never, are hidden from the public everywhere; null: none hidden).", nil),
		campaign("/api/v1/monitoring/settings", "put", "monitoringSetSettings", "Change the monitoring settings",
			"Admins: the body {fresh_months, public_max_age_months} replaces the settings; a new public_max_age_months changes what the public sees at once.", nil),
		campaign("/api/v1/campaigns", "post", "campaignOpen", "Open a campaign",
			"Admins: the body {title, reference_date, deadline} opens a campaign; every current parcel of each district is to be confirmed or updated for the reference date.", nil),
		campaign("/api/v1/campaigns", "get", "campaigns", "Campaigns", "Every campaign with its dates, progress per district (confirmed, changed, open) and, once closed, its official run. Editors see their own district's progress.", nil),
		campaign("/api/v1/campaigns/{id}", "get", "campaign", "A campaign", "Its dates, progress per district and, once closed, the official run and the districts still open at closing.", []openapi.Param{campaignParam}),
		campaign("/api/v1/campaigns/{id}/districts/{ags}/parcels", "get", "campaignParcels", "A district's task",
			"The district's current parcels with their state in the campaign (confirmed, changed, open), paged; state=open for the open ones.",
			concat([]openapi.Param{campaignParam, agsParam, param("state", "query", "Only parcels in this state.", openapi.Schema("type", "string", "enum", []string{"open", "confirmed", "changed"}))}, paging)),
		campaign("/api/v1/campaigns/{id}/reminders", "post", "campaignSendReminders", "Send reminders",
			"Coordinators: a reminder in the outbox for each district with parcels still open (its editors read it among their messages, or get it by mail where SMTP is set up); the answer lists the districts reminded.", []openapi.Param{campaignParam}),
		campaign("/api/v1/campaigns/{id}/reminders.csv", "get", "campaignRemindersCSV", "Reminders as CSV", "Coordinators: the districts still open with their editors and open parcels; format=csv-excel for German Excel.", []openapi.Param{campaignParam, formatParam()}),
		campaign("/api/v1/campaigns/{id}/reminders.xlsx", "get", "campaignRemindersXLSX", "Reminders as XLSX", "The same as a workbook.", []openapi.Param{campaignParam}),
		campaign("/api/v1/campaigns/{id}/close", "post", "campaignClose", "Close a campaign",
			"Coordinators: freezes the official state at the reference date as an immutable study run (amtlicher Stand), with the districts still open named.", []openapi.Param{campaignParam}),
	}
}

func selectionDocs() []openapi.Param {
	return []openapi.Param{
		param("scope", "query", "region (the default) for the whole region.", openapi.Schema("type", "string", "enum", []string{"region"})),
		listParam("land", "Länder, comma-separated. land, district and municipality together select the parcels in any of the areas named.", study.Lands),
		listParam("district", "District AGS (5 digits), comma-separated.", nil),
		listParam("municipality", "Municipality AGS (8 digits), comma-separated.", nil),
		param("polygon", "query", "A Polygon or MultiPolygon in WGS84 as WKT or GeoJSON: parcels intersecting it (and in the areas named, if any).", openapi.Type("string")),
		param("filter", "query", "A CQL2 text filter on the parcels' queryables (/ogcapi/collections/parcels/queryables); internal properties only for signed-in readers.", openapi.Type("string")),
		param("filter-lang", "query", "Only cql2-text.", openapi.Schema("type", "string", "enum", []string{"cql2-text"})),
		param("as_of", "query", "The state of the data at a date (end of that day, Europe/Berlin) or an RFC 3339 time, from the history; default now.", openapi.Type("string")),
	}
}

func excludedPaging() []openapi.Param {
	return []openapi.Param{
		param("excluded_limit", "query", "Excluded candidates per page.", openapi.Schema("type", "integer", "default", 20)),
		param("excluded_offset", "query", "Excluded candidates to skip.", openapi.Schema("type", "integer", "default", 0)),
	}
}

func tableParam(tables []string) openapi.Param {
	return openapi.PathParam("table", "The table.", openapi.Schema("type", "string", "enum", tables))
}

func monitoringDocs() []openapi.Param {
	return []openapi.Param{
		param("as_of", "query", "The reference date (YYYY-MM-DD), an RFC 3339 time or a run (run:12); default today.", openapi.Type("string")),
		param("campaign", "query", "A closed campaign: its official state, marked amtlicher Stand.", openapi.Type("integer")),
		param("previous", "query", "The previous reference date or run; default one year before as_of.", openapi.Type("string")),
		param("district", "query", "Only this district (5-digit AGS).", openapi.Type("string")),
	}
}

func formatParam() openapi.Param {
	return param("format", "query", "csv (for programs) or csv-excel (for German Excel).", openapi.Schema("type", "string", "enum", []string{"csv", "csv-excel"}))
}

var (
	campaignParam = openapi.PathParam("id", "The id of a campaign.", openapi.Type("integer"))
	agsParam      = openapi.PathParam("ags", "The district's AGS (5 digits).", openapi.Type("string"))
)

// campaign is one operation of the monitoring campaigns: for signed-in accounts only.
func campaign(path, method, id, summary, desc string, params []openapi.Param) openapi.Operation {
	op := item(path, method, id, summary, desc, params, false)
	op.Tag, op.SignedIn = "Monitoring campaigns", true
	if method == "post" || method == "put" {
		op.Body = "The campaign or the settings, as JSON."
	}
	op.Responses = append(op.Responses,
		openapi.Response{Status: "401", Description: "No bearer token.", Media: []string{"application/problem+json"}},
		openapi.Response{Status: "403", Description: "Not allowed for this account.", Media: []string{"application/problem+json"}})
	return op
}

func criteriaNames() string {
	var names []string
	for _, c := range study.ScoredCriteria() {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

func param(name, in, desc string, schema openapi.Object) openapi.Param {
	return openapi.Param{Name: name, In: in, Description: desc, Schema: schema}
}

func listParam(name, desc string, enum []string) openapi.Param {
	items := openapi.Type("string")
	if enum != nil {
		items = openapi.Schema("type", "string", "enum", enum)
	}
	p := param(name, "query", desc, openapi.Schema("type", "array", "items", items))
	p.List = true
	return p
}

func concat(lists ...[]openapi.Param) []openapi.Param {
	var out []openapi.Param
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// item is one operation of the study; signedIn operations (creating a run) answer 401/403
// without a planner's token.
func item(path, method, id, summary, desc string, params []openapi.Param, signedIn bool) openapi.Operation {
	op := openapi.Operation{Method: strings.ToUpper(method), Path: path, ID: id, Tag: "Potential study", Summary: summary,
		Description: desc, Params: params, Responses: openapi.OK("The answer.", mediaOf(path))}
	if method == "post" {
		op.Body = "The search or the run, as JSON."
	}
	if signedIn {
		op.SignedIn = true
		op.Responses = append([]openapi.Response{
			{Status: "201", Description: "The run, stored.", Media: []string{"application/json"}},
			{Status: "401", Description: "No bearer token.", Media: []string{"application/problem+json"}},
			{Status: "403", Description: "Not a planner or admin.", Media: []string{"application/problem+json"}},
		}, openapi.Problems...)
	}
	return op
}

// mediaOf is the media type an endpoint answers with, by its path's ending.
func mediaOf(path string) string {
	switch {
	case strings.HasSuffix(path, ".html"):
		return "text/html"
	case strings.HasSuffix(path, ".csv"):
		return "text/csv"
	case strings.HasSuffix(path, ".xlsx"):
		return xlsxType
	case strings.HasSuffix(path, ".pdf"):
		return "application/pdf"
	case strings.HasSuffix(path, ".geojson"):
		return "application/geo+json"
	case strings.HasSuffix(path, ".gpkg"):
		return "application/geopackage+sqlite3"
	case path == "/api/v1/study/parcels":
		return "application/geo+json"
	}
	return "application/json"
}
