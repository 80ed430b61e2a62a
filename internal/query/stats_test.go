package query_test

import (
	"context"
	"slices"
	"testing"

	"landatlas/internal/parcel"
	"landatlas/internal/pgtest"
)

// Filters compare code fields as text; the planner estimates such a filter only from statistics
// on that very expression (migration 011). A code field added to the registry without them would
// make filters on it misplanned, unnoticed.
func TestCodeFieldsHaveStatisticsAsFiltersReadThem(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	rows, err := db.Pool.Query(context.Background(), `SELECT unnest(pg_get_statisticsobjdef_expressions(oid)) FROM pg_statistic_ext
		WHERE stxrelid = 'parcels'::regclass`)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			t.Fatal(err)
		}
		have = append(have, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range parcel.ParcelFields() {
		if f.Type != parcel.CodeType || f.Column == "" || !f.Queryable {
			continue
		}
		var typ string
		db.QueryRow(t, `SELECT data_type FROM information_schema.columns WHERE table_name = 'parcels' AND column_name = $1`, f.Column).Scan(&typ)
		if typ == "text" { // the column's own statistics serve
			continue
		}
		checked++
		if want := "(" + f.Column + ")::text"; !slices.Contains(have, want) {
			t.Errorf("code field %s (%s) has no statistics on %s: add them to a migration like 011_filter_statistics.sql", f.Name, typ, want)
		}
	}
	if checked < 5 {
		t.Fatalf("checked %d code fields; the registry has more (statistics: %v)", checked, have)
	}
}
