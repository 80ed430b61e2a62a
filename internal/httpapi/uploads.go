package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/importer"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// UploadConfig holds the limits of district uploads.
type UploadConfig struct {
	// MaxBytes is the largest upload body (0: DefaultUploadMaxBytes).
	MaxBytes int64
	// MaxFeatures is the most features a file may hold (0: the importer's default).
	MaxFeatures int
	// GDALTimeout stops a GDAL run on an upload that takes longer (0: the importer's default).
	GDALTimeout time.Duration
	// TempDir holds spooled uploads ("": the system's temporary directory).
	TempDir string
	// ApplyDelay holds apply transactions open before they commit: for the crash test only.
	ApplyDelay time.Duration
}

// DefaultUploadMaxBytes is the default limit of an upload body: 256 MB.
const DefaultUploadMaxBytes = 256 << 20

// uploadService holds what the upload handlers need.
type uploadService struct {
	store    store.Uploads
	history  store.ParcelHistory
	importer *importer.Service
	maxBytes int64
	log      *slog.Logger
}

func newUploadService(cfg Config) *uploadService {
	uc := cfg.Uploads
	if uc.MaxBytes <= 0 {
		uc.MaxBytes = DefaultUploadMaxBytes
	}
	st := store.Uploads{DB: cfg.DB, ApplyDelay: uc.ApplyDelay}
	imp := importer.New(importer.Config{Uploads: st, Log: cfg.Log, TempDir: uc.TempDir,
		MaxFeatures: uc.MaxFeatures, GDALTimeout: uc.GDALTimeout})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	imp.Recover(ctx)
	return &uploadService{store: st, history: store.ParcelHistory{DB: cfg.DB}, importer: imp, maxBytes: uc.MaxBytes, log: cfg.Log}
}

// signedIn returns the request's principal, or an Unauthorized error naming what needs one.
func signedIn(r *http.Request, what string) (*auth.Principal, error) {
	p := auth.FromContext(r.Context())
	if p == nil {
		return nil, apperr.New(apperr.Unauthorized, "%s needs a signed-in account: send \"Authorization: Bearer <token>\" (an admin makes one with landatlas token create)", what)
	}
	return p, nil
}

// mayWrite checks that p may write a district's parcels, with a message that says why not.
func mayWrite(p *auth.Principal, ags string) error {
	if p.CanWriteDistrict(ags) {
		return nil
	}
	d, _ := region.DistrictByAGS(ags)
	if p.Role == auth.Editor {
		own, _ := region.DistrictByAGS(p.DistrictAGS)
		return apperr.New(apperr.Forbidden, "the account %q edits %s (%s) only, not %s (%s)", p.Label, own.Label(), own.AGS, d.Label(), ags)
	}
	return apperr.New(apperr.Forbidden, "the account %q is a %s and reads only: uploads need the editor account of the district or an admin", p.Label, p.Role)
}

// uploadParams are the parameters of a new upload, from the query or the form fields.
type uploadParams struct {
	district, mode, crs, layer, mapping, filename string
}

func (u *uploadParams) set(name, value string) {
	switch name {
	case "district":
		u.district = value
	case "mode":
		u.mode = value
	case "crs":
		u.crs = value
	case "layer":
		u.layer = value
	case "mapping":
		u.mapping = value
	case "filename":
		u.filename = value
	}
}

// handleCreateUpload takes a district's file (multipart field "file", or the raw body) with the
// parameters district, mode (upsert or replace), crs, layer and mapping, stores it and answers
// 202 with the upload at once; reading and checking go on in the background.
func (s *Server) handleCreateUpload() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := signedIn(r, "uploading")
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		if p.Role == auth.Planner {
			problem.Write(w, r, s.log, mayWrite(p, ""))
			return
		}
		var params uploadParams
		for k, v := range r.URL.Query() {
			params.set(k, v[0])
		}
		if params.district != "" {
			if _, ok := region.DistrictByAGS(params.district); !ok {
				problem.Write(w, r, s.log, apperr.New(apperr.Invalid, "district %q: give the AGS of one of the nine districts, e.g. 15088 for Saalekreis", params.district))
				return
			}
			if err := mayWrite(p, params.district); err != nil {
				problem.Write(w, r, s.log, err)
				return
			}
		}
		path, err := s.spool(w, r, &params)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		up, err := s.createUpload(r.Context(), p, params)
		if err != nil {
			os.Remove(path)
			problem.Write(w, r, s.log, err)
			return
		}
		s.uploads.importer.Start(up, path)
		w.Header().Set("Location", uploadPath(up.ID))
		problem.JSON(w, "application/json", http.StatusAccepted, uploadResourceOf(up))
	}
}

// spool writes the upload's file to a temporary file, within the size limit, reading form fields
// of a multipart body into params as they come.
func (s *Server) spool(w http.ResponseWriter, r *http.Request, params *uploadParams) (string, error) {
	body := http.MaxBytesReader(w, r.Body, s.uploads.maxBytes)
	f, err := s.uploads.importer.SpoolFile()
	if err != nil {
		return "", err
	}
	path := f.Name()
	err = s.copyBody(f, body, r, params)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = apperr.New(apperr.TooLarge, "the upload is larger than %d MB, the limit of this server (LANDATLAS_UPLOAD_MAX_MB): zip the file, or split it by municipality", s.uploads.maxBytes>>20)
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

func (s *Server) copyBody(dst io.Writer, body io.Reader, r *http.Request, params *uploadParams) error {
	mediaType, mediaParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(mediaType, "multipart/") {
		if params.filename == "" {
			if _, cd, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
				params.filename = cd["filename"]
			}
		}
		if params.filename == "" {
			return apperr.New(apperr.Invalid, "say the file's name (filename=parcels.gpkg or a Content-Disposition header), so its format can be told")
		}
		n, err := io.Copy(dst, body)
		if err == nil && n == 0 {
			return apperr.New(apperr.Invalid, "the request body is empty: send the file as the body or as the multipart field \"file\"")
		}
		return err
	}
	if mediaParams["boundary"] == "" {
		return apperr.New(apperr.Invalid, "the multipart body has no boundary")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return apperr.New(apperr.Invalid, "the multipart body cannot be read: %v", err)
	}
	gotFile := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return multipartError(err)
		}
		if part.FormName() == "file" {
			if name := part.FileName(); name != "" && params.filename == "" {
				params.filename = filepath.Base(name)
			}
			if _, err := io.Copy(dst, part); err != nil {
				return multipartError(err)
			}
			gotFile = true
			continue
		}
		value, err := io.ReadAll(io.LimitReader(part, upload.MaxMappingBytes+1))
		if err != nil {
			return multipartError(err)
		}
		params.set(part.FormName(), string(value))
	}
	if !gotFile {
		return apperr.New(apperr.Invalid, "the multipart body has no field \"file\" with the district's file")
	}
	if params.filename == "" {
		return apperr.New(apperr.Invalid, "the multipart field \"file\" has no file name: give one (filename=...), so the format can be told")
	}
	return nil
}

func multipartError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return apperr.New(apperr.Invalid, "the multipart body is broken: %v", err)
}

// createUpload checks the parameters of a new upload and records it.
func (s *Server) createUpload(ctx context.Context, p *auth.Principal, params uploadParams) (store.Upload, error) {
	problems := map[string]string{}
	district := params.district
	if district == "" && p.Role == auth.Editor {
		district = p.DistrictAGS
	}
	if _, ok := region.DistrictByAGS(district); !ok {
		problems["district"] = "give the AGS of one of the nine districts, e.g. 15088 for Saalekreis"
	}
	mode, ok := upload.ParseMode(params.mode)
	if !ok {
		problems["mode"] = "use upsert (only the parcels in the file) or replace (the file is the district's full data set)"
	}
	crs := 0
	if params.crs != "" {
		var err error
		if crs, err = upload.ParseCRS(params.crs); err != nil {
			problems["crs"] = err.Error()
		}
	}
	mapping, err := upload.ParseMapping([]byte(params.mapping))
	if err != nil {
		problems["mapping"] = err.Error()
		var ae *apperr.Error
		if errors.As(err, &ae) {
			for k, v := range ae.Fields {
				problems["mapping."+k] = v
			}
		}
	}
	if len(problems) > 0 {
		e := apperr.New(apperr.Invalid, "the upload's parameters have problems: see fields")
		e.Fields = problems
		return store.Upload{}, e
	}
	if err := mayWrite(p, district); err != nil {
		return store.Upload{}, err
	}
	return s.uploads.store.Create(ctx, store.NewUpload{
		DistrictAGS: district, AccountID: &p.AccountID, ChangedBy: p.Label, Mode: mode,
		Filename: params.filename, CRSParam: crs, Layer: params.layer, Mapping: mapping,
	})
}

// handleListUploads lists uploads, newest first, by district and status, a page at a time.
func (s *Server) handleListUploads() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := signedIn(r, "the list of uploads"); err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		q := r.URL.Query()
		f := store.UploadFilter{DistrictAGS: q.Get("district"), Status: upload.Status(q.Get("status")), Limit: 20}
		problems := map[string]string{}
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				problems["limit"] = "give a number from 1 to 100"
			}
			f.Limit = n
		}
		if v := q.Get("before"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				problems["before"] = "give an upload id"
			}
			f.Before = n
		}
		if _, ok := region.DistrictByAGS(f.DistrictAGS); f.DistrictAGS != "" && !ok {
			problems["district"] = "give the AGS of one of the nine districts, e.g. 15088"
		}
		if len(problems) > 0 {
			e := apperr.New(apperr.Invalid, "the list's parameters have problems: see fields")
			e.Fields = problems
			problem.Write(w, r, s.log, e)
			return
		}
		list, err := s.uploads.store.List(r.Context(), f)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
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
		problem.JSON(w, "application/json", http.StatusOK, out)
	}
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
	return func(w http.ResponseWriter, r *http.Request) {
		_, u, err := s.uploadFor(r, "an upload")
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	}
}

// handleUploadChanges serves the preview's changes as GeoJSON for the map.
func (s *Server) handleUploadChanges() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, u, err := s.uploadFor(r, "an upload's changes")
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		if u.Status.Busy() {
			problem.Write(w, r, s.log, apperr.New(apperr.Conflict, "upload %d is still being checked (%s): its changes are known when it is ready", u.ID, u.Status))
			return
		}
		w.Header().Set("Content-Type", "application/geo+json")
		if err := s.uploads.store.ChangesGeoJSON(r.Context(), u.ID, w); err != nil {
			s.log.ErrorContext(r.Context(), "stream upload changes", "upload", u.ID, "err", err)
		}
	}
}

// handlePreviewUpload checks an upload again against the district's current parcels and makes a
// new preview (after apply answered 409).
func (s *Server) handlePreviewUpload() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
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
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	}
}

// handleApplyUpload publishes what an upload's preview showed, in one transaction; 409 when the
// district changed since the preview.
func (s *Server) handleApplyUpload() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, u, err := s.uploadFor(r, "applying an upload")
		if err == nil {
			err = mayWrite(p, u.DistrictAGS)
		}
		if err == nil {
			u, err = s.uploads.store.Apply(r.Context(), u.ID, &p.AccountID)
		}
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, uploadResourceOf(u))
	}
}

// handleGetMapping shows a district's saved attribute mapping.
func (s *Server) handleGetMapping() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := signedIn(r, "a district's mapping"); err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		ags := chi.URLParam(r, "ags")
		if _, ok := region.DistrictByAGS(ags); !ok {
			problem.Write(w, r, s.log, apperr.New(apperr.NotFound, "there is no district %q among the nine", ags))
			return
		}
		m, err := s.uploads.store.Mapping(r.Context(), ags)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, m)
	}
}

// handlePutMapping replaces a district's saved attribute mapping.
func (s *Server) handlePutMapping() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
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
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, m)
	}
}

// handleParcelHistory lists the versions of a parcel: who changed what, when, through which
// upload. The public sees public parcels' public fields only.
func (s *Server) handleParcelHistory() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		if err != nil {
			problem.Write(w, r, s.log, apperr.New(apperr.NotFound, "there is no parcel %q", chi.URLParam(r, "id")))
			return
		}
		versions, err := s.uploads.history.Versions(r.Context(), id, auth.FromContext(r.Context()).SeesInternal())
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, map[string]any{"parcel_id": id, "versions": versions})
	}
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
	var crss []string
	for _, c := range upload.Candidates() {
		crss = append(crss, c.String())
	}
	return func(w http.ResponseWriter, r *http.Request) {
		maxFeatures, _ := s.uploads.importer.Limits()
		problem.JSON(w, "application/json", http.StatusOK, map[string]any{
			"fields": fields, "crs": crss, "max_bytes": s.uploads.maxBytes, "max_features": maxFeatures,
			"formats": []string{"GeoJSON", "GeoJSON sequence", "zipped Shapefile", "GeoPackage", "CSV (WKT or x/y columns)", "KML/KMZ", "GML", "FlatGeobuf", "DXF"},
			"mapping_example": upload.Mapping{
				Columns:  map[string]string{"FL_NR": "external_id", "NUTZUNG": "use_type", "INTERN_NR": upload.Ignore},
				Values:   map[string]map[string]string{"use_type": {"Industrie": "GI", "12": "GE"}},
				Defaults: map[string]any{"publication": "public"},
			},
		})
	}
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
	Links        []link          `json:"links"`
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
	return uploadResource{
		ID: u.ID, District: u.DistrictAGS, DistrictName: d.Label(), Mode: u.Mode, Filename: u.Filename, Format: u.Format,
		Status: u.Status, Message: u.Message, Progress: u.Progress, By: u.ChangedBy, CreatedAt: u.CreatedAt,
		UpdatedAt: u.UpdatedAt, PreviewedAt: u.PreviewedAt, AppliedAt: u.AppliedAt, Report: u.Report, Preview: u.Preview, Links: links,
	}
}
