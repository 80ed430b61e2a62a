package importer_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"landatlas/internal/upload"
)

// TestEveryFormatAndCRSImportsTheSameParcels converts the one GeoJSON fixture with ogr2ogr into
// every format and CRS a district may deliver, imports each, and finds the same parcels with the
// same attributes and areas equal within 0.1 %.
func TestEveryFormatAndCRSImportsTheSameParcels(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, areas := writeFixture(t, h, dir)
	base := h.mustImport(t, fixture, importOpts{})
	want := h.staged(t, base.ID)
	if len(want) != len(fixtureParcels) {
		t.Fatalf("fixture imported as %d parcels, want %d", len(want), len(fixtureParcels))
	}
	if got := want["SK-003"].Attrs; got["use_type"] != "GI" || got["planning_status"] != "in_force" || got["potential_kind"] != "conversion" {
		t.Fatalf("SK-003 attributes %v: want 1800 -> GI, 4000 -> in_force, Konversionsfläche -> conversion", got)
	}

	type format struct {
		name     string
		make     func(src string, srid int) string
		needsCRS bool // the format carries no CRS: the upload names it
		only4326 bool // the format is defined in WGS84
	}
	n := 0
	out := func(ext string) string {
		n++
		return filepath.Join(dir, fmt.Sprintf("out%d.%s", n, ext))
	}
	formats := []format{
		{name: "GeoJSON", make: func(src string, _ int) string {
			p := out("geojson")
			ogr2ogr(t, "-f", "GeoJSON", "-lco", "RFC7946=NO", p, src)
			return p
		}},
		{name: "GeoJSONSeq", make: func(src string, srid int) string {
			p := out("geojsonl")
			if srid == 4326 {
				ogr2ogr(t, "-f", "GeoJSONSeq", p, src)
			} else { // projected coordinates carry no CRS in a sequence: the upload names it
				ogr2ogr(t, "-f", "GeoJSONSeq", "-a_srs", "None", p, src)
			}
			return p
		}},
		{name: "zipped Shapefile", make: func(src string, _ int) string { return zipShapefile(t, dir, src, true) }},
		{name: "GeoPackage", make: func(src string, _ int) string {
			p := out("gpkg")
			ogr2ogr(t, "-f", "GPKG", p, src)
			return p
		}},
		{name: "CSV with WKT", needsCRS: true, make: func(src string, _ int) string {
			p := out("csv")
			ogr2ogr(t, "-f", "CSV", "-lco", "GEOMETRY=AS_WKT", p, src)
			return p
		}},
		{name: "KML", only4326: true, make: func(src string, _ int) string {
			p := out("kml")
			// GDAL's KML writer drops date fields: they travel as text, as in KML files made by hand.
			ogr2ogr(t, "-f", "LIBKML", "-mapFieldType", "Date=String", p, src)
			return p
		}},
		{name: "GML", make: func(src string, _ int) string {
			p := out("gml")
			ogr2ogr(t, "-f", "GML", "-dsco", "FORMAT=GML3", p, src)
			return p
		}},
		{name: "FlatGeobuf", make: func(src string, _ int) string {
			p := out("fgb")
			ogr2ogr(t, "-f", "FlatGeobuf", p, src)
			return p
		}},
	}
	for _, srid := range []int{25832, 25833, 31468, 4326} {
		src := out("geojson")
		ogr2ogr(t, "-f", "GeoJSON", "-lco", "RFC7946=NO", "-t_srs", fmt.Sprintf("EPSG:%d", srid), src, fixture)
		for _, f := range formats {
			if f.only4326 && srid != 4326 {
				continue
			}
			t.Run(fmt.Sprintf("%s/EPSG:%d", f.name, srid), func(t *testing.T) {
				path := f.make(src, srid)
				o := importOpts{}
				if f.needsCRS || (f.name == "GeoJSONSeq" && srid != 4326) {
					o.crs = srid
				}
				u := h.mustImport(t, path, o)
				r := report(t, u)
				if r.CRS.SRID != srid && !(srid == 4326 && r.CRS.SRID == 0) {
					t.Errorf("read in EPSG:%d, want EPSG:%d", r.CRS.SRID, srid)
				}
				sameParcels(t, h.staged(t, u.ID), want, areas)
			})
		}
	}
}

// TestDXFOutlinesAreRead reads a CAD drawing: closed outlines become parcels with their areas,
// and since DXF carries no attributes, the report asks for the required columns.
func TestDXFOutlinesAreRead(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, areas := writeFixture(t, h, dir)
	dxf := filepath.Join(dir, "flaechen.dxf")
	ogr2ogr(t, "-f", "DXF", dxf, fixture)
	u, err := h.importFile(t, dxf, importOpts{crs: 25832})
	if err != nil {
		t.Fatalf("import DXF: %v", err)
	}
	r := report(t, u)
	if u.Status != upload.Invalid || !hasRule(r, "column.missing") {
		t.Fatalf("DXF: status %s, want invalid asking for the required columns: %s", u.Status, issuesOf(u))
	}
	var total, want float64
	for _, s := range h.stagedByFeature(t, u.ID) {
		total += s
	}
	for _, a := range areas {
		want += a
	}
	if d := (total - want) / want; d > 0.001 || d < -0.001 {
		t.Errorf("DXF outlines cover %.1f m², the fixture %.1f m²", total, want)
	}
}

func hasRule(r upload.Report, rule string) bool {
	for _, c := range r.ByRule {
		if c.Rule == rule {
			return true
		}
	}
	return false
}
