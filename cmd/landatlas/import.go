package main

import (
	"bufio"
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
	"golang.org/x/term"

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

const importUsage = `usage: landatlas import --district AGS [--mode upsert|replace] [--crs EPSG:25833] [--dry-run] [--confirm-ended N] FILE
       landatlas import --apply UPLOAD_ID [--confirm-ended N]
       landatlas import --revert UPLOAD_ID [--dry-run]

Reads a district's parcel file (GeoJSON, GeoJSON sequence, zipped Shapefile, GeoPackage, CSV,
KML, GML, FlatGeobuf, DXF), checks it, shows the report and what would change, and publishes it
in one transaction unless there are errors or --dry-run is given. --apply publishes an upload
that was checked before (a dry run, or one made through the API). A publication that would end
more than 10 parcels or more than 10 % of the district's current parcels asks for their number at
the terminal, or takes it as --confirm-ended N. --revert undoes a publication: every parcel it
touched gets its state from before it (--dry-run shows what would change).
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
	revertID := fs.Int64("revert", 0, "revert the published upload with this id")
	confirmEnded := fs.Int("confirm-ended", 0, "the number of parcels the publication ends, when it ends many (else asked at the terminal)")
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
	by := *label
	if by == "" {
		by = "landatlas import"
		if u, err := user.Current(); err == nil {
			by += " (" + u.Username + ")"
		}
	}
	if *revertID != 0 {
		return revertUpload(ctx, uploads, *revertID, by, *dryRun, out)
	}
	if *applyID != 0 {
		return applyUpload(ctx, uploads, *applyID, *confirmEnded, stderr, out)
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
	return applyUpload(ctx, uploads, up.ID, *confirmEnded, stderr, out)
}

// applyUpload publishes a checked upload. When it ends many parcels and the number was not given
// with --confirm-ended, a person at a terminal is asked to type it.
func applyUpload(ctx context.Context, uploads store.Uploads, id int64, confirmEnded int, stderr io.Writer, out reportPrinter) error {
	checked, err := uploads.Get(ctx, id)
	if err != nil {
		return err
	}
	var planned upload.Preview
	_ = json.Unmarshal(checked.Preview, &planned)
	if planned.ConfirmEnded && confirmEnded == 0 && term.IsTerminal(int(os.Stdin.Fd())) {
		if confirmEnded, err = askEndings(os.Stdin, stderr, planned); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "applying upload %d in one transaction\n", id)
	u, err := uploads.Apply(ctx, id, nil, confirmEnded)
	if apperr.KindOf(err) == apperr.Conflict && planned.ConfirmEnded && confirmEnded != planned.Ended {
		return fmt.Errorf("upload %d not applied: %w (command line: --confirm-ended %d)", id, err, planned.Ended)
	}
	if err != nil {
		return fmt.Errorf("upload %d not applied: %w", id, err)
	}
	var p upload.Preview
	_ = json.Unmarshal(u.Preview, &p)
	fmt.Fprintf(out.w, "\napplied upload %d: %d new, %d changed, %d ended parcels of %s\n", id, p.New, p.Changed, p.Ended, u.DistrictAGS)
	return nil
}

// askEndings names the parcels a publication would end and asks for their number.
func askEndings(in io.Reader, w io.Writer, p upload.Preview) (int, error) {
	fmt.Fprintf(w, "\nThis publication ENDS %d of the district's %d current parcels, among them:\n", p.Ended, p.Current)
	for i, e := range p.EndedList {
		if i == 5 {
			break
		}
		fmt.Fprintf(w, "  %s %s\n", e.ExternalID, e.Name)
	}
	fmt.Fprintf(w, "Type the number of parcels to end (%d) to publish, anything else to stop: ", p.Ended)
	line, _ := bufio.NewReader(in).ReadString('\n')
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || n != p.Ended {
		return 0, fmt.Errorf("not published: %q is not %d", strings.TrimSpace(line), p.Ended)
	}
	return n, nil
}

// revertUpload undoes a publication, or with dryRun shows what undoing it would change.
func revertUpload(ctx context.Context, uploads store.Uploads, id int64, by string, dryRun bool, out reportPrinter) error {
	plan, err := uploads.RevertPlan(ctx, id)
	if err != nil {
		return fmt.Errorf("upload %d cannot be reverted: %w", id, err)
	}
	p := plan.Preview
	fmt.Fprintf(out.w, "reverting upload %d re-opens %d, restores %d and ends %d parcels\n", id, p.New, p.Changed, p.Ended)
	for _, c := range plan.Conflicts {
		what := "a change without upload"
		if c.UploadID != nil {
			what = fmt.Sprintf("upload %d", *c.UploadID)
		}
		fmt.Fprintf(out.w, "  in the way: %s by %s at %s (%d parcels)\n", what, c.By, c.At.Format(time.RFC3339), c.Parcels)
	}
	if dryRun {
		fmt.Fprintf(out.w, "dry run: nothing was reverted\n")
		return nil
	}
	r, err := uploads.Revert(ctx, id, nil, by)
	if err != nil {
		return fmt.Errorf("upload %d not reverted: %w", id, err)
	}
	fmt.Fprintf(out.w, "reverted upload %d as upload %d\n", id, r.ID)
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
