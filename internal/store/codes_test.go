package store_test

import (
	"context"
	"slices"
	"testing"

	"landatlas/internal/parcel"
	"landatlas/internal/pgtest"
)

// The Go code lists and the database enums must hold the same codes in the same order.
func TestCodeListsMatchDatabaseEnums(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	for _, list := range parcel.CodeLists() {
		var values []string
		err := db.Pool.QueryRow(context.Background(), `
			SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
			FROM pg_enum e JOIN pg_type ty ON ty.oid = e.enumtypid WHERE ty.typname = $1`, list.Name).Scan(&values)
		if err != nil {
			t.Fatalf("enum %s: %v", list.Name, err)
		}
		if !slices.Equal(values, list.Values()) {
			t.Errorf("code list %s: Go has %v, database has %v", list.Name, list.Values(), values)
		}
	}
}

func TestSizeClassesMatchDatabase(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	for _, ha := range []float64{0, 0.2, 0.5, 0.99, 1, 4.9, 5, 10, 19.99, 20, 50, 99.9, 100, 250} {
		var got string
		if err := db.Pool.QueryRow(context.Background(), `SELECT size_class($1)`, ha).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := parcel.SizeClassOf(ha); got != want {
			t.Errorf("size class of %.2f ha: database %s, Go %s", ha, got, want)
		}
	}
}
