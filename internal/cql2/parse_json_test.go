package cql2

import (
	"reflect"
	"strings"
	"testing"
)

// equivalentPairs are the same filter in cql2-text and cql2-json; both must
// compile to identical SQL and args. Many are the examples of OGC 21-065.
var equivalentPairs = []struct{ text, json string }{
	{`name = 'Hafen'`, `{"op":"=","args":[{"property":"name"},"Hafen"]}`},
	{`name <> 'it''s'`, `{"op":"<>","args":[{"property":"name"},"it's"]}`},
	{`net_area_ha < 2.5`, `{"op":"<","args":[{"property":"net_area_ha"},2.5]}`},
	{`net_area_ha > 5`, `{"op":">","args":[{"property":"net_area_ha"},5.0]}`},
	{`net_area_ha >= -1e3`, `{"op":">=","args":[{"property":"net_area_ha"},-1000]}`},
	{`plots <= 3`, `{"op":"<=","args":[{"property":"plots"},3]}`},
	{`available = TRUE`, `{"op":"=","args":[{"property":"available"},true]}`},
	{`TRUE`, `true`},
	{`listed_on >= DATE('2022-01-01')`, `{"op":">=","args":[{"property":"listed_on"},{"date":"2022-01-01"}]}`},
	{`updated_at < TIMESTAMP('2022-01-01T00:00:00Z')`, `{"op":"<","args":[{"property":"updated_at"},{"timestamp":"2022-01-01T00:00:00Z"}]}`},
	{`name IS NULL`, `{"op":"isNull","args":[{"property":"name"}]}`},
	{`name IS NOT NULL`, `{"op":"not","args":[{"op":"isNull","args":[{"property":"name"}]}]}`},
	{`name = 'a' AND plots > 1 OR available = true`,
		`{"op":"or","args":[{"op":"and","args":[{"op":"=","args":[{"property":"name"},"a"]},{"op":">","args":[{"property":"plots"},1]}]},{"op":"=","args":[{"property":"available"},true]}]}`},
	{`name = 'a' AND plots > 1 AND floors < 3`,
		`{"op":"and","args":[{"op":"=","args":[{"property":"name"},"a"]},{"op":">","args":[{"property":"plots"},1]},{"op":"<","args":[{"property":"floors"},3]}]}`},
	{`NOT (name = 'a')`, `{"op":"not","args":[{"op":"=","args":[{"property":"name"},"a"]}]}`},
	{`name LIKE 'Smith%'`, `{"op":"like","args":[{"property":"name"},"Smith%"]}`},
	{`name NOT LIKE 'a\%'`, `{"op":"not","args":[{"op":"like","args":[{"property":"name"},"a\\%"]}]}`},
	{`net_area_ha BETWEEN 100.0 AND 150.0`, `{"op":"between","args":[{"property":"net_area_ha"},100.0,150.0]}`},
	{`plots NOT BETWEEN 1 AND 2`, `{"op":"not","args":[{"op":"between","args":[{"property":"plots"},1,2]}]}`},
	{`name IN ('Toronto','Frankfurt','Tokyo','New York')`, `{"op":"in","args":[{"property":"name"},["Toronto","Frankfurt","Tokyo","New York"]]}`},
	{`plots NOT IN (1,2,3,4)`, `{"op":"not","args":[{"op":"in","args":[{"property":"plots"},[1,2,3,4]]}]}`},
	{`CASEI(use_type) IN (CASEI('Ge'),CASEI('gi'))`,
		`{"op":"in","args":[{"op":"casei","args":[{"property":"use_type"}]},[{"op":"casei","args":["Ge"]},{"op":"casei","args":["gi"]}]]}`},
	{`ACCENTI(name) = ACCENTI('débárquér')`, `{"op":"=","args":[{"op":"accenti","args":[{"property":"name"}]},{"op":"accenti","args":["débárquér"]}]}`},
	{`CASEI(name) LIKE CASEI('%straße%')`, `{"op":"like","args":[{"op":"casei","args":[{"property":"name"}]},{"op":"casei","args":["%straße%"]}]}`},
	{`S_INTERSECTS(geom,POINT(36.319836 32.288087))`, `{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point","coordinates":[36.319836,32.288087]}]}`},
	{`S_INTERSECTS(geom,BBOX(160.6,-55.95,-170,-25.89))`, `{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[160.6,-55.95,-170,-25.89]}]}`},
	{`S_INTERSECTS(geom,BBOX(1,2,0,3,4,10))`, `{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[1,2,0,3,4,10]}]}`},
	{`S_WITHIN(geom,POLYGON((7 50,8 50,8 51,7 50),(7.1 50.1,7.2 50.1,7.2 50.2,7.1 50.1)))`,
		`{"op":"s_within","args":[{"property":"geom"},{"type":"Polygon","coordinates":[[[7,50],[8,50],[8,51],[7,50]],[[7.1,50.1],[7.2,50.1],[7.2,50.2],[7.1,50.1]]]}]}`},
	{`S_CROSSES(LINESTRING(7 50, 8 51),geom)`, `{"op":"s_crosses","args":[{"type":"LineString","coordinates":[[7,50],[8,51]]},{"property":"geom"}]}`},
	{`S_EQUALS(geom,MULTIPOINT(7 50, 8 51))`, `{"op":"s_equals","args":[{"property":"geom"},{"type":"MultiPoint","coordinates":[[7,50],[8,51]]}]}`},
	{`S_TOUCHES(geom,MULTILINESTRING((7 50, 8 51),(1 1, 2 2)))`,
		`{"op":"s_touches","args":[{"property":"geom"},{"type":"MultiLineString","coordinates":[[[7,50],[8,51]],[[1,1],[2,2]]]}]}`},
	{`S_OVERLAPS(geom,MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5))))`,
		`{"op":"s_overlaps","args":[{"property":"geom"},{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}]}`},
	{`S_CONTAINS(geom,GEOMETRYCOLLECTION(POINT(7.02 49.92),POLYGON((0 0,10 0,10 10,0 10,0 0))))`,
		`{"op":"s_contains","args":[{"property":"geom"},{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[7.02,49.92]},{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}]}]}`},
	{`S_DISJOINT(geom,POINT Z (7 50 3))`, `{"op":"s_disjoint","args":[{"property":"geom"},{"type":"Point","coordinates":[7,50,3],"bbox":[7,50,7,50]}]}`},
	{`S_INTERSECTS(geom, centroid)`, `{"op":"s_intersects","args":[{"property":"geom"},{"property":"centroid"}]}`},
	{`T_INTERSECTS(updated_at, INTERVAL('1969-07-16T05:32:00Z', '1969-07-24T16:50:35Z'))`,
		`{"op":"t_intersects","args":[{"property":"updated_at"},{"interval":["1969-07-16T05:32:00Z","1969-07-24T16:50:35Z"]}]}`},
	{`T_DURING(INTERVAL(valid_from, valid_to), INTERVAL('1969-07-16T13:32:00Z', '1969-07-24T16:50:35Z'))`,
		`{"op":"t_during","args":[{"interval":[{"property":"valid_from"},{"property":"valid_to"}]},{"interval":["1969-07-16T13:32:00Z","1969-07-24T16:50:35Z"]}]}`},
	{`T_AFTER(listed_on, INTERVAL('2019-09-09', '..'))`, `{"op":"t_after","args":[{"property":"listed_on"},{"interval":["2019-09-09",".."]}]}`},
	{`T_FINISHEDBY(INTERVAL(valid_from, valid_to), INTERVAL('..', '2020-01-01T00:00:00Z'))`,
		`{"op":"t_finishedBy","args":[{"interval":[{"property":"valid_from"},{"property":"valid_to"}]},{"interval":["..","2020-01-01T00:00:00Z"]}]}`},
	{`T_METBY(INTERVAL(valid_from, valid_to), INTERVAL('..', '2020-01-01T00:00:00Z'))`,
		`{"op":"t_metBy","args":[{"interval":[{"property":"valid_from"},{"property":"valid_to"}]},{"interval":["..","2020-01-01T00:00:00Z"]}]}`},
	{`net_area_ha * 10000 > 5000`, `{"op":">","args":[{"op":"*","args":[{"property":"net_area_ha"},10000]},5000]}`},
	{`plots + floors * 2 = 10`, `{"op":"=","args":[{"op":"+","args":[{"property":"plots"},{"op":"*","args":[{"property":"floors"},2]}]},10]}`},
	{`plots div 2 = 1`, `{"op":"=","args":[{"op":"div","args":[{"property":"plots"},2]},1]}`},
	{`plots % 2 = 1`, `{"op":"=","args":[{"op":"%","args":[{"property":"plots"},2]},1]}`},
	{`2 ^ floors > 8`, `{"op":">","args":[{"op":"^","args":[2,{"property":"floors"}]},8]}`},
	{`-net_area_ha < 0`, `{"op":"<","args":[{"op":"*","args":[-1,{"property":"net_area_ha"}]},0]}`},
	{`net_area_ha < gross_area_ha`, `{"op":"<","args":[{"property":"net_area_ha"},{"property":"gross_area_ha"}]}`},
	{`"owner name" = 'x'`, `{"op":"=","args":[{"property":"owner name"},"x"]}`},
}

func TestTextAndJSONCompileAlike(t *testing.T) {
	for _, opt := range []CompileOptions{landatlasOpts, {ArgOffset: 2}} {
		for _, p := range equivalentPairs {
			t.Run(p.text, func(t *testing.T) {
				tsql, targs, err := compileText(t, p.text, opt)
				if err != nil {
					t.Fatalf("text: %v", err)
				}
				e, err := ParseJSON([]byte(p.json))
				if err != nil {
					t.Fatalf("json: %v", err)
				}
				jsql, jargs, err := Compile(e, testCatalog(), opt)
				if err != nil {
					t.Fatalf("json compile: %v", err)
				}
				if tsql != jsql || !reflect.DeepEqual(targs, jargs) {
					t.Errorf("differ\ntext: %s %#v\njson: %s %#v", tsql, targs, jsql, jargs)
				}
				checkSQLShape(t, jsql, jargs, opt.ArgOffset)
			})
		}
	}
}

func TestParseJSONLenientOpNames(t *testing.T) {
	e, err := ParseJSON([]byte(`{"op":"AND","args":[{"op":"T_FINISHEDBY","args":[{"interval":[{"property":"valid_from"},{"property":"valid_to"}]},{"interval":["..",".."]}]},{"op":"ISNULL","args":[{"property":"name"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	sql, _, err := Compile(e, testCatalog(), CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := `((p.valid_from < $1::timestamptz AND p.valid_to = $2::timestamptz) AND p.name IS NULL)`; sql != want {
		t.Errorf("got %s, want %s", sql, want)
	}
}

func TestParseJSONErrors(t *testing.T) {
	deep := strings.Repeat(`{"op":"not","args":[`, MaxDepth) + `true` + strings.Repeat(`]}`, MaxDepth)
	longIn := `{"op":"in","args":[{"property":"plots"},[` + strings.Repeat("1,", MaxInList) + `1]]}`
	manyCoords := `{"op":"s_intersects","args":[{"property":"geom"},{"type":"MultiPoint","coordinates":[` +
		strings.Repeat("[1,2],", MaxCoordinates) + `[1,2]]}]}`
	cases := []errCase{
		{``, []string{"empty filter"}},
		{`{`, []string{"invalid JSON"}},
		{`{"op":"=","args":[1,1]} {}`, []string{"unexpected data after the JSON value"}},
		{`{"op":"=","args":[{"property":"name"}]}`, []string{`"=" takes 2 arguments, got 1`}},
		{`{"op":"and","args":[true]}`, []string{`"and" takes at least 2 arguments, got 1`}},
		{`{"op":"between","args":[1,2]}`, []string{`"between" takes 3 arguments, got 2`}},
		{`{"op":"not","args":[true,false]}`, []string{`"not" takes 1 argument, got 2`}},
		{`{"op":"foo","args":[]}`, []string{`unknown operation "foo"`, "supported functions are"}},
		{`{"op":"a_contains","args":[]}`, []string{"array functions"}},
		{`{"op":5,"args":[]}`, []string{`"op" must be a string`}},
		{`{"op":"="}`, []string{`operation "=" needs an "args" array`}},
		{`{"op":"in","args":[{"property":"name"},"a"]}`, []string{`the second argument of "in" must be an array`}},
		{`{"op":"in","args":[{"property":"name"},[]]}`, []string{`empty "in" list`}},
		{longIn, []string{`"in" list is too long`}},
		{`{"op":"=","args":[{"property":"name"},null]}`, []string{"null is not a valid expression (in args[1])"}},
		{`{"op":"and","args":[true,{"op":"=","args":[{"property":"name"},[1]]}]}`, []string{"unexpected array (in args[1].args[1])", "array functions are not supported"}},
		{`{"foo":1,"bar":2}`, []string{`unrecognized object with members "bar", "foo"`}},
		{`{"property":""}`, []string{`"property" must be a non-empty property name`}},
		{`{"property":5}`, []string{`"property" must be a non-empty property name`}},
		{`{"op":"=","args":[{"property":"name"},"a\u0000"]}`, []string{"NUL character in string"}},
		{`{"op":"<","args":[{"property":"net_area_ha"},1e999]}`, []string{"number 1e999 is out of range"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}]}`,
			[]string{"ring 1 of a Polygon is not closed (in args[1])"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"Circle"}]}`, []string{`unknown GeoJSON geometry type "Circle"`}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point"}]}`, []string{`GeoJSON Point needs "coordinates"`}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point","coordinates":[1]}]}`, []string{"a position has 1 coordinates"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point","coordinates":[1,2,3,4]}]}`, []string{"a position has 4 coordinates"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point","coordinates":[[1,2]]}]}`, []string{"a GeoJSON position must contain numbers only"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"LineString","coordinates":[1,2]}]}`, []string{`malformed "coordinates" of GeoJSON LineString`}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"LineString","coordinates":[[1,2]]}]}`, []string{"a LineString needs at least 2 positions"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"MultiPolygon","coordinates":[]}]}`, []string{"a MultiPolygon needs at least one polygon"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}]}`,
			[]string{"a GeometryCollection cannot contain a GeometryCollection"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"GeometryCollection"}]}`, []string{`needs a "geometries" array`}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"GeometryCollection","geometries":[5]}]}`, []string{"must be GeoJSON geometry objects"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[1,2,3]}]}`, []string{"a bounding box has 3 numbers"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[1,2,3,4,5,6,7,8]}]}`, []string{"a bounding box has 4 or 6 numbers, got 8"}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"bbox":"1,2,3,4"}]}`, []string{"bbox must be an array of numbers"}},
		{manyCoords, []string{"too many coordinates"}},
		{`{"op":"t_after","args":[{"property":"listed_on"},{"date":"2022-13-01"}]}`, []string{`invalid date "2022-13-01"`}},
		{`{"op":"t_after","args":[{"property":"listed_on"},{"date":20220101}]}`, []string{`"date" must be a string`}},
		{`{"op":"t_after","args":[{"property":"listed_on"},{"interval":["2022-01-01"]}]}`, []string{`"interval" must be an array of two bounds`}},
		{`{"op":"t_after","args":[{"property":"listed_on"},{"interval":["2022-01-01",5]}]}`, []string{"an interval bound must be a string or a property"}},
		{`{"op":"t_after","args":[{"property":"listed_on"},{"interval":["2022-01-01",{"date":"2023-01-01"}]}]}`, []string{"an interval bound must be a date, a timestamp"}},
		{`{"op":"t_after","args":[{"property":"listed_on"},{"interval":["2022-01-01","2021-01-01"]}]}`, []string{"INTERVAL starts after it ends"}},
		{`{"op":"like","args":[{"property":"name"},{"property":"name"}]}`, []string{"the pattern of LIKE must be a string literal"}},
		{`{"op":"not","args":[{"property":"available"}]}`, []string{`property "available" is not a condition by itself`}},
		{`{"op":"=","args":[{"op":"=","args":[1,1]},true]}`, []string{"expected a value, got a comparison (=)"}},
		{`"abc"`, []string{`expected a condition, got the string "abc"`}},
		{`[1]`, []string{"unexpected array"}},
		{deep, []string{"nested too deeply"}},
		{`{"op":"=","args":[{"property":"remarks"},"x"]}`, []string{`unknown property "remarks"; queryable properties are: available,`}},
		{`{"op":"=","args":[{"property":"use_type"},"XX"]}`, []string{`property "use_type" takes one of GE, GI, SO, MI, GEe, GIe; got "XX"`}},
		{`{"op":"s_intersects","args":[{"property":"geom"},{"type":"Point","coordinates":[90,180]}]}`, []string{"outside the range"}},
		{`{"op":"=","args":[{"property":"name"},` + `"` + strings.Repeat("x", MaxInputBytes) + `"]}`, []string{"filter is too long"}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			e, err := ParseJSON([]byte(tc.in))
			if err == nil {
				_, _, err = Compile(e, testCatalog(), landatlasOpts)
			}
			assertErr(t, err, tc.want)
			if err.(*Error).Pos != -1 {
				t.Errorf("JSON error has position %d", err.(*Error).Pos)
			}
		})
	}
}
