package demo

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// The tests run on the real boundaries and junctions committed in geodata/.
const (
	municipalitiesFile = "../../geodata/municipalities.geojson"
	infrastructureFile = "../../geodata/infrastructure.geojson"
	manualFile         = "../../geodata/infrastructure_manual.csv"
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
	data, err := os.ReadFile(infrastructureFile)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, err
	}
	var out []Junction
	for _, f := range fc.Features {
		if p, ok := f.Geometry.(orb.Point); ok && f.Properties.MustString("kind", "") == "motorway_junction" {
			out = append(out, Junction{Name: f.Properties.MustString("name", ""), Point: p})
		}
	}
	return out, nil
})

// junctions reads the motorway junctions (EPSG:25832), as Inputs would from the database.
func junctions(t testing.TB) []Junction {
	t.Helper()
	out, err := loadJunctions()
	if err != nil {
		t.Fatalf("the tests need the committed infrastructure list: %v", err)
	}
	if len(out) < 20 {
		t.Fatalf("only %d motorway junctions in %s", len(out), infrastructureFile)
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
