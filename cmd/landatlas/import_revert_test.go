package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"landatlas/internal/pgtest"
)

func TestImportRevertUndoesAPublicationAndAsksForManyEndings(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	dir := t.TempDir()
	env := map[string]string{"LANDATLAS_DATABASE_URL": db.URL}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()
	var out, errs bytes.Buffer
	if err := run(ctx, []string{"landatlas", "import", "--district", "15088", writeParcels(t, db, dir, "a.geojson", []int{0, 1, 2}, "angeboten")}, getenv, &out, &errs); err != nil {
		t.Fatalf("first import: %v\n%s", err, errs.String())
	}

	// A full data set of one parcel ends two of three: without the number nothing is published.
	full := writeParcels(t, db, dir, "b.geojson", []int{0}, "vermarktet")
	out.Reset()
	err := run(ctx, []string{"landatlas", "import", "--district", "15088", "--mode", "replace", full}, getenv, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "--confirm-ended 2") {
		t.Fatalf("replace ending 2 of 3 without --confirm-ended: %v, want a refusal naming --confirm-ended 2", err)
	}
	out.Reset()
	if err := run(ctx, []string{"landatlas", "import", "--district", "15088", "--mode", "replace", "--confirm-ended", "2", full}, getenv, &out, &errs); err != nil {
		t.Fatalf("replace with --confirm-ended 2: %v", err)
	}
	id := regexp.MustCompile(`applied upload (\d+)`).FindStringSubmatch(out.String())[1]

	out.Reset()
	if err := run(ctx, []string{"landatlas", "import", "--revert", id, "--dry-run"}, getenv, &out, &errs); err != nil || !strings.Contains(out.String(), "re-opens 2, restores 1 and ends 0") {
		t.Fatalf("revert --dry-run: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"landatlas", "import", "--revert", id}, getenv, &out, &errs); err != nil || !strings.Contains(out.String(), "reverted upload "+id) {
		t.Fatalf("revert: %v\n%s", err, out.String())
	}
	var current, offered int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'offered') FROM parcels WHERE ended_at IS NULL`).Scan(&current, &offered); err != nil {
		t.Fatal(err)
	}
	if current != 3 || offered != 3 {
		t.Errorf("after the revert %d current parcels, %d offered; want 3 and 3", current, offered)
	}
}
