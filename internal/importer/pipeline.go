package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

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
	u, err := s.process(ctx, up, path, progress)
	if err == nil {
		return u, nil
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

type centre struct {
	feature int
	id      string
	at      orb.Point
}

func (s *Service) process(ctx context.Context, up store.Upload, path string, progress func(upload.Progress)) (store.Upload, error) {
	uploads := s.cfg.Uploads
	tmp, err := os.MkdirTemp(s.cfg.TempDir, workPrefix+"*")
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

	norm := upload.NewNormalizer(up.Mapping, s.cfg.Now())
	var issues []upload.Issue
	var centres []centre
	n, stopped := 0, false
	read := func() (store.StagedFeature, bool, error) {
		if stopped {
			return store.StagedFeature{}, false, nil
		}
		f, err := src.next()
		if err == io.EOF {
			return store.StagedFeature{}, false, nil
		}
		if err != nil {
			return store.StagedFeature{}, false, err
		}
		n++
		if n > s.cfg.MaxFeatures {
			return store.StagedFeature{}, false, apperr.New(apperr.TooLarge,
				"the file holds more than %d features, the limit of this server (LANDATLAS_UPLOAD_MAX_FEATURES): split it, by municipality for instance", s.cfg.MaxFeatures)
		}
		rec, found := norm.Feature(n, f.ID, f.Properties)
		issues = append(issues, found...)
		sf := store.StagedFeature{Feature: n, ExternalID: rec.ExternalID, Attrs: rec.Attrs, Fallback: rec.Fallback}
		if f.GeometryErr != nil {
			issues = append(issues, unreadableGeometry(f.GeometryErr).At(n, rec.ExternalID))
		} else if shape, bad := upload.ShapeOf(f.Geometry); bad != nil {
			issues = append(issues, bad.At(n, rec.ExternalID))
		} else {
			if sf.WKB, err = wkb.Marshal(shape.Polygons); err != nil {
				return sf, false, err
			}
			centres = append(centres, centre{n, rec.ExternalID, shape.Polygons.Bound().Center()})
			if shape.Closed > 0 {
				issues = append(issues, upload.ClosedRingsIssue(shape.Closed).At(n, rec.ExternalID))
			}
		}
		if len(issues) >= upload.StoredIssues {
			stopped = true
			issues = append(issues, tooManyIssues(n))
		}
		if n%500 == 0 {
			t.set(func(p *upload.Progress) { p.Read = n })
		}
		return sf, true, nil
	}
	_, err = uploads.Stage(ctx, up.ID, read)
	if stopped {
		stopSource() // the rest of the file is not read: stop GDAL rather than drain it
	}
	closeErr := src.close()
	closed = true
	if stopped {
		closeErr = nil
	}
	if err != nil {
		return up, err
	}
	if closeErr != nil {
		return up, closeErr
	}
	t.set(func(p *upload.Progress) { p.Read, p.Validated, p.Phase = n, 0, upload.Checking })
	issues = append(issues, norm.Finish(n)...)

	srid, from := src.srid, src.crsFrom
	if src.lateCRS != nil && src.lateCRS() != "" {
		if srid, err = upload.ParseCRS(src.lateCRS()); err != nil {
			return up, apperr.New(apperr.Invalid, "the GeoJSON's crs member cannot be read (%v): give the CRS with the crs parameter", err)
		}
		from = upload.FromFile
	}
	report := upload.Report{
		Format: src.format.Name, Layer: src.layer, Features: n, Columns: norm.Columns(),
		CRS: upload.ReportCRS{SRID: srid, Name: upload.NameOf(srid), Source: from},
	}
	if srid == 0 {
		report.CRS.Name = ""
	}
	if err := uploads.AddIssues(ctx, up.ID, "read", issues); err != nil {
		return up, err
	}
	if !stopped {
		if err := s.checkGeometry(ctx, t, up, srid, from, centres); err != nil {
			return up, err
		}
	}
	return uploads.Conclude(ctx, up.ID, report)
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
