package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"

	"landatlas/internal/parcel"
	"landatlas/internal/store"
)

const layerUsage = `usage: landatlas layer load --kind KIND [--severity minor|severe] [flags] FILE

Loads a constraint layer (kind: %s; needs --severity)
or an infrastructure layer (kind: %s) from any file ogr2ogr reads
(Shapefile, GeoPackage, GeoJSON, ...). The parcels' constraint overlay and distances follow at once.
`

// runLayer loads constraint and infrastructure layers until the upload pipeline takes them: the
// file goes through ogr2ogr to WGS84 GeoJSON features, which PostGIS makes valid and stores in
// EPSG:25832.
func runLayer(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := fmt.Sprintf(layerUsage, strings.Join(parcel.ConstraintKinds().Values(), ", "), strings.Join(parcel.InfrastructureKinds().Values(), ", "))
	if len(args) == 0 || args[0] != "load" {
		fmt.Fprint(stderr, usage)
		return errors.New("layer: give the subcommand load")
	}
	fs := flag.NewFlagSet("layer load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	url := fs.String("database-url", getenv("LANDATLAS_DATABASE_URL"), "PostgreSQL URL (LANDATLAS_DATABASE_URL)")
	kind := fs.String("kind", "", "constraint or infrastructure kind")
	severity := fs.String("severity", "", "severity of a constraint layer: minor or severe")
	nameField := fs.String("name-field", "", "attribute holding each feature's name (default: name, NAME, Name, bezeichnung)")
	refField := fs.String("ref-field", "", "attribute holding an infrastructure reference, e.g. the motorway")
	source := fs.String("source", "", "source named with every record (default: the file name)")
	srcSRS := fs.String("s_srs", "", "CRS of the file when it does not say, e.g. EPSG:31468")
	replace := fs.Bool("replace", false, "first remove the kind's records of the same source")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("layer load: give exactly one FILE")
	}
	file := fs.Arg(0)
	constraint := parcel.ConstraintKinds().Has(*kind)
	switch {
	case !constraint && !parcel.InfrastructureKinds().Has(*kind):
		return fmt.Errorf("--kind %q: use a constraint kind (%s) or an infrastructure kind (%s)", *kind,
			strings.Join(parcel.ConstraintKinds().Values(), ", "), strings.Join(parcel.InfrastructureKinds().Values(), ", "))
	case constraint && !parcel.Severities().Has(*severity):
		return fmt.Errorf("--severity: a constraint layer needs minor or severe")
	case !constraint && *severity != "":
		return fmt.Errorf("--severity: infrastructure has no severity")
	}
	if *source == "" {
		*source = filepath.Base(file)
	}
	features, err := readLayer(ctx, file, *srcSRS, *kind, *nameField, *refField)
	if err != nil {
		return err
	}
	db, err := openCurrentDB(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	layers := store.Layers{DB: db}
	var removed, loaded int64
	if constraint {
		removed, loaded, err = layers.LoadConstraints(ctx, *kind, *severity, *source, *replace, features)
	} else {
		removed, loaded, err = layers.LoadInfrastructure(ctx, *kind, *source, *replace, features)
	}
	if err != nil {
		return err
	}
	detail := map[string]any{"file": file, "source": *source, "severity": *severity, "removed": removed, "loaded": loaded}
	if err := (store.Accounts{DB: db}).Audit(ctx, nil, "layer.load", *kind, detail); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d features read, %d records removed, %d loaded (source %q)\n", *kind, len(features), removed, loaded, *source)
	return nil
}

// readLayer converts a file to WGS84 GeoJSON features with ogr2ogr and reads their names.
func readLayer(ctx context.Context, file, srcSRS, kind, nameField, refField string) ([]store.LayerFeature, error) {
	args := []string{"-f", "GeoJSONSeq", "/vsistdout/", file, "-t_srs", "EPSG:4326"}
	if srcSRS != "" {
		args = append(args, "-s_srs", srcSRS)
	}
	cmd := exec.CommandContext(ctx, "ogr2ogr", args...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run ogr2ogr (install gdal-bin): %w", err)
	}
	var features []store.LayerFeature
	seen := map[string]int{}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		line := bytes.TrimLeft(sc.Bytes(), "\x1e") // RS of GeoJSON text sequences
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var f struct {
			Properties map[string]any  `json:"properties"`
			Geometry   json.RawMessage `json:"geometry"`
		}
		if err := json.Unmarshal(line, &f); err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			continue
		}
		name := property(f.Properties, nameField, "name", "NAME", "Name", "bezeichnung", "BEZEICHNUNG")
		if name == "" {
			name = fmt.Sprintf("%s %d", kind, len(features)+1)
		}
		// Infrastructure names are unique per kind: a repeated name gets a number.
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s (%d)", name, seen[name])
		}
		features = append(features, store.LayerFeature{Name: name, Ref: property(f.Properties, refField), Geometry: f.Geometry})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("ogr2ogr %s: %w: %s", file, err, strings.TrimSpace(errOut.String()))
	}
	if len(features) == 0 {
		return nil, fmt.Errorf("%s: no features with a geometry", file)
	}
	return features, nil
}

// property returns the first of the named attributes that is set, as text.
func property(props map[string]any, names ...string) string {
	for _, n := range names {
		if n == "" {
			continue
		}
		if v, ok := props[n]; ok && v != nil {
			return strings.TrimSpace(fmt.Sprint(v))
		}
	}
	return ""
}
