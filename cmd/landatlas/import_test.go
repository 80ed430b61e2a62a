package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"landatlas/internal/pgtest"
)

// writeParcels writes a GeoJSON file of parcels SK-i of Saalekreis for the given i: squares of 80 m
// in a row inside its largest municipality, all with the given status.
func writeParcels(t *testing.T, db *pgtest.DB, dir, name string, ids []int, status string) string {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `
		WITH c AS (SELECT ST_PointOnSurface(geom) p FROM municipalities WHERE district_ags = '15088' ORDER BY ST_Area(geom) DESC LIMIT 1)
		SELECT i, ST_AsGeoJSON(ST_MakeEnvelope(ST_X(p) + 200 * i, ST_Y(p), ST_X(p) + 200 * i + 80, ST_Y(p) + 80, 25832), 3)
		FROM c, unnest($1::int[]) i`, ids)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var features []string
	for rows.Next() {
		var i int
		var g string
		if err := rows.Scan(&i, &g); err != nil {
			t.Fatal(err)
		}
		features = append(features, fmt.Sprintf(`{"type":"Feature","geometry":%s,"properties":{"kennung":"SK-%d",
			"nutzungsart":"GI","planungsrecht":"B-Plan rechtskräftig","verfuegbarkeit":"sofort","status":%q,
			"potenzialart":"Brachfläche","oeffentlich":"ja"}}`, g, i, status))
	}
	path := filepath.Join(dir, name)
	body := `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:25832"}},"features":[` + strings.Join(features, ",") + `]}`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommandReportsPreviewsAndApplies(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	dir := t.TempDir()
	env := map[string]string{"LANDATLAS_DATABASE_URL": db.URL}
	getenv := func(k string) string { return env[k] }
	file := writeParcels(t, db, dir, "flaechen.geojson", []int{0, 1, 2}, "angeboten")

	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"landatlas", "import", "--district", "15088", "--dry-run", file}, getenv, &out, &errs)
	if err != nil {
		t.Fatalf("import --dry-run: %v\n%s", err, errs.String())
	}
	for _, want := range []string{"3 features", "kennung → external_id", "0 error(s)", "preview (upsert): 3 new", "SK-0", "landatlas import --apply"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
	var parcels int
	db.QueryRow(t, `SELECT count(*) FROM parcels`).Scan(&parcels)
	if parcels != 0 {
		t.Fatalf("a dry run published %d parcels", parcels)
	}
	id := regexp.MustCompile(`--apply (\d+)`).FindStringSubmatch(out.String())[1]
	out.Reset()
	if err := run(context.Background(), []string{"landatlas", "import", "--apply", id}, getenv, &out, &errs); err != nil {
		t.Fatalf("import --apply %s: %v", id, err)
	}
	db.QueryRow(t, `SELECT count(*) FROM parcels`).Scan(&parcels)
	if parcels != 3 || !strings.Contains(out.String(), "3 new") {
		t.Fatalf("after --apply: %d parcels, output %q", parcels, out.String())
	}

	bad := filepath.Join(dir, "bad.geojson")
	b, _ := os.ReadFile(file)
	os.WriteFile(bad, bytes.Replace(b, []byte(`"status":"angeboten"`), []byte(`"status":"irgendwie"`), 1), 0o644)
	out.Reset()
	err = run(context.Background(), []string{"landatlas", "import", "--district", "15088", "--lang", "de", bad}, getenv, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "nothing was published") || !strings.Contains(out.String(), "ist kein bekannter Wert") {
		t.Errorf("import of a file with an unknown status: %v\n%s", err, out.String())
	}
}

// landatlasBinary returns the binary under test: LANDATLAS_BIN (make test builds it), or one built
// for this test.
func landatlasBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("LANDATLAS_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "landatlas")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestKilledApplyLeavesTheOldStateAndApplyAgainTheNew kills the real binary with SIGKILL inside
// its apply transaction, after it wrote every change and before it committed (the test holds the
// transaction open with LANDATLAS_TEST_APPLY_DELAY and waits until PostgreSQL shows it idle in
// transaction). The district must be exactly as before; applying the same upload again must give
// the new state whole.
func TestKilledApplyLeavesTheOldStateAndApplyAgainTheNew(t *testing.T) {
	bin := landatlasBinary(t)
	db := pgtest.New(t, pgtest.Reference)
	dir := t.TempDir()
	ctx := context.Background()
	env := append(os.Environ(), "LANDATLAS_DATABASE_URL="+db.URL)
	landatlas := func(extraEnv []string, args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(env, extraEnv...)
		return cmd
	}

	if out, err := landatlas(nil, "import", "--district", "15088", writeParcels(t, db, dir, "v1.geojson", []int{0, 1, 2, 3}, "angeboten")).CombinedOutput(); err != nil {
		t.Fatalf("first import: %v\n%s", err, out)
	}
	type snapshot struct {
		parcels string
		history int
	}
	snap := func() snapshot {
		var s snapshot
		err := db.Pool.QueryRow(ctx, `SELECT (SELECT md5(string_agg(p::text, '|' ORDER BY id)) FROM parcels p),
			(SELECT count(*) FROM parcel_history)`).Scan(&s.parcels, &s.history)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	old := snap()

	// v2, a full data set (replace): SK-0..2 sold, SK-3 gone (ended), SK-4 and SK-5 new.
	v2 := writeParcels(t, db, dir, "v2.geojson", []int{0, 1, 2, 4, 5}, "vermarktet")

	cmd := landatlas([]string{"LANDATLAS_TEST_APPLY_DELAY=60s"}, "import", "--district", "15088", "--mode", "replace", "--confirm-ended", "1", v2)
	stderr, _ := cmd.StderrPipe()
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	applying := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Split(scanCROrLF)
		for sc.Scan() {
			if m := regexp.MustCompile(`applying upload (\d+)`).FindStringSubmatch(sc.Text()); m != nil {
				applying <- m[1]
			}
		}
	}()
	var id string
	select {
	case id = <-applying:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the import did not start applying within 60 s:\n%s", stdout.String())
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var waiting bool
		db.QueryRow(t, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
			AND application_name = 'landatlas' AND state = 'idle in transaction' AND pid <> pg_backend_pid())`).Scan(&waiting)
		if waiting {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the apply transaction never waited before its commit")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	if got := snap(); got != old {
		t.Fatalf("after the kill the parcels or their history differ from before: %+v, want %+v", got, old)
	}
	var status string
	db.QueryRow(t, `SELECT status FROM uploads WHERE id = $1`, id).Scan(&status)
	if status != "ready" {
		t.Fatalf("the killed upload is %s, want ready (not applied)", status)
	}

	out, err := landatlas(nil, "import", "--apply", id).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--confirm-ended 1") {
		t.Fatalf("apply of a replace ending 1 of 4 parcels without --confirm-ended: %v\n%s; want a refusal asking for --confirm-ended 1", err, out)
	}
	out, err = landatlas(nil, "import", "--apply", id, "--confirm-ended", "1").CombinedOutput()
	if err != nil {
		t.Fatalf("apply again after the kill: %v\n%s", err, out)
	}
	var current, sold, ended, history int
	err = db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE ended_at IS NULL), count(*) FILTER (WHERE ended_at IS NULL AND status = 'sold'),
		count(*) FILTER (WHERE ended_at IS NOT NULL AND external_id = 'SK-3'), (SELECT count(*) FROM parcel_history) FROM parcels`).
		Scan(&current, &sold, &ended, &history)
	if err != nil {
		t.Fatal(err)
	}
	if current != 5 || sold != 5 || ended != 1 || history != old.history+4 {
		t.Errorf("after applying again: %d current (%d sold), SK-3 ended %d, %d earlier states; want 5 current, all sold, SK-3 ended, %d earlier states",
			current, sold, ended, history, old.history+4)
	}
}

// scanCROrLF splits the progress bar's carriage-return lines as well as ordinary ones.
func scanCROrLF(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
