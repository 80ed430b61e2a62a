package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"landatlas/internal/apperr"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
)

// geocodeTimeout bounds one request to the external geocoder.
const geocodeTimeout = 5 * time.Second

// CheckGeocoderURL validates LANDATLAS_GEOCODER_URL: an http(s) URL with {q} where the search text
// goes, answering GeoJSON (e.g. the BKG geocoder's geosearch.json?query={q}).
func CheckGeocoderURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(strings.ReplaceAll(s, "{q}", "x"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(s, "{q}") {
		return fmt.Errorf("LANDATLAS_GEOCODER_URL %q: give an http(s) URL with {q} where the search text goes, e.g. https://geocoder.example/geosearch.json?query={q}", s)
	}
	return nil
}

// geocodeResult is one address the geocoder found.
type geocodeResult struct {
	Label    string          `json:"label"`
	Geometry json.RawMessage `json:"geometry"`
	BBox     []float64       `json:"bbox,omitempty"`
}

// handleGeocode asks the configured geocoder for addresses and postcodes (GET /api/v1/geocode?q=)
// and answers {"results": [...]}: the label and point of each hit. The browser never talks to the
// geocoder itself, so its address and any key in the URL stay on the server.
func (s *Server) handleGeocode() http.HandlerFunc {
	client := &http.Client{Timeout: geocodeTimeout}
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		if s.cfg.GeocoderURL == "" {
			return apperr.New(apperr.NotFound, "no geocoder is configured (LANDATLAS_GEOCODER_URL); search municipalities, AGS and parcel names instead")
		}
		if err := httpx.CheckParams(r.URL.Query(), []string{"q"}, nil, ""); err != nil {
			return err
		}
		q := strings.TrimSpace(r.URL.Query().Get("q"))
		if n := utf8.RuneCountInString(q); n < 2 || n > 200 {
			return httpx.Invalid("q", "give 2 to 200 characters to search for")
		}
		results, err := s.geocode(r.Context(), client, q)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{"results": results})
	})
}

func (s *Server) geocode(ctx context.Context, client *http.Client, q string) ([]geocodeResult, error) {
	target := strings.ReplaceAll(s.cfg.GeocoderURL, "{q}", url.QueryEscape(q))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("geocode: %w", err)
	}
	req.Header.Set("Accept", "application/geo+json, application/json")
	res, err := client.Do(req)
	if err != nil {
		// The error names the geocoder's URL, which may hold a key: the log has it, the answer not.
		s.log.Warn("geocoder unreachable", "err", err)
		return nil, apperr.New(apperr.Unavailable, "the address search is unavailable; try again later or search municipalities and parcel names")
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, apperr.New(apperr.Unavailable, "the address search is unavailable: the geocoder answered %s", res.Status)
	}
	var fc struct {
		Features []struct {
			Geometry   json.RawMessage `json:"geometry"`
			BBox       []float64       `json:"bbox"`
			Properties map[string]any  `json:"properties"`
		} `json:"features"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 4<<20)).Decode(&fc); err != nil {
		return nil, apperr.New(apperr.Unavailable, "the address search is unavailable: the geocoder answered no GeoJSON (%v)", err)
	}
	out := []geocodeResult{}
	for _, f := range fc.Features {
		label := ""
		for _, k := range []string{"text", "label", "name", "display_name"} {
			if v, ok := f.Properties[k].(string); ok && v != "" {
				label = v
				break
			}
		}
		if label == "" || len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			continue
		}
		out = append(out, geocodeResult{Label: label, Geometry: f.Geometry, BBox: f.BBox})
		if len(out) == 8 {
			break
		}
	}
	return out, nil
}
