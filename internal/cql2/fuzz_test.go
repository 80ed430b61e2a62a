package cql2

import (
	"errors"
	"math"
	"strings"
	"testing"
)

var fuzzTextSeeds = []string{
	``, `(`, `)`, `'`, `"`, `''`, `name`, `TRUE`, `NOT`, `-`, `1`, `..`, `\`,
	`name = 'a'`, `name = 'it''s' OR name = 'it\'s'`, `name = 'a\\'`, `name LIKE 'a\%_'`,
	`name = 'a' AND plots > 1 OR NOT available = TRUE`,
	`net_area_ha BETWEEN -1.5e-3 AND .5`, `plots NOT IN (1, 2, 3)`, `name IS NOT NULL`,
	`CASEI(ACCENTI(name)) LIKE CASEI('%ß%')`, `use_type IN ('GE', 'XX')`, `"date" = DATE('2022-02-28')`,
	`listed_on = DATE('2022-02-30')`, `updated_at < TIMESTAMP('2022-01-01T00:00:00.123Z')`,
	`S_INTERSECTS(geom, BBOX(150,-90,-150,90))`, `S_INTERSECTS(geom, POINT(90 180))`,
	`S_WITHIN(geom, POLYGON((0 0,1 0,1 1,0 0),(0.1 0.1,0.2 0.1,0.2 0.2,0.1 0.1)))`,
	`S_CONTAINS(geom, MULTIPOINT(1 2, (3 4)))`, `S_CROSSES(geom, GEOMETRYCOLLECTION(POINT Z (1 2 3)))`,
	`S_EQUALS(geom, MULTIPOLYGON(((0 0,1 0,1 1,0 0))))`, `S_TOUCHES(geom, MULTILINESTRING((0 0,1 1)))`,
	`S_OVERLAPS(centroid, ENVELOPE(1,2,3,4))`, `S_DISJOINT(geom, POINT EMPTY)`,
	`T_DURING(INTERVAL(valid_from, valid_to), INTERVAL('2020-01-01T00:00:00Z', '..'))`,
	`T_INTERSECTS(listed_on, INTERVAL('..', '2022-01-01'))`, `T_MEETS(listed_on, DATE('2022-01-01'))`,
	`T_OVERLAPPEDBY(INTERVAL(listed_on, sold_on), INTERVAL('2020-01-01','2020-02-01'))`,
	`plots + floors * 2 ^ 3 div 4 % 5 - -6 / 7 = 0`, `-(-(-plots)) < 1`, `plots / 0 = 1`,
	`net_area_ha < gross_area_ha`, `'a' = 'b'`, `1 = 1`, `FOO(1) = 2`, `A_CONTAINS(x, ('a'))`,
	`name == 'a'`, `name != 'a'`, `name = [1]`, "name = '\xff'", "name = 'a\x00'", "\"a\x01\" = 1",
	`((((((((((name = 'a'))))))))))`, strings.Repeat("NOT ", 120) + "TRUE",
	`layer:ids = 1`, `"owner name" = 'x'`, `größe = 1`, `point = 1`, `bbox IS NULL`,
}

var fuzzJSONSeeds = []string{
	``, `{`, `[]`, `null`, `true`, `"x"`, `1`, `{}`, `{"op":"and","args":[]}`,
	`{"op":"=","args":[{"property":"name"},"a"]}`,
	`{"op":"not","args":[{"op":"isNull","args":[{"property":"name"}]}]}`,
	`{"op":"in","args":[{"property":"use_type"},["GE","XX"]]}`,
	`{"op":"like","args":[{"op":"casei","args":[{"property":"name"}]},{"op":"casei","args":["a\\%"]}]}`,
	`{"op":"between","args":[{"property":"plots"},1,{"op":"+","args":[1,2]}]}`,
	`{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[160.6,-55.95,-170,-25.89]}]}`,
	`{"op":"s_within","args":[{"property":"geom"},{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}]}`,
	`{"op":"s_within","args":[{"property":"geom"},{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}]}`,
	`{"op":"t_during","args":[{"interval":[{"property":"valid_from"},{"property":"valid_to"}]},{"interval":["..","2020-01-01T00:00:00Z"]}]}`,
	`{"op":"t_after","args":[{"property":"listed_on"},{"date":"2022-01-01"}]}`,
	`{"op":"=","args":[{"op":"^","args":[2,{"property":"floors"}]},{"timestamp":"2022-01-01T00:00:00Z"}]}`,
	`{"op":"=","args":[{"property":"name"},"a\u0000"]}`,
}

func addEquivalentSeeds(f *testing.F, json bool) {
	for _, p := range equivalentPairs {
		if json {
			f.Add(p.json)
		} else {
			f.Add(p.text)
		}
	}
}

// fuzzOptions exercise the option-dependent code paths.
var fuzzOptions = []CompileOptions{
	{StorageSRID: 25832},
	{ArgOffset: 7, FlipAxes: true},
	{FilterSRID: 25832, StorageSRID: 25832},
}

func checkParsed(t *testing.T, input string, e Expr, err error, textPositions bool) {
	if err != nil {
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("error %v is %T, not *Error", err, err)
		}
		if ce.Msg == "" {
			t.Fatal("error without message")
		}
		if textPositions && (ce.Pos < -1 || ce.Pos > len(input)) || !textPositions && ce.Pos != -1 {
			t.Fatalf("error position %d out of range for input of %d bytes", ce.Pos, len(input))
		}
		return
	}
	if e == nil {
		t.Fatal("nil expression without error")
	}
	_ = Properties(e)
	for _, opt := range fuzzOptions {
		sql, args, err := Compile(e, testCatalog(), opt)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("compile error %v is %T, not *Error", err, err)
			}
			continue
		}
		// No literal may leak into the SQL: it must not contain any quote or
		// escape character, whatever the input held.
		if strings.ContainsAny(sql, "'\"\\;") {
			t.Fatalf("quote character in SQL: %s", sql)
		}
		checkSQLShape(t, sql, args, opt.ArgOffset)
		for _, a := range args {
			switch v := a.(type) {
			case string:
				if strings.IndexByte(v, 0) >= 0 {
					t.Fatalf("NUL in bind argument %q", v)
				}
			case float64:
				if math.IsInf(v, 0) || math.IsNaN(v) {
					t.Fatalf("non-finite bind argument %v", v)
				}
			case int64, bool:
			default:
				t.Fatalf("unexpected bind argument type %T", a)
			}
		}
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range fuzzTextSeeds {
		f.Add(s)
	}
	addEquivalentSeeds(f, false)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseText(s)
		checkParsed(t, s, e, err, true)
	})
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range fuzzJSONSeeds {
		f.Add(s)
	}
	addEquivalentSeeds(f, true)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseJSON([]byte(s))
		checkParsed(t, s, e, err, false)
	})
}
