package importer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"landatlas/internal/apperr"
)

// gdal runs GDAL's command line tools (Debian's gdal-bin) as subprocesses with a time limit:
// a damaged file that makes GDAL hang or spin is stopped, not waited for.
type gdal struct {
	timeout time.Duration
}

// layerInfo is what ogrinfo tells of a layer.
type layerInfo struct {
	Name     string
	Geometry string
	Count    int
	HasSRS   bool
	// SRID is the EPSG code of the layer's SRS when GDAL identifies one, else 0.
	SRID int
}

// gdalEnv keeps GDAL off the network (a GML or KML file may name remote schemas or links) and
// away from drivers that read other files than the upload (a VRT names any file on the server).
var gdalEnv = []string{"GDAL_SKIP=OGR_VRT VRT",
	"GML_DOWNLOAD_WFS_SCHEMA=NO", "GML_SKIP_RESOLVE_ELEMS=ALL", "GDAL_HTTP_TIMEOUT=1", "GDAL_HTTP_CONNECTTIMEOUT=1",
	"LIBKML_RESOLVE_STYLE=NO", "CPL_DEBUG=OFF",
}

func (g gdal) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), gdalEnv...)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// inspect lists the layers of a data set with their SRS, as ogrinfo sees them.
func (g gdal) inspect(ctx context.Context, path string, f Format) ([]layerInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	args := []string{"-ro", "-so", "-al"}
	for _, o := range f.OpenOptions {
		args = append(args, "-oo", o)
	}
	path, err := argPath(path)
	if err != nil {
		return nil, err
	}
	cmd := g.command(ctx, "ogrinfo", append(args, path)...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &limitedBuffer{max: 8 << 10, buf: &stderr}
	err = cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, g.timeoutError()
	}
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "GDAL cannot read the file as %s: %s", f.Name, gdalMessage(stderr.String(), err))
	}
	driver, layers := parseOGRInfo(out.String())
	if !f.accepts(driver) {
		return nil, apperr.New(apperr.Invalid, "the file looks like %s but GDAL reads it as %s: refused; export it as %s again", f.Name, driver, f.Name)
	}
	if len(layers) == 0 {
		return nil, apperr.New(apperr.Invalid, "the %s file holds no layer with features", f.Name)
	}
	return layers, nil
}

var (
	driverLine  = regexp.MustCompile("using driver `([^']+)' successful")
	layerLine   = regexp.MustCompile(`^Layer name: (.*)$`)
	geomLine    = regexp.MustCompile(`^Geometry: (.*)$`)
	countLine   = regexp.MustCompile(`^Feature Count: (-?[0-9]+)$`)
	srsLine     = regexp.MustCompile(`^Layer SRS WKT:`)
	topIDLine   = regexp.MustCompile(`^    ID\["EPSG",([0-9]+)\]\]$`)
	topAuthLine = regexp.MustCompile(`^    AUTHORITY\["EPSG","([0-9]+)"\]\]$`)
)

// parseOGRInfo reads ogrinfo's summary (-so -al): the driver that opened the file and the layers.
// A layer's EPSG code is the ID of its SRS's top
// level, which ogrinfo indents by four spaces as the SRS's last line; inner IDs (of the datum or
// a parameter) are indented deeper.
func parseOGRInfo(out string) (string, []layerInfo) {
	var driver string
	var layers []layerInfo
	inSRS := false
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := driverLine.FindStringSubmatch(line); m != nil {
			driver = m[1]
			continue
		}
		if m := layerLine.FindStringSubmatch(line); m != nil {
			layers = append(layers, layerInfo{Name: m[1]})
			inSRS = false
			continue
		}
		if len(layers) == 0 {
			continue
		}
		l := &layers[len(layers)-1]
		switch {
		case geomLine.MatchString(line):
			l.Geometry = geomLine.FindStringSubmatch(line)[1]
		case countLine.MatchString(line):
			l.Count, _ = strconv.Atoi(countLine.FindStringSubmatch(line)[1])
		case inSRS && line == "(unknown)":
			l.HasSRS, inSRS = false, false
		case srsLine.MatchString(line):
			l.HasSRS, inSRS = true, true
		case inSRS && (topIDLine.MatchString(line) || topAuthLine.MatchString(line)):
			m := topIDLine.FindStringSubmatch(line)
			if m == nil {
				m = topAuthLine.FindStringSubmatch(line)
			}
			l.SRID, _ = strconv.Atoi(m[1])
		case inSRS && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "PROJCRS") && !strings.HasPrefix(line, "GEOGCRS") &&
			!strings.HasPrefix(line, "PROJCS") && !strings.HasPrefix(line, "GEOGCS") && !strings.HasPrefix(line, "COMPOUNDCRS") && !strings.HasPrefix(line, "BOUNDCRS"):
			inSRS = false
		}
	}
	return driver, layers
}

// stream runs ogr2ogr to write a layer as GeoJSON features to a pipe the decoder reads. With
// keepCoordinates the layer's SRS is dropped (-a_srs None), so the coordinates arrive as stored in
// the file and PostGIS transforms them; otherwise GDAL transforms them to WGS84 itself, as the
// GeoJSONSeq driver does for any layer with an SRS. wait must be called after reading.
func (g gdal) stream(ctx context.Context, path string, f Format, layer string, keepCoordinates bool) (io.ReadCloser, func() error, error) {
	// The layer name comes from the file and ogr2ogr takes it as a bare argument, after the data
	// set: a name such as --formats or -sql would be read as an option (GDAL 3.6 has no "--" to
	// end the options), so it is refused.
	if strings.HasPrefix(layer, "-") {
		return nil, nil, apperr.New(apperr.Invalid, "the layer name %q starts with a dash, which GDAL would take for an option: rename the layer in your GIS and upload the file again", layer)
	}
	path, err := argPath(path)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	args := []string{"-f", "GeoJSONSeq", "/vsistdout/", "-dim", "XY",
		"-lco", "RS=NO", "-lco", "COORDINATE_PRECISION=9", "-skipfailures"}
	for _, o := range f.OpenOptions {
		args = append(args, "-oo", o)
	}
	if keepCoordinates {
		args = append(args, "-a_srs", "None")
	}
	if f.ForcePolygons {
		args = append(args, "-nlt", "MULTIPOLYGON")
	}
	args = append(args, path, layer)
	cmd := g.command(ctx, "ogr2ogr", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{max: 8 << 10, buf: &stderr}
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("start ogr2ogr (is gdal-bin installed?): %w", err)
	}
	wait := func() error {
		defer cancel()
		err := cmd.Wait()
		if ctx.Err() == context.DeadlineExceeded {
			return g.timeoutError()
		}
		if err != nil {
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				return apperr.New(apperr.Invalid, "GDAL failed to read the file as %s: %s", f.Name, gdalMessage(stderr.String(), err))
			}
			return fmt.Errorf("ogr2ogr: %w", err)
		}
		return nil
	}
	return out, wait, nil
}

// argPath makes a file's path absolute, so GDAL never reads it as an option.
func argPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("path of %q: %w", path, err)
	}
	return abs, nil
}

func (g gdal) timeoutError() error {
	return apperr.New(apperr.Invalid, "GDAL did not finish reading the file within %s (LANDATLAS_GDAL_TIMEOUT) and was stopped: the file may be damaged; check it in your GIS or split it", g.timeout)
}

// gdalMessage picks GDAL's error lines (not its warnings) for a message.
func gdalMessage(stderr string, err error) string {
	var lines []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "ERROR") || strings.HasPrefix(l, "FAILURE") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) == 0 {
		return err.Error()
	}
	if len(lines) > 3 {
		lines = lines[:3]
	}
	return strings.Join(lines, "; ")
}

// limitedBuffer keeps the first max bytes written to it and drops the rest, so a chatty GDAL
// cannot fill the memory.
type limitedBuffer struct {
	max int
	buf *bytes.Buffer
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
