package studyapi

import (
	"strings"

	"landatlas/internal/study"
)

// OpenAPIPaths returns the OpenAPI 3.0 path items of the study endpoints, keyed by path from the
// host root, for the service's OpenAPI document. Each item names its own server ("/", the host
// root), so it reads right in a document whose server is another base such as /ogcapi.
func OpenAPIPaths() map[string]any {
	var groupings []string
	for _, g := range study.Groupings() {
		groupings = append(groupings, g.Name)
	}
	var presets []string
	for _, p := range study.Presets() {
		presets = append(presets, p.Name)
	}
	sel := selectionDocs()
	paging := []map[string]any{
		param("limit", "query", "Items per page.", map[string]any{"type": "integer", "minimum": 1}),
		param("offset", "query", "Items to skip.", map[string]any{"type": "integer", "minimum": 0, "default": 0}),
	}
	num := func(name, desc string, def float64) map[string]any {
		return param(name, "query", desc, map[string]any{"type": "number", "default": def})
	}
	window := []map[string]any{
		param("from_year", "query", "First year of the take-up window (default: five full years before as_of).", map[string]any{"type": "integer"}),
		param("to_year", "query", "Last year of the take-up window, a full year before the year of as_of (default: the year before).", map[string]any{"type": "integer"}),
	}
	runID := param("id", "path", "The id of a study run.", map[string]any{"type": "integer"})
	runID["required"] = true
	return map[string]any{
		"/api/v1/study/supply": item("get", "studySupply", "Supply: counts, areas and shares",
			"Parcels and sites with gross and net ha, the reserve (on offer), sites of at least min_site_ha, and the shares with building rights, "+
				"restricted (minor/severe), brownfield, publicly owned (signed-in readers only), marketable and near a motorway junction; "+
				"for the selection and per group. Every group carries parcels_filter (CQL2) and links to its parcels.",
			concat(sel, []map[string]any{
				listParam("group_by", "Groupings, comma-separated (at most 3): "+strings.Join(groupings, ", ")+". ownership is internal.", groupings),
				num("min_site_ha", "Gross area from which a site counts in sites_at_least_min (the study counted sites of 5 ha).", 5),
				num("motorway_km", "Distance of the near_motorway share.", 5),
			}), false),
		"/api/v1/study/take-up": item("get", "studyTakeUp", "Take-up and reach",
			"Take-up per year and district (net ha whose status became sold that year; parcels first recorded as sold do not count), "+
				"its mean over a window of full years, and the reach of the marketable reserve (years; null without take-up).",
			concat(sel, window), false),
		"/api/v1/study/balance": item("get", "studyBalance", "Demand forecast and balance",
			"Demand to target_year by the trend (mean take-up × years × (1 + margin)) and optionally by employment inputs, "+
				"balanced against the reserve per district and for the scope; inputs_used names what was used.",
			concat(sel, window, []map[string]any{
				param("target_year", "query", "Horizon of the forecast.", map[string]any{"type": "integer", "default": study.DefaultTargetYear}),
				num("margin", "Planning allowance on the forecast (0.1 = 10 %).", 0),
				param("employment", "query", "Employment inputs, comma-separated district:jobs:ha_per_job (district AGS or all), e.g. all:5000:0.02.",
					map[string]any{"type": "string"}),
			}), false),
		"/api/v1/study/large-sites": item("get", "studyLargeSites", "Large sites across borders",
			"Available parcels (on offer, not 'not available') within distance_m of each other merged across district and Land borders "+
				"(ST_ClusterDBSCAN) and kept from min_net_ha: merged geometry (WGS84), members, districts, Länder, areas, largest contiguous part, "+
				"best planning status, constraints. Signed-in readers also get the strategic reserve sites (Jokerflächen).",
			concat(sel, []map[string]any{
				num("distance_m", "How far apart parcels of one site may lie (0: touching only).", study.DefaultClusterDistanceM),
				num("min_net_ha", "Net area from which a merged site is kept.", study.DefaultLargeSiteMinHa),
			}), false),
		"/api/v1/study/search": merge(
			item("get", "studySearchPreset", "Site search with a preset",
				"Runs a named search ("+strings.Join(presets, ", ")+") over the parcels on offer and merged large sites.",
				concat(sel, []map[string]any{param("preset", "query", "The preset.", map[string]any{"type": "string", "enum": presets})}, paging, excludedPaging()), false),
			item("post", "studySearch", "Site search with explainable ranking",
				"The body sets hard criteria (criteria: min_net_ha, max_net_ha, use_types, planning_statuses, availabilities, available_by, "+
					"max_distance_km by infrastructure kind, exclude_constraints [{kind, severity, min_share}], require {rail_siding, hydrogen, min_power_mw, ...}), "+
					"preferences (prefer, target_net_ha) and weights by criterion ("+criteriaNames()+"), over a preset if it names one. "+
					"The answer ranks parcels and large sites with a score per criterion and a sentence in German and English, and lists the excluded with their reasons.",
				concat(sel, paging, excludedPaging()), false)),
		"/api/v1/study/search/presets": item("get", "studySearchPresets", "Site search presets", "The named searches with their criteria and weights.", nil, false),
		"/api/v1/study/nearby": item("get", "studyNearby", "Nearby parcels",
			"Parcels within distance_m of a point or a parcel and/or the k nearest, with distances in metres, nearest first.",
			concat(sel, []map[string]any{
				param("point", "query", "lon,lat in WGS84.", map[string]any{"type": "string"}),
				param("parcel", "query", "A parcel id (must be visible to the reader).", map[string]any{"type": "integer"}),
				num("distance_m", "Radius in metres (up to 50 km).", 0),
				param("k", "query", "At most k parcels (default 10 without distance_m).", map[string]any{"type": "integer"}),
				param("offset", "query", "Parcels to skip.", map[string]any{"type": "integer"}),
			}), false),
		"/api/v1/study/constraints": item("get", "studyConstraints", "Constraint overlay",
			"The share of each parcel's area in each constraint kind and severity (kept current in PostGIS by triggers), "+
				"summed by kind and severity, with a page of the constrained parcels.", concat(sel, paging), false),
		"/api/v1/study/parcels": item("get", "studyParcels", "Parcels behind a figure",
			"The parcels of a selection as GeoJSON (WGS84) at as_of, with numberMatched: the target of every parcels_href.", concat(sel, paging), false),
		"/api/v1/study/runs": merge(
			item("get", "studyRuns", "Study runs", "Stored runs the reader may read (the public: runs with audience public), newest first.", paging, false),
			item("post", "studyCreateRun", "Run the study",
				"Planners and admins (401/403 otherwise). The body (title, audience, as_of, scope, filter, group_by, min_site_ha, motorway_km, "+
					"window, demand {target_year, margin, employment}, large_sites {distance_m, min_net_ha}, search) is computed on one snapshot; "+
					"parameters, data version, figures and parcel ids are stored.", nil, true)),
		"/api/v1/study/runs/{id}":             item("get", "studyRun", "A study run", "The stored figures, the same however the data changed since (data_changed says whether they did).", []map[string]any{runID}, false),
		"/api/v1/study/runs/{id}/report.html": item("get", "studyRunReport", "Printable report", "HTML with tables, charts, a map overview, methods, sources, date and data version; prints to a clean PDF.", []map[string]any{runID}, false),
		"/api/v1/study/runs/{id}/tables/{table}.csv": item("get", "studyRunTable", "A table of a run as CSV",
			"Tables: "+strings.Join(runTables, ", ")+" (search only for runs saved with one, strategic_reserves only where there are some). "+
				"format=csv (default: comma, decimal point, codes) or csv-excel (German Excel: semicolon, decimal comma, UTF-8 with BOM, German headings, labels beside codes).",
			[]map[string]any{runID, tableParam(), formatParam()}, false),
		"/api/v1/study/runs/{id}/tables/{table}.xlsx": item("get", "studyRunTableXLSX", "A table of a run as XLSX", "German headings, numbers as numbers, labels beside codes.", []map[string]any{runID, tableParam()}, false),
		"/api/v1/study/tables/{table}.csv": item("get", "studyTable", "A dashboard table as CSV",
			"Tables: "+strings.Join(liveTables, ", ")+", computed for the selection with the parameters of its endpoint (group_by, target_year, ...). format=csv or csv-excel (German Excel).",
			concat(selectionDocs(), []map[string]any{liveTableParam(), formatParam()}), false),
		"/api/v1/study/tables/{table}.xlsx": item("get", "studyTableXLSX", "A dashboard table as XLSX", "The same table as a workbook.",
			concat(selectionDocs(), []map[string]any{liveTableParam()}), false),
		"/api/v1/study/quality": item("get", "studyQuality", "Freshness and completeness",
			"Per district and for the selection: parcels confirmed within fresh_months (default: the setting, 12), earlier, never; the mean weighted completeness of the fields that matter for marketing, with the missing fields counted; and a page of the parcels (sort=completeness|last_confirmed, - for reverse).",
			concat(selectionDocs(), paging, []map[string]any{param("fresh_months", "query", "Months a confirmation counts as fresh.", map[string]any{"type": "integer"}),
				param("sort", "query", "Order of the parcels.", map[string]any{"type": "string", "enum": qualitySorts})}), false),
		"/api/v1/study/monitoring": item("get", "studyMonitoring", "The monitoring's indicators",
			"The fixed indicator set for the region and each district at as_of (default today; a date, an RFC 3339 time or a run: run:12) or campaign=ID (a closed campaign's official state), each with its value at previous (default one year earlier) and the change; and the parcels behind the changes.",
			monitoringDocs(), false),
		"/api/v1/study/monitoring/report.html":     item("get", "studyMonitoringReport", "The monitoring report", "Printable HTML: key figures, chart, map of large sites, all indicators per district with the previous value and the change. The web app shows it at /monitoring/report.", monitoringDocs(), false),
		"/api/v1/study/monitoring/report.pdf":      item("get", "studyMonitoringPDF", "The monitoring report as PDF", "Printed by headless Chromium on the server.", monitoringDocs(), false),
		"/api/v1/study/monitoring/indicators.csv":  item("get", "studyMonitoringCSV", "The monitoring's data as CSV", "One row per unit and indicator; format=csv-excel for German Excel.", concat(monitoringDocs(), []map[string]any{formatParam()}), false),
		"/api/v1/study/monitoring/indicators.xlsx": item("get", "studyMonitoringXLSX", "The monitoring's data as XLSX", "Sheets: indicators and changes.", monitoringDocs(), false),
		"/api/v1/study/compare": item("get", "studyCompare", "Compare two dates or runs",
			"from and to: a date, an RFC 3339 time or a run (run:12). Each indicator for the region and each district at both and the change (to − from), and the parcels behind the changes: new, ended, sold, status or availability changed.",
			[]map[string]any{param("from", "query", "The earlier date or run.", map[string]any{"type": "string"}), param("to", "query", "The later date or run (default now).", map[string]any{"type": "string"})}, false),
		"/api/v1/study/runs/{id}/tables.xlsx":         item("get", "studyRunWorkbook", "All tables of a run as XLSX", "One sheet per table.", []map[string]any{runID}, false),
		"/api/v1/study/runs/{id}/parcels.geojson":     item("get", "studyRunParcels", "Parcels of a run", "The run's parcels in their state at its as_of, GeoJSON.", []map[string]any{runID}, false),
		"/api/v1/study/runs/{id}/large-sites.geojson": item("get", "studyRunLargeSites", "Large sites of a run", "The run's merged large sites, GeoJSON.", []map[string]any{runID}, false),
		"/api/v1/study/runs/{id}/export.gpkg":         item("get", "studyRunGeoPackage", "GeoPackage of a run", "Layers parcels and large_sites in EPSG:25832.", []map[string]any{runID}, false),
	}
}

func selectionDocs() []map[string]any {
	return []map[string]any{
		param("scope", "query", "region (the default) for the whole region.", map[string]any{"type": "string", "enum": []string{"region"}}),
		listParam("land", "Länder, comma-separated. land, district and municipality together select the parcels in any of the areas named.", study.Lands),
		listParam("district", "District AGS (5 digits), comma-separated.", nil),
		listParam("municipality", "Municipality AGS (8 digits), comma-separated.", nil),
		param("polygon", "query", "A Polygon or MultiPolygon in WGS84 as WKT or GeoJSON: parcels intersecting it (and in the areas named, if any).", map[string]any{"type": "string"}),
		param("filter", "query", "A CQL2 text filter on the parcels' queryables (/ogcapi/collections/parcels/queryables); internal properties only for signed-in readers.", map[string]any{"type": "string"}),
		param("filter-lang", "query", "Only cql2-text.", map[string]any{"type": "string", "enum": []string{"cql2-text"}}),
		param("as_of", "query", "The state of the data at a date (end of that day, Europe/Berlin) or an RFC 3339 time, from the history; default now.", map[string]any{"type": "string"}),
	}
}

func excludedPaging() []map[string]any {
	return []map[string]any{
		param("excluded_limit", "query", "Excluded candidates per page.", map[string]any{"type": "integer", "default": 20}),
		param("excluded_offset", "query", "Excluded candidates to skip.", map[string]any{"type": "integer", "default": 0}),
	}
}

func monitoringDocs() []map[string]any {
	return []map[string]any{
		param("as_of", "query", "The reference date (YYYY-MM-DD), an RFC 3339 time or a run (run:12); default today.", map[string]any{"type": "string"}),
		param("campaign", "query", "A closed campaign: its official state, marked amtlicher Stand.", map[string]any{"type": "integer"}),
		param("previous", "query", "The previous reference date or run; default one year before as_of.", map[string]any{"type": "string"}),
		param("district", "query", "Only this district (5-digit AGS).", map[string]any{"type": "string"}),
	}
}

func liveTableParam() map[string]any {
	p := param("table", "path", "The table.", map[string]any{"type": "string", "enum": liveTables})
	p["required"] = true
	return p
}

func formatParam() map[string]any {
	return param("format", "query", "csv (for programs) or csv-excel (for German Excel).", map[string]any{"type": "string", "enum": []string{"csv", "csv-excel"}})
}

func tableParam() map[string]any {
	p := param("table", "path", "The table.", map[string]any{"type": "string", "enum": runTables})
	p["required"] = true
	return p
}

func criteriaNames() string {
	var names []string
	for _, c := range study.ScoredCriteria() {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

func param(name, in, desc string, schema map[string]any) map[string]any {
	return map[string]any{"name": name, "in": in, "description": desc, "schema": schema}
}

func listParam(name, desc string, enum []string) map[string]any {
	items := map[string]any{"type": "string"}
	if enum != nil {
		items["enum"] = enum
	}
	p := param(name, "query", desc, map[string]any{"type": "array", "items": items})
	p["style"], p["explode"] = "form", false
	return p
}

func concat(lists ...[]map[string]any) []map[string]any {
	var out []map[string]any
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// item is a path item of one operation; signedIn operations say so and answer 401/403.
func item(method, id, summary, desc string, params []map[string]any, signedIn bool) map[string]any {
	problem := map[string]any{"content": map[string]any{"application/problem+json": map[string]any{}}}
	responses := map[string]any{
		"200": map[string]any{"description": "The answer.", "content": map[string]any{"application/json": map[string]any{}}},
		"400": withDescription(problem, "A parameter is unknown or not allowed; the problem says which and what is allowed."),
		"404": withDescription(problem, "Not found, or not visible to the reader."),
	}
	op := map[string]any{"tags": []string{"Potential study"}, "operationId": id, "summary": summary, "description": desc, "responses": responses}
	if params != nil {
		op["parameters"] = params
	}
	if method == "post" {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
		if signedIn {
			delete(responses, "200")
			responses["201"] = map[string]any{"description": "The run, stored.", "content": map[string]any{"application/json": map[string]any{}}}
			responses["401"] = withDescription(problem, "No bearer token.")
			responses["403"] = withDescription(problem, "Not a planner or admin.")
			op["security"] = []map[string]any{{"bearer": []string{}}}
		}
	}
	return map[string]any{"servers": []map[string]any{{"url": "/"}}, method: op}
}

func withDescription(m map[string]any, desc string) map[string]any {
	out := map[string]any{"description": desc}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// merge joins the operations of two path items of the same path.
func merge(a, b map[string]any) map[string]any {
	for k, v := range b {
		a[k] = v
	}
	return a
}
