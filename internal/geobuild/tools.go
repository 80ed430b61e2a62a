package geobuild

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb/geojson"
)

// fetchNPM downloads an npm package tarball with `npm pack` and unpacks it; it returns the
// package's directory. Nothing is installed into the project.
func fetchNPM(ctx context.Context, pkg, tmp string) (string, error) {
	dest := filepath.Join(tmp, strings.NewReplacer("@", "_", "/", "_").Replace(pkg))
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "npm", "pack", "--silent", "--pack-destination", dest, pkg)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("npm pack %s: %w (is npm installed and the registry reachable?)", pkg, err)
	}
	tgz := filepath.Join(dest, strings.TrimSpace(lastLine(string(out))))
	if err := untar(tgz, dest); err != nil {
		return "", fmt.Errorf("unpack %s: %w", pkg, err)
	}
	return filepath.Join(dest, "package"), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// untar unpacks regular files of a gzipped tarball below dest, refusing paths that leave dest.
func untar(tgz, dest string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		target := filepath.Join(dest, filepath.Clean("/"+h.Name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
}

// reproject writes features (WGS84) to a temporary GeoJSON and lets ogr2ogr transform them to
// EPSG:25832 with centimetre coordinates. Each vertex is transformed on its own, so borders shared
// by two municipalities stay identical.
func reproject(ctx context.Context, features []*geojson.Feature, geomType, layer, tmp, out string) error {
	fc := geojson.NewFeatureCollection()
	fc.Features = features
	b, err := fc.MarshalJSON()
	if err != nil {
		return err
	}
	in := filepath.Join(tmp, layer+"-wgs84.geojson")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		return err
	}
	if err := os.Remove(out); err != nil && !os.IsNotExist(err) {
		return err
	}
	cmd := exec.CommandContext(ctx, "ogr2ogr", "-f", "GeoJSON", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:25832",
		"-nlt", geomType, "-nln", layer, "-lco", "COORDINATE_PRECISION=2", "-lco", "WRITE_NAME=NO", out, in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ogr2ogr: %w: %s", err, msg)
	}
	return nil
}
