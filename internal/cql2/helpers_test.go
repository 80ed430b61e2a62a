package cql2

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// testCatalog resembles the landatlas parcel queryables.
func testCatalog() Queryables {
	return Queryables{
		"name":          {SQL: "p.name", Type: String},
		"net_area_ha":   {SQL: "p.net_area_ha", Type: Number},
		"gross_area_ha": {SQL: "p.gross_area_ha", Type: Number},
		"plots":         {SQL: "p.plot_count", Type: Integer},
		"floors":        {SQL: "p.floors", Type: Integer},
		"use_type":      {SQL: "p.use_type", Type: String, Enum: []string{"GE", "GI", "SO", "MI", "GEe", "GIe"}},
		"available":     {SQL: "p.available", Type: Boolean},
		"listed_on":     {SQL: "p.listed_on", Type: Date},
		"sold_on":       {SQL: "p.sold_on", Type: Date},
		"date":          {SQL: "p.survey_date", Type: Date},
		"updated_at":    {SQL: "p.updated_at", Type: Timestamp},
		"valid_from":    {SQL: "p.valid_from", Type: Timestamp},
		"valid_to":      {SQL: "p.valid_to", Type: Timestamp},
		"geom":          {SQL: "p.geom", Type: Geometry},
		"centroid":      {SQL: "ST_PointOnSurface(p.geom)", Type: Geometry},
		"owner name":    {SQL: "o.name", Type: String},
	}
}

var landatlasOpts = CompileOptions{StorageSRID: 25832}

type compileCase struct {
	in   string
	sql  string
	args []any
}

func compileText(t *testing.T, in string, opt CompileOptions) (string, []any, error) {
	t.Helper()
	e, err := ParseText(in)
	if err != nil {
		return "", nil, err
	}
	return Compile(e, testCatalog(), opt)
}

func runCompileCases(t *testing.T, opt CompileOptions, cases []compileCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			sql, args, err := compileText(t, tc.in, opt)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if sql != tc.sql {
				t.Errorf("sql\n got: %s\nwant: %s", sql, tc.sql)
			}
			if !reflect.DeepEqual(args, tc.args) {
				t.Errorf("args\n got: %#v\nwant: %#v", args, tc.args)
			}
			checkSQLShape(t, sql, args, opt.ArgOffset)
		})
	}
}

type errCase struct {
	in   string
	want []string // substrings of the error message
}

func runTextErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			_, _, err := compileText(t, tc.in, landatlasOpts)
			assertErr(t, err, tc.want)
		})
	}
}

func assertErr(t *testing.T, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error containing %q", want)
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is %T, not *Error", err, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err.Error(), w)
		}
	}
}

// checkSQLShape asserts the invariants every compiled condition has: the
// placeholders are exactly $offset+1..$offset+len(args), and the SQL consists
// only of characters our own code emits, so no literal can have leaked.
func checkSQLShape(t testing.TB, sql string, args []any, offset int) {
	t.Helper()
	if msg := sqlShapeProblem(sql, args, offset); msg != "" {
		t.Fatalf("%s\nsql: %s\nargs: %#v", msg, sql, args)
	}
}

func sqlShapeProblem(sql string, args []any, offset int) string {
	seen := map[int]bool{}
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '$':
			j := i + 1
			n := 0
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				n = n*10 + int(sql[j]-'0')
				j++
			}
			if j == i+1 {
				return "bare $ in SQL"
			}
			if n <= offset || n > offset+len(args) {
				return "placeholder out of range"
			}
			seen[n] = true
			i = j - 1
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("_.(),:=<>+-*/ ", c) >= 0:
		default:
			return "unexpected character " + string(c) + " in SQL"
		}
	}
	if len(seen) != len(args) {
		return "placeholder count differs from len(args)"
	}
	if strings.Contains(sql, "--") || strings.Contains(sql, "/*") {
		return "comment in SQL"
	}
	return ""
}
