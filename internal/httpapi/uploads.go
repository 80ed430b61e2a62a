package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/httpx"
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
	background := cfg.Background
	if background == nil {
		background = context.Background()
	}
	go imp.Sweep(background)
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

// uploadParamNames are the parameters of a new upload.
var uploadParamNames = []string{"district", "mode", "crs", "layer", "mapping", "filename"}

// uploadParams are the parameters of a new upload, from the query or the form fields.
type uploadParams struct {
	district, mode, crs, layer, mapping, filename, confirmUnchanged string
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
	case "confirm_unchanged":
		u.confirmUnchanged = value
	}
}

// handleCreateUpload takes a district's file (multipart field "file", or the raw body) with the
// parameters district, mode (upsert or replace), crs, layer and mapping, stores it and answers
// 202 with the upload at once; reading and checking go on in the background.
func (s *Server) handleCreateUpload() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		p, err := signedIn(r, "uploading")
		if err != nil {
			return err
		}
		if p.Role == auth.Planner {
			return mayWrite(p, "")
		}
		var params uploadParams
		q := r.URL.Query()
		if err := httpx.CheckParams(q, uploadParamNames, nil, ""); err != nil {
			return err
		}
		for k, v := range q {
			params.set(k, v[0])
		}
		if params.district != "" {
			if _, ok := region.DistrictByAGS(params.district); !ok {
				return apperr.New(apperr.Invalid, "district %q: give the AGS of one of the nine districts, e.g. 15088 for Saalekreis", params.district)
			}
			if err := mayWrite(p, params.district); err != nil {
				return err
			}
		}
		path, err := s.spool(w, r, &params)
		if err != nil {
			return err
		}
		up, err := s.createUpload(r.Context(), p, params)
		if err != nil {
			os.Remove(path)
			return err
		}
		s.uploads.importer.Start(up, path)
		w.Header().Set("Location", uploadPath(up.ID))
		return problem.JSON(w, "application/json", http.StatusAccepted, uploadResourceOf(up))
	})
}

// spool writes the upload's file to a temporary file, within the size limit, reading form fields
// of a multipart body into params as they come.
func (s *Server) spool(w http.ResponseWriter, r *http.Request, params *uploadParams) (string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.uploads.maxBytes)
	f, err := s.uploads.importer.SpoolFile()
	if err != nil {
		return "", err
	}
	path := f.Name()
	err = s.copyBody(f, r, params)
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

func (s *Server) copyBody(dst io.Writer, r *http.Request, params *uploadParams) error {
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
		n, err := io.Copy(dst, r.Body)
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

// parseYes reads a yes/no parameter; empty is no.
func parseYes(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "false", "0", "no":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, apperr.New(apperr.Invalid, "%q is not true or false", v)
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
	confirms, err := parseYes(params.confirmUnchanged)
	if err != nil {
		problems["confirm_unchanged"] = "say true when the file is the district's current state (its unchanged parcels are confirmed as current), else false"
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
		Filename: params.filename, CRSParam: crs, Layer: params.layer, Mapping: mapping, ConfirmsUnchanged: confirms,
	})
}
