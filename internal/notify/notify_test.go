package notify_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/notify"
	"landatlas/internal/pgtest"
)

// changes starts a listener on the test database's pool and returns it with its changes.
func changes(t *testing.T, db *pgtest.DB, every time.Duration) (*notify.Listener, chan notify.Change) {
	t.Helper()
	l := notify.Start(db.Pool, slog.New(slog.DiscardHandler), notify.Options{CheckEvery: every})
	t.Cleanup(l.Close)
	ch := make(chan notify.Change, 100)
	l.Subscribe(func(c notify.Change) { ch <- c })
	if c := next(t, ch, "the first read"); !c.Reset || c.Now["municipalities"].Internal == 0 {
		t.Fatalf("first change %+v, want a Reset with the versions", c)
	}
	return l, ch
}

func next(t *testing.T, ch chan notify.Change, what string) notify.Change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(30 * time.Second):
		t.Fatalf("no change of the versions after %s", what)
		return notify.Change{}
	}
}

func version(t *testing.T, conn *pgx.Conn, collection string) int64 {
	t.Helper()
	var v int64
	if err := conn.QueryRow(context.Background(), `SELECT version FROM collection_versions WHERE collection = $1`, collection).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func connect(t *testing.T, db *pgtest.DB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// A write through the listener's pool is known when it returns: Latest never reports the old
// versions after the commit returned.
func TestWritesThroughThePoolAreKnownWhenTheyReturn(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	l, ch := changes(t, db, time.Hour)
	ctx := context.Background()
	for i := range 20 {
		var want int64
		err := db.Pool.QueryRow(ctx, `WITH u AS (UPDATE municipalities SET name = name WHERE false)
			SELECT version + 1 FROM collection_versions WHERE collection = 'municipalities'`).Scan(&want)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := l.Latest(); ok && v["municipalities"].Internal < want {
			t.Fatalf("write %d: after the commit returned, Latest reports municipalities at %d, want %d or none", i, v["municipalities"].Internal, want)
		}
		if c := next(t, ch, "a write"); c.Now["municipalities"].Internal < want || c.Reset {
			t.Fatalf("write %d: change %+v, want municipalities at %d", i, c, want)
		}
	}
}

// A write by another connection is heard of by its notification (the periodic check is an hour
// away here), and a change without a notification by the periodic check.
func TestWritesElsewhereAreHeardOfByNotificationOrByTheCheck(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	other := connect(t, db)
	_, ch := changes(t, db, time.Hour)
	if _, err := other.Exec(context.Background(), `UPDATE districts SET name = name WHERE false`); err != nil {
		t.Fatal(err)
	}
	want := version(t, other, "districts")
	if c := next(t, ch, "a notified write"); c.Now["districts"].Internal != want {
		t.Errorf("change %+v, want districts at %d", c, want)
	}

	db2 := pgtest.New(t, pgtest.Reference)
	other = connect(t, db2)
	_, ch = changes(t, db2, 100*time.Millisecond)
	// collection_versions itself has no trigger: no notification, as if it had been lost.
	if _, err := other.Exec(context.Background(), `UPDATE collection_versions SET version = version + 1 WHERE collection = 'sites'`); err != nil {
		t.Fatal(err)
	}
	want = version(t, other, "sites")
	if c := next(t, ch, "a change without notification"); c.Now["sites"].Internal != want {
		t.Errorf("change %+v, want sites at %d from the periodic check", c, want)
	}
}

// When the listening connection is lost, Latest reports none; the listener reconnects and starts
// afresh with a Reset.
func TestTheListenerReconnectsWithAReset(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	admin := connect(t, db)
	l, ch := changes(t, db, time.Hour)
	var killed int
	err := admin.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`).Scan(&killed)
	if err != nil || killed == 0 {
		t.Fatalf("terminate the listener's connection: %d terminated, %v", killed, err)
	}
	if c := next(t, ch, "the reconnect"); !c.Reset {
		t.Errorf("after the connection was lost, change %+v, want a Reset", c)
	}
	if _, ok := l.Latest(); !ok {
		t.Error("after the reconnect Latest reports no versions")
	}
}
