package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"landatlas/internal/apperr"
	"landatlas/internal/region"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// geometryChunk is how many features one geometry check statement handles: small enough that
// progress moves, large enough that PostGIS works in bulk.
const geometryChunk = 5000

// Process reads an upload's file, checks it and concludes with the report and the preview. A file
// that cannot be read at all leaves the upload failed with a message that says why; everything
// else ends as a report (ready or invalid). Nothing of the district's parcels changes.
func (s *Service) Process(ctx context.Context, up store.Upload, path string, progress func(upload.Progress)) (store.Upload, error) {
	checkCtx, cancel := context.WithTimeout(ctx, s.cfg.CheckTimeout)
	defer cancel()
	defer s.keepAlive(up.ID)()
	u, err := s.process(checkCtx, up, path, progress)
	if err == nil {
		return u, nil
	}
	if checkCtx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		err = apperr.New(apperr.TooLarge, "reading and checking the file took longer than %s, the limit of this server: split the file, by municipality for instance", s.cfg.CheckTimeout)
	}
	msg := err.Error()
	if apperr.KindOf(err) == apperr.Internal {
		s.log.Error("upload failed", "upload", up.ID, "err", err)
		msg = fmt.Sprintf("internal error while reading upload %d; the server log tells the operator what happened", up.ID)
	}
	if ferr := s.cfg.Uploads.Fail(context.WithoutCancel(ctx), up.ID, msg); ferr != nil {
		s.log.Error("mark upload failed", "upload", up.ID, "err", ferr)
	}
	failed, gerr := s.cfg.Uploads.Get(context.WithoutCancel(ctx), up.ID)
	if gerr != nil {
		return up, err
	}
	return failed, err
}

// centre is where a feature lies, in the file's CRS: what the CRS check judges by.
type centre struct {
	feature int
	id      string
	at      orb.Point
}

// staging reads a file's features one by one for the COPY into the staging rows: the attributes
// through the normalizer, the polygons as WKB in the file's CRS, the centre for the CRS check.
type staging struct {
	max     int
	src     *source
	norm    *upload.Normalizer
	t       *tracker
	n       int
	issues  []upload.Issue
	centres []centre
	// stopped is set when the issues reach upload.StoredIssues: the rest of the file is not read.
	stopped bool
	// err is the last error next returned, kept because the COPY reports it without its kind.
	err error
}

func (st *staging) next() (sf store.StagedFeature, ok bool, err error) {
	defer func() { st.err = err }()
	if st.stopped {
		return sf, false, nil
	}
	f, err := st.src.next()
	if err == io.EOF {
		return sf, false, nil
	}
	if err != nil {
		return sf, false, err
	}
	st.n++
	n := st.n
	if n > st.max {
		return sf, false, apperr.New(apperr.TooLarge,
			"the file holds more than %d features, the limit of this server (LANDATLAS_UPLOAD_MAX_FEATURES): split it, by municipality for instance", st.max)
	}
	for _, iss := range upload.ScrubNUL(f.Properties) {
		st.issues = append(st.issues, iss.At(n, ""))
	}
	f.ID = strings.ReplaceAll(f.ID, "\x00", "")
	rec, found := st.norm.Feature(n, f.ID, f.Properties)
	st.issues = append(st.issues, found...)
	sf = store.StagedFeature{Feature: n, ExternalID: rec.ExternalID, Attrs: rec.Attrs, Fallback: rec.Fallback}
	if f.GeometryErr != nil {
		st.issues = append(st.issues, unreadableGeometry(f.GeometryErr).At(n, rec.ExternalID))
	} else if shape, bad := upload.ShapeOf(f.Geometry); bad != nil {
		st.issues = append(st.issues, bad.At(n, rec.ExternalID))
	} else {
		if sf.WKB, err = wkb.Marshal(shape.Polygons); err != nil {
			return sf, false, err
		}
		st.centres = append(st.centres, centre{n, rec.ExternalID, shape.Polygons.Bound().Center()})
		if shape.Closed > 0 {
			st.issues = append(st.issues, upload.ClosedRingsIssue(shape.Closed).At(n, rec.ExternalID))
		}
	}
	if len(st.issues) >= upload.StoredIssues {
		st.stopped = true
		st.issues = append(st.issues, tooManyIssues(n))
	}
	if n%500 == 0 {
		st.t.set(func(p *upload.Progress) { p.Read = n })
	}
	return sf, true, nil
}

func (s *Service) process(ctx context.Context, up store.Upload, path string, progress func(upload.Progress)) (store.Upload, error) {
	uploads := s.cfg.Uploads
	tmp, err := os.MkdirTemp(s.cfg.TempDir, workPrefix+strconv.FormatInt(up.ID, 10)+"-*")
	if err != nil {
		return up, err
	}
	defer os.RemoveAll(tmp)
	t := &tracker{ctx: ctx, uploads: uploads, id: up.ID, callback: progress}
	t.set(func(p *upload.Progress) { p.Phase = upload.Reading })

	srcCtx, stopSource := context.WithCancel(ctx)
	defer stopSource()
	src, err := s.open(srcCtx, path, up.Filename, up.CRSParam, up.Layer, tmp)
	if err != nil {
		return up, err
	}
	closed := false
	defer func() {
		if !closed {
			_ = src.close()
		}
	}()
	if err := uploads.SetFormat(ctx, up.ID, src.format.Name, src.layer); err != nil {
		return up, err
	}
	t.set(func(p *upload.Progress) { p.Total = src.total })

	started := time.Now()
	st := &staging{max: s.cfg.MaxFeatures, src: src, norm: upload.NewNormalizer(up.Mapping, s.cfg.Now()), t: t}
	_, err = uploads.Stage(ctx, up.ID, st.next)
	if st.err != nil {
		err = st.err
	}
	if st.stopped {
		stopSource() // the rest of the file is not read: stop GDAL rather than drain it
	}
	closeErr := src.close()
	closed = true
	if err != nil {
		return up, err
	}
	if closeErr != nil && !st.stopped {
		return up, closeErr
	}
	t.set(func(p *upload.Progress) { p.Read, p.Validated, p.Phase = st.n, 0, upload.Checking })
	issues := append(st.issues, st.norm.Finish(st.n)...)

	srid, from := src.srid, src.crsFrom
	if src.lateCRS != nil && src.lateCRS() != "" {
		if srid, err = upload.ParseCRS(src.lateCRS()); err != nil {
			return up, apperr.New(apperr.Invalid, "the GeoJSON's crs member cannot be read (%v): give the CRS with the crs parameter", err)
		}
		from = upload.FromFile
	}
	report := upload.Report{
		Format: src.format.Name, Layer: src.layer, Features: st.n, Columns: st.norm.Columns(),
		CRS: upload.ReportCRS{SRID: srid, Name: upload.NameOf(srid), Source: from},
	}
	if srid == 0 {
		report.CRS.Name = ""
	}
	if err := uploads.AddIssues(ctx, up.ID, "read", issues); err != nil {
		return up, err
	}
	readTime := time.Since(started)
	if !st.stopped {
		if err := s.checkGeometry(ctx, t, up, srid, from, st.centres); err != nil {
			return up, err
		}
	}
	checked := time.Since(started)
	u, err := uploads.Conclude(ctx, up.ID, report)
	s.log.Info("upload checked", "upload", up.ID, "district", up.DistrictAGS, "format", report.Format, "features", st.n,
		"status", u.Status, "read", readTime.Round(time.Millisecond), "geometry", (checked - readTime).Round(time.Millisecond),
		"preview", (time.Since(started) - checked).Round(time.Millisecond))
	return u, err
}

// checkGeometry decides the CRS, then has PostGIS transform, repair and measure the geometries
// chunk by chunk, and finds overlaps. A CRS that does not fit stops it with one issue for the file.
func (s *Service) checkGeometry(ctx context.Context, t *tracker, up store.Upload, srid int, from upload.CRSSource, centres []centre) error {
	uploads := s.cfg.Uploads
	srids := []int{}
	for _, c := range upload.Candidates() {
		srids = append(srids, c.SRID)
	}
	if srid != 0 {
		srids = append(srids, srid)
	}
	boxes, err := uploads.RegionBoxes(ctx, srids)
	if err != nil {
		return err
	}
	points := make([]orb.Point, len(centres))
	for i, c := range centres {
		points[i] = c.at
	}
	if bad := upload.DecideCRS(srid, from, points, boxes); bad != nil {
		return uploads.AddIssues(ctx, up.ID, "geometry", []upload.Issue{*bad})
	}
	if len(centres) == 0 {
		return nil
	}
	var box orb.Bound
	for _, b := range boxes {
		if b.SRID == srid {
			box = b.Bound
		}
	}
	var issues []upload.Issue
	for _, c := range centres {
		if !box.Contains(c.at) {
			issues = append(issues, upload.OutsideRegionIssue(srid, c.at).At(c.feature, c.id))
		}
	}
	d, _ := region.DistrictByAGS(up.DistrictAGS)
	last := centres[len(centres)-1].feature
	for first := 1; first <= last; first += geometryChunk {
		to := min(first+geometryChunk-1, last)
		facts, err := uploads.CheckGeometry(ctx, up.ID, srid, box, up.DistrictAGS, first, to)
		if err != nil {
			return err
		}
		for _, f := range facts {
			issues = append(issues, upload.CheckGeometry(f, d.Label())...)
		}
		t.set(func(p *upload.Progress) { p.Validated = to })
	}
	if err := uploads.AddIssues(ctx, up.ID, "geometry", issues); err != nil {
		return err
	}
	return s.checkOverlaps(ctx, up.ID, up.DistrictAGS)
}

func (s *Service) checkOverlaps(ctx context.Context, id int64, ags string) error {
	overlaps, err := s.cfg.Uploads.Overlaps(ctx, id, ags)
	if err != nil {
		return err
	}
	issues := make([]upload.Issue, len(overlaps))
	for i, o := range overlaps {
		issues[i] = upload.CheckOverlap(o)
	}
	return s.cfg.Uploads.AddIssues(ctx, id, "overlap", issues)
}

// Repreview checks a checked upload again against the district's current parcels and makes a new
// preview: what is asked for after apply refused because the district changed meanwhile.
func (s *Service) Repreview(ctx context.Context, id int64) (store.Upload, error) {
	u, err := s.cfg.Uploads.Get(ctx, id)
	if err != nil {
		return u, err
	}
	if u.Status != upload.Ready && u.Status != upload.Invalid {
		return u, apperr.New(apperr.Conflict, "upload %d is %s: only a checked upload that is not applied can be previewed again", id, u.Status)
	}
	var report upload.Report
	if err := json.Unmarshal(u.Report, &report); err != nil {
		return u, fmt.Errorf("report of upload %d: %w", id, err)
	}
	if err := s.cfg.Uploads.DeleteIssues(ctx, id, "overlap"); err != nil {
		return u, err
	}
	if err := s.checkOverlaps(ctx, id, u.DistrictAGS); err != nil {
		return u, err
	}
	return s.cfg.Uploads.Conclude(ctx, id, report)
}

func unreadableGeometry(err error) upload.Issue {
	return upload.Issue{Severity: upload.Error, Rule: "geometry.unreadable", Field: "geometry",
		DE: fmt.Sprintf("Die Geometrie lässt sich nicht lesen: %v", errors.Unwrap(err)),
		EN: err.Error()}
}

func tooManyIssues(at int) upload.Issue {
	return upload.Issue{Severity: upload.Error, Rule: "file.too_many_issues",
		DE: fmt.Sprintf("Die Prüfung hat nach %d Befunden bei Objekt %d aufgehört. So viele Fehler haben meist eine gemeinsame Ursache (Zuordnung der Spalten, Koordinatenreferenzsystem): beheben Sie die ersten und laden Sie die Datei erneut hoch.", upload.StoredIssues, at),
		EN: fmt.Sprintf("The check stopped after %d issues, at feature %d. So many errors usually have one cause (column mapping, coordinate reference system): fix the first ones and upload the file again.", upload.StoredIssues, at)}
}
