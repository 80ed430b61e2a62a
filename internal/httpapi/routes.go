package httpapi

import (
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"landatlas/internal/httpx"
)

// routes lists every route of the service, top to bottom.
func (s *Server) routes() *chi.Mux {
	r := chi.NewRouter()
	r.Use(requestID)
	r.Use(headAsGet)
	r.Use(middleware.Recoverer)
	r.Use(accessLog(s.log, s.metrics))
	r.Use(cors(s.cfg.CORSOrigins))
	r.Use(httpx.Compress())
	r.Use(httpx.WithBaseURL(s.cfg.BaseURL))
	r.Use(s.checkRequest)
	r.NotFound(s.handleNotFound())
	r.MethodNotAllowed(s.handleMethodNotAllowed())

	// Operations.
	r.Get("/healthz", s.handleHealthz())
	r.Get("/readyz", s.handleReadyz())
	r.Get("/metrics", s.handleMetrics())

	// Data, for the public and, with a bearer token, for planners and editors.
	r.Group(func(r chi.Router) {
		r.Use(authenticate(s.accounts, s.log))
		r.Use(s.routeReads)
		r.Get("/api/v1/config", s.handleConfig())
		r.Get("/api/v1/session", s.handleSession())
		r.Get("/api/v1/districts", s.handleDistricts())

		// OGC API – Features, Parts 1-3 (issue 3).
		f := s.features
		r.Get("/ogcapi", f.Landing())
		r.Get("/ogcapi/", f.Landing())
		r.Get("/ogcapi/conformance", f.Conformance())
		r.Get("/ogcapi/api", f.OpenAPI())
		r.Get("/ogcapi/api.html", f.OpenAPIDoc())
		r.Get("/ogcapi/collections", f.Collections())
		r.Get("/ogcapi/collections/{collectionId}", f.Collection())
		r.Get("/ogcapi/collections/{collectionId}/queryables", f.Queryables())
		r.Get("/ogcapi/collections/{collectionId}/items", f.Items())
		r.Get("/ogcapi/collections/{collectionId}/items/{featureId}", f.Item())

		// Vector tiles and their TileJSON (issue 4).
		r.Get("/tiles/{collectionId}.json", s.tiles.TileJSON())
		r.Get("/tiles/{collectionId}/{z}/{x}/{y}.mvt", s.tiles.Tile())

		// District uploads and parcel history (issue 5). Only the upload itself may take long to
		// send its body.
		r.Get("/api/v1/uploads/fields", s.handleUploadFields())
		r.With(longRead(s.cfg.Timeouts.Upload)).Post("/api/v1/uploads", s.handleCreateUpload())
		r.Get("/api/v1/uploads", s.handleListUploads())
		r.Get("/api/v1/uploads/{id}", s.handleGetUpload())
		r.Get("/api/v1/uploads/{id}/changes.geojson", s.handleUploadChanges())
		r.Post("/api/v1/uploads/{id}/preview", s.handlePreviewUpload())
		r.Post("/api/v1/uploads/{id}/apply", s.handleApplyUpload())
		r.Get("/api/v1/districts/{ags}/mapping", s.handleGetMapping())
		r.Put("/api/v1/districts/{ags}/mapping", s.handlePutMapping())
		r.Get("/api/v1/parcels/{id}/history", s.handleParcelHistory())

		// Safe publishing (issue 12): undo a publication (with a preview of what undoing changes),
		// confirm parcels as still current, the district's contact for investors, edit and end
		// single parcels through the upload pipeline.
		r.Get("/api/v1/uploads/{id}/revert", s.handleRevertPlan())
		r.Post("/api/v1/uploads/{id}/revert", s.handleRevertUpload())
		r.Post("/api/v1/districts/{ags}/confirm", s.handleConfirmParcels())
		r.Get("/api/v1/districts/{ags}/contact", s.handleGetContact())
		r.Put("/api/v1/districts/{ags}/contact", s.handlePutContact())
		r.Post("/api/v1/edits", s.handleCreateEdit())
		r.Post("/api/v1/parcels/{id}/end", s.handleEndParcel())

		// Potential study (issue 6). Every endpoint takes scope, filter and as_of; runs are
		// created by planners and admins and read by whoever may see their audience.
		st := s.study
		r.Get("/api/v1/study/supply", st.Supply())
		r.Get("/api/v1/study/take-up", st.TakeUp())
		r.Get("/api/v1/study/balance", st.Balance())
		r.Get("/api/v1/study/large-sites", st.LargeSites())
		r.Get("/api/v1/study/search", st.Search())
		r.Post("/api/v1/study/search", st.Search())
		r.Get("/api/v1/study/search/presets", st.Presets())
		r.Get("/api/v1/study/nearby", st.Nearby())
		r.Get("/api/v1/study/constraints", st.Constraints())
		r.Get("/api/v1/study/parcels", st.Parcels())
		r.Post("/api/v1/study/runs", st.CreateRun())
		r.Get("/api/v1/study/runs", st.Runs())
		r.Get("/api/v1/study/runs/{id}", st.Run())
		r.Get("/api/v1/study/runs/{id}/report.html", st.RunReport())
		r.Get("/api/v1/study/runs/{id}/tables/{table}.csv", st.RunTable())
		r.Get("/api/v1/study/runs/{id}/parcels.geojson", st.RunParcels())
		r.Get("/api/v1/study/runs/{id}/large-sites.geojson", st.RunLargeSites())
		r.Get("/api/v1/study/runs/{id}/export.gpkg", st.RunGeoPackage())

		// Field registry and column matching (issue 11): the web app takes its fields, labels and
		// code lists from the catalog, and the upload form asks how the upload will read a file's
		// columns.
		r.Get("/api/v1/catalog", s.handleCatalog())
		r.Post("/api/v1/uploads/guess-mapping", s.handleGuessMapping())

		// The demand side (issue 14): the public enquiry form, enquiry management for planners
		// and the editors of the routed districts, shortlists, proposal links, statistics, the
		// outbox and a person's data on request.
		eq := s.enquiries
		r.Get("/api/v1/enquiries/form", eq.Form())
		r.Post("/api/v1/enquiries", eq.Create())
		r.Get("/api/v1/enquiries", eq.List())
		r.Get("/api/v1/enquiries/assignees", eq.Assignees())
		r.Get("/api/v1/enquiries/messages", eq.Messages())
		r.Get("/api/v1/enquiries/stats", eq.Stats())
		r.Get("/api/v1/enquiries/{id}", eq.Get())
		r.Post("/api/v1/enquiries/{id}/status", eq.SetStatus())
		r.Post("/api/v1/enquiries/{id}/assignee", eq.Assign())
		r.Post("/api/v1/enquiries/{id}/notes", eq.AddNote())
		r.Get("/api/v1/enquiries/{id}/search", eq.Search())
		r.Post("/api/v1/enquiries/{id}/shortlist", eq.AddItem())
		r.Put("/api/v1/enquiries/{id}/shortlist/{item}", eq.ChangeItem())
		r.Post("/api/v1/enquiries/{id}/shortlist/{item}/remove", eq.RemoveItem())
		r.Post("/api/v1/enquiries/{id}/proposals", eq.CreateProposal())
		r.Post("/api/v1/enquiries/{id}/proposals/{proposal}/revoke", eq.RevokeProposal())
		r.Get("/api/v1/privacy/person", eq.ExportPerson())
		r.Post("/api/v1/privacy/person/erase", eq.ErasePerson())
		// Investor map (issue 16): addresses and postcodes through the optional geocoder.
		r.Get("/api/v1/geocode", s.handleGeocode())
		// Monitoring cycle (issue 13): Excel-ready tables, campaigns, freshness and completeness,
		// the monitoring report and the comparison of two dates or runs.
		r.Get("/api/v1/study/runs/{id}/tables/{table}.xlsx", st.RunTableXLSX())
		r.Get("/api/v1/study/runs/{id}/tables.xlsx", st.RunWorkbook())
		r.Get("/api/v1/study/tables/{table}.csv", st.Table())
		r.Get("/api/v1/study/tables/{table}.xlsx", st.TableXLSX())
		r.Get("/api/v1/study/quality", st.Quality())
		r.Get("/api/v1/study/monitoring", st.Monitoring())
		r.Get("/api/v1/study/monitoring/report.html", st.MonitoringReport())
		r.Get("/api/v1/study/monitoring/report.pdf", st.MonitoringPDF())
		r.Get("/api/v1/study/monitoring/indicators.csv", st.MonitoringCSV())
		r.Get("/api/v1/study/monitoring/indicators.xlsx", st.MonitoringXLSX())
		r.Get("/api/v1/study/compare", st.Compare())
		r.Get("/api/v1/monitoring/settings", st.Settings())
		r.Put("/api/v1/monitoring/settings", st.SetSettings())
		r.Post("/api/v1/campaigns", st.OpenCampaign())
		r.Get("/api/v1/campaigns", st.Campaigns())
		r.Get("/api/v1/campaigns/{id}", st.Campaign())
		r.Get("/api/v1/campaigns/{id}/districts/{ags}/parcels", st.CampaignParcels())
		r.Post("/api/v1/campaigns/{id}/reminders", st.SendReminders())
		r.Get("/api/v1/campaigns/{id}/reminders.csv", st.RemindersCSV())
		r.Get("/api/v1/campaigns/{id}/reminders.xlsx", st.RemindersXLSX())
		r.Post("/api/v1/campaigns/{id}/close", st.CloseCampaign())
	})

	// Pages without sign-in (issue 14): proposal links, never indexed, and the imprint and
	// privacy pages every public page links to.
	r.Get("/angebot/{token}", s.enquiries.Proposal(false))
	r.Get("/angebot/{token}/expose", s.enquiries.Proposal(true))
	r.Get("/impressum", s.enquiries.Legal(false))
	r.Get("/datenschutz", s.enquiries.Legal(true))

	// The web app: its own routes answer index.html (the app reads the path), its files are
	// served as they are; any other path is a 404 (r.NotFound), under /api, /ogcapi and /tiles too.
	app := s.handleWebApp()
	for _, p := range webAppRoutes {
		r.Get(p, app)
		if p != "/" {
			r.Get(p+"/", app) // the app's routes take a trailing slash too
		}
	}
	r.Get("/*", s.handleWebFile())
	return r
}

// webAppRoutes are the paths the web app routes itself (web/src/state.ts).
var webAppRoutes = []string{"/", "/parcel/{id}", "/parcel/{id}/print", "/list/print", "/compare", "/glossary", "/study", "/study/run/{id}", "/search", "/upload", "/upload/{id}",
	"/edit", "/edit/{id}", "/enquiries", "/enquiries/{id}", "/campaigns", "/campaigns/{id}", "/study/run/{id}/report", "/monitoring/report"}
