package cql2

import "testing"

// A geographic literal reaching outside the storage area is clipped to it before the transform:
// PostGIS turns a whole-world BBOX in UTM 32N into a line, and S_INTERSECTS matched nothing.
func TestGeographicLiteralsAreClippedToTheStorageArea(t *testing.T) {
	opt := CompileOptions{StorageSRID: 25832, StorageArea: [4]float64{-16.1, 32.88, 40.18, 84.73}}
	const clipped = "ST_Transform(ST_Segmentize(ST_Intersection(ST_GeomFromText($1, 4326), " +
		"ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4326)), 0.05), 25832)"
	area := []any{-16.1, 32.88, 40.18, 84.73}
	runCompileCases(t, opt, []compileCase{
		{"S_INTERSECTS(geom, BBOX(-180,-90,180,90))", "ST_Intersects(p.geom, " + clipped + ")", append([]any{"POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))"}, area...)},
		{"S_WITHIN(geom, POLYGON((0 0, 60 0, 60 60, 0 60, 0 0)))", "ST_Within(p.geom, " + clipped + ")",
			append([]any{"POLYGON((0 0,60 0,60 60,0 60,0 0))"}, area...)},
		// Inside the area the literal is transformed as it is.
		{"S_INTERSECTS(geom, BBOX(11,51,12,52))", "ST_Intersects(p.geom, ST_Transform(ST_GeomFromText($1, 4326), 25832))",
			[]any{"POLYGON((11 51,12 51,12 52,11 52,11 51))"}},
	})
}
