package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

// TestReadsDoNotWaitForAnOpenApply holds an apply transaction open (ApplyDelay) on a server with
// a pool of 4 connections, pgx's default on 2 cores, and makes more reads than the pool holds,
// anonymous and by the applying editor, whose token was last used long ago (so its use is noted
// while the apply holds a lock on its account). Every read must answer while the apply is still
// open: before, the editor's reads waited for the apply's lock on the accounts row and took the
// pool with them.
func TestReadsDoNotWaitForAnOpenApply(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	ctx := context.Background()
	pool, err := store.OpenPool(ctx, db.URL, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	h, err := httpapi.New(httpapi.Config{DB: pool, Log: slog.New(slog.DiscardHandler),
		Uploads: httpapi.UploadConfig{TempDir: t.TempDir(), ApplyDelay: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tok, account := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor := client{t, srv.URL, tok}
	anon := client{t, srv.URL, ""}

	_, _, hdr := editor.upload(parcelsFile(t, db, "15088", 3, "angeboten"), "v1.geojson", map[string]string{"district": "15088", "mode": "replace"})
	location := hdr.Get("Location")
	if u := editor.waitChecked(location); u["status"] != "ready" {
		t.Fatalf("upload: %v, want ready", u)
	}

	applyCtx, stopApply := context.WithCancel(ctx)
	applied := make(chan int, 1)
	go func() {
		req, _ := http.NewRequestWithContext(applyCtx, http.MethodPost, srv.URL+location+"/apply", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			applied <- 0
			return
		}
		resp.Body.Close()
		applied <- resp.StatusCode
	}()
	t.Cleanup(func() { stopApply(); <-applied })
	waitIdleInTransaction(t, db)
	// The editor's last use is old: the next request notes it, while the apply holds its row.
	if _, err := db.Pool.Exec(ctx, `UPDATE accounts SET last_used_at = now() - interval '2 hours' WHERE id = $1`, account); err != nil {
		t.Fatal(err)
	}

	uses := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE account_id = $1 AND action = 'token.use'`, account).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	usesBefore := uses()
	var slowest time.Duration
	for round := 0; round < 3; round++ {
		for _, r := range []struct {
			who  client
			path string
		}{
			{anon, "/readyz"}, {anon, "/api/v1/districts"}, {anon, "/ogcapi/collections/parcels/items?limit=1"},
			{editor, "/api/v1/districts"}, {editor, "/api/v1/uploads?district=15088"}, {editor, location},
		} {
			start := time.Now()
			if code, body, _ := r.who.do(http.MethodGet, r.path, "", nil); code != http.StatusOK {
				t.Errorf("GET %s (token %v) during the apply: %d %v", r.path, r.who.token != "", code, body)
			}
			slowest = max(slowest, time.Since(start))
		}
	}
	select {
	case code := <-applied:
		t.Fatalf("the apply ended (%d) before the reads were checked: the test proves nothing", code)
	default:
	}
	waitIdleInTransaction(t, db)
	if n := uses() - usesBefore; n != 1 {
		t.Errorf("the editor's use during the apply was audited %d times, want once", n)
	}
	t.Logf("slowest of 18 reads during the open apply: %s", slowest)
}

// waitIdleInTransaction waits until PostgreSQL shows a landatlas transaction waiting, as the
// apply does while ApplyDelay holds it open.
func waitIdleInTransaction(t testing.TB, db *pgtest.DB) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var waiting bool
		err := db.Pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'landatlas' AND state = 'idle in transaction'
			AND pid <> pg_backend_pid())`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no apply transaction is open")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRevokedTokenIsAuditedOncePerHour: a client retrying a revoked token gets 401 each time and
// leaves one audit row, not one per request.
func TestRevokedTokenIsAuditedOncePerHour(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, id := token(t, db, auth.Planner, "", "old planner")
	if err := (store.Accounts{DB: db.Pool}).Revoke(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	c := client{t, base, tok}
	for i := 0; i < 5; i++ {
		if code, body, _ := c.do(http.MethodGet, "/api/v1/districts", "", nil); code != http.StatusUnauthorized || !strings.Contains(detail(body), "revoked") {
			t.Fatalf("revoked token: %d %v, want 401 saying it is revoked", code, body)
		}
	}
	var refused int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE account_id = $1 AND action = 'token.refused'`, id).Scan(&refused); err != nil {
		t.Fatal(err)
	}
	if refused != 1 {
		t.Errorf("5 requests with a revoked token wrote %d audit rows, want 1", refused)
	}
}

// TestReadsDoNotWriteTheAccount: a token's use is noted at most once per LastUsedInterval, so
// reads in a row leave the account row as it was.
func TestReadsDoNotWriteTheAccount(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := newServer(t, db, httpapi.UploadConfig{})
	tok, id := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	c := client{t, base, tok}
	rowVersion := func() string {
		var xmin string
		if err := db.Pool.QueryRow(context.Background(), `SELECT xmin::text FROM accounts WHERE id = $1`, id).Scan(&xmin); err != nil {
			t.Fatal(err)
		}
		return xmin
	}
	if code, body, _ := c.do(http.MethodGet, "/api/v1/districts", "", nil); code != http.StatusOK {
		t.Fatalf("first read: %d %v", code, body)
	}
	noted := rowVersion()
	for i := 0; i < 5; i++ {
		if code, body, _ := c.do(http.MethodGet, "/api/v1/districts", "", nil); code != http.StatusOK {
			t.Fatalf("read %d: %d %v", i, code, body)
		}
	}
	if got := rowVersion(); got != noted {
		t.Errorf("5 reads within %s rewrote the account row (xmin %s, was %s)", store.LastUsedInterval, got, noted)
	}
}
