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
		r.Use(middleware.GetHead)
		r.Get("/api/v1/config", s.handleConfig())
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
	})

	// The web app.
	r.Handle("/*", s.handleWeb())
	return r
}
