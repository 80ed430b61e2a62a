package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes lists every route of the service, top to bottom.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestID)
	r.Use(headAsGet)
	r.Use(middleware.Recoverer)
	r.Use(accessLog(s.log, s.metrics))
	r.Use(cors(s.cfg.CORSOrigins))

	// Operations.
	r.Get("/healthz", s.handleHealthz())
	r.Get("/readyz", s.handleReadyz())
	r.Handle("/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))

	// Data, for the public and, with a bearer token, for planners and editors.
	r.Group(func(r chi.Router) {
		r.Use(authenticate(s.accounts, s.log))
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

		// District uploads and parcel history (issue 5).
		r.Get("/api/v1/uploads/fields", s.handleUploadFields())
		r.Post("/api/v1/uploads", s.handleCreateUpload())
		r.Get("/api/v1/uploads", s.handleListUploads())
		r.Get("/api/v1/uploads/{id}", s.handleGetUpload())
		r.Get("/api/v1/uploads/{id}/changes.geojson", s.handleUploadChanges())
		r.Post("/api/v1/uploads/{id}/preview", s.handlePreviewUpload())
		r.Post("/api/v1/uploads/{id}/apply", s.handleApplyUpload())
		r.Get("/api/v1/districts/{ags}/mapping", s.handleGetMapping())
		r.Put("/api/v1/districts/{ags}/mapping", s.handlePutMapping())
		r.Get("/api/v1/parcels/{id}/history", s.handleParcelHistory())

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

		// Investor map (issue 16): addresses and postcodes through the optional geocoder.
		r.Get("/api/v1/geocode", s.handleGeocode())
	})

	// The web app.
	r.Handle("/*", s.handleWeb())
	return r
}
