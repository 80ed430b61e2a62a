package studyapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"landatlas/internal/apperr"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// maxBody limits a JSON request body: a search or a run with a detailed polygon stays far below.
const maxBody = 1 << 20

// searchParams are the paging parameters of a search.
var searchParams = []string{"preset", "limit", "offset", "excluded_limit", "excluded_offset"}

// Search answers GET (a preset, e.g. ?preset=logistics) and POST (criteria, preferences and
// weights as JSON, over a preset if it names one) /api/v1/study/search: the parcels on offer and
// merged large sites ranked by score, each score explained, and the excluded with their reasons.
func (s *Service) Search() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, searchParams...)
		if err != nil {
			return err
		}
		var search study.Search
		if r.Method == http.MethodPost {
			search, err = decodeSearch(w, r)
		} else {
			search, err = study.NewSearch(req.values.Get("preset"))
		}
		if err == nil {
			err = search.Check()
		}
		if err != nil {
			return err
		}
		var pages studystore.SearchPages
		if pages.Limit, pages.Offset, err = page(req.values, 20, 500); err != nil {
			return err
		}
		if pages.ExcludedLimit, err = httpx.Integer(req.values, "excluded_limit", 20, 0, 500); err != nil {
			return err
		}
		if pages.ExcludedOffset, err = httpx.Integer(req.values, "excluded_offset", 0, 0, 1_000_000); err != nil {
			return err
		}
		return s.respond(w, r, req, "search", func(st studystore.Store) (any, error) {
			return st.Search(r.Context(), req.sel, search, pages)
		})
	})
}

// decodeSearch reads a search from a request body: the preset it names first, then every field
// of the body over it, so the body replaces the preset's values one by one.
func decodeSearch(w http.ResponseWriter, r *http.Request) (study.Search, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return study.Search{}, apperr.New(apperr.TooLarge, "the request body is larger than %d bytes", maxBody)
		}
		return study.Search{}, apperr.New(apperr.Invalid, "read the request body: %v", err)
	}
	return parseSearch(body)
}

// parseSearch reads a search from JSON, over the preset it names.
func parseSearch(body []byte) (study.Search, error) {
	var head struct {
		Preset string `json:"preset"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return study.Search{}, apperr.New(apperr.Invalid, "search: the body is not a JSON object: %v", err)
	}
	search, err := study.NewSearch(head.Preset)
	if err != nil {
		return study.Search{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&search); err != nil {
		return study.Search{}, apperr.New(apperr.Invalid, "search: %v", err)
	}
	return search, nil
}

// Presets answers GET /api/v1/study/search/presets: the named searches with their criteria.
func (s *Service) Presets() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		presets := study.Presets()
		for i := range presets {
			presets[i].Search, _ = study.NewSearch(presets[i].Name)
		}
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{
			"presets": presets, "default_weights": study.DefaultWeights(), "criteria": study.ScoredCriteria(),
		})
	})
}
