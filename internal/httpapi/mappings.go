package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/upload"
)

// handleGetMapping shows a district's saved attribute mapping.
func (s *Server) handleGetMapping() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := signedIn(r, "a district's mapping"); err != nil {
			return err
		}
		ags := chi.URLParam(r, "ags")
		if _, ok := region.DistrictByAGS(ags); !ok {
			return apperr.New(apperr.NotFound, "there is no district %q among the nine", ags)
		}
		m, err := s.uploads.store.Mapping(r.Context(), ags)
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, m)
	})
}

// handlePutMapping replaces a district's saved attribute mapping.
func (s *Server) handlePutMapping() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r, "changing a district's mapping")
		ags := chi.URLParam(r, "ags")
		if err == nil {
			if _, ok := region.DistrictByAGS(ags); !ok {
				err = apperr.New(apperr.NotFound, "there is no district %q among the nine", ags)
			}
		}
		if err == nil {
			err = mayWrite(p, ags)
		}
		var body []byte
		if err == nil {
			body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, upload.MaxMappingBytes))
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				err = apperr.New(apperr.TooLarge, "the mapping is larger than %d KB", upload.MaxMappingBytes>>10)
			}
		}
		var m upload.Mapping
		if err == nil {
			m, err = upload.ParseMapping(body)
		}
		if err == nil {
			err = s.uploads.store.SaveMapping(r.Context(), ags, m, &p.AccountID, p.Label)
		}
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, m)
	})
}

// handleUploadFields describes what an upload may carry: the fields with their column names and
// code values, the formats, the CRSs and the limits. Districts prepare their exports with it.
func (s *Server) handleUploadFields() http.HandlerFunc {
	type code struct {
		Value string `json:"value"`
		DE    string `json:"de"`
		EN    string `json:"en"`
	}
	type field struct {
		Name     string   `json:"name"`
		DE       string   `json:"de"`
		EN       string   `json:"en"`
		Type     string   `json:"type"`
		Required bool     `json:"required"`
		Columns  []string `json:"column_names"`
		Codes    []code   `json:"codes,omitempty"`
		Min      *float64 `json:"min,omitempty"`
		Max      *float64 `json:"max,omitempty"`
	}
	kinds := map[upload.Kind]string{upload.Text: "text", upload.Code: "code", upload.Number: "number",
		upload.Integer: "integer", upload.Bool: "yes/no", upload.Date: "date"}
	var fields []field
	for _, f := range upload.Fields() {
		out := field{Name: f.Name, DE: f.DE, EN: f.EN, Type: kinds[f.Kind], Required: f.Required, Columns: append([]string{f.Name}, f.Aliases...)}
		for _, c := range f.Codes.Codes {
			out.Codes = append(out.Codes, code{c.Value, c.DE, c.EN})
		}
		if f.Kind == upload.Number || f.Kind == upload.Integer {
			lo, hi := f.Min, f.Max
			out.Min, out.Max = &lo, &hi
		}
		fields = append(fields, out)
	}
	// The systems a file may arrive in, as the form offers them, and each district's usual one,
	// which the form proposes for a file that names none.
	type crs struct {
		Code string `json:"code"`
		SRID int    `json:"srid"`
		DE   string `json:"de"`
		EN   string `json:"en"`
	}
	var crss []crs
	for _, c := range upload.Candidates() {
		code := "EPSG:" + strconv.Itoa(c.SRID)
		crss = append(crss, crs{code, c.SRID, c.NameDE + " (" + code + ")", c.Name + " (" + code + ")"})
	}
	usual := map[string]string{}
	for _, d := range region.Districts() {
		usual[d.AGS] = "EPSG:" + strconv.Itoa(d.UsualSRID)
	}
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		maxFeatures, _ := s.uploads.importer.Limits()
		return problem.JSON(w, "application/json", http.StatusOK, map[string]any{
			"fields": fields, "crs": crss, "usual_crs": usual, "max_bytes": s.uploads.maxBytes, "max_features": maxFeatures,
			"formats": []string{"GeoJSON", "GeoJSON sequence", "zipped Shapefile", "GeoPackage", "CSV (WKT or x/y columns)", "KML/KMZ", "GML", "FlatGeobuf", "DXF"},
			"mapping_example": upload.Mapping{
				Columns:  map[string]string{"FL_NR": "external_id", "NUTZUNG": "use_type", "INTERN_NR": upload.Ignore},
				Values:   map[string]map[string]string{"use_type": {"Industrie": "GI", "12": "GE"}},
				Defaults: map[string]any{"publication": "public"},
			},
		})
	})
}
