package tiles

import (
	"crypto/sha256"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/query"
	"landatlas/internal/region"
)

// Tile geometry: coordinates are integers in a square of extent units; shapes reach buffer units
// beyond its edges so that lines and fills join without seams.
const (
	extent      = 4096
	buffer      = 64
	unitsPerPx  = extent / 256 // a pixel of a 256-pixel tile
	earthCircum = 2 * math.Pi * 6378137
)

// request is what one tile shows: a collection at z/x/y, as a reader may see it, filtered.
type request struct {
	layer    catalog.Collection
	z        int
	x, y     uint32
	internal bool // the reader sees internal records and attributes
	*selected
}

// selected is the selection of features the query core built for a reader and a filter, its
// placeholders bound in args. The service keeps it for the next tiles of the same layer and filter
// (Service.selected), with the hash of its tile query per zoom level: a warm tile is then found
// without compiling its filter or writing its query again, which took a third of the CPU of a
// cache hit.
type selected struct {
	sel  query.SQL
	args *query.Args

	mu     sync.Mutex
	hashes map[int][sha256.Size]byte
}

// queryHash is the hash of the tile query at q's zoom and of the selection's values: what the
// cache key and the ETag say about the query (the tile's coordinates are in the key).
func (s *selected) queryHash(q request) [sha256.Size]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.hashes[q.z]; ok {
		return h
	}
	sql, _ := tileSQL(q, levels(q.layer, q.z)[0])
	h := sha256.New()
	h.Write([]byte(sql))
	for _, v := range s.args.Values() {
		fmt.Fprintf(h, "\x00%T:%v", v, v)
	}
	if s.hashes == nil {
		s.hashes = map[int][sha256.Size]byte{}
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	s.hashes[q.z] = sum
	return sum
}

// level is one way of drawing a tile; build tries a request's levels in order until the tile fits
// MaxTileBytes.
type level struct {
	// cell is the side, in extent units, of the grid cells features are clustered in as points;
	// 0 draws every feature as it is.
	cell int
}

// levels returns the ways of drawing a collection at zoom z, most detailed first. The last one has
// a few dozen clusters at most, so some level always fits the budget.
func levels(c catalog.Collection, z int) []level {
	var ls []level
	if z >= c.TilePointsBelow {
		ls = append(ls, level{})
	}
	return append(ls, level{cell: 64}, level{cell: 256}, level{cell: 1024})
}

// metresPerUnit is the ground length of one extent unit in the middle of the tile: the stored
// EPSG:25832 is true to scale there, Web Mercator is stretched by 1/cos(latitude).
func (q request) metresPerUnit() float64 {
	centre := maptile.New(q.x, q.y, maptile.Zoom(q.z)).Center()
	return earthCircum / math.Exp2(float64(q.z)) / extent * math.Cos(centre.Lat()*math.Pi/180)
}

// tileSQL returns the query of a tile at a level and its arguments. It selects two values: the data
// version of the snapshot the tile is read from, as the reader sees it, and the MVT (NULL when no feature is in the tile).
// Every identifier comes from the catalog; every value is a bind argument.
func tileSQL(q request, lv level) (string, []any) {
	a := q.args.Clone()
	c := q.layer
	zxy := a.Bind(q.z) + "::int, " + a.Bind(int64(q.x)) + "::int, " + a.Bind(int64(q.y)) + "::int"
	t := tileEnvelopes(a, q, zxy, lv)

	where := append([]string(nil), q.sel.Where...)
	var sb strings.Builder
	if lv.cell == 0 {
		shapesSQL(&sb, q, a, t, where)
	} else {
		clustersSQL(&sb, q, a, t, lv.cell, where)
	}
	mvtArgs := a.Bind(c.ID) + "::text, " + strconv.Itoa(extent) + ", 'geom'"
	if featureIDs(c) {
		mvtArgs += ", 'feature_id'"
	}
	return "WITH features AS (" + sb.String() + ")\n" +
		"SELECT (SELECT sum(" + query.VersionColumn(q.internal) + ") FROM collection_versions WHERE collection = ANY(" + a.Bind(c.DataVersions) + "::text[]))::bigint,\n" +
		"       (SELECT ST_AsMVT(f, " + mvtArgs + ") FROM features f)", a.Values()
}

// envelopes are the SQL of a tile's envelope in Web Mercator, for ST_AsMVTGeom, and in the stored
// EPSG:25832, for the spatial index (with the buffer for shapes, which reach beyond the edges).
// Planned with the arguments known (tileSettings), the query has PostgreSQL compute both once and
// estimate the rows in the tile from its statistics.
type envelopes struct{ mercator, lookup string }

func tileEnvelopes(a *query.Args, q request, zxy string, lv level) envelopes {
	e := envelopes{mercator: "ST_TileEnvelope(" + zxy + ")"}
	margin := 0.0
	if lv.cell == 0 {
		margin = float64(buffer) / extent
	}
	// A low-zoom tile reaches outside the area where EPSG:25832 is defined: it is clipped to the
	// storage area in longitude/latitude first, as filters are, which keeps every stored feature.
	if b := q.lonLatBound(margin); !inside(b, region.StorageArea) {
		envelope := "ST_MakeEnvelope(" + a.Bind(b.Min.Lon()) + "::float8, " + a.Bind(b.Min.Lat()) + "::float8, " +
			a.Bind(b.Max.Lon()) + "::float8, " + a.Bind(b.Max.Lat()) + "::float8, 4326)"
		e.lookup = cql2.ClipTransformSQL(envelope, region.StorageArea, region.StorageSRID, a.Bind)
		return e
	}
	e.lookup = "ST_Transform(" + e.mercator + ", 25832)"
	if lv.cell == 0 {
		e.lookup = "ST_Transform(ST_TileEnvelope(" + zxy + ", margin => " + a.Bind(margin) + "::float8), 25832)"
	}
	return e
}

// lonLatBound returns the tile's envelope in longitude/latitude, grown by margin (a fraction of
// the tile's side) each way and cut at the antimeridian.
func (q request) lonLatBound(margin float64) orb.Bound {
	const half = earthCircum / 2
	side := earthCircum / math.Exp2(float64(q.z))
	west, north := -half+float64(q.x)*side, half-float64(q.y)*side
	toLon := func(x float64) float64 { return max(-180, min(180, x/half*180)) }
	toLat := func(y float64) float64 { return math.Atan(math.Sinh(y/half*math.Pi)) * 180 / math.Pi }
	m := margin * side
	return orb.Bound{
		Min: orb.Point{toLon(west - m), toLat(north - side - m)},
		Max: orb.Point{toLon(west + side + m), toLat(north + m)},
	}
}

// inside reports whether b lies within area (west, south, east, north).
func inside(b orb.Bound, area [4]float64) bool {
	return b.Min.Lon() >= area[0] && b.Min.Lat() >= area[1] && b.Max.Lon() <= area[2] && b.Max.Lat() <= area[3]
}

// shapesSQL selects each feature with its attributes and its geometry in tile units. Lines and
// polygons are simplified by a tile unit, which the grid of the tile would lose anyway; a shape
// smaller than a pixel each way would be invisible and becomes a point on its surface instead.
func shapesSQL(sb *strings.Builder, q request, a *query.Args, t envelopes, where []string) {
	c := q.layer
	inTile := func(geom string, buffer int) string {
		return "ST_AsMVTGeom(" + geom + ", " + t.mercator + ", " + strconv.Itoa(extent) + ", " + strconv.Itoa(buffer) + ", true)"
	}
	geom := inTile("ST_Transform("+c.Geom+", 3857)", 0)
	if c.GeomType != "Point" {
		unit := q.metresPerUnit()
		size := "greatest(ST_XMax(" + c.Geom + ") - ST_XMin(" + c.Geom + "), ST_YMax(" + c.Geom + ") - ST_YMin(" + c.Geom + "))"
		geom = "CASE WHEN " + size + " >= " + a.Bind(unit*unitsPerPx) + "::float8\n" +
			"  THEN " + inTile("ST_Transform(ST_Simplify("+c.Geom+", "+a.Bind(unit)+"::float8, true), 3857)", buffer) + "\n" +
			"  ELSE " + inTile("ST_Transform(ST_PointOnSurface("+c.Geom+"), 3857)", 0) + " END"
	}
	where = append(where, c.Geom+" && "+t.lookup)
	sb.WriteString("SELECT ")
	if featureIDs(c) {
		sb.WriteString(c.IDColumn + " AS feature_id, ")
	}
	for _, p := range tileProperties(c, q.internal) {
		sb.WriteString(p.PropertySQL(q.internal) + " AS " + pgx.Identifier{p.Name}.Sanitize() + ", ")
	}
	sb.WriteString(geom + " AS geom\nFROM " + q.sel.From + "\nWHERE " + strings.Join(where, "\n  AND "))
}

// clustersSQL draws features as points: a point on each feature's surface; each feature whose point
// lies in the tile falls into a cell of a grid of cell × cell tile units (laid out in EPSG:25832, so
// only the cells are transformed); a cell with one feature is that feature as a point, a cell with
// several is one point at the mean of theirs with "count", the sum of area attributes (Number) and
// every other attribute its members share. Adjacent tiles share the corners of their envelopes, so
// every feature is counted in exactly one tile.
func clustersSQL(sb *strings.Builder, q request, a *query.Args, t envelopes, cell int, where []string) {
	c := q.layer
	props := tileProperties(c, q.internal)
	where = append(where, c.Geom+" && "+t.lookup)

	members := "SELECT "
	if featureIDs(c) {
		members += c.IDColumn + " AS feature_id, "
	}
	for _, p := range props {
		members += p.PropertySQL(q.internal) + " AS " + pgx.Identifier{p.Name}.Sanitize() + ", "
	}
	// The OFFSET 0 fences make PostgreSQL compute each point once rather than once per use.
	side := a.Bind(float64(cell)*q.metresPerUnit()) + "::float8"
	members += "pt.c, floor(ST_X(pt.c) / " + side + ") AS cell_x, floor(ST_Y(pt.c) / " + side + ") AS cell_y, " +
		"ST_Intersects(pt.c, " + t.lookup + ") AS inside\nFROM " + q.sel.From +
		" CROSS JOIN LATERAL (SELECT ST_PointOnSurface(" + c.Geom + ") AS c OFFSET 0) pt\nWHERE " + strings.Join(where, "\n  AND ") +
		"\nOFFSET 0"

	sb.WriteString("SELECT ")
	if featureIDs(c) {
		sb.WriteString("CASE WHEN count(*) = 1 THEN min(m.feature_id) END AS feature_id, ")
	}
	sb.WriteString("count(*) AS count, ")
	for _, p := range props {
		col := "m." + pgx.Identifier{p.Name}.Sanitize()
		var agg string
		switch p.Type {
		case cql2.Number:
			agg = "sum(" + col + ")"
		case cql2.Boolean:
			agg = "CASE WHEN bool_and(" + col + ") = bool_or(" + col + ") THEN bool_and(" + col + ") END"
		case cql2.String:
			col += ` COLLATE "C"` // compared for equality only: no need for the slow rules of a language
			fallthrough
		default:
			agg = "CASE WHEN min(" + col + ") = max(" + col + ") THEN min(" + col + ") END"
		}
		sb.WriteString(agg + " AS " + pgx.Identifier{p.Name}.Sanitize() + ", ")
	}
	sb.WriteString("ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_MakePoint(avg(ST_X(m.c)), avg(ST_Y(m.c))), 25832), 3857), " + t.mercator + ", " +
		strconv.Itoa(extent) + ", 0, true) AS geom\nFROM (" + members + ") m\n" +
		"WHERE m.inside\nGROUP BY m.cell_x, m.cell_y")
}

// tileProperties returns the attributes a map style needs that the reader may see.
func tileProperties(c catalog.Collection, internal bool) []catalog.Property {
	var out []catalog.Property
	for _, p := range c.Visible(internal) {
		if p.Tile {
			out = append(out, p)
		}
	}
	return out
}

// featureIDs reports whether tile features carry the collection's id as MVT feature id, which
// must be an unsigned integer; districts and municipalities are named by their AGS attribute.
func featureIDs(c catalog.Collection) bool { return c.IDType == cql2.Integer }
