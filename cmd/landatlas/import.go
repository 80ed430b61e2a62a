package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"landatlas/internal/apperr"
	"landatlas/internal/httpapi"
	"landatlas/internal/importer"
	"landatlas/internal/region"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// uploadFlags registers the limits of uploads on fs (LANDATLAS_UPLOAD_MAX_MB and friends); the
// returned function checks them once fs is parsed. LANDATLAS_TEST_APPLY_DELAY has no flag: it
// holds every apply transaction open for that long before committing, so that the crash test
// can kill the process inside one. Nobody sets it in operation.
func uploadFlags(fs *flag.FlagSet, getenv func(string) string) func() (httpapi.UploadConfig, error) {
	maxMB := fs.String("upload-max-mb", envOr(getenv, "LANDATLAS_UPLOAD_MAX_MB", "256"), "largest upload in MB (LANDATLAS_UPLOAD_MAX_MB)")
	maxFeatures := fs.String("upload-max-features", envOr(getenv, "LANDATLAS_UPLOAD_MAX_FEATURES", strconv.Itoa(importer.DefaultMaxFeatures)),
		"most features an uploaded file may hold (LANDATLAS_UPLOAD_MAX_FEATURES)")
	gdalTimeout := fs.String("gdal-timeout", envOr(getenv, "LANDATLAS_GDAL_TIMEOUT", importer.DefaultGDALTimeout.String()),
		"longest a GDAL run on an upload may take, e.g. 10m (LANDATLAS_GDAL_TIMEOUT)")
	return func() (httpapi.UploadConfig, error) {
		var c httpapi.UploadConfig
		mb, err := strconv.Atoi(*maxMB)
		if err != nil || mb < 1 {
			return c, fmt.Errorf("LANDATLAS_UPLOAD_MAX_MB %q: give a whole number of megabytes, at least 1", *maxMB)
		}
		c.MaxBytes = int64(mb) << 20
		if c.MaxFeatures, err = strconv.Atoi(*maxFeatures); err != nil || c.MaxFeatures < 1 {
			return c, fmt.Errorf("LANDATLAS_UPLOAD_MAX_FEATURES %q: give a whole number, at least 1", *maxFeatures)
		}
		if c.GDALTimeout, err = time.ParseDuration(*gdalTimeout); err != nil || c.GDALTimeout <= 0 {
			return c, fmt.Errorf("LANDATLAS_GDAL_TIMEOUT %q: give a duration such as 10m or 90s", *gdalTimeout)
		}
		if v := getenv("LANDATLAS_TEST_APPLY_DELAY"); v != "" {
			if c.ApplyDelay, err = time.ParseDuration(v); err != nil {
				return c, fmt.Errorf("LANDATLAS_TEST_APPLY_DELAY %q: give a duration such as 10s", v)
			}
		}
		return c, nil
	}
}

const importUsage = `usage: landatlas import --district AGS [--mode upsert|replace] [--crs EPSG:25833] [--dry-run] FILE
       landatlas import --apply UPLOAD_ID

Reads a district's parcel file (GeoJSON, GeoJSON sequence, zipped Shapefile, GeoPackage, CSV,
KML, GML, FlatGeobuf, DXF), checks it, shows the report and what would change, and publishes it
in one transaction unless there are errors or --dry-run is given. --apply publishes an upload
that was checked before (a dry run, or one made through the API).
`

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importUsage); fs.PrintDefaults() }
	url := fs.String("database-url", getenv("LANDATLAS_DATABASE_URL"), "PostgreSQL URL (LANDATLAS_DATABASE_URL)")
	district := fs.String("district", "", "AGS of the district the file is for, e.g. 15088 (Saalekreis)")
	modeName := fs.String("mode", "upsert", "upsert: only the parcels in the file; replace: the file is the district's full data set, parcels missing from it are ended")
	crsName := fs.String("crs", "", "CRS of the coordinates, e.g. EPSG:25833; overrides what the file says")
	layer := fs.String("layer", "", "layer of a file with several, or data set of a zip with several")
	mappingFile := fs.String("mapping", "", "JSON file with this file's column names and code values (added to the district's saved mapping)")
	label := fs.String("label", "", "who the changes are recorded as (default: landatlas import and your user name)")
	dryRun := fs.Bool("dry-run", false, "check and preview only; publish nothing")
	applyID := fs.Int64("apply", 0, "publish the checked upload with this id")
	lang := fs.String("lang", "en", "language of the messages: en or de")
	verbose := fs.Bool("verbose", false, "log how long each step took")
	limits := uploadFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	lim, err := limits()
	if err != nil {
		return err
	}
	if *lang != "en" && *lang != "de" {
		return fmt.Errorf("--lang %q: use en or de", *lang)
	}
	db, err := openCurrentDB(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	uploads := store.Uploads{DB: db, ApplyDelay: lim.ApplyDelay}
	out := reportPrinter{w: stdout, de: *lang == "de"}
	if *applyID != 0 {
		return applyUpload(ctx, uploads, *applyID, stderr, out)
	}

	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give one FILE to import")
	}
	path := fs.Arg(0)
	if _, ok := region.DistrictByAGS(*district); !ok {
		return fmt.Errorf("--district %q: give the AGS of one of the nine districts, e.g. 15088 for Saalekreis", *district)
	}
	mode, ok := upload.ParseMode(*modeName)
	if !ok {
		return fmt.Errorf("--mode %q: use upsert or replace", *modeName)
	}
	crs := 0
	if *crsName != "" {
		if crs, err = upload.ParseCRS(*crsName); err != nil {
			return fmt.Errorf("--crs: %w", err)
		}
	}
	var mapping upload.Mapping
	if *mappingFile != "" {
		b, err := os.ReadFile(*mappingFile)
		if err != nil {
			return fmt.Errorf("--mapping: %w", err)
		}
		if mapping, err = upload.ParseMapping(b); err != nil {
			return fmt.Errorf("--mapping %s: %w%s", *mappingFile, err, fieldProblems(err))
		}
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	by := *label
	if by == "" {
		by = "landatlas import"
		if u, err := user.Current(); err == nil {
			by += " (" + u.Username + ")"
		}
	}
	up, err := uploads.Create(ctx, store.NewUpload{DistrictAGS: *district, ChangedBy: by, Mode: mode,
		Filename: filepath.Base(path), CRSParam: crs, Layer: *layer, Mapping: mapping})
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	svc := importer.New(importer.Config{Uploads: uploads, MaxFeatures: lim.MaxFeatures, GDALTimeout: lim.GDALTimeout,
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))})
	bar := newImportBar(stderr)
	up, err = svc.Process(ctx, up, path, bar.update)
	_ = bar.Finish()
	if err != nil {
		return fmt.Errorf("upload %d failed: %w", up.ID, err)
	}
	out.upload(up)
	var rep upload.Report
	_ = json.Unmarshal(up.Report, &rep)
	switch {
	case up.Status == upload.Invalid:
		return fmt.Errorf("upload %d has %d error(s): nothing was published; correct the file and import it again", up.ID, rep.Errors)
	case *dryRun:
		fmt.Fprintf(stdout, "\ndry run: nothing was published. Publish exactly this preview with: landatlas import --apply %d\n", up.ID)
		return nil
	}
	return applyUpload(ctx, uploads, up.ID, stderr, out)
}

func applyUpload(ctx context.Context, uploads store.Uploads, id int64, stderr io.Writer, out reportPrinter) error {
	fmt.Fprintf(stderr, "applying upload %d in one transaction\n", id)
	u, err := uploads.Apply(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("upload %d not applied: %w", id, err)
	}
	var p upload.Preview
	_ = json.Unmarshal(u.Preview, &p)
	fmt.Fprintf(out.w, "\napplied upload %d: %d new, %d changed, %d ended parcels of %s\n", id, p.New, p.Changed, p.Ended, u.DistrictAGS)
	return nil
}

// fieldProblems lists the field-level problems of an error, one a line.
func fieldProblems(err error) string {
	var b strings.Builder
	var e *apperr.Error
	if errors.As(err, &e) {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "\n  %s: %s", k, e.Fields[k])
		}
	}
	return b.String()
}

// importBar shows the progress of reading and checking on stderr.
type importBar struct {
	*progressbar.ProgressBar
	phase upload.Status
}

func newImportBar(w io.Writer) *importBar {
	return &importBar{ProgressBar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("reading"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())}
}

func (b *importBar) update(p upload.Progress) {
	switch p.Phase {
	case upload.Reading:
		if b.phase != upload.Reading {
			b.Describe("reading features")
		}
		total := -1 // unknown in advance: a spinner with the count
		if p.Total > 0 {
			total = p.Total
		}
		if b.GetMax() != total {
			b.ChangeMax(total)
		}
		_ = b.Set(p.Read)
	case upload.Checking:
		if b.phase != upload.Checking {
			b.Describe("checking geometry")
			b.ChangeMax(max(p.Read, 1))
		}
		_ = b.Set(p.Validated)
	}
	b.phase = p.Phase
}
