package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/parcel"
	"landatlas/internal/problem"
	"landatlas/internal/upload"
)

// catalogDoc is the field registry as the web app reads it: the fields of parcels and sites with
// labels, descriptions, types, units and code lists, and the code lists of everything else it
// labels (constraints, infrastructure, roles).
type catalogDoc struct {
	Parcels   []parcel.Field             `json:"parcels"`
	Sites     []parcel.Field             `json:"sites"`
	CodeLists map[string]parcel.CodeList `json:"code_lists"`
	// Sections are the fact sheet's sections in the order it shows them.
	Sections []string `json:"sheet_sections"`
}

// catalogBody is the JSON of the registry for one kind of reader, with its ETag.
type catalogBody struct {
	json []byte
	etag string
}

// catalogFor builds the registry for a reader: the public gets neither the internal fields nor
// the code lists only they use.
func catalogFor(internal bool) (catalogBody, error) {
	visible := func(fields []parcel.Field) []parcel.Field {
		return slices.DeleteFunc(fields, func(f parcel.Field) bool { return f.InputOnly || f.Internal && !internal })
	}
	doc := catalogDoc{Parcels: visible(parcel.ParcelFields()), Sites: visible(parcel.SiteFields()), CodeLists: map[string]parcel.CodeList{},
		Sections: []string{parcel.SheetLocation, parcel.SheetArea, parcel.SheetMarket, parcel.SheetUtilities,
			parcel.SheetContact, parcel.SheetRecord}}
	if internal {
		doc.Sections = append(doc.Sections, parcel.SheetInternal)
	}
	hidden := map[string]bool{}
	for _, f := range append(parcel.ParcelFields(), parcel.SiteFields()...) {
		if f.Codes != nil && f.Internal {
			hidden[f.Codes.Name] = true
		}
	}
	for _, fields := range [][]parcel.Field{doc.Parcels, doc.Sites} {
		for _, f := range fields {
			if f.Codes != nil {
				delete(hidden, f.Codes.Name)
			}
		}
	}
	for _, l := range append(parcel.CodeLists(), parcel.Districts(), parcel.Lands(), parcel.SizeClassCodes()) {
		if internal || !hidden[l.Name] {
			doc.CodeLists[l.Name] = l
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return catalogBody{}, fmt.Errorf("field registry: %w", err)
	}
	sum := sha256.Sum256(b)
	return catalogBody{json: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}, nil
}

// handleCatalog answers GET /api/v1/catalog: the field registry, so that the web app takes its
// labels, code lists and filters from the one definition. It changes only with a new binary, so
// clients revalidate with If-None-Match and mostly get 304.
func (s *Server) handleCatalog() http.HandlerFunc {
	public, errPublic := catalogFor(false)
	internal, errInternal := catalogFor(true)
	return func(w http.ResponseWriter, r *http.Request) {
		if err := errors.Join(errPublic, errInternal); err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		body := public
		if auth.FromContext(r.Context()).SeesInternal() {
			body = internal
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-cache")
		h.Set("Vary", "Authorization")
		h.Set("ETag", body.etag)
		// ServeContent answers If-None-Match with 304 from the ETag set above.
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body.json))
	}
}

// handleGuessMapping answers POST /api/v1/uploads/guess-mapping: which field each of a file's
// columns fills, by the upload's own rule (optionally over a mapping), so that the upload form
// shows what the upload will do. Body: {"columns": [...], "mapping": {...}}.
func (s *Server) handleGuessMapping() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := signedIn(r, "guessing an upload's mapping"); err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		var req struct {
			Columns []string        `json:"columns"`
			Mapping json.RawMessage `json:"mapping"`
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, upload.MaxMappingBytes+64<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			problem.Write(w, r, s.log, apperr.New(apperr.Invalid, `the body must be {"columns": ["..."], "mapping": {...}}: %v`, err))
			return
		}
		if len(req.Columns) > upload.MaxGuessColumns {
			problem.Write(w, r, s.log, apperr.New(apperr.Invalid, "columns: at most %d columns", upload.MaxGuessColumns))
			return
		}
		m, err := upload.ParseMapping(req.Mapping)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		cols, issues := m.GuessColumns(req.Columns)
		if issues == nil {
			issues = []upload.Issue{}
		}
		problem.JSON(w, "application/json", http.StatusOK, map[string]any{"columns": cols, "issues": issues})
	}
}
