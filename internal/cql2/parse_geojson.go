package cql2

import (
	"encoding/json"
)

// geoJSON converts a GeoJSON geometry object (RFC 7946 section 3.1). A
// "bbox" member of the geometry is ignored, as GeoJSON allows.
func (p *jsonParser) geoJSON(m map[string]any, allowCollection bool) (*geometry, *Error) {
	name, _ := m["type"].(string)
	var typ geomType
	switch name {
	case "Point":
		typ = gPoint
	case "LineString":
		typ = gLineString
	case "Polygon":
		typ = gPolygon
	case "MultiPoint":
		typ = gMultiPoint
	case "MultiLineString":
		typ = gMultiLineString
	case "MultiPolygon":
		typ = gMultiPolygon
	case "GeometryCollection":
		if allowCollection {
			typ = gCollection
			break
		}
		return nil, errorf(-1, "a GeometryCollection cannot contain a GeometryCollection")
	default:
		return nil, errorf(-1, "unknown GeoJSON geometry type %s", quote(name)).
			withHint("supported types are Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon and GeometryCollection")
	}
	g := &geometry{typ: typ}
	if typ == gCollection {
		members, ok := m["geometries"].([]any)
		if !ok {
			return nil, errorf(-1, "a GeometryCollection needs a \"geometries\" array")
		}
		for _, mem := range members {
			obj, ok := mem.(map[string]any)
			if !ok {
				return nil, errorf(-1, "the members of \"geometries\" must be GeoJSON geometry objects")
			}
			c, err := p.geoJSON(obj, false)
			if err != nil {
				return nil, err
			}
			if g.dim == 0 {
				g.dim = c.dim
			}
			g.geoms = append(g.geoms, c)
		}
		return g, g.validate(-1)
	}
	coords, ok := m["coordinates"]
	if !ok {
		return nil, errorf(-1, "GeoJSON %s needs \"coordinates\"", name)
	}
	var err *Error
	switch typ {
	case gPoint:
		var pt position
		pt, err = p.position(coords, g)
		g.pts = []position{pt}
	case gLineString, gMultiPoint:
		g.pts, err = p.positions(coords, g)
	case gPolygon, gMultiLineString:
		g.lines, err = p.positionLists(coords, g)
	case gMultiPolygon:
		var arr []any
		if arr, err = array(coords, g); err == nil {
			for _, poly := range arr {
				var rings [][]position
				if rings, err = p.positionLists(poly, g); err != nil {
					break
				}
				g.polys = append(g.polys, rings)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return g, g.validate(-1)
}

func array(v any, g *geometry) ([]any, *Error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, errorf(-1, "malformed \"coordinates\" of GeoJSON %s", g.typ).
			withHint("check the nesting of the coordinate arrays")
	}
	return arr, nil
}

func (p *jsonParser) position(v any, g *geometry) (position, *Error) {
	arr, err := array(v, g)
	if err != nil {
		return nil, err
	}
	pt := make(position, 0, len(arr))
	for _, x := range arr {
		n, ok := x.(json.Number)
		if !ok {
			return nil, errorf(-1, "a GeoJSON position must contain numbers only")
		}
		f, ferr := n.Float64()
		if ferr != nil {
			return nil, errorf(-1, "number %s is out of range", n.String())
		}
		pt = append(pt, f)
	}
	return pt, p.geoms.add(-1, pt, &g.dim)
}

func (p *jsonParser) positions(v any, g *geometry) ([]position, *Error) {
	arr, err := array(v, g)
	if err != nil {
		return nil, err
	}
	pts := make([]position, 0, len(arr))
	for _, x := range arr {
		pt, err := p.position(x, g)
		if err != nil {
			return nil, err
		}
		pts = append(pts, pt)
	}
	return pts, nil
}

func (p *jsonParser) positionLists(v any, g *geometry) ([][]position, *Error) {
	arr, err := array(v, g)
	if err != nil {
		return nil, err
	}
	lists := make([][]position, 0, len(arr))
	for _, x := range arr {
		l, err := p.positions(x, g)
		if err != nil {
			return nil, err
		}
		lists = append(lists, l)
	}
	return lists, nil
}
