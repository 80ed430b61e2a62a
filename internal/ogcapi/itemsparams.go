package ogcapi

import (
	"encoding/json"
	"strconv"
	"strings"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/httpx"
)

// parseItems validates the parameters of the items resource into a query.
func (s *Service) parseItems(req *request, c catalog.Collection) (*itemsQuery, error) {
	qv := req.r.URL.Query()
	names := queryParamNames(c, req.internal)
	if err := checkParams(qv, itemsParams, names); err != nil {
		return nil, err
	}
	q := &itemsQuery{coll: c, internal: req.internal}
	var err error
	if q.limit, err = parseLimit(param(qv, "limit")); err != nil {
		return nil, err
	}
	if q.out, err = parseCRS("crs", param(qv, "crs")); err != nil {
		return nil, err
	}
	bboxCRS, err := parseCRS("bbox-crs", param(qv, "bbox-crs"))
	if err != nil {
		return nil, err
	}
	box, err := parseBBox(param(qv, "bbox"), bboxCRS)
	if err != nil {
		return nil, err
	}
	when, err := parseDatetime(param(qv, "datetime"))
	if err != nil {
		return nil, err
	}
	if q.sort, err = parseSortby(param(qv, "sortby"), c, req.internal); err != nil {
		return nil, err
	}
	if q.props, err = parseProperties(param(qv, "properties"), c, req.internal); err != nil {
		return nil, err
	}
	if q.noGeometry, err = parseSkipGeometry(param(qv, "skipGeometry")); err != nil {
		return nil, err
	}
	if err := q.setTime(when); err != nil {
		return nil, err
	}
	q.where = append(q.where, c.Where(req.internal, when != nil)...)
	if box != nil {
		q.addBBox(*box)
	}
	if err := q.addFilter(param(qv, "filter"), param(qv, "filter-lang"), param(qv, "filter-crs")); err != nil {
		return nil, err
	}
	for _, name := range names {
		if v := param(qv, name); v != "" {
			if err := q.addEquals(name, v); err != nil {
				return nil, err
			}
		}
	}
	q.cursor, err = decodeCursor(param(qv, "cursor"), sortName(q.sort), q.keyTypes())
	return q, err
}

// setTime picks the rows: the current state, the state at an instant, or each record's latest
// state within an interval.
func (q *itemsQuery) setTime(p *period) error {
	c := q.coll
	switch {
	case p == nil:
		q.from = c.FromClause("")
	case c.AtTime == "":
		return invalid("datetime", "collection %s has no time dimension; datetime applies to %s", c.ID, joinAnd(temporalIDs()))
	case p.Instant:
		q.from = c.FromClause(q.bind(*p.Start) + "::timestamptz")
	default:
		start, end := "'-infinity'::timestamptz", "'infinity'::timestamptz"
		if p.Start != nil {
			start = q.bind(*p.Start) + "::timestamptz"
		}
		if p.End != nil {
			end = q.bind(*p.End) + "::timestamptz"
		}
		q.from = c.FromClauseDuring(start, end)
	}
	return nil
}

func temporalIDs() []string {
	var ids []string
	for _, c := range catalog.Collections() {
		if c.AtTime != "" {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// addBBox keeps the features that intersect the box. The box is transformed once (a scalar
// subquery), densified so that its edges follow the curvature of the transformation.
func (q *itemsQuery) addBBox(b bbox) {
	geom := q.coll.Geom
	envelope := func(b bbox, srid int) string {
		return "ST_MakeEnvelope(" + q.bind(b.MinX) + "::float8, " + q.bind(b.MinY) + "::float8, " +
			q.bind(b.MaxX) + "::float8, " + q.bind(b.MaxY) + "::float8, " + strconv.Itoa(srid) + ")"
	}
	switch {
	case b.CRS.SRID == storageSRID:
		q.where = append(q.where, "ST_Intersects("+geom+", "+envelope(b, storageSRID)+")")
	case b.CRS.Geographic:
		parts := b.clipped()
		if len(parts) == 0 {
			q.where = append(q.where, "false")
			return
		}
		conds := make([]string, len(parts))
		for i, p := range parts {
			conds[i] = "ST_Intersects(" + geom + ", (SELECT ST_Transform(ST_Segmentize(" + envelope(p, 4326) + ", 0.05), " +
				strconv.Itoa(storageSRID) + ")))"
		}
		q.where = append(q.where, "("+strings.Join(conds, " OR ")+")")
	default:
		// Other projected CRSs go through longitude/latitude, where the box is clipped like a
		// geographic one: a world-wide Web Mercator box cannot be transformed to UTM directly.
		env := envelope(b, b.CRS.SRID)
		if step := max(b.MaxX-b.MinX, b.MaxY-b.MinY) / 64; step > 0 {
			env = "ST_Segmentize(" + env + ", " + q.bind(step) + "::float8)"
		}
		area := envelope(bbox{MinX: etrs89Area[0], MinY: etrs89Area[1], MaxX: etrs89Area[2], MaxY: etrs89Area[3]}, 4326)
		q.where = append(q.where, "ST_Intersects("+geom+", (SELECT ST_Transform(ST_Segmentize(ST_Intersection(ST_Transform("+
			env+", 4326), "+area+"), 0.05), "+strconv.Itoa(storageSRID)+")))")
	}
}

// addFilter adds a CQL2 filter, checked against the queryables the reader may see.
func (q *itemsQuery) addFilter(filter, lang, filterCRS string) error {
	fc, err := parseCRS("filter-crs", filterCRS)
	if err != nil {
		return err
	}
	var parse func(string) (cql2.Expr, error)
	switch lang {
	case "", "cql2-text", "cql-text":
		parse = cql2.ParseText
	case "cql2-json":
		parse = func(s string) (cql2.Expr, error) { return cql2.ParseJSON([]byte(s)) }
	default:
		return invalid("filter-lang", "%q is not supported; use cql2-text (the default) or cql2-json", lang)
	}
	if filter == "" {
		return nil
	}
	e, err := parse(filter)
	if err != nil {
		return invalid("filter", "%v", err)
	}
	return q.compile("filter", e, fc)
}

func (q *itemsQuery) compile(name string, e cql2.Expr, fc crs) error {
	sql, args, err := cql2.Compile(e, q.coll.Queryables(q.internal), cql2.CompileOptions{
		ArgOffset: len(q.args), FilterSRID: fc.SRID, FlipAxes: fc.LatLon, StorageSRID: storageSRID, StorageArea: etrs89Area,
	})
	if err != nil {
		return invalid(name, "%v", err)
	}
	q.usesAccent = q.usesAccent || strings.Contains(sql, "unaccent(")
	q.where = append(q.where, sql)
	q.args = append(q.args, args...)
	return nil
}

// addEquals adds a property=value parameter. It goes through CQL2 like a filter, so the same
// catalog, type checks and code lists apply.
func (q *itemsQuery) addEquals(name, v string) error {
	p, _ := q.coll.Property(name, q.internal)
	var lit any = v
	switch p.Type {
	case cql2.Number, cql2.Integer:
		f, err := httpx.ParseNumber(name, v)
		if err != nil {
			return err
		}
		lit = f
	case cql2.Boolean:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return invalid(name, "%q is not true or false", v)
		}
		lit = b
	case cql2.Date:
		lit = map[string]string{"date": v}
	case cql2.Timestamp:
		lit = map[string]string{"timestamp": v}
	}
	doc, _ := json.Marshal(map[string]any{"op": "=", "args": []any{map[string]string{"property": name}, lit}})
	e, err := cql2.ParseJSON(doc)
	if err != nil {
		return invalid(name, "%v", err)
	}
	return q.compile(name, e, crs84)
}
