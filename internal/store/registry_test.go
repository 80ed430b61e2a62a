package store_test

import (
	"context"
	"testing"

	"landatlas/internal/parcel"
	"landatlas/internal/pgtest"
)

// The field registry (internal/parcel) and the tables must describe the same columns: every
// field's column exists with a type that holds its values, and every column that is not
// bookkeeping of the store has a field, so that a new column cannot be forgotten in the API,
// the uploads and the web app.
func TestRegistryMatchesDatabaseColumns(t *testing.T) {
	db := pgtest.New(t, pgtest.Reference)
	for _, c := range []struct {
		table  string
		fields []parcel.Field
		// technical columns have no field: the geometry is every collection's own, upload_id is
		// bookkeeping of the uploads.
		technical []string
	}{
		{"parcels", parcel.ParcelFields(), []string{"geom", "upload_id"}},
		{"sites", parcel.SiteFields(), []string{"geom"}},
	} {
		rows, err := db.Pool.Query(context.Background(), `
			SELECT a.attname, t.typname, t.typtype
			FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
			WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`, c.table)
		if err != nil {
			t.Fatalf("columns of %s: %v", c.table, err)
		}
		type column struct{ typ, kind string }
		columns := map[string]column{}
		for rows.Next() {
			var name, typ, kind string
			if err := rows.Scan(&name, &typ, &kind); err != nil {
				t.Fatalf("columns of %s: %v", c.table, err)
			}
			columns[name] = column{typ, kind}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("columns of %s: %v", c.table, err)
		}
		if len(columns) == 0 {
			t.Fatalf("table %s has no columns", c.table)
		}
		covered := map[string]bool{}
		for _, name := range c.technical {
			covered[name] = true
		}
		for _, f := range c.fields {
			if f.Column == "" {
				continue
			}
			covered[f.Column] = true
			col, ok := columns[f.Column]
			if !ok {
				t.Errorf("%s field %s: column %s.%s does not exist (a migration is missing)", c.table, f.Name, c.table, f.Column)
				continue
			}
			if !holds(f, col.typ, col.kind) {
				t.Errorf("%s field %s is %s, but column %s.%s is %s", c.table, f.Name, f.Type, c.table, f.Column, col.typ)
			}
		}
		for name := range columns {
			if !covered[name] {
				t.Errorf("column %s.%s has no field in the registry (internal/parcel): declare it there", c.table, name)
			}
		}
	}
}

// holds says whether a column of a type can hold a field's values.
func holds(f parcel.Field, typ, kind string) bool {
	switch f.Type {
	case parcel.Text:
		return typ == "text" || typ == "bpchar" || typ == "varchar"
	case parcel.CodeType:
		if kind == "e" {
			return f.Codes != nil && typ == f.Codes.Name
		}
		return typ == "text" || typ == "bpchar"
	case parcel.Number:
		return typ == "numeric" || typ == "float8" || typ == "float4"
	case parcel.Integer:
		return typ == "int4" || typ == "int8" || typ == "int2"
	case parcel.Boolean:
		return typ == "bool"
	case parcel.Date:
		return typ == "date"
	case parcel.Timestamp:
		return typ == "timestamptz"
	}
	return false
}
