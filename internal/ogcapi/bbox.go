package ogcapi

import (
	"math"
	"strconv"
	"strings"

	"landatlas/internal/region"
)

// bbox is a bounding box in x/y order of its CRS (easting/northing, longitude/latitude).
type bbox struct {
	MinX, MinY, MaxX, MaxY float64
	CRS                    crs
}

// etrs89Area is the area of use of ETRS89 (EPSG:4258) in longitude/latitude: Europe. All landatlas
// data lie in it, so a geographic bbox is clipped to it before it is transformed to the storage
// CRS, which is undefined far outside it.
var etrs89Area = region.StorageArea

// parseBBox reads bbox: 4 numbers (lower left, upper right) or 6 (with heights, which are
// ignored: the data are 2D), in the axis order of its CRS. For EPSG:4326 that is
// latitude, longitude; the result is always in x/y order.
func parseBBox(v string, c crs) (*bbox, error) {
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, invalid("bbox", "%q has %d numbers; give 4 (minx,miny,maxx,maxy) or 6 (minx,miny,minz,maxx,maxy,maxz)", v, len(parts))
	}
	n := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, invalid("bbox", "%q is not a number; bbox takes 4 or 6 comma-separated numbers", p)
		}
		n[i] = f
	}
	if len(n) == 6 {
		if n[2] > n[5] {
			return nil, invalid("bbox", "the lower height %g is above the upper height %g", n[2], n[5])
		}
		n = []float64{n[0], n[1], n[3], n[4]}
	}
	if c.LatLon {
		n = []float64{n[1], n[0], n[3], n[2]}
	}
	b := &bbox{MinX: n[0], MinY: n[1], MaxX: n[2], MaxY: n[3], CRS: c}
	axes := "minx,miny,maxx,maxy"
	if c.LatLon {
		axes = "minlat,minlon,maxlat,maxlon"
	}
	if b.MinY > b.MaxY {
		return nil, invalid("bbox", "the lower corner lies north of the upper one; the order is %s", axes)
	}
	if c.Geographic {
		if b.MinY < -90 || b.MaxY > 90 || b.MinX < -180 || b.MaxX > 180 {
			return nil, invalid("bbox", "latitudes must lie within ±90 and longitudes within ±180; the order is %s", axes)
		}
		// West of east crosses the antimeridian, which the standard allows; nothing of ours lies there.
		return b, nil
	}
	if b.MinX > b.MaxX {
		return nil, invalid("bbox", "the lower corner lies east of the upper one; the order is %s", axes)
	}
	return b, nil
}

// clipped returns the parts of a geographic bbox inside the ETRS89 area: none, one, or two for
// a bbox across the antimeridian that reaches Europe from both sides.
func (b bbox) clipped() []bbox {
	parts := []bbox{b}
	if b.MinX > b.MaxX {
		east, west := b, b
		east.MaxX, west.MinX = 180, -180
		parts = []bbox{east, west}
	}
	var out []bbox
	for _, p := range parts {
		p.MinX, p.MinY = max(p.MinX, etrs89Area[0]), max(p.MinY, etrs89Area[1])
		p.MaxX, p.MaxY = min(p.MaxX, etrs89Area[2]), min(p.MaxY, etrs89Area[3])
		if p.MinX <= p.MaxX && p.MinY <= p.MaxY {
			out = append(out, p)
		}
	}
	return out
}
