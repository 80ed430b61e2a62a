package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"

	"landatlas/migrations"
)

const versionTable = "public.schema_version"

// ErrSchemaBehind says the database schema is older than this binary; `landatlas migrate` fixes it.
var ErrSchemaBehind = errors.New("database schema is behind this binary: run `landatlas migrate`")

// SchemaStatus is the applied and the expected migration number.
type SchemaStatus struct {
	Current, Expected int32
}

// Migrate applies all pending migrations. tern holds an advisory lock while it works, so two
// processes migrating at once do not collide.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (SchemaStatus, error) {
	var st SchemaStatus
	err := withMigrator(ctx, pool, func(m *migrate.Migrator) error {
		if err := m.Migrate(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		cur, err := m.GetCurrentVersion(ctx)
		st = SchemaStatus{Current: cur, Expected: int32(len(m.Migrations))}
		return err
	})
	return st, err
}

// CheckSchema reports the schema state and ErrSchemaBehind when migrations are pending. It only
// reads: a server checking readiness must not create tables.
func CheckSchema(ctx context.Context, pool *pgxpool.Pool) (SchemaStatus, error) {
	files, err := migrate.FindMigrations(migrations.FS)
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("find migrations: %w", err)
	}
	st := SchemaStatus{Expected: int32(len(files))}
	err = pool.QueryRow(ctx, "SELECT version FROM "+versionTable).Scan(&st.Current)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "42P01": // undefined_table: never migrated
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return st, fmt.Errorf("check schema: %w", err)
	}
	if st.Current < st.Expected {
		return st, fmt.Errorf("%w (database at migration %d, binary expects %d)", ErrSchemaBehind, st.Current, st.Expected)
	}
	if st.Current > st.Expected {
		return st, fmt.Errorf("database schema (migration %d) is newer than this binary (%d): deploy the newer binary", st.Current, st.Expected)
	}
	return st, nil
}

func withMigrator(ctx context.Context, pool *pgxpool.Pool, fn func(*migrate.Migrator) error) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	m, err := migrate.NewMigratorEx(ctx, conn.Conn(), versionTable, &migrate.MigratorOptions{DisableTx: false})
	if err != nil {
		return err
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	return fn(m)
}
