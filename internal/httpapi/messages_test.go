package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
)

// issueOf returns the first issue of a rule in an upload's report.
func issueOf(t *testing.T, u map[string]any, rule string) map[string]any {
	t.Helper()
	for _, i := range u["report"].(map[string]any)["issues"].([]any) {
		if i.(map[string]any)["rule"] == rule {
			return i.(map[string]any)
		}
	}
	t.Fatalf("no %s issue in %v", rule, u["report"])
	return nil
}

func TestMessagesSayWhatToDo(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, base, tok}
	ctx := context.Background()

	// A bowtie, and a square on the border of two Saalekreis municipalities, in EPSG:25832.
	var x, y float64
	var a, b string
	err := db.Pool.QueryRow(ctx, `
		SELECT ST_X(p), ST_Y(p), m1.name, m2.name FROM municipalities m1
		JOIN municipalities m2 ON m2.district_ags = m1.district_ags AND m2.ags > m1.ags AND ST_Touches(m1.geom, m2.geom)
		CROSS JOIN LATERAL (SELECT ST_LineInterpolatePoint(ST_GeometryN(ST_LineMerge(ST_CollectionExtract(ST_Intersection(m1.geom, m2.geom), 2)), 1), 0.5) AS p) q
		WHERE m1.district_ags = '15088' AND ST_Within(ST_Buffer(p, 300), (SELECT geom FROM districts WHERE ags = '15088'))
		ORDER BY m1.ags, m2.ags LIMIT 1`).Scan(&x, &y, &a, &b)
	if err != nil {
		t.Fatal(err)
	}
	props := `"nutzungsart":"GE","planungsrecht":"rechtskräftig","verfuegbarkeit":"sofort","status":"angeboten","potenzialart":"Baulücke"`
	ring := func(pts ...[2]float64) string {
		var s []string
		for _, p := range append(pts, pts[0]) {
			s = append(s, fmt.Sprintf("[%.1f,%.1f]", p[0], p[1]))
		}
		return "[[" + strings.Join(s, ",") + "]]"
	}
	bx, by := x+3000, y
	file := func(crs string) []byte {
		return []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::` + crs + `"}},"features":[` +
			`{"type":"Feature","properties":{"kennung":"M-1",` + props + `},"geometry":{"type":"Polygon","coordinates":` +
			ring([2]float64{x - 60, y - 60}, [2]float64{x + 60, y - 60}, [2]float64{x + 60, y + 60}, [2]float64{x - 60, y + 60}) + `}},` +
			`{"type":"Feature","properties":{"kennung":"M-2",` + props + `},"geometry":{"type":"Polygon","coordinates":` +
			ring([2]float64{bx - 60, by - 60}, [2]float64{bx + 60, by + 60}, [2]float64{bx + 60, by - 60}, [2]float64{bx - 60, by + 60}) + `}}]}`)
	}

	_, _, hdr := editor.upload(file("25832"), "grenze.geojson", nil)
	u := editor.waitChecked(hdr.Get("Location"))
	bowtie := issueOf(t, u, "geometry.invalid")
	de := bowtie["de"].(string)
	if !strings.HasPrefix(de, "Selbstüberschneidung") || !strings.Contains(de, "nach der Reparatur blieben") {
		t.Errorf("bowtie message %q, want what the repair would keep", de)
	}
	m := regexp.MustCompile(`blieben ([0-9]+),([0-9]) %`).FindStringSubmatch(de)
	if m == nil {
		t.Fatalf("bowtie message %q names no share", de)
	}
	if share, _ := strconv.Atoi(m[1]); share > 100 {
		t.Errorf("bowtie message %q: an absurd share", de)
	}
	border := issueOf(t, u, "geometry.municipality")
	if border["severity"] != "warning" || !strings.Contains(border["de"].(string), a) || !strings.Contains(border["de"].(string), b) {
		t.Errorf("border parcel: %v, want a warning naming %s and %s", border, a, b)
	}

	// The wrong CRS: the message offers the fitting one, with no command-line advice.
	_, _, hdr = editor.upload(file("25833"), "grenze.geojson", nil)
	u = editor.waitChecked(hdr.Get("Location"))
	wrong := issueOf(t, u, "crs.mismatch")
	if wrong["suggest"] != "EPSG:25832" || strings.Contains(wrong["de"].(string), "Kommandozeile") || strings.Contains(wrong["en"].(string), "command line") {
		t.Errorf("wrong CRS: %v, want EPSG:25832 suggested and no command-line advice", wrong)
	}

	// The same file twice: the second has nothing to publish.
	good := parcelsFile(t, db, "15088", 2, "angeboten")
	editor.publish(good, "upsert", 0)
	_, _, hdr = editor.upload(good, "flaechen.geojson", nil)
	u = editor.waitChecked(hdr.Get("Location"))
	p := u["preview"].(map[string]any)
	if p["new"].(float64)+p["changed"].(float64)+p["ended"].(float64) != 0 || p["unchanged"].(float64) != 2 {
		t.Errorf("identical file: preview %v, want nothing to publish", p)
	}
	if code, body, _ := editor.do(http.MethodGet, "/api/v1/uploads?district=15088&limit=1", "", nil); code != http.StatusOK ||
		body["uploads"].([]any)[0].(map[string]any)["preview"].(map[string]any)["unchanged"].(float64) != 2 {
		t.Errorf("the list's counts: %d %v", code, body)
	}
}
