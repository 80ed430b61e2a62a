package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

// startServer runs `landatlas serve` on 127.0.0.1:0 against db and returns its base URL once
// /readyz answers; the server stops when the test ends.
func startServer(t *testing.T, db *pgtest.DB) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	env := map[string]string{"LANDATLAS_DATABASE_URL": db.URL, "LANDATLAS_ADDR": "127.0.0.1:0", "LANDATLAS_LOG_LEVEL": "warn"}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"landatlas", "serve"}, func(k string) string { return env[k] }, outW, io.Discard)
		outW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not shut down cleanly: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop within 20 s of the signal")
		}
	})
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), "serving on "); ok {
				urlc <- url
			}
		}
	}()
	var base string
	select {
	case base = <-urlc:
	case err := <-done:
		t.Fatalf("serve ended before serving: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not print its URL within 30 s")
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not ready within 30 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func getJSON(t *testing.T, url, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

type districtFC struct {
	Features []struct {
		Geometry   struct{ Type string }
		Properties struct {
			AGS            string  `json:"ags"`
			Name           string  `json:"name"`
			Parcels        int     `json:"parcels"`
			NetOfferedHa   float64 `json:"net_offered_ha"`
			GrossOfferedHa float64 `json:"gross_offered_ha"`
		}
	}
}

func TestServeListsDistrictsWithSupply(t *testing.T) {
	db := pgtest.New(t, pgtest.Demo)
	base := startServer(t, db)

	var public districtFC
	if code := getJSON(t, base+"/api/v1/districts", "", &public); code != http.StatusOK {
		t.Fatalf("GET /api/v1/districts: %d", code)
	}
	if len(public.Features) != 9 {
		t.Fatalf("%d districts, want 9", len(public.Features))
	}
	publicParcels := 0
	for _, f := range public.Features {
		p := f.Properties
		if f.Geometry.Type != "MultiPolygon" || p.NetOfferedHa <= 0 || p.GrossOfferedHa < p.NetOfferedHa {
			t.Errorf("district %s %s: geometry %s, net %.1f ha, gross %.1f ha on offer: want a boundary and non-zero supply",
				p.AGS, p.Name, f.Geometry.Type, p.NetOfferedHa, p.GrossOfferedHa)
		}
		publicParcels += p.Parcels
	}

	// The public counts only public parcels; a planner counts them all.
	token, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (store.Accounts{DB: db.Pool}).Create(context.Background(), "test planner", auth.Planner, "", hash); err != nil {
		t.Fatal(err)
	}
	var planner districtFC
	getJSON(t, base+"/api/v1/districts", token, &planner)
	plannerParcels := 0
	for _, f := range planner.Features {
		plannerParcels += f.Properties.Parcels
	}
	var publicInDB, allInDB int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE publication = 'public'), count(*)
		FROM parcels WHERE ended_at IS NULL`).Scan(&publicInDB, &allInDB); err != nil {
		t.Fatal(err)
	}
	if publicParcels != publicInDB || plannerParcels != allInDB || publicInDB == allInDB {
		t.Errorf("parcels counted: public %d (db %d), planner %d (db %d): want the public to count only public ones",
			publicParcels, publicInDB, plannerParcels, allInDB)
	}
	var session struct {
		SignedIn bool   `json:"signed_in"`
		Label    string `json:"label"`
		Role     string `json:"role"`
	}
	getJSON(t, base+"/api/v1/session", token, &session)
	if !session.SignedIn || session.Role != "planner" || session.Label != "test planner" {
		t.Errorf("/api/v1/session with a planner token = %+v, want the planner's account", session)
	}
	session.SignedIn = true
	getJSON(t, base+"/api/v1/session", "", &session)
	if session.SignedIn {
		t.Error("/api/v1/session without a token says signed in")
	}
	if code := getJSON(t, base+"/api/v1/districts", "la_not-a-token", nil); code != http.StatusUnauthorized {
		t.Errorf("a wrong token answered %d, want 401 (never silently public)", code)
	}
}

func TestReadyzFailsOnOldSchemaAndServeRefusesIt(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	base := startServer(t, db)
	if code := getJSON(t, base+"/healthz", "", nil); code != http.StatusOK {
		t.Fatalf("/healthz: %d", code)
	}
	if _, err := db.Pool.Exec(context.Background(), `UPDATE schema_version SET version = version - 1`); err != nil {
		t.Fatal(err)
	}
	var body struct{ Reason string }
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body.Reason, "landatlas migrate") {
		t.Errorf("/readyz on an old schema: %d %q, want 503 naming `landatlas migrate`", resp.StatusCode, body.Reason)
	}

	env := map[string]string{"LANDATLAS_DATABASE_URL": db.URL, "LANDATLAS_ADDR": "127.0.0.1:0"}
	err = run(context.Background(), []string{"landatlas", "serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "landatlas migrate") {
		t.Errorf("serve on an old schema: %v, want a refusal naming `landatlas migrate`", err)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "LANDATLAS_DATABASE_URL"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_ADDR": "nonsense"}, "LANDATLAS_ADDR"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_LOG_LEVEL": "loud"}, "LANDATLAS_LOG_LEVEL"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_TILE_CACHE_MB": "lots"}, "LANDATLAS_TILE_CACHE_MB"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_TILE_CACHE_MB": "-1"}, "LANDATLAS_TILE_CACHE_MB"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_BASE_URL": "atlas.example.org"}, "LANDATLAS_BASE_URL"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_BASE_URL": "https://atlas.example.org/map?x=1"}, "LANDATLAS_BASE_URL"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_METRICS_ADDR": "9090"}, "LANDATLAS_METRICS_ADDR"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_METRICS_TOKEN": "short"}, "LANDATLAS_METRICS_TOKEN"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_SMTP_URL": "mail.example.org"}, "LANDATLAS_SMTP_URL"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_SMTP_URL": "smtp://mail.example.org:25"}, "LANDATLAS_SMTP_URL"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_NOTIFY": "15088:x@y"}, "LANDATLAS_NOTIFY"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_ENQUIRY_RATE": "many"}, "LANDATLAS_ENQUIRY_RATE"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_TRUSTED_PROXIES": "10.0.0.1,proxy.local"}, "LANDATLAS_TRUSTED_PROXIES"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_RETENTION_MONTHS": "0"}, "LANDATLAS_RETENTION_MONTHS"},
		{map[string]string{"LANDATLAS_DATABASE_URL": "postgres://x/y", "LANDATLAS_PRIVACY_FILE": "/nonexistent/privacy.txt"}, "LANDATLAS_PRIVACY_FILE"},
	}
	for _, c := range cases {
		err := run(context.Background(), []string{"landatlas", "serve"}, func(k string) string { return c.env[k] }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("env %v: err = %v, want it to name %s", c.env, err, c.want)
		}
	}
}

// With LANDATLAS_METRICS_ADDR the metrics answer on their own listener, and not on the main one.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	env := map[string]string{"LANDATLAS_DATABASE_URL": db.URL, "LANDATLAS_ADDR": "127.0.0.1:0", "LANDATLAS_METRICS_ADDR": "127.0.0.1:0", "LANDATLAS_LOG_LEVEL": "warn"}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"landatlas", "serve"}, func(k string) string { return env[k] }, outW, io.Discard)
		outW.Close()
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	sc := bufio.NewScanner(outR)
	var base, metrics string
	for base == "" && sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), "metrics on "); ok {
			metrics = u
		}
		if _, u, ok := strings.Cut(sc.Text(), "serving on "); ok {
			base = u
		}
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	if base == "" || metrics == "" {
		t.Fatalf("serve printed no addresses (main %q, metrics %q)", base, metrics)
	}
	resp, err := http.Get(metrics)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "go_goroutines") {
		t.Errorf("GET %s: %d %v", metrics, resp.StatusCode, err)
	}
	if code := getJSON(t, base+"/metrics", "", nil); code != http.StatusNotFound {
		t.Errorf("/metrics on the main address: %d, want 404", code)
	}
}
