package httpapi

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// handleListUploads lists uploads, newest first, by district and status, a page at a time.
func (s *Server) handleListUploads() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := signedIn(r, "the list of uploads"); err != nil {
			return err
		}
		q := r.URL.Query()
		if err := httpx.CheckParams(q, []string{"district", "status", "limit", "before"}, nil, ""); err != nil {
			return err
		}
		f := store.UploadFilter{DistrictAGS: q.Get("district"), Status: upload.Status(q.Get("status"))}
		var err error
		if f.Limit, err = httpx.Integer(q, "limit", 20, 1, 100); err != nil {
			return err
		}
		before, err := httpx.Integer(q, "before", 0, 1, math.MaxInt)
		if err != nil {
			return err
		}
		f.Before = int64(before)
		if _, ok := region.DistrictByAGS(f.DistrictAGS); f.DistrictAGS != "" && !ok {
			return httpx.Invalid("district", "%q is not allowed; give the AGS of one of the nine districts, e.g. 15088", f.DistrictAGS)
		}
		list, err := s.uploads.store.List(r.Context(), f)
		if err != nil {
			return err
		}
		out := struct {
			Uploads []uploadResource `json:"uploads"`
			Next    string           `json:"next,omitempty"`
		}{Uploads: []uploadResource{}}
		for _, u := range list {
			out.Uploads = append(out.Uploads, uploadResourceOf(u))
		}
		if len(list) == f.Limit {
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("before", strconv.FormatInt(list[len(list)-1].ID, 10))
			out.Next = "/api/v1/uploads?" + next.Encode()
		}
		return problem.JSON(w, "application/json", http.StatusOK, out)
	})
}

// uploadFor loads the upload of the request's {id} for a signed-in reader.
func (s *Server) uploadFor(r *http.Request, what string) (*auth.Principal, store.Upload, error) {
	p, err := signedIn(r, what)
	if err != nil {
		return nil, store.Upload{}, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return p, store.Upload{}, apperr.New(apperr.NotFound, "there is no upload %q", chi.URLParam(r, "id"))
	}
	u, err := s.uploads.store.Get(r.Context(), id)
	return p, u, err
}

// handleGetUpload shows an upload: status, progress, report and preview.
func (s *Server) handleGetUpload() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		_, u, err := s.uploadFor(r, "an upload")
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	})
}

// handleUploadChanges serves the preview's changes as GeoJSON for the map.
func (s *Server) handleUploadChanges() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		_, u, err := s.uploadFor(r, "an upload's changes")
		if err != nil {
			return err
		}
		if u.Status.Busy() {
			return apperr.New(apperr.Conflict, "upload %d is still being checked (%s): its changes are known when it is ready", u.ID, u.Status)
		}
		w.Header().Set("Content-Type", "application/geo+json")
		return s.uploads.store.ChangesGeoJSON(r.Context(), u.ID, w)
	})
}

// handlePreviewUpload checks an upload again against the district's current parcels and makes a
// new preview (after apply answered 409).
func (s *Server) handlePreviewUpload() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, u, err := s.uploadFor(r, "previewing an upload")
		if err == nil {
			err = mayWrite(p, u.DistrictAGS)
		}
		if err == nil {
			u, err = s.uploads.importer.Repreview(r.Context(), u.ID)
		}
		if err == nil {
			err = s.uploads.store.Audit(r.Context(), &p.AccountID, "upload.preview", u.ID, map[string]any{"district": u.DistrictAGS})
		}
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	})
}

// handleApplyUpload publishes what an upload's preview showed, in one transaction; 409 when the
// district changed since the preview, or when it ends many parcels and confirm_ended is not their
// number.
func (s *Server) handleApplyUpload() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, u, err := s.uploadFor(r, "applying an upload")
		if err == nil {
			err = mayWrite(p, u.DistrictAGS)
		}
		confirmed := 0
		if v := r.URL.Query().Get("confirm_ended"); err == nil && v != "" {
			if confirmed, err = strconv.Atoi(v); err != nil || confirmed < 0 {
				err = apperr.New(apperr.Invalid, "confirm_ended %q: give the number of parcels the upload ends, as its preview counts them", v)
			}
		}
		if err == nil {
			u, err = s.uploads.store.Apply(r.Context(), u.ID, &p.AccountID, confirmed)
		}
		if err != nil {
			return err
		}
		return problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	})
}

func uploadPath(id int64) string { return fmt.Sprintf("/api/v1/uploads/%d", id) }

type link struct {
	Rel    string `json:"rel"`
	Href   string `json:"href"`
	Method string `json:"method,omitempty"`
	Type   string `json:"type,omitempty"`
}

// uploadResource is an upload as the API shows it.
type uploadResource struct {
	ID           int64           `json:"id"`
	District     string          `json:"district"`
	DistrictName string          `json:"district_name"`
	Mode         upload.Mode     `json:"mode"`
	Filename     string          `json:"filename"`
	Format       string          `json:"format,omitempty"`
	Status       upload.Status   `json:"status"`
	Message      string          `json:"message,omitempty"`
	Progress     upload.Progress `json:"progress"`
	By           string          `json:"by"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	PreviewedAt  *time.Time      `json:"previewed_at,omitempty"`
	AppliedAt    *time.Time      `json:"applied_at,omitempty"`
	Report       json.RawMessage `json:"report,omitempty"`
	Preview      json.RawMessage `json:"preview,omitempty"`
	Kind         string          `json:"kind"`
	Reverts      *int64          `json:"reverts,omitempty"`
	RevertedBy   *int64          `json:"reverted_by,omitempty"`
	// ConfirmsUnchanged: the file is the district's current state; applying confirms the parcels it leaves unchanged.
	ConfirmsUnchanged bool   `json:"confirms_unchanged"`
	Links             []link `json:"links"`
}

func uploadResourceOf(u store.Upload) uploadResource {
	d, _ := region.DistrictByAGS(u.DistrictAGS)
	self := uploadPath(u.ID)
	links := []link{{Rel: "self", Href: self, Type: "application/json"}}
	if u.Status == upload.Ready || u.Status == upload.Invalid || u.Status == upload.Applied {
		links = append(links, link{Rel: "changes", Href: self + "/changes.geojson", Type: "application/geo+json"})
	}
	if u.Status == upload.Ready || u.Status == upload.Invalid {
		links = append(links, link{Rel: "preview", Href: self + "/preview", Method: http.MethodPost})
	}
	if u.Status == upload.Ready {
		links = append(links, link{Rel: "apply", Href: self + "/apply", Method: http.MethodPost})
	}
	if u.Status == upload.Applied && u.RevertedBy == nil {
		links = append(links, link{Rel: "revert", Href: self + "/revert", Method: http.MethodPost, Type: "application/json"})
	}
	return uploadResource{
		ID: u.ID, District: u.DistrictAGS, DistrictName: d.Label(), Mode: u.Mode, Filename: u.Filename, Format: u.Format,
		Status: u.Status, Message: u.Message, Progress: u.Progress, By: u.ChangedBy, CreatedAt: u.CreatedAt,
		UpdatedAt: u.UpdatedAt, PreviewedAt: u.PreviewedAt, AppliedAt: u.AppliedAt, Report: u.Report, Preview: u.Preview,
		Kind: u.Kind, Reverts: u.Reverts, RevertedBy: u.RevertedBy, ConfirmsUnchanged: u.ConfirmsUnchanged, Links: links,
	}
}
