package ogcapi_test

import (
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// GDAL's OAPIF driver (Debian gdal-bin) is a real client: it must list, copy and filter.

func gdalTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: the OGC client checks need GDAL (Debian gdal-bin; make deps installs it)", name)
	}
	cmd := exec.CommandContext(t.Context(), path, args...)
	cmd.Env = append(cmd.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_CURL_VERBOSE=NO")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestGDALListsEveryCollection(t *testing.T) {
	s := newServer(t)
	out := gdalTool(t, "ogrinfo", "-ro", "-so", "OAPIF:"+s.url)
	for i, id := range []string{"parcels", "sites", "districts", "municipalities", "infrastructure", "constraints"} {
		if !strings.Contains(out, strconv.Itoa(i+1)+": "+id+" ") {
			t.Errorf("ogrinfo does not list %s:\n%s", id, out)
		}
	}
	out = gdalTool(t, "ogrinfo", "-ro", "-so", "OAPIF:"+s.url, "parcels")
	if !strings.Contains(out, "Feature Count: "+strconv.Itoa(publicParcels)) || !strings.Contains(out, "net_area_ha: Real") {
		t.Errorf("ogrinfo parcels:\n%s", out)
	}
}

func TestGDALCopiesParcelsAcrossPages(t *testing.T) {
	s := newServer(t)
	gpkg := filepath.Join(t.TempDir(), "parcels.gpkg")
	// GDAL 3.6 keeps the layer in CRS84; the copy is projected back to the storage CRS to
	// compare areas.
	gdalTool(t, "ogr2ogr", "-f", "GPKG", gpkg, "OAPIF:"+s.url, "parcels", "-oo", "PAGE_SIZE=7", "-t_srs", "EPSG:25832")
	pages := s.seen("/ogcapi/collections/parcels/items")
	cursors := 0
	for _, q := range pages {
		if q.Get("cursor") != "" {
			cursors++
		}
	}
	if cursors < 4 {
		t.Errorf("ogr2ogr followed %d next links for %d parcels at 7 per page, want at least 4", cursors, publicParcels)
	}
	n, net, area := gpkgTotals(t, gpkg)
	var wantNet, wantArea float64
	if err := s.db.Pool.QueryRow(t.Context(), `SELECT sum(net_area_ha), sum(ST_Area(geom)) FROM parcels WHERE publication = 'public' AND ended_at IS NULL`).Scan(&wantNet, &wantArea); err != nil {
		t.Fatal(err)
	}
	if n != publicParcels {
		t.Errorf("the copy has %d parcels, want %d", n, publicParcels)
	}
	if math.Abs(net-wantNet) > 1e-6 {
		t.Errorf("the copy's net area is %.6f ha, the database's %.6f ha", net, wantNet)
	}
	// Coordinates travel as CRS84 with 7 decimals (about 1 cm): the areas agree to 0.01 %.
	if math.Abs(area-wantArea)/wantArea > 1e-4 {
		t.Errorf("the copy's area is %.1f m², the database's %.1f m²", area, wantArea)
	}
}

func TestGDALWhereBecomesACQL2Filter(t *testing.T) {
	s := newServer(t)
	gpkg := filepath.Join(t.TempDir(), "gi.gpkg")
	gdalTool(t, "ogr2ogr", "-f", "GPKG", gpkg, "OAPIF:"+s.url, "parcels", "-oo", "PAGE_SIZE=5", "-where", "use_type = 'GI'")
	var filters []string
	for _, q := range s.seen("/ogcapi/collections/parcels/items") {
		if f := q.Get("filter"); f != "" {
			filters = append(filters, f)
		}
	}
	if len(filters) == 0 || !strings.Contains(filters[0], "use_type") {
		t.Fatalf("no request carried the -where as a filter parameter: %v", s.seen("/ogcapi/collections/parcels/items"))
	}
	n, _, _ := gpkgTotals(t, gpkg)
	if want := s.count(`SELECT count(*) FROM parcels WHERE publication = 'public' AND use_type = 'GI'`); n != want || want == 0 {
		t.Errorf("the filtered copy has %d parcels, want %d", n, want)
	}
}

var gpkgValue = regexp.MustCompile(`(?m)^\s+(n|net|area) \((?:Integer|Integer64|Real)\) = ([0-9.e+-]+)$`)

// gpkgTotals counts the parcels of a GeoPackage and sums their net and geometric areas.
func gpkgTotals(t *testing.T, gpkg string) (n int, net, area float64) {
	t.Helper()
	out := gdalTool(t, "ogrinfo", "-ro", "-q", gpkg, "-dialect", "SQLite", "-sql",
		"SELECT count(*) AS n, sum(net_area_ha) AS net, sum(ST_Area(geom)) AS area FROM parcels")
	for _, m := range gpkgValue.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		switch m[1] {
		case "n":
			n = int(v)
		case "net":
			net = v
		case "area":
			area = v
		}
	}
	return n, net, area
}
