package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/store"
)

// maxConfirmBytes bounds the body of a confirmation: room for the ids of a large district.
const maxConfirmBytes = 8 << 20

// handleConfirmParcels confirms parcels of a district as still current without changing them:
// the body names them ({"ids": [..]}, e.g. a filter's result) or the whole district
// ({"all": true}). Editors confirm their own district, admins any.
func (s *Server) handleConfirmParcels() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := signedIn(r, "confirming parcels")
		ags := chi.URLParam(r, "ags")
		if err == nil {
			if _, ok := region.DistrictByAGS(ags); !ok {
				err = apperr.New(apperr.NotFound, "there is no district %q among the nine", ags)
			}
		}
		if err == nil {
			err = mayWrite(p, ags)
		}
		var body struct {
			IDs []int64 `json:"ids"`
			All bool    `json:"all"`
		}
		if err == nil {
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxConfirmBytes))
			dec.DisallowUnknownFields()
			if derr := dec.Decode(&body); derr != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(derr, &tooLarge) {
					err = apperr.New(apperr.TooLarge, "the confirmation is larger than %d MB: confirm the whole district with {\"all\": true}", maxConfirmBytes>>20)
				} else {
					err = apperr.New(apperr.Invalid, "the body must be {\"ids\": [parcel ids]} or {\"all\": true}: %v", derr)
				}
			}
		}
		if err == nil && body.All && len(body.IDs) > 0 {
			err = apperr.New(apperr.Invalid, "give either ids or all, not both")
		}
		var u store.Upload
		if err == nil {
			u, err = s.uploads.store.Confirm(r.Context(), store.Confirmation{DistrictAGS: ags, IDs: body.IDs, All: body.All, AccountID: &p.AccountID, By: p.Label})
		}
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		w.Header().Set("Location", uploadPath(u.ID))
		problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	}
}
