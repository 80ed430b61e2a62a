package importer

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeZip(t *testing.T, entries map[string][]byte, mode os.FileMode) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range entries {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		if mode != 0 {
			h.SetMode(mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(p, buf.Bytes(), 0o644)
	return p
}

func TestUnzipRefusesWhatLeavesTheDirectory(t *testing.T) {
	lim := ZipLimits{MaxEntries: 10, MaxBytes: 1 << 20}
	for name, entries := range map[string]map[string][]byte{
		"dot-dot":          {"../evil.shp": []byte("x")},
		"deep dot-dot":     {"a/../../evil.shp": []byte("x")},
		"absolute":         {"/etc/evil.shp": []byte("x")},
		"windows absolute": {`C:\evil.shp`: []byte("x")},
		"windows dot-dot":  {`..\evil.shp`: []byte("x")},
	} {
		dir := t.TempDir()
		if _, err := unzip(writeZip(t, entries, 0), filepath.Join(dir, "out"), lim); err == nil || !strings.Contains(err.Error(), "outside the archive") {
			t.Errorf("%s: %v", name, err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("%s: wrote %v", name, left)
		}
	}
	if _, err := unzip(writeZip(t, map[string][]byte{"link.shp": []byte("/etc/passwd")}, os.ModeSymlink|0o777), t.TempDir(), lim); err == nil {
		t.Error("a symbolic link was unpacked")
	}
}

func TestUnzipLimits(t *testing.T) {
	many := map[string][]byte{}
	for i := range 12 {
		many[strings.Repeat("a", i+1)+".txt"] = []byte("x")
	}
	if _, err := unzip(writeZip(t, many, 0), t.TempDir(), ZipLimits{MaxEntries: 10, MaxBytes: 1 << 20}); err == nil || !strings.Contains(err.Error(), "12 entries") {
		t.Errorf("12 entries with a limit of 10: %v", err)
	}
	bomb := writeZip(t, map[string][]byte{"a.geojson": bytes.Repeat([]byte{0}, 4<<20)}, 0)
	if _, err := unzip(bomb, t.TempDir(), ZipLimits{MaxEntries: 10, MaxBytes: 1 << 20}); err == nil || !strings.Contains(err.Error(), "expands to more") {
		t.Errorf("4 MB of zeros with a limit of 1 MB: %v", err)
	}
	files, err := unzip(writeZip(t, map[string][]byte{"export/flaechen.shp": []byte("x"), "__MACOSX/._flaechen.shp": []byte("x"), "export/flaechen.dbf": []byte("y")}, 0),
		t.TempDir(), ZipLimits{MaxEntries: 10, MaxBytes: 1 << 20})
	if err != nil || len(files) != 2 {
		t.Fatalf("a shapefile in a folder: %v %v", files, err)
	}
	if p, err := pickDataset(files, ""); err != nil || filepath.Base(p) != "flaechen.shp" {
		t.Errorf("picked %q (%v), want flaechen.shp", p, err)
	}
}

// TestParseOGRInfo reads the EPSG code of a layer's SRS from its top level only.
func TestParseOGRInfo(t *testing.T) {
	out := `INFO: Open of ` + "`x.shp'" + `
      using driver ` + "`ESRI Shapefile'" + ` successful.

Layer name: flaechen
Geometry: Polygon
Feature Count: 5
Extent: (4491498.838120, 5697914.809954) - (4491602.837354, 5698018.809197)
Layer SRS WKT:
PROJCRS["DHDN / 3-degree Gauss-Kruger zone 4",
    BASEGEOGCRS["DHDN",
        ID["EPSG",4314]],
    CONVERSION["3-degree Gauss-Kruger zone 4",
        METHOD["Transverse Mercator",
            ID["EPSG",9807]]],
    ID["EPSG",31468]]
Data axis to CRS axis mapping: 1,2
kennung: String (80.0)

Layer name: ohne
Geometry: Point
Feature Count: 2
Layer SRS WKT:
(unknown)
name: String (10.0)
`
	driver, layers := parseOGRInfo(out)
	if driver != "ESRI Shapefile" || len(layers) != 2 {
		t.Fatalf("driver %q, layers %+v", driver, layers)
	}
	if l := layers[0]; l.Name != "flaechen" || l.SRID != 31468 || !l.HasSRS || l.Count != 5 || l.Geometry != "Polygon" {
		t.Errorf("first layer %+v", l)
	}
	if l := layers[1]; l.HasSRS || l.SRID != 0 {
		t.Errorf("layer without SRS read as %+v", l)
	}
	if l, err := pickLayer(layers, ""); err != nil || l.Name != "flaechen" {
		t.Errorf("picked %+v (%v), want the only polygon layer", l, err)
	}
}
