// Package ogcapi serves the collections of the catalog as OGC API – Features (Parts 1, 2 and 3).
package ogcapi

import (
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Config is what the features service needs.
type Config struct {
	DB       *pgxpool.Pool
	Log      *slog.Logger
	Registry prometheus.Registerer
	// CRSFallbackBaseURL etc. may be added by the implementer.
}

// Service answers the OGC API – Features requests under /ogcapi.
type Service struct{ cfg Config }

// New builds the service.
func New(cfg Config) (*Service, error) { return &Service{cfg: cfg}, nil }

func notYet(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not implemented yet", http.StatusNotImplemented)
}

// Landing serves the landing page.
func (s *Service) Landing() http.HandlerFunc { return notYet }

// Conformance serves the conformance declaration.
func (s *Service) Conformance() http.HandlerFunc { return notYet }

// OpenAPI serves the OpenAPI 3 document (service-desc).
func (s *Service) OpenAPI() http.HandlerFunc { return notYet }

// OpenAPIDoc serves a readable page of the OpenAPI document (service-doc).
func (s *Service) OpenAPIDoc() http.HandlerFunc { return notYet }

// Collections lists the collections.
func (s *Service) Collections() http.HandlerFunc { return notYet }

// Collection describes one collection.
func (s *Service) Collection() http.HandlerFunc { return notYet }

// Queryables serves a collection's queryables as JSON Schema.
func (s *Service) Queryables() http.HandlerFunc { return notYet }

// Items serves a page of a collection's features.
func (s *Service) Items() http.HandlerFunc { return notYet }

// Item serves one feature.
func (s *Service) Item() http.HandlerFunc { return notYet }
