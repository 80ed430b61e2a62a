package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"landatlas/internal/auth"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

// replicaReads is the count of reads the server ran on a replica.
func replicaReads(t *testing.T, reg *prometheus.Registry) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "landatlas_db_reads_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "target" && l.GetValue() == "replica" {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func TestReadReplicaServesReadsWithReadYourWritesAndFallback(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	sb := pgtest.StartStandby(t, db)
	rp, err := store.OpenReplicaPool(sb.URL, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rp.Close)
	bg, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	reg := prometheus.NewRegistry()
	h, err := httpapi.New(httpapi.Config{DB: db.Pool, Replicas: []*pgxpool.Pool{rp}, ReplicaMaxLag: 2 * time.Minute, Log: slog.New(slog.DiscardHandler),
		Uploads: httpapi.UploadConfig{TempDir: t.TempDir()}, Registry: reg, Background: bg})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tok, _ := token(t, db, auth.Editor, "15088", "Saalekreis GIS")
	editor, public := client{t, srv.URL, tok}, client{t, srv.URL, ""}
	inRotation := func() bool {
		code, body, _ := public.do(http.MethodGet, "/readyz", "", nil)
		rs, _ := body["replicas"].([]any)
		if code != http.StatusOK || len(rs) != 1 {
			t.Fatalf("/readyz: %d %v, want ready with one replica", code, body)
		}
		return rs[0].(map[string]any)["in_rotation"] == true
	}
	pgtest.WaitFor(t, "the standby to join the rotation", inRotation)
	matched := func(c client) float64 {
		code, body, _ := c.do(http.MethodGet, "/ogcapi/collections/parcels/items?f=json&limit=1", "", nil)
		if code != http.StatusOK {
			t.Fatalf("parcels: %d %v", code, body)
		}
		return body["numberMatched"].(float64)
	}

	// The editor sees the parcels it has just published, at once: its reads wait for the replica
	// or go to the primary.
	editor.publish(parcelsFile(t, db, "15088", 3, "angeboten"), "upsert", 0)
	if n := matched(editor); n != 3 {
		t.Fatalf("right after publishing 3 parcels the editor reads %v", n)
	}
	// The public reads from the replica, which shows the two public parcels once it has replayed them.
	before := replicaReads(t, reg)
	pgtest.WaitFor(t, "the public to read the published parcels", func() bool { return matched(public) == 2 })
	if replicaReads(t, reg) <= before {
		t.Fatal("the public's reads did not run on the replica")
	}

	// The standby stops: every read still answers, from the primary.
	if err := sb.Cluster.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if n := matched(public); n != 2 {
			t.Fatalf("with the standby stopped the public reads %v parcels, want 2", n)
		}
		if code, _, _ := public.do(http.MethodGet, "/api/v1/study/supply", "", nil); code != http.StatusOK {
			t.Fatalf("study supply with the standby stopped: %d", code)
		}
	}
	if inRotation() {
		t.Fatal("/readyz shows the stopped standby in rotation")
	}
	// Started again, it comes back by itself and serves the public.
	if err := sb.Cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	pgtest.WaitFor(t, "the restarted standby to return to the rotation", inRotation)
	before = replicaReads(t, reg)
	if n := matched(public); n != 2 || replicaReads(t, reg) <= before {
		t.Fatalf("after the restart the public reads %v parcels, on the replica: %v", n, replicaReads(t, reg) > before)
	}
}
