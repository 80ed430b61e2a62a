package httpapi

import (
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// maxEditBytes bounds an edit: the fields of one parcel and its outline.
const maxEditBytes = 4 << 20

// editRequest is a change of one parcel, or a new parcel, from the browser.
type editRequest struct {
	District   string          `json:"district"`
	ParcelID   int64           `json:"parcel_id"`
	Base       *time.Time      `json:"base"`
	Properties map[string]any  `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

// handleCreateEdit takes a change of one parcel (parcel_id, base: the valid_from the editor saw)
// or a new parcel (district) and reads it through the upload pipeline: it answers with the
// upload, checked, with its report and its preview; POST /api/v1/uploads/{id}/apply publishes it.
// A parcel changed since base is refused with 409 naming what changed.
func (s *Server) handleCreateEdit() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := signedIn(r, "editing parcels")
		var req editRequest
		if err == nil {
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxEditBytes))
			dec.DisallowUnknownFields()
			if derr := dec.Decode(&req); derr != nil {
				err = apperr.New(apperr.Invalid, `the body must be {"parcel_id", "base", "properties", "geometry"} (or "district" for a new parcel): %v`, derr)
			}
		}
		filename := "Neue Fläche"
		if err == nil && req.ParcelID != 0 {
			var ext string
			if req.District, ext, err = s.uploads.store.ParcelDistrict(r.Context(), req.ParcelID); err == nil {
				filename = "Bearbeitung " + ext
				if req.Base == nil {
					err = apperr.New(apperr.Invalid, "give base, the valid_from of the parcel's state the edit starts from, so a change made meanwhile is not overwritten")
				}
			}
		}
		if err == nil {
			if _, ok := region.DistrictByAGS(req.District); !ok {
				err = apperr.New(apperr.Invalid, "district %q: give the AGS of the district the new parcel lies in, e.g. 15088", req.District)
			}
		}
		if err == nil {
			err = mayWrite(p, req.District)
		}
		var u store.Upload
		if err == nil {
			u, err = s.readEdit(r, p, req, filename)
		}
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		w.Header().Set("Location", uploadPath(u.ID))
		problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	}
}

// readEdit writes an edit as a file and reads it through the importer, waiting for the check.
func (s *Server) readEdit(r *http.Request, p *auth.Principal, req editRequest, filename string) (store.Upload, error) {
	e := store.Edit{DistrictAGS: req.District, ParcelID: req.ParcelID, Properties: req.Properties, Geometry: req.Geometry}
	var parcel *int64
	if req.ParcelID != 0 {
		e.Base, parcel = *req.Base, &req.ParcelID
	}
	doc, err := s.uploads.store.EditFile(r.Context(), e)
	if err != nil {
		return store.Upload{}, err
	}
	f, err := s.uploads.importer.SpoolFile()
	if err != nil {
		return store.Upload{}, err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(doc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return store.Upload{}, err
	}
	up, err := s.uploads.store.Create(r.Context(), store.NewUpload{
		DistrictAGS: req.District, AccountID: &p.AccountID, ChangedBy: p.Label, Mode: upload.Upsert,
		Filename: filename + ".geojson", Kind: "edit", EditParcel: parcel, EditBase: req.Base,
	})
	if err != nil {
		return store.Upload{}, err
	}
	return s.uploads.importer.Process(r.Context(), up, f.Name(), nil)
}

// handleEndParcel ends a parcel with a reason (sold, withdrawn, error) in one transaction; 409
// when it changed since base. Undoing it is a revert of the upload it answers with.
func (s *Server) handleEndParcel() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := signedIn(r, "ending a parcel")
		id, perr := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		if err == nil && perr != nil {
			err = apperr.New(apperr.NotFound, "there is no parcel %q", chi.URLParam(r, "id"))
		}
		var ags string
		if err == nil {
			ags, _, err = s.uploads.store.ParcelDistrict(r.Context(), id)
		}
		if err == nil {
			err = mayWrite(p, ags)
		}
		var body struct {
			Base   *time.Time      `json:"base"`
			Reason store.EndReason `json:"reason"`
		}
		if err == nil {
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10))
			dec.DisallowUnknownFields()
			if derr := dec.Decode(&body); derr != nil || body.Base == nil {
				err = apperr.New(apperr.Invalid, `the body must be {"base": the parcel's valid_from as loaded, "reason": "sold" | "withdrawn" | "error"}`)
			}
		}
		var u store.Upload
		if err == nil {
			u, err = s.uploads.store.End(r.Context(), id, *body.Base, body.Reason, &p.AccountID, p.Label)
		}
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		w.Header().Set("Location", uploadPath(u.ID))
		problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	}
}
