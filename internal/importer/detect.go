package importer

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"landatlas/internal/apperr"
)

// Format is a file format landatlas reads.
type Format struct {
	Name string // as the report shows it
	// Driver is the GDAL driver that reads it; "" for GeoJSON, which landatlas decodes itself.
	// GDAL must open the file with it (or one of Alternatives), or the file is refused.
	Driver       string
	Alternatives []string
	// OpenOptions are GDAL open options (-oo) for the format.
	OpenOptions []string
	// ForcePolygons converts closed lines to polygons: CAD drawings keep outlines as closed
	// polylines.
	ForcePolygons bool
}

var (
	formatGeoJSON    = Format{Name: "GeoJSON"}
	formatGeoJSONSeq = Format{Name: "GeoJSON sequence"}
	formatZip        = Format{Name: "zip"}
	formatGPKG       = Format{Name: "GeoPackage", Driver: "GPKG"}
	formatShapefile  = Format{Name: "Shapefile", Driver: "ESRI Shapefile"}
	formatFGB        = Format{Name: "FlatGeobuf", Driver: "FlatGeobuf"}
	formatKML        = Format{Name: "KML", Driver: "LIBKML", Alternatives: []string{"KML"}}
	formatGML        = Format{Name: "GML", Driver: "GML"}
	formatDXF        = Format{Name: "DXF", Driver: "DXF", ForcePolygons: true}
	formatCSV        = Format{Name: "CSV", Driver: "CSV", OpenOptions: []string{
		// Every column as text: ids keep leading zeros and German decimal commas reach the rules.
		"AUTODETECT_TYPE=NO", "KEEP_GEOM_COLUMNS=NO", "SEPARATOR=AUTO",
		"GEOM_POSSIBLE_NAMES=wkt,geometry,geom,the_geom,geometrie,wkt_geom",
		"X_POSSIBLE_NAMES=x,rechtswert,lon,longitude,laenge,easting,ostwert",
		"Y_POSSIBLE_NAMES=y,hochwert,lat,latitude,breite,northing,nordwert",
	}}
)

// Formats lists the formats for messages.
const formatList = "GeoJSON, GeoJSON sequence (.geojsonl), zipped Shapefile, GeoPackage, CSV with a WKT or x/y columns, KML/KMZ, GML, FlatGeobuf or DXF"

// detect tells the format of a file from its first bytes, and where they do not tell, from its name.
func detect(path, name string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return Format{}, err
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return Format{}, err
	}
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(name))
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n\x1e")
	switch {
	case n == 0:
		return Format{}, apperr.New(apperr.Invalid, "the file %q is empty", name)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return formatZip, nil
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return formatGPKG, nil
	case bytes.HasPrefix(head, []byte("fgb\x03")):
		return formatFGB, nil
	case bytes.HasPrefix(head, []byte{0x00, 0x00, 0x27, 0x0a}) && hasSibling(path, ".dbf"):
		return formatShapefile, nil
	case bytes.HasPrefix(head, []byte{0x00, 0x00, 0x27, 0x0a}):
		return Format{}, apperr.New(apperr.Invalid, "%q is only the .shp part of a shapefile: zip it together with its .shx, .dbf, .prj (and .cpg) files and upload the zip", name)
	case len(trimmed) > 0 && trimmed[0] == '{':
		if ext == ".geojsonl" || ext == ".geojsons" || ext == ".ndjson" || ext == ".jsonl" || ext == ".geojsonseq" {
			return formatGeoJSONSeq, nil
		}
		return formatGeoJSON, nil
	case len(trimmed) > 0 && trimmed[0] == '<':
		if bytes.Contains(head, []byte("<kml")) {
			return formatKML, nil
		}
		return formatGML, nil
	case ext == ".dxf" || bytes.HasPrefix(trimmed, []byte("0\r\nSECTION")) || bytes.HasPrefix(trimmed, []byte("0\nSECTION")):
		return formatDXF, nil
	case ext == ".csv" || ext == ".txt" || ext == ".tsv":
		return formatCSV, nil
	case isGeoJSONName(name):
		return formatGeoJSON, nil
	}
	return Format{}, apperr.New(apperr.Invalid, "cannot tell the format of %q: upload %s", name, formatList)
}

// datasetExts are the extensions of files inside a zip that hold a data set.
var datasetExts = map[string]bool{
	".shp": true, ".gpkg": true, ".geojson": true, ".json": true, ".geojsonl": true, ".ndjson": true,
	".gml": true, ".kml": true, ".fgb": true, ".csv": true, ".dxf": true,
}

// accepts reports whether GDAL opening a file with driver is what the format expects.
func (f Format) accepts(driver string) bool {
	return driver == f.Driver || slices.Contains(f.Alternatives, driver)
}

// hasSibling reports whether a file has a companion with another extension (in either case), as a
// shapefile's .shp has its .dbf.
func hasSibling(path, ext string) bool {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	for _, e := range []string{ext, strings.ToUpper(ext)} {
		if _, err := os.Stat(base + e); err == nil {
			return true
		}
	}
	return false
}
