package demo

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The tests run on the real boundaries and junctions committed in geodata/.
const (
	municipalitiesFile = "../../geodata/municipalities.geojson"
	junctionsFile      = "../../geodata/infrastructure_manual.csv"
)

// testNow is the "today" of the tests: early 2026, so 2025 is the last full year of history.
var testNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

var loadFixtures = sync.OnceValues(func() ([]Municipality, error) {
	data, err := os.ReadFile(municipalitiesFile)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, err
	}
	var munis []Municipality
	for _, f := range fc.Features {
		m := Municipality{
			AGS:         f.Properties.MustString("ags", ""),
			DistrictAGS: f.Properties.MustString("district_ags", ""),
			Name:        f.Properties.MustString("name", ""),
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			m.Geom = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			m.Geom = g
		}
		munis = append(munis, m)
	}
	return munis, nil
})

// municipalities reads the region's 187 municipalities (EPSG:25832).
func municipalities(t testing.TB) []Municipality {
	t.Helper()
	munis, err := loadFixtures()
	if err != nil {
		t.Fatalf("the tests need the committed boundaries: %v", err)
	}
	if len(munis) != 187 {
		t.Fatalf("%s holds %d municipalities, want 187", municipalitiesFile, len(munis))
	}
	return munis
}

var loadJunctions = sync.OnceValues(func() ([]Junction, error) {
	f, err := os.Open(junctionsFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	var out []Junction
	for _, r := range rows[1:] {
		if r[col["kind"]] != "motorway_junction" {
			continue
		}
		lon, err1 := strconv.ParseFloat(r[col["lon"]], 64)
		lat, err2 := strconv.ParseFloat(r[col["lat"]], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("junction %q: %w", r[col["name"]], err)
		}
		out = append(out, Junction{Name: r[col["name"]], Point: utm32(lon, lat)})
	}
	return out, nil
})

// junctions reads the hand-entered motorway junctions and projects them with utm32.
func junctions(t testing.TB) []Junction {
	t.Helper()
	out, err := loadJunctions()
	if err != nil {
		t.Fatalf("the tests need the committed infrastructure list: %v", err)
	}
	if len(out) < 20 {
		t.Fatalf("only %d motorway junctions in %s", len(out), junctionsFile)
	}
	return out
}

var defaultDataset = sync.OnceValues(func() (*Dataset, error) {
	munis, err := loadFixtures()
	if err != nil {
		return nil, err
	}
	junctions, err := loadJunctions()
	if err != nil {
		return nil, err
	}
	return Generate(munis, junctions, Options{Seed: 1, Now: testNow})
})

// generated returns the default-size data set of seed 1, made once for all tests.
func generated(t testing.TB) *Dataset {
	t.Helper()
	municipalities(t)
	junctions(t)
	d, err := defaultDataset()
	if err != nil {
		t.Fatal(err)
	}
	return d
}
