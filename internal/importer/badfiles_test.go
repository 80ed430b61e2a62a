package importer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landatlas/internal/apperr"
	"landatlas/internal/importer"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// editFixture writes a copy of the fixture with its features changed by edit.
func editFixture(t *testing.T, fixture, name string, edit func(features []map[string]any) []map[string]any) string {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	var features []map[string]any
	for _, f := range fc["features"].([]any) {
		features = append(features, f.(map[string]any))
	}
	fc["features"] = edit(features)
	out, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(filepath.Dir(fixture), name)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func props(f map[string]any) map[string]any { return f["properties"].(map[string]any) }

// ring returns the outer ring of a feature's first polygon (the fixture's are MultiPolygons).
func setRing(f map[string]any, ring [][2]float64) {
	coords := make([]any, len(ring))
	for i, p := range ring {
		coords[i] = []any{p[0], p[1]}
	}
	f["geometry"] = map[string]any{"type": "Polygon", "coordinates": []any{coords}}
}

func corner(f map[string]any) [2]float64 {
	c := f["geometry"].(map[string]any)["coordinates"].([]any)[0].([]any)[0].([]any)[0].([]any)
	return [2]float64{c[0].(float64), c[1].(float64)}
}

// TestBadFilesGetClearReportsAndChangeNothing feeds the importer a corpus of broken files. Each
// must end failed (unreadable) or invalid (with errors) with a message naming the problem, and
// none may change a parcel or its history, nor be applicable.
func TestBadFilesGetClearReportsAndChangeNothing(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, _ := writeFixture(t, h, dir)
	h.apply(t, h.mustImport(t, fixture, importOpts{}))
	before := h.counts(t)

	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zipWith := func(name string, entries map[string][]byte) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, b := range entries {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(b)
		}
		zw.Close()
		return write(name, buf.Bytes())
	}
	leipzig := func() [2]float64 {
		var x, y float64
		err := h.db.Pool.QueryRow(context.Background(), `
			SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM districts WHERE ags = '14713') d`).Scan(&x, &y)
		if err != nil {
			t.Fatal(err)
		}
		return [2]float64{x, y}
	}()
	square := func(at [2]float64, size float64) [][2]float64 {
		x, y := at[0], at[1]
		return [][2]float64{{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}, {x, y}}
	}

	cases := []struct {
		name   string
		file   func() string
		opts   importOpts
		status upload.Status
		want   string // in the failure message, or the rule of an error in the report
	}{
		{"truncated JSON", func() string { return write("cut.geojson", raw[:len(raw)*2/3]) }, importOpts{}, upload.Failed, "cut off"},
		{"broken zip", func() string {
			return write("broken.zip", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xde, 0xad}, 200)...))
		},
			importOpts{}, upload.Failed, "damaged"},
		{"zip with ../ paths", func() string {
			return zipWith("evil.zip", map[string][]byte{"../../etc/flaechen.geojson": raw})
		}, importOpts{}, upload.Failed, "outside the archive"},
		{"zip with an absolute path", func() string {
			return zipWith("abs.zip", map[string][]byte{"/tmp/flaechen.geojson": raw})
		}, importOpts{}, upload.Failed, "outside the archive"},
		{"shapefile without .prj", func() string {
			return zipShapefile(t, dir, fixture, false, "-t_srs", "EPSG:25833")
		}, importOpts{}, upload.Invalid, "crs.missing"},
		{"coordinates in another CRS than declared", func() string {
			p := filepath.Join(dir, "wrongcrs.gpkg")
			ogr2ogr(t, "-f", "GPKG", "-t_srs", "EPSG:25833", p, fixture)
			return p
		}, importOpts{crs: 25832}, upload.Invalid, "crs.mismatch"},
		{"points instead of polygons", func() string {
			return editFixture(t, fixture, "points.geojson", func(fs []map[string]any) []map[string]any {
				c := corner(fs[0])
				fs[0]["geometry"] = map[string]any{"type": "Point", "coordinates": []any{c[0], c[1]}}
				return fs
			})
		}, importOpts{}, upload.Invalid, "geometry.type"},
		{"self-intersection (bow tie)", func() string {
			return editFixture(t, fixture, "bowtie.geojson", func(fs []map[string]any) []map[string]any {
				x, y := corner(fs[0])[0], corner(fs[0])[1]
				setRing(fs[0], [][2]float64{{x, y}, {x + 100, y + 100}, {x + 100, y}, {x, y + 100}, {x, y}})
				return fs
			})
		}, importOpts{}, upload.Invalid, "geometry.invalid"},
		{"parcel in another district", func() string {
			return editFixture(t, fixture, "leipzig.geojson", func(fs []map[string]any) []map[string]any {
				setRing(fs[1], square(leipzig, 100))
				return fs
			})
		}, importOpts{}, upload.Invalid, "geometry.outside_district"},
		{"duplicate ids", func() string {
			return editFixture(t, fixture, "dup.geojson", func(fs []map[string]any) []map[string]any {
				props(fs[2])["kennung"] = "SK-001"
				return fs
			})
		}, importOpts{}, upload.Invalid, "id.duplicate"},
		{"unknown code value", func() string {
			return editFixture(t, fixture, "codes.geojson", func(fs []map[string]any) []map[string]any {
				props(fs[0])["nutzungsart"] = "Wohngebiet"
				return fs
			})
		}, importOpts{}, upload.Invalid, "attribute.code"},
		{"missing required value", func() string {
			return editFixture(t, fixture, "missing.geojson", func(fs []map[string]any) []map[string]any {
				props(fs[0])["status"] = ""
				return fs
			})
		}, importOpts{}, upload.Invalid, "attribute.missing"},
		{"date in the future", func() string {
			return editFixture(t, fixture, "future.geojson", func(fs []map[string]any) []map[string]any {
				props(fs[0])["bestaetigt_am"] = "2031-01-01"
				return fs
			})
		}, importOpts{}, upload.Invalid, "attribute.future"},
		{"overlapping parcels", func() string {
			return editFixture(t, fixture, "overlap.geojson", func(fs []map[string]any) []map[string]any {
				setRing(fs[1], square(corner(fs[0]), 60))
				return fs
			})
		}, importOpts{}, upload.Invalid, "geometry.overlap"},
		{"net area in m²", func() string {
			return editFixture(t, fixture, "net.geojson", func(fs []map[string]any) []map[string]any {
				props(fs[0])["flaeche_netto"] = 6500
				return fs
			})
		}, importOpts{}, upload.Invalid, "attribute.range"},
		{"not a parcel file", func() string { return write("notes.txt", []byte("hello")) }, importOpts{name: "notes.docx"}, upload.Failed, "cannot tell the format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := h.importFile(t, c.file(), c.opts)
			if u.Status != c.status {
				t.Fatalf("status %s (%v), want %s: %s", u.Status, err, c.status, issuesOf(u))
			}
			switch c.status {
			case upload.Failed:
				if !strings.Contains(u.Message, c.want) {
					t.Errorf("message %q, want it to say %q", u.Message, c.want)
				}
			case upload.Invalid:
				r := report(t, u)
				if !hasError(r, c.want) {
					t.Errorf("no error %s in the report: %s", c.want, issuesOf(u))
				}
				for _, i := range r.Issues {
					if i.DE == "" || i.EN == "" {
						t.Errorf("issue %s lacks its German or English message", i.Rule)
					}
				}
			}
			if _, err := h.uploads.Apply(context.Background(), u.ID, nil, 0); err == nil {
				t.Errorf("a %s upload was applied", u.Status)
			}
			if got := h.counts(t); got != before {
				t.Errorf("parcels/current/history %v after the bad file, were %v", got, before)
			}
		})
	}
}

func hasError(r upload.Report, rule string) bool {
	for _, c := range r.ByRule {
		if c.Rule == rule && c.Severity == upload.Error {
			return true
		}
	}
	return false
}

// TestMissingCRSNamesTheFittingOne: a shapefile without .prj is refused with a message that names
// the CRS its coordinates fit, and imports once that CRS is given.
func TestMissingCRSNamesTheFittingOne(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, _ := writeFixture(t, h, dir)
	shp := zipShapefile(t, dir, fixture, false, "-t_srs", "EPSG:31468")
	u, _ := h.importFile(t, shp, importOpts{})
	r := report(t, u)
	if u.Status != upload.Invalid || len(r.Issues) == 0 || !strings.Contains(r.Issues[0].EN, "crs=EPSG:31468") {
		t.Fatalf("shapefile without .prj in Gauss-Krüger: %s; want an error asking for crs=EPSG:31468", issuesOf(u))
	}
	h.mustImport(t, shp, importOpts{crs: 31468})
}

// TestLimits: more features than allowed, and a zip that expands beyond the limit, are refused
// with messages that name the limit; the temporary files are gone afterwards.
func TestLimits(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, _ := writeFixture(t, h, dir)
	work := t.TempDir()
	small := importer.New(importer.Config{Uploads: h.uploads, TempDir: work, MaxFeatures: 3,
		Zip: importer.ZipLimits{MaxEntries: 10, MaxBytes: 1 << 20}})

	run := func(path string) store.Upload {
		up, err := h.uploads.Create(context.Background(), store.NewUpload{DistrictAGS: "15088", ChangedBy: "test", Mode: upload.Upsert, Filename: filepath.Base(path)})
		if err != nil {
			t.Fatal(err)
		}
		u, _ := small.Process(context.Background(), up, path, nil)
		return u
	}
	if u := run(fixture); u.Status != upload.Failed || !strings.Contains(u.Message, "more than 3 features") {
		t.Errorf("5 features with a limit of 3: %s %q", u.Status, u.Message)
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("flaechen.geojson")
	w.Write(bytes.Repeat([]byte(" "), 8<<20))
	zw.Close()
	bomb := filepath.Join(dir, "bomb.zip")
	os.WriteFile(bomb, buf.Bytes(), 0o644)
	if u := run(bomb); u.Status != upload.Failed || !strings.Contains(u.Message, "expands to more than") {
		t.Errorf("8 MB of spaces in a zip with a limit of 1 MB: %s %q", u.Status, u.Message)
	}
	shp := zipShapefile(t, dir, fixture, true)
	if u := run(shp); u.Status != upload.Failed {
		t.Errorf("zipped shapefile with more features than allowed: %s", u.Status)
	}
	left, _ := os.ReadDir(work)
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestHangingGDALIsStopped: a GDAL run longer than the time limit is stopped and the upload fails
// with a message that says so.
func TestHangingGDALIsStopped(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.MkdirAll(bin, 0o755)
	// An ogrinfo that never answers stands for GDAL stuck on a damaged file.
	os.WriteFile(filepath.Join(bin, "ogrinfo"), []byte("#!/bin/sh\nexec sleep 60\n"), 0o755)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	gpkg := filepath.Join(dir, "flaechen.gpkg")
	fixture, _ := writeFixture(t, h, dir)
	ogr2ogr(t, "-f", "GPKG", gpkg, fixture)
	svc := importer.New(importer.Config{Uploads: h.uploads, TempDir: t.TempDir(), GDALTimeout: 300e6})
	up, err := h.uploads.Create(context.Background(), store.NewUpload{DistrictAGS: "15088", ChangedBy: "test", Mode: upload.Upsert, Filename: "flaechen.gpkg"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := svc.Process(context.Background(), up, gpkg, nil)
	if u.Status != upload.Failed || !strings.Contains(u.Message, "was stopped") || apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("hanging GDAL: %s %q (%v), want failed saying GDAL was stopped", u.Status, u.Message, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the deadline leaked as an internal error: %v", err)
	}
}

// TestTooManyIssuesStopsTheCheck: a file that is wrong throughout (here every feature lacks its
// geometry and has three unknown codes) stops being read once the issues reach the limit, and the
// report says so instead of growing without bound.
func TestTooManyIssuesStopsTheCheck(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(t.TempDir(), "wrong.geojson")
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	n := upload.StoredIssues/4 + 1000
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Feature","geometry":null,"properties":{"kennung":"X-%d","nutzungsart":"?","planungsrecht":"?","verfuegbarkeit":"?","status":"angeboten","potenzialart":"Baulücke"}}`, i)
	}
	b.WriteString(`]}`)
	os.WriteFile(path, []byte(b.String()), 0o644)
	u, err := h.importFile(t, path, importOpts{})
	if err != nil {
		t.Fatal(err)
	}
	r := report(t, u)
	if u.Status != upload.Invalid || !hasError(r, "file.too_many_issues") || r.Features >= n {
		t.Errorf("status %s, %d features read of %d, rules %v: want invalid, stopped early", u.Status, r.Features, n, r.ByRule)
	}
}

// TestSmallSelfIntersectionIsRepaired: an outline that crosses itself in a small loop is repaired
// with ST_MakeValid (the area changes by far less than 1 %), with a warning, and can be published.
func TestSmallSelfIntersectionIsRepaired(t *testing.T) {
	h := newHarness(t)
	fixture, areas := writeFixture(t, h, t.TempDir())
	looped := editFixture(t, fixture, "loop.geojson", func(fs []map[string]any) []map[string]any {
		x, y := corner(fs[0])[0], corner(fs[0])[1]
		setRing(fs[0], [][2]float64{{x, y}, {x + 100, y}, {x + 100, y + 100}, {x, y + 100}, {x + 2, y - 2}, {x, y}})
		return fs
	})
	u := h.mustImport(t, looped, importOpts{})
	r := report(t, u)
	if len(r.Issues) != 1 || r.Issues[0].Rule != "geometry.repaired" || r.Issues[0].Severity != upload.Warning {
		t.Fatalf("looped outline: %s, want one repair warning", issuesOf(u))
	}
	var valid bool
	var area float64
	h.db.QueryRow(t, `SELECT ST_IsValid(geom), ST_Area(geom) FROM upload_features WHERE upload_id = $1 AND external_id = 'SK-001'`, u.ID).Scan(&valid, &area)
	if !valid || area < areas["SK-001"]*0.99 || area > areas["SK-001"]*1.01 {
		t.Errorf("repaired geometry valid %t with %.1f m², want valid and within 1 %% of %.1f m²", valid, area, areas["SK-001"])
	}
	h.apply(t, u)
}
