package cql2

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseTextErrors(t *testing.T) {
	deep := strings.Repeat("(", MaxDepth+1) + "name = 'a'" + strings.Repeat(")", MaxDepth+1)
	deepNot := strings.Repeat("NOT ", MaxDepth+1) + "name = 'a'"
	longSum := "plots" + strings.Repeat(" + 1", MaxDepth+1) + " = 1"
	longIn := "plots IN (" + strings.Repeat("1, ", MaxInList) + "1)"
	manyCoords := "S_INTERSECTS(geom, LINESTRING(" + strings.Repeat("1 2, ", MaxCoordinates) + "1 2))"
	runTextErrCases(t, []errCase{
		{``, []string{"empty filter"}},
		{`   `, []string{"empty filter at position 0"}},
		{`net_area_ha >`, []string{`expected a value after ">", got the end of the filter at position 13`}},
		{`net_area_ha > )`, []string{`expected a value after ">", got ")" at position 14`}},
		{`name = 'abc`, []string{"unterminated string at position 7"}},
		{`name = 'abc\'`, []string{"unterminated string"}},
		{`"name = 'a'`, []string{"unterminated quoted property name"}},
		{`"" = 'a'`, []string{"empty quoted property name"}},
		{`name = 'a' AND`, []string{`expected a value after "AND"`}},
		{`name = 'a' OR OR name = 'b'`, []string{`expected a value after "OR", got "OR"`}},
		{`NOT`, []string{`expected a value after "NOT"`}},
		{`(name = 'a'`, []string{`expected ")" to close the parenthesis opened at position 0`}},
		{`name = 'a')`, []string{"unbalanced closing parenthesis at position 10"}},
		{`name == 'a'`, []string{`unknown operator "=="`, `use "="`}},
		{`name != 'a'`, []string{`unknown operator "!="`, `use "<>"`}},
		{`name = 'a' name = 'b'`, []string{`unexpected "name" after a complete condition at position 11`, "AND or OR"}},
		{`name = #`, []string{`unexpected character '#' at position 7`}},
		{`name IN [1]`, []string{"lists are written in parentheses"}},
		{`FOO(name) = 1`, []string{`unknown function "FOO"`, "supported functions are CASEI"}},
		{`A_CONTAINS(tags, ('a'))`, []string{"array functions such as A_CONTAINS are not supported"}},
		{`S_INTERSECTS(geom)`, []string{"S_INTERSECTS takes 2 arguments, got 1 at position 0"}},
		{`S_INTERSECTS()`, []string{"S_INTERSECTS takes 2 arguments, got 0"}},
		{`S_INTERSECTS(geom, POINT(1 2), POINT(1 2))`, []string{"S_INTERSECTS takes 2 arguments, got more"}},
		{`S_INTERSECTS(geom POINT(1 2))`, []string{`expected "," between the arguments of S_INTERSECTS`}},
		{`CASEI(name, 'x') = 'x'`, []string{"CASEI takes 1 argument, got more"}},
		{`S_INTERSECTS(geom, name = 'a')`, []string{"expected a value, got a comparison (=)"}},
		{`S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 1)))`, []string{"ring 1 of a Polygon is not closed", "repeat the first"}},
		{`S_INTERSECTS(geom, POLYGON((0 0, 1 0, 0 0)))`, []string{"ring 1 of a Polygon has 3 positions"}},
		{`S_INTERSECTS(geom, POLYGON(0 0, 1 0, 1 1, 0 0))`, []string{`expected "(" in geometry`}},
		{`S_INTERSECTS(geom, LINESTRING(0 0))`, []string{"a LineString needs at least 2 positions, got 1"}},
		{`S_INTERSECTS(geom, MULTILINESTRING((0 0)))`, []string{"each line string of a MultiLineString needs at least 2 positions"}},
		{`S_INTERSECTS(geom, POINT(1))`, []string{"expected a coordinate"}},
		{`S_INTERSECTS(geom, POINT(1 2 3 4))`, []string{`expected ")" or "," in geometry, got the number 4`}},
		{`S_INTERSECTS(geom, POINT(1 2, 3 4))`, []string{"a Point has exactly 1 position"}},
		{`S_INTERSECTS(geom, LINESTRING(1 2, 3 4 5))`, []string{"positions mix 2 and 3 coordinates"}},
		{`S_INTERSECTS(geom, POINT Z (1 2))`, []string{"a Point Z needs 3 coordinates per position"}},
		{`S_INTERSECTS(geom, POINT EMPTY)`, []string{"EMPTY geometries are not supported"}},
		{`S_INTERSECTS(geom, POINT M (1 2 3))`, []string{"M geometries are not supported"}},
		{`S_INTERSECTS(geom, POINT(1e999 2))`, []string{"number 1e999 is out of range"}},
		{`S_INTERSECTS(geom, BBOX(1,2,3))`, []string{"a bounding box has 3 numbers"}},
		{`S_INTERSECTS(geom, BBOX(1,2,3,4,5,6,7))`, []string{"a bounding box has 4 or 6 numbers"}},
		{`S_INTERSECTS(geom, BBOX(0,50,10,40))`, []string{"lower edge (50) above its upper edge (40)"}},
		{`S_INTERSECTS(geom, BBOX(0,0,5,10,10,4))`, []string{"zmin (5) above zmax (4)"}},
		{`S_INTERSECTS(geom, BBOX(0 0 1 1))`, []string{`expected ")" or "," in geometry`}},
		{`S_INTERSECTS(geom, GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(1 2))))`, []string{"a GeometryCollection cannot contain a GeometryCollection"}},
		{`S_INTERSECTS(geom, GEOMETRYCOLLECTION(BBOX(1,2,3,4)))`, []string{"cannot contain a BBox"}},
		{`S_INTERSECTS(geom, GEOMETRYCOLLECTION(POINT(1 2), name))`, []string{"expected a WKT geometry"}},
		{`S_INTERSECTS(geom, GEOMETRYCOLLECTION(POINT(1 2), POINT(1 2 3)))`, []string{"mix 2D and 3D"}},
		{manyCoords, []string{"too many coordinates in geometry literals", "10000 positions"}},
		{`listed_on = DATE('2022-02-30')`, []string{`invalid date "2022-02-30"`, "YYYY-MM-DD"}},
		{`listed_on = DATE('22-02-03')`, []string{`invalid date`}},
		{`listed_on = DATE(20220101)`, []string{"DATE(...) takes a quoted string, got the number 20220101"}},
		{`listed_on = DATE('2022-01-01' '2022')`, []string{`expected ")" after the DATE string`}},
		{`updated_at = TIMESTAMP('2022-01-01')`, []string{`invalid timestamp "2022-01-01"`, "use DATE('2022-01-01') for a date"}},
		{`updated_at = TIMESTAMP('2022-01-01T00:00:00+02:00')`, []string{`invalid timestamp`, "UTC"}},
		{`updated_at = TIMESTAMP('2022-01-01T00:00:00.Z')`, []string{`invalid timestamp`}},
		{`updated_at = TIMESTAMP('2022-01-01T25:00:00Z')`, []string{`invalid timestamp`}},
		{`T_INTERSECTS(updated_at, INTERVAL('2022-01-01', '2022-01-01T00:00:00Z'))`, []string{"INTERVAL mixes a date and a timestamp"}},
		{`T_INTERSECTS(updated_at, INTERVAL('2023-01-01', '2022-01-01'))`, []string{"INTERVAL starts after it ends"}},
		{`T_INTERSECTS(updated_at, INTERVAL('2022-01-01T00:00:01Z', '2022-01-01T00:00:00.5Z'))`, []string{"INTERVAL starts after it ends"}},
		{`T_INTERSECTS(updated_at, INTERVAL("2022-01-01T00:00:00Z", '..'))`, []string{`"2022-01-01T00:00:00Z" is a property name, not a date`, "single quotes"}},
		{`T_INTERSECTS(updated_at, INTERVAL('yesterday', '..'))`, []string{`invalid interval bound "yesterday"`}},
		{`T_INTERSECTS(updated_at, INTERVAL(5, '..'))`, []string{"expected a date, timestamp, '..' or property as INTERVAL bound"}},
		{`T_INTERSECTS(updated_at, INTERVAL(now(), '..'))`, []string{"functions are not supported as INTERVAL bounds"}},
		{`T_INTERSECTS(updated_at, INTERVAL('..'))`, []string{`expected "," in INTERVAL(start, end)`}},
		{`T_INTERSECTS(updated_at, INTERVAL(and, '..'))`, []string{"unexpected keyword AND as INTERVAL bound"}},
		{`name LIKE name`, []string{`the pattern of LIKE must be a string literal, got property "name"`}},
		{`name LIKE 'abc\\'`, []string{`LIKE pattern ends with the escape character`}},
		{`name IN ()`, []string{"empty IN list"}},
		{`name IN 'a'`, []string{`expected "(" after IN`}},
		{`name IN ('a' 'b')`, []string{`expected ")" to close the IN list`}},
		{longIn, []string{"IN list is too long", "1000"}},
		{deep, []string{"filter is nested too deeply", "100 levels"}},
		{deepNot, []string{"filter is nested too deeply"}},
		{longSum, []string{"filter is nested too deeply"}},
		{strings.Repeat("-", 200) + "1 = plots", []string{"filter is nested too deeply"}},
		{"name = '" + strings.Repeat("x", MaxInputBytes) + "'", []string{"filter is too long", "65536 bytes"}},
		{`name IS 5`, []string{"expected NULL after IS, got the number 5"}},
		{`name NOT 5`, []string{"expected LIKE, BETWEEN or IN after NOT, got the number 5"}},
		{`plots BETWEEN 1 OR 2`, []string{"expected AND in BETWEEN"}},
		{`name = NULL`, []string{"unexpected keyword NULL", "IS NULL or IS NOT NULL"}},
		{`and = 1`, []string{"unexpected keyword AND", `"and"`}},
		{`name`, []string{`property "name" is not a condition by itself`, "name = TRUE"}},
		{`5`, []string{"expected a condition, got the number 5"}},
		{`'abc'`, []string{`expected a condition, got the string "abc"`}},
		{`(name = 'a') = TRUE`, []string{"expected a value, got a comparison (=)"}},
		{`name = 'a' AND 5`, []string{"expected a condition, got the number 5"}},
		{`NOT 5`, []string{"expected a condition"}},
		{`(name = 'a') + 1 = 2`, []string{"expected a value, got a comparison"}},
		{`net_area_ha > 1e999`, []string{"number 1e999 is out of range"}},
		{"name = '\xff'", []string{"invalid UTF-8 byte at position 8"}},
		{"name = 'a\x00'", []string{"NUL character in string"}},
		{"\"na\x01me\" = 1", []string{"control character in quoted property name"}},
		{`plots = 1 +`, []string{`expected a value after "+"`}},
		{`plots = 1 ^`, []string{`expected a value after "^"`}},
		{`plots = - `, []string{`expected a value after "-"`}},
	})
}

func TestParseTextDepthLimit(t *testing.T) {
	ok := strings.Repeat("(", MaxDepth-1) + "name = 'a'" + strings.Repeat(")", MaxDepth-1)
	if _, err := ParseText(ok); err != nil {
		t.Errorf("%d nested parentheses: %v", MaxDepth-1, err)
	}
	tooDeep := "(" + ok + ")"
	if _, err := ParseText(tooDeep); err == nil {
		t.Errorf("%d nested parentheses accepted", MaxDepth)
	}
	okNot := strings.Repeat("NOT ", MaxDepth-1) + "name = 'a'"
	if _, err := ParseText(okNot); err != nil {
		t.Errorf("%d NOTs: %v", MaxDepth-1, err)
	}
	okJSON := strings.Repeat(`{"op":"not","args":[`, MaxDepth-1) + `true` + strings.Repeat(`]}`, MaxDepth-1)
	if _, err := ParseJSON([]byte(okJSON)); err != nil {
		t.Errorf("%d nested JSON nots: %v", MaxDepth-1, err)
	}
}

func TestParseTextKeywordsCaseInsensitive(t *testing.T) {
	a, err := ParseText(`s_intersects(geom, point(7 50)) and not (name like 'a%' or plots is null) AND t_after(listed_on, date('2022-01-01'))`)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseText(`S_INTERSECTS(geom, POINT(7 50)) AND NOT (name LIKE 'a%' OR plots IS NULL) AND T_AFTER(listed_on, DATE('2022-01-01'))`)
	if err != nil {
		t.Fatal(err)
	}
	// Positions differ only where the source text differs in length, which it
	// does not here.
	if !reflect.DeepEqual(a, b) {
		t.Error("lower- and upper-case keywords parse differently")
	}
}

func TestParseTextPropertyNamesAreCaseSensitive(t *testing.T) {
	e, err := ParseText(`Name = 'a' AND name = 'b' AND NAME = 'c'`)
	if err != nil {
		t.Fatal(err)
	}
	got := Properties(e)
	want := []string{"Name", "name", "NAME"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Properties = %q, want %q", got, want)
	}
}

func TestParseTextIdentifiers(t *testing.T) {
	for _, in := range []string{
		`layer:ids = 'x'`,
		`_private.field = 1`,
		`größe = 1`,
		`ПЛОЩАДЬ = 1`,
		`a‿b = 1`,
		`"with space" = 1`,
		`"in" = 1`,
		`point = 1`,
		`interval = 1`,
		`bbox IS NULL`,
	} {
		e, err := ParseText(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if len(Properties(e)) != 1 {
			t.Errorf("%s: properties %q", in, Properties(e))
		}
	}
}

func TestProperties(t *testing.T) {
	e, err := ParseText(`name = 'a' AND (plots > floors OR T_DURING(INTERVAL(valid_from, valid_to), INTERVAL('2020-01-01T00:00:00Z', '..'))) AND CASEI(name) LIKE 'x' AND S_INTERSECTS(geom, BBOX(1,2,3,4))`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"name", "plots", "floors", "valid_from", "valid_to", "geom"}
	if got := Properties(e); !reflect.DeepEqual(got, want) {
		t.Errorf("Properties = %q, want %q", got, want)
	}
	if got := Properties(nil); got != nil {
		t.Errorf("Properties(nil) = %q", got)
	}
}

func TestErrorFormat(t *testing.T) {
	cases := []struct {
		err  *Error
		want string
	}{
		{&Error{Pos: -1, Msg: "m"}, "m"},
		{&Error{Pos: 3, Msg: "m"}, "m at position 3"},
		{&Error{Pos: 0, Msg: "m", Hint: "h"}, "m at position 0; h"},
		{&Error{Pos: -1, Msg: "m", Hint: "h"}, "m; h"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	if got := quote(strings.Repeat("ä", 100)); !strings.HasSuffix(got, `"...`) || len(got) > 90 {
		t.Errorf("long names are not shortened: %s", got)
	}
}

func TestConformanceClasses(t *testing.T) {
	got := ConformanceClasses()
	seen := map[string]bool{}
	for _, c := range got {
		if !strings.HasPrefix(c, "http://www.opengis.net/spec/cql2/1.0/conf/") || seen[c] {
			t.Errorf("bad or duplicate class %q", c)
		}
		seen[c] = true
	}
	for _, must := range []string{"basic-cql2", "cql2-text", "cql2-json", "temporal-functions", "spatial-functions"} {
		if !seen["http://www.opengis.net/spec/cql2/1.0/conf/"+must] {
			t.Errorf("missing %s", must)
		}
	}
	for _, mustNot := range []string{"array-functions", "functions"} {
		if seen["http://www.opengis.net/spec/cql2/1.0/conf/"+mustNot] {
			t.Errorf("claims unimplemented %s", mustNot)
		}
	}
	got[0] = "changed"
	if ConformanceClasses()[0] == "changed" {
		t.Error("ConformanceClasses shares its slice")
	}
}
