package cql2

import (
	"fmt"
	"testing"
)

// atsCatalog mirrors the test dataset of the CQL2 abstract test suite
// (OGC 21-065r2 Annex A: ne_110m_populated_places_simple and
// ne_110m_admin_0_countries).
func atsCatalog() Queryables {
	return Queryables{
		"name":      {SQL: "t.name", Type: String},
		"NAME":      {SQL: "t.name_upper", Type: String},
		"POP_EST":   {SQL: "t.pop_est", Type: Number},
		"pop_other": {SQL: "t.pop_other", Type: Integer},
		"date":      {SQL: "t.date", Type: Date},
		"start":     {SQL: "t.start", Type: Timestamp},
		"end":       {SQL: "t.end_", Type: Timestamp},
		"boolean":   {SQL: "t.boolean", Type: Boolean},
		"geom":      {SQL: "t.geom", Type: Geometry},
	}
}

// atsPredicates are predicates of the abstract test suite that must be
// evaluated successfully.
var atsPredicates = []string{
	// Basic CQL2.
	`NAME='Luxembourg'`, `NAME>='Luxembourg'`, `NAME<='Luxembourg'`, `NAME<>'Luxembourg'`,
	`POP_EST=37589262`, `POP_EST<37589262`, `name IS NOT NULL`, `name IS NULL`, `name='København'`,
	`pop_other<>1038288`, `"date" IS NOT NULL`, `"date"=DATE('2022-04-16')`, `"date"<>DATE('2022-04-16')`,
	`start=TIMESTAMP('2022-04-16T10:13:19Z')`, `start<=TIMESTAMP('2022-04-16T10:13:19Z')`,
	`boolean IS NOT NULL`, `boolean=true`, `boolean=false`, `true`, `false`,
	`name > 'foo'`, `POP_EST >= 3.14`, `pop_other < 1`, `start > TIMESTAMP('2022-04-14T14:48:46Z')`, `"date" <= DATE('2022-04-14')`,
	`name is not null`,
	`(NOT (name<>'København') AND pop_other<>1038288) OR (pop_other IS NULL and name<'København') or not (pop_other<>1038288 OR name<'København')`,
	// Advanced comparison operators.
	`name LIKE '%'`, `name like '_%'`, `name like ''`, `name like '%%'`, `name like '\\%\\_'`, `name like '\%\_'`,
	`name LIKE 'B_r%'`, `name NOT LIKE 'B_r%'`,
	`pop_other between 1000000 and 3000000`, `pop_other not between 1000000 and 3000000`,
	`POP_EST BETWEEN 0 AND 100`, `POP_EST between 100.0 and 1.0`,
	`name IN ('Kiev','kobenhavn','Berlin','athens','foo')`, `name NOT IN ('Kiev','kobenhavn','Berlin','athens','foo')`,
	`pop_other in (1038288,1611692,3013258,3013257,3013259)`, `pop_other IN (1, 2, 3)`, `name in ('foo', 'bar')`,
	`"date" in (DATE('2021-04-16'),DATE('2022-04-16'),DATE('2022-04-18'))`,
	`start not in (TIMESTAMP('2022-04-16T10:13:19Z'))`, `boolean in (true)`, `boolean not in (false)`,
	`start in ('2022-04-14T14:52:56Z', '2022-04-14T15:52:56Z')`, `"date" in ('2022-04-14', '2022-04-15')`,
	// Case- and accent-insensitive comparison.
	`CASEI(name) = casei('KIEV')`, `CASEI(name) LIKE CASEI('b_r%')`, `CASEI(name) IN (casei('Kiev'), casei('athens'))`,
	`ACCENTI(name) = accenti('Kobenhavn')`, `ACCENTI(CASEI(name)) = accenti(casei('kobenhavn'))`,
	// Basic spatial functions, with additional spatial literals, spatial functions.
	`S_INTERSECTS(geom,BBOX(-180,-90,180,90))`, `S_INTERSECTS(geom,POINT(7.02 49.92))`,
	`S_INTERSECTS(geom,BBOX(-180,-90,-90,90)) AND S_INTERSECTS(geom,BBOX(90,-90,180,90))`,
	`S_INTERSECTS(geom,BBOX(0,40,10,50))`, `S_INTERSECTS(geom,BBOX(150,-90,-150,90))`,
	`S_INTERSECTS(geom,BBOX(0,40,10,50)) and not S_INTERSECTS(geom,BBOX(5,50,10,60))`,
	`S_INTERSECTS(geom,BBOX(0,40,10,50)) or S_INTERSECTS(geom,BBOX(-90,40,-60,50))`,
	`S_INTERSECTS(geom,LINESTRING(-180 -45, 0 -45))`,
	`S_INTERSECTS(geom,MULTILINESTRING((-180 -45, 0 -45), (0 45, 180 45)))`,
	`S_INTERSECTS(geom,POLYGON((-180 -90, -90 -90, -90 90, -180 90, -180 -90), (-120 -50, -100 -50, -100 -40, -120 -40, -120 -50)))`,
	`S_INTERSECTS(geom,MULTIPOLYGON(((-180 -90, -90 -90, -90 90, -180 90, -180 -90), (-120 -50, -100 -50, -100 -40, -120 -40, -120 -50)),((0 0, 10 0, 10 10, 0 10, 0 0))))`,
	`S_INTERSECTS(geom,GEOMETRYCOLLECTION(POINT(7.02 49.92), POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))))`,
	`S_EQUALS(geom,POINT(7.02 49.92))`, `S_DISJOINT(geom,BBOX(0,40,10,50))`, `S_TOUCHES(geom,BBOX(0,40,10,50))`,
	`S_WITHIN(geom,BBOX(0,40,10,50))`, `S_OVERLAPS(geom,BBOX(0,40,10,50))`, `S_CROSSES(geom,LINESTRING(0 40, 10 50))`,
	`S_CONTAINS(geom,POINT(7.02 49.92))`,
	// Temporal functions.
	`t_after("date",date('2022-04-16'))`, `t_before("date",date('2022-04-16'))`, `t_disjoint("date",date('2022-04-16'))`,
	`t_equals("date",date('2022-04-16'))`, `t_intersects("date",date('2022-04-16'))`,
	`t_after("date",interval('2022-01-01','2022-12-31'))`, `t_equals("date",interval('2022-04-16','2022-04-16'))`,
	`t_after(start,timestamp('2022-04-16T10:13:19Z'))`, `t_intersects(start,interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))`,
	`t_after(interval(start,end),interval('..','2022-04-16T10:13:19Z'))`,
	`t_before(interval(start,end),interval('2023-01-01T00:00:00Z','..'))`,
	`t_disjoint(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:09Z'))`,
	`t_equals(interval(start,end),interval('2021-04-16T10:15:59Z','2022-04-16T10:16:06Z'))`,
	`T_CONTAINS(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))`,
	`T_DURING(interval(start,end),interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))`,
	`T_FINISHES(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:16:06Z'))`,
	`T_FINISHEDBY(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:16:06Z'))`,
	`T_MEETS(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))`,
	`T_METBY(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))`,
	`T_OVERLAPPEDBY(interval(start,end),interval('2020-04-16T10:13:19Z','2022-04-16T10:15:10Z'))`,
	`T_OVERLAPS(interval(start,end),interval('2022-04-16T10:13:19Z','2023-04-16T10:15:10Z'))`,
	`T_STARTEDBY(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))`,
	`T_STARTS(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))`,
	// Arithmetic and property-property.
	`pop_other + 1 > POP_EST * 2`, `pop_other div 2 >= pop_other % 3`, `POP_EST ^ 2 > -pop_other`,
	`start < end`, `NAME <> name`,
}

func TestATSPredicates(t *testing.T) {
	for _, p := range atsPredicates {
		t.Run(p, func(t *testing.T) {
			e, err := ParseText(p)
			if err != nil {
				t.Fatal(err)
			}
			sql, args, err := Compile(e, atsCatalog(), CompileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkSQLShape(t, sql, args, 0)
		})
	}
	// The logical test combines stored predicates as
	// ((NOT p1 AND p2) OR (p3 and NOT p4) or not (p1 AND p4)).
	for i := 0; i+3 < len(atsPredicates); i += 7 {
		p1, p2, p3, p4 := atsPredicates[i], atsPredicates[i+1], atsPredicates[i+2], atsPredicates[i+3]
		f := fmt.Sprintf("((NOT %s AND %s) OR (%s and NOT %s) or not (%s AND %s))", p1, p2, p3, p4, p1, p4)
		e, err := ParseText(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		sql, args, err := Compile(e, atsCatalog(), CompileOptions{ArgOffset: 1})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		checkSQLShape(t, sql, args, 1)
	}
}

// TestATSInvalidCoordinates: the suite requires these to fail.
func TestATSInvalidCoordinates(t *testing.T) {
	for _, p := range []string{
		`S_INTERSECTS(geom,POINT(90 180))`,
		`S_INTERSECTS(geom,MULTIPOINT(7.02 49.92, 90 180))`,
	} {
		e, err := ParseText(p)
		if err == nil {
			_, _, err = Compile(e, atsCatalog(), CompileOptions{})
		}
		assertErr(t, err, []string{"outside the range of longitude and latitude"})
	}
}
