package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landatlas/internal/upload"
)

// TestLayerNamedLikeAnOptionIsRefused: a KML whose layer is named --formats once made ogr2ogr
// list its drivers instead of reading the layer (the name was passed as a bare argument). The
// upload fails with a message that says to rename the layer, and GDAL never runs it as an option.
func TestLayerNamedLikeAnOptionIsRefused(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"--formats", "-sql"} {
		path := filepath.Join(t.TempDir(), "flaechen.kml")
		kml := `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>` + name + `</name>
<Placemark><name>x</name><ExtendedData><Data name="kennung"><value>SK-1</value></Data></ExtendedData>
<Polygon><outerBoundaryIs><LinearRing><coordinates>11.9,51.4 11.91,51.4 11.91,51.41 11.9,51.4</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Folder></Document></kml>`
		if err := os.WriteFile(path, []byte(kml), 0o644); err != nil {
			t.Fatal(err)
		}
		u, _ := h.importFile(t, path, importOpts{})
		if u.Status != upload.Failed || !strings.Contains(u.Message, "rename the layer") || strings.Contains(u.Message, "Supported Formats") {
			t.Errorf("KML layer %q: %s %q, want failed saying to rename the layer", name, u.Status, u.Message)
		}
	}
	if got := h.counts(t); got != [3]int{} {
		t.Errorf("parcels after the refused uploads: %v", got)
	}
}
