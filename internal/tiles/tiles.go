// Package tiles serves the catalog's collections as Mapbox vector tiles built in PostGIS, with a
// version-aware cache.
package tiles

import (
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Config is what the tile service needs.
type Config struct {
	DB         *pgxpool.Pool
	Log        *slog.Logger
	Registry   prometheus.Registerer
	CacheBytes int64 // size of the in-memory tile cache
}

// Service answers tile and TileJSON requests under /tiles.
type Service struct{ cfg Config }

// New builds the service.
func New(cfg Config) (*Service, error) { return &Service{cfg: cfg}, nil }

func notYet(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not implemented yet", http.StatusNotImplemented)
}

// TileJSON serves the TileJSON 3.0 document of a collection.
func (s *Service) TileJSON() http.HandlerFunc { return notYet }

// Tile serves one vector tile.
func (s *Service) Tile() http.HandlerFunc { return notYet }
