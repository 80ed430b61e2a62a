package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landatlas/internal/apperr"
	"landatlas/internal/importer"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

type parcelState struct {
	ID        int64
	Status    string
	EndedAt   *time.Time
	ValidFrom time.Time
	ChangedBy string
	UploadID  *int64
}

func (h *harness) parcel(t *testing.T, externalID string) parcelState {
	t.Helper()
	var p parcelState
	err := h.db.Pool.QueryRow(context.Background(), `
		SELECT id, status::text, ended_at, valid_from, changed_by, upload_id FROM parcels WHERE external_id = $1`, externalID).
		Scan(&p.ID, &p.Status, &p.EndedAt, &p.ValidFrom, &p.ChangedBy, &p.UploadID)
	if err != nil {
		t.Fatalf("parcel %s: %v", externalID, err)
	}
	return p
}

func (h *harness) versions(t *testing.T, id int64) int {
	t.Helper()
	var n int
	if err := h.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM parcel_versions WHERE id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantPreview(t *testing.T, u store.Upload, new, changed, unchanged, ended int) upload.Preview {
	t.Helper()
	p := preview(t, u)
	if p.New != new || p.Changed != changed || p.Unchanged != unchanged || p.Ended != ended {
		t.Fatalf("upload %d preview: %d new, %d changed, %d unchanged, %d ended; want %d, %d, %d, %d",
			u.ID, p.New, p.Changed, p.Unchanged, p.Ended, new, changed, unchanged, ended)
	}
	return p
}

// TestReplaceUpsertAndReupload walks a district through deliveries: upsert changes what the file
// says and leaves the rest; replace ends the parcels the file lacks, which keep their history;
// the same file again changes nothing; an ended parcel delivered again is current again.
func TestReplaceUpsertAndReupload(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, _ := writeFixture(t, h, dir)
	first := h.apply(t, h.mustImport(t, fixture, importOpts{}))
	created := h.parcel(t, "SK-001")
	if created.ChangedBy != "test" || created.UploadID == nil || *created.UploadID != first.ID {
		t.Fatalf("new parcel recorded as by %q through upload %v, want test and %d", created.ChangedBy, created.UploadID, first.ID)
	}

	fewer := editFixture(t, fixture, "fewer.geojson", func(fs []map[string]any) []map[string]any {
		props(fs[0])["status"] = "vermarktet"
		return fs[:4]
	})
	up := h.mustImport(t, fewer, importOpts{mode: upload.Upsert})
	p := wantPreview(t, up, 0, 1, 3, 0)
	if c := p.Changes[0].Fields["status"]; c.Old != "offered" || c.New != "sold" {
		t.Errorf("preview of the change: %+v, want status offered -> sold", p.Changes[0].Fields)
	}
	h.apply(t, up)
	sold := h.parcel(t, "SK-001")
	if sold.Status != "sold" || sold.ChangedBy != "test" || *sold.UploadID != up.ID || !sold.ValidFrom.After(created.ValidFrom) {
		t.Errorf("after upsert SK-001 is %+v, want sold through upload %d with a new valid_from", sold, up.ID)
	}
	if n := h.versions(t, sold.ID); n != 2 {
		t.Errorf("SK-001 has %d versions after one change, want 2", n)
	}
	if h.parcel(t, "SK-005").EndedAt != nil {
		t.Error("upsert ended SK-005, which the file did not mention")
	}

	replace := h.mustImport(t, fewer, importOpts{mode: upload.Replace})
	p = wantPreview(t, replace, 0, 0, 4, 1)
	if p.EndedList[0].ExternalID != "SK-005" {
		t.Errorf("replace would end %+v, want SK-005", p.EndedList)
	}
	h.apply(t, replace)
	ended := h.parcel(t, "SK-005")
	if ended.EndedAt == nil {
		t.Fatal("replace did not end SK-005")
	}
	var current int
	if err := h.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM parcels_at($1) WHERE external_id = 'SK-005'`,
		ended.EndedAt.Add(-time.Millisecond)).Scan(&current); err != nil || current != 1 {
		t.Errorf("SK-005 just before it was ended: %d rows (%v), want its earlier state from the history", current, err)
	}

	before := h.counts(t)
	again := h.mustImport(t, fewer, importOpts{mode: upload.Replace})
	wantPreview(t, again, 0, 0, 4, 0)
	h.apply(t, again)
	if after := h.counts(t); after != before {
		t.Errorf("re-uploading the same file changed parcels/current/history from %v to %v", before, after)
	}
	if got := h.parcel(t, "SK-001"); !got.ValidFrom.Equal(sold.ValidFrom) || *got.UploadID != up.ID {
		t.Errorf("re-upload touched SK-001: %+v", got)
	}

	back := h.mustImport(t, fixture, importOpts{mode: upload.Upsert})
	p = wantPreview(t, back, 0, 2, 3, 0)
	for _, c := range p.Changes {
		if c.ExternalID == "SK-005" && c.Fields["ended_at"].New != nil {
			t.Errorf("SK-005 delivered again: %+v, want ended_at -> null", c.Fields)
		}
	}
	h.apply(t, back)
	if h.parcel(t, "SK-005").EndedAt != nil {
		t.Error("SK-005 delivered again is still ended")
	}
}

// TestApplyRefusesWhenTheDistrictChangedSincePreview: two uploads previewed against the same
// state; once one is applied, the other is refused with a Conflict asking for a new preview, and
// applies after it.
func TestApplyRefusesWhenTheDistrictChangedSincePreview(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, _ := writeFixture(t, h, dir)
	h.apply(t, h.mustImport(t, fixture, importOpts{}))
	edit := func(name, status string) string {
		return editFixture(t, fixture, name, func(fs []map[string]any) []map[string]any {
			props(fs[0])["status"] = status
			return fs
		})
	}
	a := h.mustImport(t, edit("a.geojson", "reserviert"), importOpts{})
	b := h.mustImport(t, edit("b.geojson", "vermarktet"), importOpts{})
	h.apply(t, b)
	before := h.counts(t)
	_, err := h.uploads.Apply(context.Background(), a.ID, nil, 0)
	if apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("apply of a stale preview: %v, want a Conflict", err)
	}
	if h.counts(t) != before || h.parcel(t, "SK-001").Status != "sold" {
		t.Fatal("the refused apply changed parcels")
	}
	again, err := h.svc.Repreview(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := preview(t, again).Changes; len(c) != 1 || c[0].Fields["status"].Old != "sold" {
		t.Fatalf("new preview: %+v, want status sold -> reserved", c)
	}
	h.apply(t, again)
	if got := h.parcel(t, "SK-001").Status; got != "reserved" {
		t.Errorf("after the new preview was applied SK-001 is %s, want reserved", got)
	}
	if _, err := h.uploads.Apply(context.Background(), again.ID, nil, 0); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("second apply of the same upload: %v, want a Conflict", err)
	}
}

// TestUploadsOfOneDistrictAreSerialized: an apply waits for the district's lock, while an upload
// of another district proceeds.
func TestUploadsOfOneDistrictAreSerialized(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	saale, _ := writeFixture(t, h, dir)
	leipzig, _ := writeFixtureIn(t, h, dir, "14713")
	s := h.mustImport(t, saale, importOpts{})
	l := h.mustImport(t, leipzig, importOpts{district: "14713"})

	ctx := context.Background()
	holder, err := h.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(ctx)
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_xact_lock(7342005, 15088)`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := h.uploads.Apply(ctx, s.ID, nil, 0)
		done <- err
	}()
	if _, err := h.uploads.Apply(ctx, l.ID, nil, 0); err != nil {
		t.Fatalf("Leipzig's upload waited for Saalekreis's lock or failed: %v", err)
	}
	select {
	case err := <-done:
		t.Fatalf("Saalekreis's apply did not wait for the district's lock (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	holder.Rollback(ctx)
	if err := <-done; err != nil {
		t.Fatalf("Saalekreis's apply after the lock was released: %v", err)
	}
}

// TestParcelHistoryShowsWhoChangedWhat: the versions of a changed parcel name who made each,
// through which upload, and each changed field; the public sees public fields of public parcels only.
func TestParcelHistoryShowsWhoChangedWhat(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	fixture, _ := writeFixture(t, h, dir)
	first := h.apply(t, h.mustImport(t, fixture, importOpts{}))
	changed := editFixture(t, fixture, "changed.geojson", func(fs []map[string]any) []map[string]any {
		props(fs[0])["status"] = "reserviert"
		props(fs[0])["eigentum"] = "privat"
		return fs
	})
	second := h.apply(t, h.mustImport(t, changed, importOpts{}))
	history := store.ParcelHistory{DB: h.db.Pool}
	id := h.parcel(t, "SK-001").ID

	internal, err := history.Versions(context.Background(), id, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(internal) != 2 {
		t.Fatalf("%d versions, want 2", len(internal))
	}
	v1, v2 := internal[0], internal[1]
	if *v1.UploadID != first.ID || *v2.UploadID != second.ID || v2.ChangedBy != "test" || v1.ValidTo == nil || !v1.ValidTo.Equal(v2.ValidFrom) {
		t.Errorf("versions %+v / %+v: want uploads %d then %d, the first ending when the second starts", v1, v2, first.ID, second.ID)
	}
	if c := v2.Changes; len(c) != 2 || c["status"].Old != "offered" || c["status"].New != "reserved" || c["ownership"].New != "private" {
		t.Errorf("second version's changes %+v, want status offered -> reserved and ownership municipal -> private", c)
	}

	public, err := history.Versions(context.Background(), id, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(public) != 2 || public[1].ChangedBy != "" || public[1].UploadID != nil {
		t.Fatalf("public history %+v: want 2 versions without who and which upload", public)
	}
	if _, leaked := public[1].Changes["ownership"]; leaked || public[1].Changes["status"].New != "reserved" {
		t.Errorf("public sees changes %+v: want status, not the internal ownership", public[1].Changes)
	}
	internalParcel := h.parcel(t, "SK-002").ID // oeffentlich: nein
	if _, err := history.Versions(context.Background(), internalParcel, false); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("public history of an internal parcel: %v, want not found", err)
	}
}

// TestRecoverMarksInterruptedUploadsFailed: an upload a stopped server was reading is marked
// failed with a message that says to upload again, and a stale temporary file is removed.
func TestRecoverMarksInterruptedUploadsFailed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	up, err := h.uploads.Create(ctx, store.NewUpload{DistrictAGS: "15088", ChangedBy: "test", Mode: upload.Upsert, Filename: "x.gpkg"})
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := h.uploads.Create(ctx, store.NewUpload{DistrictAGS: "15088", ChangedBy: "test", Mode: upload.Upsert, Filename: "y.gpkg"})
	h.db.Pool.Exec(ctx, `UPDATE uploads SET status = 'reading', updated_at = now() - interval '1 hour' WHERE id = $1`, up.ID)
	dir := t.TempDir()
	stale := filepath.Join(dir, "landatlas-upload-123")
	os.WriteFile(stale, []byte("x"), 0o600)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, old, old)
	importer.New(importer.Config{Uploads: h.uploads, TempDir: dir}).Recover(ctx)

	if u, _ := h.uploads.Get(ctx, up.ID); u.Status != upload.Failed || !strings.Contains(u.Message, "upload it again") {
		t.Errorf("interrupted upload: %s %q", u.Status, u.Message)
	}
	if u, _ := h.uploads.Get(ctx, fresh.ID); u.Status != upload.Received {
		t.Errorf("an upload waiting for its worker was touched: %s", u.Status)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary file left: %v", err)
	}
}

// TestOldStagingIsRemoved: the staged rows of uploads finished long ago go; their reports stay,
// and a preview nobody applied can no longer be applied.
func TestOldStagingIsRemoved(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	fixture, _ := writeFixture(t, h, t.TempDir())
	applied := h.apply(t, h.mustImport(t, fixture, importOpts{}))
	waiting := h.mustImport(t, fixture, importOpts{})
	recent := h.mustImport(t, fixture, importOpts{})
	h.db.Pool.Exec(ctx, `UPDATE uploads SET updated_at = now() - interval '30 days' WHERE id IN ($1, $2)`, applied.ID, waiting.ID)
	importer.New(importer.Config{Uploads: h.uploads, TempDir: t.TempDir()}).Recover(ctx)

	staged := func(id int64) int {
		var n int
		h.db.QueryRow(t, `SELECT count(*) FROM upload_features WHERE upload_id = $1`, id).Scan(&n)
		return n
	}
	if staged(applied.ID) != 0 || staged(waiting.ID) != 0 || staged(recent.ID) != 5 {
		t.Errorf("staged rows after expiry: %d, %d, %d; want 0, 0, 5", staged(applied.ID), staged(waiting.ID), staged(recent.ID))
	}
	u, _ := h.uploads.Get(ctx, waiting.ID)
	if u.Status != upload.Failed || len(u.Report) == 0 || len(u.Preview) == 0 {
		t.Errorf("expired unapplied upload: %s with report %t and preview %t; want failed keeping both", u.Status, len(u.Report) > 0, len(u.Preview) > 0)
	}
	if _, err := h.uploads.Apply(ctx, waiting.ID, nil, 0); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("apply of an expired upload: %v, want a Conflict", err)
	}
	if u, _ := h.uploads.Get(ctx, applied.ID); u.Status != upload.Applied {
		t.Errorf("expired applied upload is %s, want still applied", u.Status)
	}
}

// TestSweepFailsUploadsWithoutAWorker: an upload left "checking" by a worker that is gone (killed
// and restarted within two minutes, or unable to record the failure while the database was
// unreachable) is marked failed with a reason once it has not been touched for StaleAfter, while
// an upload a worker keeps alive is left alone; work directories and spooled files of uploads that
// ended go at once, those of uploads still read stay.
func TestSweepFailsUploadsWithoutAWorker(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	create := func(name string) store.Upload {
		up, err := h.uploads.Create(ctx, store.NewUpload{DistrictAGS: "15088", ChangedBy: "test", Mode: upload.Upsert, Filename: name})
		if err != nil {
			t.Fatal(err)
		}
		return up
	}
	orphan, alive := create("orphan.gpkg"), create("alive.gpkg")
	for _, id := range []int64{orphan.ID, alive.ID} {
		if _, err := h.db.Pool.Exec(ctx, `UPDATE uploads SET status = 'checking', updated_at = now() - make_interval(secs => $2) WHERE id = $1`,
			id, (importer.StaleAfter + 5*time.Second).Seconds()); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.uploads.Touch(ctx, alive.ID); err != nil { // its worker's keep-alive
		t.Fatal(err)
	}
	dir := t.TempDir()
	orphanWork := filepath.Join(dir, fmt.Sprintf("landatlas-import-%d-123", orphan.ID))
	aliveWork := filepath.Join(dir, fmt.Sprintf("landatlas-import-%d-456", alive.ID))
	freshSpool := filepath.Join(dir, "landatlas-upload-789") // a body still being received
	// The spooled files of created uploads carry their id (Service.Start names them so).
	orphanSpool := filepath.Join(dir, fmt.Sprintf("landatlas-upload-u%d-111", orphan.ID))
	aliveSpool := filepath.Join(dir, fmt.Sprintf("landatlas-upload-u%d-222", alive.ID))
	for _, p := range []string{orphanWork, aliveWork} {
		if err := os.MkdirAll(filepath.Join(p, "unzipped"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{freshSpool, orphanSpool, aliveSpool} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	importer.New(importer.Config{Uploads: h.uploads, TempDir: dir}).Recover(ctx)

	if u, err := h.uploads.Get(ctx, orphan.ID); err != nil || u.Status != upload.Failed || !strings.Contains(u.Message, "upload it again") {
		t.Errorf("upload left checking without a worker: %s %q %v, want failed saying to upload again", u.Status, u.Message, err)
	}
	if u, err := h.uploads.Get(ctx, alive.ID); err != nil || u.Status != "checking" {
		t.Errorf("upload a worker keeps alive: %s %v, want still checking", u.Status, err)
	}
	for _, p := range []string{orphanWork, orphanSpool} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s of the failed upload left: %v", filepath.Base(p), err)
		}
	}
	for _, p := range []string{aliveWork, aliveSpool, freshSpool} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s of an upload still being read was removed: %v", filepath.Base(p), err)
		}
	}
}
