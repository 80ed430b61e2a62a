package cql2

import "strconv"

// ClipTransformSQL returns the SQL of geom, a geometry in longitude/latitude (EPSG:4326), clipped
// to area (west, south, east, north), densified to 0.05° and transformed to srid. It is how a
// geographic shape that reaches far outside a projected CRS's area of use gets there: PostGIS
// cannot transform such coordinates and either fails ("Point outside of projection domain") or
// returns degenerate geometry. The densified edges follow the curves the straight lon/lat edges
// become in the projection. bind hands out the placeholder of each value of area.
func ClipTransformSQL(geom string, area [4]float64, srid int, bind func(any) string) string {
	return "ST_Transform(ST_Segmentize(ST_Intersection(" + geom + ", ST_MakeEnvelope(" + bind(area[0]) + "::float8, " +
		bind(area[1]) + "::float8, " + bind(area[2]) + "::float8, " + bind(area[3]) + "::float8, 4326)), 0.05), " +
		strconv.Itoa(srid) + ")"
}
