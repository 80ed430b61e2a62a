package importer

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"landatlas/internal/apperr"
	"landatlas/internal/upload"
)

// source is an opened upload file: its features one at a time, and what is known of it.
type source struct {
	format Format
	layer  string
	total  int // features, when the format tells in advance
	// srid is the CRS the coordinates arrive in (0: unknown) and crsFrom says who said so; a
	// GeoJSON crs member can still change it while the features stream (see lateCRS).
	srid    int
	crsFrom upload.CRSSource
	next    func() (Feature, error)
	lateCRS func() string
	close   func() error
}

// open detects a file's format and opens its features: GeoJSON in Go, everything else through
// GDAL. A zip is unpacked into tmp first (safely, within limits) and the data set in it opened.
// crsParam, when not 0, overrides the CRS the file declares.
func (s *Service) open(ctx context.Context, path, name string, crsParam int, layer, tmp string) (*source, error) {
	f, err := detect(path, name)
	if err != nil {
		return nil, err
	}
	if f.Name == formatZip.Name {
		files, err := unzip(path, filepath.Join(tmp, "unzipped"), s.cfg.Zip)
		if err != nil {
			return nil, err
		}
		if path, err = pickDataset(files, layer); err != nil {
			return nil, err
		}
		name = filepath.Base(path)
		if f, err = detect(path, name); err != nil {
			return nil, err
		}
		if f.Name == formatZip.Name {
			return nil, apperr.New(apperr.Invalid, "the zip holds another zip (%s): upload the inner one", name)
		}
		layer = ""
	}
	if f.Driver == "" {
		return s.openGeoJSON(path, f, crsParam)
	}
	return s.openGDAL(ctx, path, f, crsParam, layer)
}

func (s *Service) openGeoJSON(path string, f Format, crsParam int) (*source, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	dec := NewDecoder(file)
	src := &source{format: f, next: dec.Next, lateCRS: dec.CRS, close: file.Close, crsFrom: upload.FromRFC7946, srid: 4326}
	if crsParam != 0 {
		src.srid, src.crsFrom, src.lateCRS = crsParam, upload.FromParameter, nil
	}
	return src, nil
}

// openGDAL asks ogrinfo for the layers and their SRS, picks the layer and starts ogr2ogr. When
// the CRS is known by EPSG code (from the file or the crs parameter) the coordinates are streamed
// as stored and PostGIS transforms them, so a wrong CRS can be told from the raw coordinates; a
// file SRS without an EPSG code is left to GDAL, which then delivers WGS84.
func (s *Service) openGDAL(ctx context.Context, path string, f Format, crsParam int, layer string) (*source, error) {
	layers, err := s.gdal.inspect(ctx, path, f)
	if err != nil {
		return nil, err
	}
	l, err := pickLayer(layers, layer)
	if err != nil {
		return nil, err
	}
	src := &source{format: f, layer: l.Name, total: max(l.Count, 0)}
	keep := true
	switch {
	case crsParam != 0:
		src.srid, src.crsFrom = crsParam, upload.FromParameter
	case l.SRID != 0:
		src.srid, src.crsFrom = l.SRID, upload.FromFile
	case l.HasSRS:
		src.srid, src.crsFrom, keep = 4326, upload.FromFile, false
	default:
		src.srid, src.crsFrom = 0, upload.Unknown
	}
	out, wait, err := s.gdal.stream(ctx, path, f, l.Name, keep)
	if err != nil {
		return nil, err
	}
	dec := NewDecoder(out)
	src.next = dec.Next
	src.close = func() error {
		_, _ = io.Copy(io.Discard, out)
		return wait()
	}
	return src, nil
}

// pickLayer chooses the named layer, the only one, or the only polygon layer.
func pickLayer(layers []layerInfo, name string) (layerInfo, error) {
	names := make([]string, len(layers))
	for i, l := range layers {
		names[i] = l.Name
	}
	if name != "" {
		i := slices.IndexFunc(layers, func(l layerInfo) bool { return strings.EqualFold(l.Name, name) })
		if i < 0 {
			return layerInfo{}, apperr.New(apperr.Invalid, "the file has no layer %q; its layers are %s", name, strings.Join(names, ", "))
		}
		return layers[i], nil
	}
	if len(layers) == 1 {
		return layers[0], nil
	}
	var polygons []layerInfo
	for _, l := range layers {
		if strings.Contains(strings.ToLower(l.Geometry), "polygon") {
			polygons = append(polygons, l)
		}
	}
	if len(polygons) == 1 {
		return polygons[0], nil
	}
	return layerInfo{}, apperr.New(apperr.Invalid, "the file has %d layers (%s): say which one holds the parcels with layer=<name>", len(layers), strings.Join(names, ", "))
}
