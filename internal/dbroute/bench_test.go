package dbroute_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/dbroute"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
)

// BenchmarkRead compares a keyed read through the router on the primary with the same read on a
// streaming standby: what a request pays for being sent to a replica (routing and the standby's
// own connection), with the test server (LANDATLAS_TEST_DATABASE_URL) as primary.
func BenchmarkRead(b *testing.B) {
	db := pgtest.New(b, pgtest.Empty)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `CREATE TABLE notes (id int PRIMARY KEY, body text);
		INSERT INTO notes SELECT i, repeat('x', 200) FROM generate_series(1, 100000) i; ANALYZE notes`); err != nil {
		b.Fatal(err)
	}
	sb := pgtest.StartStandby(b, db)
	rp, err := store.OpenReplicaPool(sb.URL, 4)
	if err != nil {
		b.Fatal(err)
	}
	defer rp.Close()
	r, err := dbroute.New(db.Pool, []*pgxpool.Pool{rp}, dbroute.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for range 600 {
		r.Poll(ctx)
		if dbroute.OnReplica(r.For(ctx, 0)) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, c := range []struct {
		name string
		ctx  context.Context
	}{{"primary", ctx}, {"replica", r.For(ctx, 0)}} {
		b.Run(c.name, func(b *testing.B) {
			if dbroute.OnReplica(c.ctx) != (c.name == "replica") {
				b.Fatalf("the %s read is not bound there", c.name)
			}
			var body string
			i := 0
			for b.Loop() {
				i++
				if err := r.QueryRow(c.ctx, `SELECT body FROM notes WHERE id = $1`, i%100000+1).Scan(&body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
