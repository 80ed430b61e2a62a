package importer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"landatlas/internal/apperr"
)

// ZipLimits bound what unpacking a zip may write: a small zip can expand to terabytes (a zip
// bomb), so both the declared sizes and the bytes actually written are counted.
type ZipLimits struct {
	MaxEntries int
	MaxBytes   int64
}

// unzip unpacks the zip at src into dir, refusing entries that would land outside dir (absolute
// paths, "..", links) and stopping at the limits. It returns the unpacked files' paths.
func unzip(src, dir string, lim ZipLimits) ([]string, error) {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "the zip file is damaged and cannot be opened (%v): pack it again", err)
	}
	defer zr.Close()
	if len(zr.File) > lim.MaxEntries {
		return nil, apperr.New(apperr.Invalid, "the zip holds %d entries, more than the %d allowed: pack only the data set", len(zr.File), lim.MaxEntries)
	}
	var declared uint64
	seen := map[string]bool{}
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		if strings.ContainsFunc(name, func(r rune) bool { return r < ' ' }) {
			return nil, apperr.New(apperr.Invalid, "the zip entry %q has a control character in its name: pack the files under plain names", f.Name)
		}
		key := path.Clean(name)
		if seen[key] {
			return nil, apperr.New(apperr.Invalid, "the zip holds two entries named %q: pack it again with each file once", f.Name)
		}
		seen[key] = true
		if !filepath.IsLocal(name) || path.IsAbs(name) || strings.Contains(name, ":") {
			return nil, apperr.New(apperr.Invalid, "the zip entry %q points outside the archive (absolute path or ..): refused; pack the files without paths", f.Name)
		}
		if f.Mode()&os.ModeSymlink != 0 {
			return nil, apperr.New(apperr.Invalid, "the zip entry %q is a symbolic link: refused", f.Name)
		}
		declared += f.UncompressedSize64
	}
	if declared > uint64(lim.MaxBytes) {
		return nil, zipTooLarge(lim)
	}
	var files []string
	remaining := lim.MaxBytes
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		if f.FileInfo().IsDir() || skippedEntry(name) {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		n, err := extract(f, target, remaining)
		if err != nil {
			return nil, err
		}
		remaining -= n
		files = append(files, target)
	}
	return files, nil
}

// skippedEntry reports entries that are not data: macOS resource forks and hidden files.
func skippedEntry(name string) bool {
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), ".")
}

func extract(f *zip.File, target string, remaining int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return 0, err
	}
	rc, err := f.Open()
	if err != nil {
		return 0, apperr.New(apperr.Invalid, "the zip entry %q cannot be read (%v): pack the zip again", f.Name, err)
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, fmt.Errorf("unpack %s: %w", f.Name, err)
	}
	n, err := io.Copy(out, io.LimitReader(rc, remaining+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case n > remaining:
		return n, errZipBomb
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
		return n, apperr.New(apperr.Invalid, "the zip entry %q is damaged (%v): pack the zip again", f.Name, err)
	case err != nil:
		return n, fmt.Errorf("unpack %s: %w", f.Name, err)
	}
	return n, nil
}

var errZipBomb = apperr.New(apperr.Invalid, "the zip expands to more than its entries declare: refused as a possible zip bomb")

func zipTooLarge(lim ZipLimits) error {
	return apperr.New(apperr.TooLarge, "the zip expands to more than %d MB, the limit for unpacked uploads: upload the data set in parts", lim.MaxBytes>>20)
}

// pickDataset chooses the data set among the files of a zip: the only one, or the one named by
// layer (its file name without extension).
func pickDataset(files []string, layer string) (string, error) {
	var sets []string
	for _, f := range files {
		if datasetExts[strings.ToLower(filepath.Ext(f))] {
			sets = append(sets, f)
		}
	}
	if layer != "" {
		i := slices.IndexFunc(sets, func(f string) bool {
			return strings.EqualFold(strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), layer)
		})
		if i >= 0 {
			return sets[i], nil
		}
	}
	switch len(sets) {
	case 0:
		return "", apperr.New(apperr.Invalid, "the zip holds no data set: put a shapefile (.shp with .shx, .dbf and .prj), a GeoPackage or another supported file in it")
	case 1:
		return sets[0], nil
	}
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = filepath.Base(s)
	}
	return "", apperr.New(apperr.Invalid, "the zip holds %d data sets (%s): upload one at a time, or name one with layer=<file name without extension>", len(sets), strings.Join(names, ", "))
}
