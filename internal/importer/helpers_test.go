package importer_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landatlas/internal/importer"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// testNow is the "today" of the tests: dates after it are in the future.
var testNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

type harness struct {
	db      *pgtest.DB
	uploads store.Uploads
	svc     *importer.Service
	dir     string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	db := pgtest.New(t, pgtest.Reference)
	uploads := store.Uploads{DB: db.Pool}
	dir := t.TempDir()
	svc := importer.New(importer.Config{Uploads: uploads, TempDir: dir, Now: func() time.Time { return testNow },
		GDALTimeout: time.Minute})
	return &harness{db: db, uploads: uploads, svc: svc, dir: t.TempDir()}
}

type importOpts struct {
	district string
	mode     upload.Mode
	crs      int
	mapping  upload.Mapping
	name     string // the file name the uploader gave; the path's base by default
}

// importFile creates an upload for a file and reads it in the foreground; it returns the upload
// and the error Process gave (a failed upload).
func (h *harness) importFile(t testing.TB, path string, o importOpts) (store.Upload, error) {
	t.Helper()
	if o.district == "" {
		o.district = "15088"
	}
	if o.mode == "" {
		o.mode = upload.Upsert
	}
	if o.name == "" {
		o.name = filepath.Base(path)
	}
	up, err := h.uploads.Create(context.Background(), store.NewUpload{DistrictAGS: o.district, ChangedBy: "test",
		Mode: o.mode, Filename: o.name, CRSParam: o.crs, Mapping: o.mapping})
	if err != nil {
		t.Fatalf("create upload: %v", err)
	}
	return h.svc.Process(context.Background(), up, path, nil)
}

// mustImport imports a file that must be read and checked without errors.
func (h *harness) mustImport(t testing.TB, path string, o importOpts) store.Upload {
	t.Helper()
	u, err := h.importFile(t, path, o)
	if err != nil {
		t.Fatalf("import %s: %v", filepath.Base(path), err)
	}
	if u.Status != upload.Ready {
		t.Fatalf("import %s: status %s, want ready; report: %s", filepath.Base(path), u.Status, issuesOf(u))
	}
	return u
}

// apply publishes an upload as its preview showed it, confirming the endings it counted.
func (h *harness) apply(t testing.TB, u store.Upload) store.Upload {
	t.Helper()
	var p upload.Preview
	if err := json.Unmarshal(u.Preview, &p); err != nil {
		t.Fatalf("preview of upload %d: %v", u.ID, err)
	}
	applied, err := h.uploads.Apply(context.Background(), u.ID, nil, p.Ended)
	if err != nil {
		t.Fatalf("apply upload %d: %v", u.ID, err)
	}
	return applied
}

func report(t testing.TB, u store.Upload) upload.Report {
	t.Helper()
	var r upload.Report
	if len(u.Report) == 0 {
		t.Fatalf("upload %d (%s: %s) has no report", u.ID, u.Status, u.Message)
	}
	if err := json.Unmarshal(u.Report, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func preview(t testing.TB, u store.Upload) upload.Preview {
	t.Helper()
	var p upload.Preview
	if err := json.Unmarshal(u.Preview, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// issuesOf lists a report's issues for a failure message.
func issuesOf(u store.Upload) string {
	var r upload.Report
	_ = json.Unmarshal(u.Report, &r)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", u.Status, u.Message)
	for _, i := range r.Issues {
		fmt.Fprintf(&b, "\n  feature %d %s %s %s: %s", i.Feature, i.ExternalID, i.Severity, i.Rule, i.EN)
	}
	return b.String()
}

// counts returns the number of parcels (all, current) and of earlier states.
func (h *harness) counts(t testing.TB) [3]int {
	t.Helper()
	var c [3]int
	err := h.db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM parcels),
		(SELECT count(*) FROM parcels WHERE ended_at IS NULL), (SELECT count(*) FROM parcel_history)`).Scan(&c[0], &c[1], &c[2])
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ogr2ogr runs ogr2ogr with args and fails the test with its output if it fails.
func ogr2ogr(t testing.TB, args ...string) {
	t.Helper()
	out, err := exec.Command("ogr2ogr", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// zipFiles packs files into a zip at dst under their base names.
func zipFiles(t testing.TB, dst string, files ...string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, src := range files {
		w, err := zw.Create(filepath.Base(src))
		if err != nil {
			t.Fatal(err)
		}
		in, err := os.Open(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// zipShapefile writes a layer as a shapefile and zips its parts; without prj the .prj is left out.
func zipShapefile(t testing.TB, dir, src string, withPrj bool, extra ...string) string {
	t.Helper()
	shpDir := filepath.Join(dir, fmt.Sprintf("shp-%d", time.Now().UnixNano()))
	if err := os.MkdirAll(shpDir, 0o755); err != nil {
		t.Fatal(err)
	}
	ogr2ogr(t, append([]string{"-f", "ESRI Shapefile", filepath.Join(shpDir, "flaechen.shp"), src}, extra...)...)
	var parts []string
	for _, ext := range []string{".shp", ".shx", ".dbf", ".cpg", ".prj"} {
		p := filepath.Join(shpDir, "flaechen"+ext)
		if _, err := os.Stat(p); err == nil && (ext != ".prj" || withPrj) {
			parts = append(parts, p)
		}
	}
	out := filepath.Join(dir, fmt.Sprintf("flaechen-%d.zip", time.Now().UnixNano()))
	zipFiles(t, out, parts...)
	return out
}
