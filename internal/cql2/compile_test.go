package cql2

import "testing"

func TestCompileBasic(t *testing.T) {
	runCompileCases(t, landatlasOpts, []compileCase{
		{`name = 'Hafen Nord'`, `p.name = $1`, []any{"Hafen Nord"}},
		{`name <> 'it''s'`, `p.name <> $1`, []any{"it's"}},
		{`name = 'it\'s'`, `p.name = $1`, []any{"it's"}},
		{`name = 'tab\there\\'`, `p.name = $1`, []any{"tab\there\\"}},
		{`name = ''`, `p.name = $1`, []any{""}},
		{`name = 'Straße ☃'`, `p.name = $1`, []any{"Straße ☃"}},
		{`net_area_ha < 2.5`, `p.net_area_ha < $1::numeric`, []any{2.5}},
		{`net_area_ha >= 10`, `p.net_area_ha >= $1::bigint`, []any{int64(10)}},
		{`net_area_ha > -1.5e2`, `p.net_area_ha > $1::bigint`, []any{int64(-150)}},
		{`net_area_ha <= .5`, `p.net_area_ha <= $1::numeric`, []any{0.5}},
		{`net_area_ha > 1E-3`, `p.net_area_ha > $1::numeric`, []any{0.001}},
		{`net_area_ha > +7`, `p.net_area_ha > $1::bigint`, []any{int64(7)}},
		{`net_area_ha > 1e20`, `p.net_area_ha > $1::numeric`, []any{1e20}},
		{`plots = 3`, `p.plot_count = $1::bigint`, []any{int64(3)}},
		{`plots = 2.5`, `p.plot_count = $1::numeric`, []any{2.5}},
		{`available = TRUE`, `p.available = $1::boolean`, []any{true}},
		{`available <> false`, `p.available <> $1::boolean`, []any{false}},
		{`listed_on >= DATE('2022-01-01')`, `p.listed_on >= $1::date`, []any{"2022-01-01"}},
		{`updated_at < TIMESTAMP('2022-01-01T00:00:00Z')`, `p.updated_at < $1::timestamptz`, []any{"2022-01-01T00:00:00Z"}},
		{`updated_at > timestamp('2022-01-01T10:11:12.123456Z')`, `p.updated_at > $1::timestamptz`, []any{"2022-01-01T10:11:12.123456Z"}},
		{`name IS NULL`, `p.name IS NULL`, nil},
		{`geom IS NOT NULL`, `p.geom IS NOT NULL`, nil},
		{`centroid is null`, `(ST_PointOnSurface(p.geom)) IS NULL`, nil},
		{`NOT (name = 'a')`, `NOT (p.name = $1)`, []any{"a"}},
		{`NOT name = 'a'`, `NOT (p.name = $1)`, []any{"a"}},
		{`NOT NOT available = TRUE`, `NOT (NOT (p.available = $1::boolean))`, []any{true}},
		{`name = 'a' AND plots > 1 OR available = true`,
			`((p.name = $1 AND p.plot_count > $2::bigint) OR p.available = $3::boolean)`,
			[]any{"a", int64(1), true}},
		{`name = 'a' AND (plots > 1 OR available = true)`,
			`(p.name = $1 AND (p.plot_count > $2::bigint OR p.available = $3::boolean))`,
			[]any{"a", int64(1), true}},
		{`name = 'a' and plots = 1 and floors = 2`,
			`(p.name = $1 AND p.plot_count = $2::bigint AND p.floors = $3::bigint)`,
			[]any{"a", int64(1), int64(2)}},
		{`NOT (name = 'a' OR name = 'b')`, `NOT (p.name = $1 OR p.name = $2)`, []any{"a", "b"}},
		{`name = 'a' AND NOT plots IS NULL`, `(p.name = $1 AND p.plot_count IS NOT NULL)`, []any{"a"}},
		{`"name" = 'x'`, `p.name = $1`, []any{"x"}},
		{`"owner name" = 'x'`, `o.name = $1`, []any{"x"}},
		{`date = DATE('2022-04-16')`, `p.survey_date = $1::date`, []any{"2022-04-16"}},
		{`"date" = DATE('2022-04-16')`, `p.survey_date = $1::date`, []any{"2022-04-16"}},
		{`TRUE`, `$1::boolean`, []any{true}},
		{`name = 'a' AND false`, `(p.name = $1 AND $2::boolean)`, []any{"a", false}},
		{"\tname\n=\r\n'a'\u00a0", `p.name = $1`, []any{"a"}},
		{`((((name = 'a'))))`, `p.name = $1`, []any{"a"}},
	})
}

func TestCompileAdvancedComparison(t *testing.T) {
	runCompileCases(t, landatlasOpts, []compileCase{
		{`name LIKE 'Hafen%'`, `p.name LIKE $1`, []any{"Hafen%"}},
		{`name like '_afen\%'`, `p.name LIKE $1`, []any{`_afen\%`}},
		{`name NOT LIKE 'a\\\\%'`, `p.name NOT LIKE $1`, []any{`a\\%`}},
		{`NOT name LIKE 'x%'`, `p.name NOT LIKE $1`, []any{"x%"}},
		{`'abc' LIKE 'a%'`, `$1::text LIKE $2::text`, []any{"abc", "a%"}},
		{`net_area_ha BETWEEN 1 AND 2.5`, `(p.net_area_ha BETWEEN $1::bigint AND $2::numeric)`, []any{int64(1), 2.5}},
		{`plots NOT BETWEEN 1 AND 10`, `(p.plot_count NOT BETWEEN $1::bigint AND $2::bigint)`, []any{int64(1), int64(10)}},
		{`net_area_ha BETWEEN 1 AND 2 AND plots = 1`,
			`((p.net_area_ha BETWEEN $1::bigint AND $2::bigint) AND p.plot_count = $3::bigint)`,
			[]any{int64(1), int64(2), int64(1)}},
		{`net_area_ha BETWEEN gross_area_ha * 0.5 AND gross_area_ha`,
			`(p.net_area_ha BETWEEN (p.gross_area_ha * $1::numeric) AND p.gross_area_ha)`, []any{0.5}},
		{`use_type IN ('GE', 'GI')`, `p.use_type IN ($1, $2)`, []any{"GE", "GI"}},
		{`use_type NOT IN ('SO')`, `p.use_type NOT IN ($1)`, []any{"SO"}},
		{`plots IN (1, 2, 3)`, `p.plot_count IN ($1::bigint, $2::bigint, $3::bigint)`, []any{int64(1), int64(2), int64(3)}},
		{`net_area_ha in (1, 1.5)`, `p.net_area_ha IN ($1::bigint, $2::numeric)`, []any{int64(1), 1.5}},
		{`listed_on IN (DATE('2022-01-01'), sold_on)`, `p.listed_on IN ($1::date, p.sold_on)`, []any{"2022-01-01"}},
		// Strings that are dates or timestamps are cast for temporal properties.
		{`listed_on in ('2022-04-14', '2022-04-15')`, `p.listed_on IN ($1::date, $2::date)`, []any{"2022-04-14", "2022-04-15"}},
		{`updated_at in ('2022-04-14T14:52:56Z')`, `p.updated_at IN ($1::timestamptz)`, []any{"2022-04-14T14:52:56Z"}},
		{`'2022-04-14' < listed_on`, `$1::date < p.listed_on`, []any{"2022-04-14"}},
		{`updated_at >= '2022-04-14T14:52:56Z'`, `p.updated_at >= $1::timestamptz`, []any{"2022-04-14T14:52:56Z"}},
		{`name = '2022-04-14'`, `p.name = $1`, []any{"2022-04-14"}},
		{`name IS NOT NULL AND name NOT IN ('a')`, `(p.name IS NOT NULL AND p.name NOT IN ($1))`, []any{"a"}},
	})
}

func TestCompileCaseAccentInsensitive(t *testing.T) {
	runCompileCases(t, landatlasOpts, []compileCase{
		{`CASEI(name) = CASEI('Hafen')`, `lower(p.name) = lower($1::text)`, []any{"Hafen"}},
		{`casei(name) LIKE casei('hafen%')`, `lower(p.name) LIKE lower($1::text)`, []any{"hafen%"}},
		{`ACCENTI(name) = ACCENTI('Müller')`, `unaccent(p.name) = unaccent($1::text)`, []any{"Müller"}},
		{`CASEI(ACCENTI(name)) = CASEI(ACCENTI('Müller'))`,
			`lower(unaccent(p.name)) = lower(unaccent($1::text))`, []any{"Müller"}},
		{`CASEI(use_type) IN (CASEI('ge'), CASEI('GIE'))`,
			`lower(p.use_type) IN (lower($1::text), lower($2::text))`, []any{"ge", "GIE"}},
		{`CASEI(name) = 'x'`, `lower(p.name) = $1::text`, []any{"x"}},
		{`ACCENTI(use_type) = 'anything'`, `unaccent(p.use_type) = $1::text`, []any{"anything"}},
		{`CASEI(name) NOT LIKE CASEI('%süd%')`, `lower(p.name) NOT LIKE lower($1::text)`, []any{"%süd%"}},
	})
}

const toStorage = "ST_Transform(ST_GeomFromText($1, 4326), 25832)"

func TestCompileSpatial(t *testing.T) {
	runCompileCases(t, landatlasOpts, []compileCase{
		{`S_INTERSECTS(geom, POINT(7.02 49.92))`, "ST_Intersects(p.geom, " + toStorage + ")", []any{"POINT(7.02 49.92)"}},
		{`s_intersects(geom, bbox(0, 40, 10, 50))`, "ST_Intersects(p.geom, " + toStorage + ")",
			[]any{"POLYGON((0 40,10 40,10 50,0 50,0 40))"}},
		{`S_INTERSECTS(geom, BBOX(-180,-90,180,90))`, "ST_Intersects(p.geom, " + toStorage + ")",
			[]any{"POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))"}},
		{`S_INTERSECTS(geom, BBOX(150,-90,-150,90))`, "ST_Intersects(p.geom, " + toStorage + ")",
			[]any{"MULTIPOLYGON(((150 -90,180 -90,180 90,150 90,150 -90)),((-180 -90,-150 -90,-150 90,-180 90,-180 -90)))"}},
		{`S_INTERSECTS(geom, BBOX(6, 50, 0, 8, 51, 100))`, "ST_Intersects(p.geom, " + toStorage + ")",
			[]any{"POLYGON((6 50,8 50,8 51,6 51,6 50))"}},
		{`S_INTERSECTS(geom, ENVELOPE(6, 50, 8, 51))`, "ST_Intersects(p.geom, " + toStorage + ")",
			[]any{"POLYGON((6 50,8 50,8 51,6 51,6 50))"}},
		{`S_EQUALS(geom, LINESTRING(7 50, 8 51.5))`, "ST_Equals(p.geom, " + toStorage + ")", []any{"LINESTRING(7 50,8 51.5)"}},
		{`S_DISJOINT(geom, POLYGON((7 50, 8 50, 8 51, 7 50)))`, "ST_Disjoint(p.geom, " + toStorage + ")",
			[]any{"POLYGON((7 50,8 50,8 51,7 50))"}},
		{`S_TOUCHES(geom, POLYGON((7 50, 8 50, 8 51, 7 50), (7.1 50.1, 7.2 50.1, 7.2 50.2, 7.1 50.1)))`,
			"ST_Touches(p.geom, " + toStorage + ")",
			[]any{"POLYGON((7 50,8 50,8 51,7 50),(7.1 50.1,7.2 50.1,7.2 50.2,7.1 50.1))"}},
		{`S_WITHIN(geom, MULTIPOLYGON(((7 50, 8 50, 8 51, 7 50)), ((0 0, 1 0, 1 1, 0 0))))`,
			"ST_Within(p.geom, " + toStorage + ")",
			[]any{"MULTIPOLYGON(((7 50,8 50,8 51,7 50)),((0 0,1 0,1 1,0 0)))"}},
		{`S_OVERLAPS(geom, MULTIPOINT(7.02 49.92, 8 50))`, "ST_Overlaps(p.geom, " + toStorage + ")",
			[]any{"MULTIPOINT((7.02 49.92),(8 50))"}},
		{`S_OVERLAPS(geom, MULTIPOINT((7.02 49.92), (8 50)))`, "ST_Overlaps(p.geom, " + toStorage + ")",
			[]any{"MULTIPOINT((7.02 49.92),(8 50))"}},
		{`S_CROSSES(geom, MULTILINESTRING((7 50, 8 51), (6 49, 6.5 49.5)))`, "ST_Crosses(p.geom, " + toStorage + ")",
			[]any{"MULTILINESTRING((7 50,8 51),(6 49,6.5 49.5))"}},
		{`S_CONTAINS(geom, GEOMETRYCOLLECTION(POINT(7 50), LINESTRING(7 50, 8 51)))`, "ST_Contains(p.geom, " + toStorage + ")",
			[]any{"GEOMETRYCOLLECTION(POINT(7 50),LINESTRING(7 50,8 51))"}},
		{`S_INTERSECTS(geom, POINT Z (7 50 100))`, "ST_Intersects(p.geom, " + toStorage + ")", []any{"POINT Z (7 50 100)"}},
		{`S_INTERSECTS(geom, point(7 50 100))`, "ST_Intersects(p.geom, " + toStorage + ")", []any{"POINT Z (7 50 100)"}},
		{`S_INTERSECTS(geom, POINT(-0.0 1e-7))`, "ST_Intersects(p.geom, " + toStorage + ")", []any{"POINT(0 1e-07)"}},
		// Property-property and literal-literal (property-property class).
		{`S_INTERSECTS(geom, centroid)`, `ST_Intersects(p.geom, (ST_PointOnSurface(p.geom)))`, nil},
		{`S_CONTAINS(BBOX(0,0,10,10), POINT(5 5))`,
			"ST_Contains(" + toStorage + ", ST_Transform(ST_GeomFromText($2, 4326), 25832))",
			[]any{"POLYGON((0 0,10 0,10 10,0 10,0 0))", "POINT(5 5)"}},
		{`S_INTERSECTS(geom, BBOX(0,40,10,50)) AND NOT S_INTERSECTS(geom, BBOX(5,50,10,60))`,
			"(ST_Intersects(p.geom, " + toStorage + ") AND NOT (ST_Intersects(p.geom, ST_Transform(ST_GeomFromText($2, 4326), 25832))))",
			[]any{"POLYGON((0 40,10 40,10 50,0 50,0 40))", "POLYGON((5 50,10 50,10 60,5 60,5 50))"}},
	})
}

func TestCompileFilterCRS(t *testing.T) {
	t.Run("lat/lon order is flipped", func(t *testing.T) {
		runCompileCases(t, CompileOptions{FilterSRID: 4326, FlipAxes: true, StorageSRID: 25832}, []compileCase{
			{`S_INTERSECTS(geom, POINT(49.92 7.02))`, "ST_Intersects(p.geom, " + toStorage + ")", []any{"POINT(7.02 49.92)"}},
			{`S_INTERSECTS(geom, BBOX(40, 0, 50, 10))`, "ST_Intersects(p.geom, " + toStorage + ")",
				[]any{"POLYGON((0 40,10 40,10 50,0 50,0 40))"}},
			{`S_INTERSECTS(geom, POINT Z (49.92 7.02 3))`, "ST_Intersects(p.geom, " + toStorage + ")", []any{"POINT Z (7.02 49.92 3)"}},
		})
	})
	t.Run("filter in storage CRS is not transformed", func(t *testing.T) {
		runCompileCases(t, CompileOptions{FilterSRID: 25832, StorageSRID: 25832}, []compileCase{
			{`S_INTERSECTS(geom, POINT(500000 5700000))`, "ST_Intersects(p.geom, ST_GeomFromText($1, 25832))",
				[]any{"POINT(500000 5700000)"}},
			{`S_INTERSECTS(geom, BBOX(400000, 5600000, 500000.5, 5700000))`, "ST_Intersects(p.geom, ST_GeomFromText($1, 25832))",
				[]any{"POLYGON((400000 5600000,500000.5 5600000,500000.5 5700000,400000 5700000,400000 5600000))"}},
		})
	})
	t.Run("no storage SRID", func(t *testing.T) {
		runCompileCases(t, CompileOptions{}, []compileCase{
			{`S_INTERSECTS(geom, POINT(7 50))`, "ST_Intersects(p.geom, ST_GeomFromText($1, 4326))", []any{"POINT(7 50)"}},
		})
	})
	t.Run("projected bbox must not wrap", func(t *testing.T) {
		_, _, err := compileText(t, `S_INTERSECTS(geom, BBOX(500000, 0, 400000, 10))`, CompileOptions{FilterSRID: 25832})
		assertErr(t, err, []string{"xmin (500000) greater than xmax (400000)"})
	})
	t.Run("flipped coordinates are range-checked after flipping", func(t *testing.T) {
		_, _, err := compileText(t, `S_INTERSECTS(geom, POINT(100 7))`, CompileOptions{FlipAxes: true})
		assertErr(t, err, []string{"coordinate (7, 100) is outside the range"})
	})
}

func TestCompileTemporal(t *testing.T) {
	const iv = `INTERVAL('2021-01-01T00:00:00Z','2021-12-31T23:59:59Z')`
	ivArgs := []any{"2021-01-01T00:00:00Z", "2021-12-31T23:59:59Z"}
	const props = `INTERVAL(valid_from, valid_to)`
	runCompileCases(t, landatlasOpts, []compileCase{
		// Instants.
		{`T_BEFORE(updated_at, TIMESTAMP('2022-04-24T07:59:57Z'))`, `p.updated_at < $1::timestamptz`, []any{"2022-04-24T07:59:57Z"}},
		{`T_AFTER(listed_on, DATE('2022-04-24'))`, `p.listed_on > $1::date`, []any{"2022-04-24"}},
		{`T_DISJOINT(listed_on, DATE('2022-04-24'))`, `p.listed_on <> $1::date`, []any{"2022-04-24"}},
		{`T_EQUALS(listed_on, DATE('2022-04-24'))`, `p.listed_on = $1::date`, []any{"2022-04-24"}},
		{`T_INTERSECTS(listed_on, DATE('2022-04-24'))`, `p.listed_on = $1::date`, []any{"2022-04-24"}},
		{`t_after("date", sold_on)`, `p.survey_date > p.sold_on`, nil},
		// Instant and interval; only the bounds a formula uses are bound.
		{`T_BEFORE(updated_at, ` + iv + `)`, `p.updated_at < $1::timestamptz`, ivArgs[:1]},
		{`T_AFTER(updated_at, ` + iv + `)`, `p.updated_at > $1::timestamptz`, ivArgs[1:]},
		{`T_DISJOINT(updated_at, ` + iv + `)`, `(p.updated_at < $1::timestamptz OR p.updated_at > $2::timestamptz)`, ivArgs},
		{`T_EQUALS(updated_at, ` + iv + `)`, `(p.updated_at = $1::timestamptz AND p.updated_at = $2::timestamptz)`, ivArgs},
		{`T_INTERSECTS(updated_at, ` + iv + `)`, `(p.updated_at <= $1::timestamptz AND p.updated_at >= $2::timestamptz)`,
			[]any{ivArgs[1], ivArgs[0]}},
		{`T_INTERSECTS(listed_on, INTERVAL('2019-09-09', '..'))`, `(p.listed_on <= $1::date AND p.listed_on >= $2::date)`,
			[]any{"infinity", "2019-09-09"}},
		{`T_INTERSECTS(updated_at, INTERVAL('..', '..'))`, `(p.updated_at <= $1::timestamptz AND p.updated_at >= $2::timestamptz)`,
			[]any{"infinity", "-infinity"}},
		// Interval and interval: every function of the temporal-functions class.
		{`T_AFTER(` + props + `, INTERVAL('..','2022-04-16T10:13:19Z'))`, `p.valid_from > $1::timestamptz`, []any{"2022-04-16T10:13:19Z"}},
		{`T_BEFORE(` + props + `, INTERVAL('2023-01-01T00:00:00Z','..'))`, `p.valid_to < $1::timestamptz`, []any{"2023-01-01T00:00:00Z"}},
		{`T_DISJOINT(` + props + `, ` + iv + `)`, `(p.valid_to < $1::timestamptz OR p.valid_from > $2::timestamptz)`, ivArgs},
		{`T_EQUALS(` + props + `, ` + iv + `)`, `(p.valid_from = $1::timestamptz AND p.valid_to = $2::timestamptz)`, ivArgs},
		{`T_INTERSECTS(` + props + `, ` + iv + `)`, `(p.valid_from <= $1::timestamptz AND p.valid_to >= $2::timestamptz)`,
			[]any{ivArgs[1], ivArgs[0]}},
		{`T_CONTAINS(` + props + `, ` + iv + `)`, `(p.valid_from < $1::timestamptz AND $2::timestamptz < p.valid_to)`, ivArgs},
		{`T_DURING(` + props + `, ` + iv + `)`, `($1::timestamptz < p.valid_from AND p.valid_to < $2::timestamptz)`, ivArgs},
		{`T_FINISHEDBY(` + props + `, ` + iv + `)`, `(p.valid_from < $1::timestamptz AND p.valid_to = $2::timestamptz)`, ivArgs},
		{`T_FINISHES(` + props + `, ` + iv + `)`, `($1::timestamptz < p.valid_from AND p.valid_to = $2::timestamptz)`, ivArgs},
		{`T_MEETS(` + props + `, ` + iv + `)`, `p.valid_to = $1::timestamptz`, ivArgs[:1]},
		{`T_METBY(` + props + `, ` + iv + `)`, `p.valid_from = $1::timestamptz`, ivArgs[1:]},
		{`T_OVERLAPPEDBY(` + props + `, ` + iv + `)`,
			`($1::timestamptz < p.valid_from AND p.valid_from < $2::timestamptz AND $2::timestamptz < p.valid_to)`, ivArgs},
		{`T_OVERLAPS(` + props + `, ` + iv + `)`,
			`(p.valid_from < $1::timestamptz AND $1::timestamptz < p.valid_to AND p.valid_to < $2::timestamptz)`, ivArgs},
		{`T_STARTEDBY(` + props + `, ` + iv + `)`, `(p.valid_from = $1::timestamptz AND $2::timestamptz < p.valid_to)`, ivArgs},
		{`T_STARTS(` + props + `, ` + iv + `)`, `(p.valid_from = $1::timestamptz AND p.valid_to < $2::timestamptz)`, ivArgs},
		{`T_DURING(INTERVAL('1969-07-20T20:17:40Z', '1969-07-21T17:54:00Z'), INTERVAL('1969-07-16T13:32:00Z', '1969-07-24T16:50:35Z'))`,
			`($1::timestamptz < $2::timestamptz AND $3::timestamptz < $4::timestamptz)`,
			[]any{"1969-07-16T13:32:00Z", "1969-07-20T20:17:40Z", "1969-07-21T17:54:00Z", "1969-07-24T16:50:35Z"}},
		{`T_MEETS(INTERVAL(listed_on, sold_on), INTERVAL(sold_on, '..'))`, `p.sold_on = p.sold_on`, nil},
	})
}

func TestCompileArithmetic(t *testing.T) {
	runCompileCases(t, landatlasOpts, []compileCase{
		{`net_area_ha * 10000 > 5000`, `(p.net_area_ha * $1::bigint) > $2::bigint`, []any{int64(10000), int64(5000)}},
		{`gross_area_ha - net_area_ha >= 0.5`, `(p.gross_area_ha - p.net_area_ha) >= $1::numeric`, []any{0.5}},
		{`plots + floors * 2 = 10`, `(p.plot_count + (p.floors * $1::bigint)) = $2::bigint`, []any{int64(2), int64(10)}},
		{`(plots + floors) * 2 = 10`, `((p.plot_count + p.floors) * $1::bigint) = $2::bigint`, []any{int64(2), int64(10)}},
		{`plots - floors - 1 = 0`, `((p.plot_count - p.floors) - $1::bigint) = $2::bigint`, []any{int64(1), int64(0)}},
		{`plots / 2 > 1`, `(p.plot_count::numeric / $1::bigint) > $2::bigint`, []any{int64(2), int64(1)}},
		{`net_area_ha / 2 > 1`, `(p.net_area_ha / $1::bigint) > $2::bigint`, []any{int64(2), int64(1)}},
		{`plots % 2 = 0`, `mod(p.plot_count, $1::bigint) = $2::bigint`, []any{int64(2), int64(0)}},
		{`net_area_ha % 2 = 0`, `mod(p.net_area_ha::numeric, $1::bigint::numeric) = $2::bigint`, []any{int64(2), int64(0)}},
		{`plots DIV 2 = 1`, `(p.plot_count / $1::bigint) = $2::bigint`, []any{int64(2), int64(1)}},
		{`net_area_ha div 2 = 1`, `div(p.net_area_ha::numeric, $1::bigint::numeric) = $2::bigint`, []any{int64(2), int64(1)}},
		{`2 ^ floors > 8`, `power($1::bigint, p.floors) > $2::bigint`, []any{int64(2), int64(8)}},
		{`floors ^ 2 ^ 3 > 8`, `power(p.floors, power($1::bigint, $2::bigint)) > $3::bigint`, []any{int64(2), int64(3), int64(8)}},
		{`-net_area_ha < -1`, `($1::bigint * p.net_area_ha) < $2::bigint`, []any{int64(-1), int64(-1)}},
		{`-(plots + 1) < 0`, `($1::bigint * (p.plot_count + $2::bigint)) < $3::bigint`, []any{int64(-1), int64(1), int64(0)}},
		{`net_area_ha * 2 BETWEEN 1 AND 3`, `((p.net_area_ha * $1::bigint) BETWEEN $2::bigint AND $3::bigint)`,
			[]any{int64(2), int64(1), int64(3)}},
		{`plots IN (floors + 1, 3)`, `p.plot_count IN ((p.floors + $1::bigint), $2::bigint)`, []any{int64(1), int64(3)}},
	})
}

func TestCompilePropertyProperty(t *testing.T) {
	runCompileCases(t, landatlasOpts, []compileCase{
		{`net_area_ha < gross_area_ha`, `p.net_area_ha < p.gross_area_ha`, nil},
		{`plots <= net_area_ha`, `p.plot_count <= p.net_area_ha`, nil},
		{`listed_on < sold_on`, `p.listed_on < p.sold_on`, nil},
		{`'GE' = use_type`, `$1 = p.use_type`, []any{"GE"}},
		{`5 < net_area_ha`, `$1::bigint < p.net_area_ha`, []any{int64(5)}},
		{`1 = 1`, `$1::bigint = $2::bigint`, []any{int64(1), int64(1)}},
		{`'a' <> 'b'`, `$1::text <> $2::text`, []any{"a", "b"}},
		{`DATE('2022-01-01') < sold_on`, `$1::date < p.sold_on`, []any{"2022-01-01"}},
		{`name = "owner name"`, `p.name = o.name`, nil},
	})
}

func TestCompileArgOffset(t *testing.T) {
	runCompileCases(t, CompileOptions{ArgOffset: 3, StorageSRID: 25832}, []compileCase{
		{`name = 'a' AND S_INTERSECTS(geom, POINT(7 50))`,
			`(p.name = $4 AND ST_Intersects(p.geom, ST_Transform(ST_GeomFromText($5, 4326), 25832)))`,
			[]any{"a", "POINT(7 50)"}},
	})
}

func TestCompileErrors(t *testing.T) {
	runTextErrCases(t, []errCase{
		{`remarks = 'x'`, []string{`unknown property "remarks" at position 0; queryable properties are: available, centroid, date, floors,`}},
		{`Name = 'x'`, []string{`unknown property "Name"`, `did you mean "name"?`}},
		{`name = 'a' AND T_AFTER(foo, DATE('2022-01-01'))`, []string{`unknown property "foo" at position 23`}},
		{`use_type = 'XX'`, []string{`property "use_type" takes one of GE, GI, SO, MI, GEe, GIe; got "XX" at position 11`}},
		{`use_type <> 'ge'`, []string{`takes one of GE, GI`, `got "ge"`}},
		{`'XX' = use_type`, []string{`got "XX"`}},
		{`use_type IN ('GE', 'XX')`, []string{`takes one of`, `got "XX"`}},
		{`CASEI(use_type) = CASEI('xx')`, []string{`got "xx"`}},
		{`name = 5`, []string{`cannot compare property "name" (String) with the number 5 (Integer) in =`, "write strings in single quotes"}},
		{`net_area_ha = '5'`, []string{`cannot compare property "net_area_ha" (Number) with the string "5" (String)`, "write numbers without quotes"}},
		{`'5' = net_area_ha`, []string{"write numbers without quotes"}},
		{`available = 1`, []string{"use TRUE or FALSE"}},
		{`listed_on = TIMESTAMP('2022-01-01T00:00:00Z')`, []string{`property "listed_on" (Date)`, "DATE('2024-01-31')"}},
		{`updated_at > DATE('2022-01-01')`, []string{"TIMESTAMP('2024-01-31T12:00:00Z')"}},
		{`listed_on = '31.01.2022'`, []string{"write dates as DATE("}},
		{`updated_at IN ('2022-01-01')`, []string{"TIMESTAMP('2024-01-31T12:00:00Z')"}},
		{`geom = POINT(1 2)`, []string{`property "geom" is a geometry and cannot be compared with =`, "S_INTERSECTS"}},
		{`geom IN (POINT(1 2))`, []string{"cannot be used with IN"}},
		{`plots IN (1, 'a')`, []string{`cannot compare property "plots" (Integer) with the string "a" (String) in IN`}},
		{`net_area_ha LIKE '5%'`, []string{`LIKE needs a string, but property "net_area_ha" is a Number`}},
		{`name BETWEEN 'a' AND 'b'`, []string{`BETWEEN needs numbers, but property "name" is a String`}},
		{`listed_on BETWEEN DATE('2022-01-01') AND DATE('2022-02-01')`, []string{"BETWEEN needs numbers", "T_DURING"}},
		{`S_INTERSECTS(name, POINT(1 2))`, []string{`S_INTERSECTS needs geometries, but property "name" is a String`}},
		{`S_WITHIN(geom, 'POINT(1 2)')`, []string{`S_WITHIN needs geometries, but the string "POINT(1 2)" is a String`}},
		{`T_AFTER(name, DATE('2022-01-01'))`, []string{`T_AFTER needs dates or timestamps, but property "name" is a String`}},
		{`T_AFTER(listed_on, 5)`, []string{"T_AFTER needs dates, timestamps or intervals, got the number 5"}},
		{`T_MEETS(listed_on, INTERVAL('2022-01-01','2022-02-01'))`, []string{`T_MEETS compares intervals, but property "listed_on" is an instant`}},
		{`T_DURING(INTERVAL('2022-01-01','2022-02-01'), DATE('2022-01-05'))`, []string{`T_DURING compares intervals, but DATE('2022-01-05') is an instant`}},
		{`T_AFTER(listed_on, TIMESTAMP('2022-01-01T00:00:00Z'))`, []string{"T_AFTER compares a Date with a Timestamp"}},
		{`T_INTERSECTS(INTERVAL(listed_on, updated_at), INTERVAL('..','..'))`, []string{"compares a Date with a Timestamp"}},
		{`name = INTERVAL('2022-01-01','..')`, []string{"an INTERVAL can only be used in temporal functions"}},
		{`name + 1 = 2`, []string{`arithmetic (+) needs numbers, but property "name" is a String`}},
		{`plots / 0 = 1`, []string{"division by zero"}},
		{`plots % 0.0 = 1`, []string{"division by zero"}},
		{`CASEI(plots) = 1`, []string{`CASEI needs a string, but property "plots" is an Integer`}},
		{`S_INTERSECTS(geom, POINT(90 180))`, []string{"coordinate (90, 180) is outside the range of longitude and latitude"}},
		{`S_INTERSECTS(geom, MULTIPOINT(7.02 49.92, 90 180))`, []string{"outside the range"}},
		{`S_INTERSECTS(geom, BBOX(-181, 0, 10, 10))`, []string{"outside the range"}},
	})
}

func TestCompileMisc(t *testing.T) {
	e, err := ParseText(`name = 'a'`)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Compile(nil, testCatalog(), CompileOptions{}); err == nil {
		t.Error("Compile(nil) succeeded")
	}
	if _, _, err := Compile(e, testCatalog(), CompileOptions{ArgOffset: -1}); err == nil {
		t.Error("negative ArgOffset accepted")
	}
	_, _, err = Compile(e, nil, CompileOptions{})
	assertErr(t, err, []string{`unknown property "name"`, "no queryable properties"})
	_, _, err = Compile(e, Queryables{"name": {Type: String}}, CompileOptions{})
	assertErr(t, err, []string{`property "name" is not configured for filtering`})
	// Compiling is deterministic and does not modify the expression.
	a1, _, _ := Compile(e, testCatalog(), CompileOptions{})
	a2, _, _ := Compile(e, testCatalog(), CompileOptions{})
	if a1 != a2 {
		t.Errorf("nondeterministic: %q vs %q", a1, a2)
	}
	// A catalog without NameLister still gets a useful message.
	_, _, err = Compile(e, lookupOnly{}, CompileOptions{})
	assertErr(t, err, []string{`unknown property "name" at position 0`})
}

type lookupOnly struct{}

func (lookupOnly) Lookup(string) (Queryable, bool) { return Queryable{}, false }

func TestCompileTooManyArgs(t *testing.T) {
	e, err := ParseText(`name = 'a' AND name = 'b'`)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Compile(e, testCatalog(), CompileOptions{ArgOffset: maxBindArgs - 1})
	assertErr(t, err, []string{"too many literal values"})
}
