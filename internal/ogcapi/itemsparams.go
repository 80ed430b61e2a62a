package ogcapi

import (
	"encoding/json"
	"strconv"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/httpx"
	"landatlas/internal/query"
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
	sel := query.Selection{Collection: c, Internal: req.internal}
	if sel.Time, err = selectionTime(c, when); err != nil {
		return nil, err
	}
	if box != nil {
		b := box.core()
		sel.BBox = &b
	}
	f, err := parseFilter(param(qv, "filter"), param(qv, "filter-lang"), param(qv, "filter-crs"))
	if err != nil {
		return nil, err
	}
	sel.Filters = append(sel.Filters, f)
	for _, name := range names {
		if v := param(qv, name); v != "" {
			f, err := equalsFilter(c, req.internal, name, v)
			if err != nil {
				return nil, err
			}
			sel.Filters = append(sel.Filters, f)
		}
	}
	q.args = &query.Args{}
	if q.sel, err = sel.Build(q.args); err != nil {
		return nil, err
	}
	q.cursor, err = decodeCursor(param(qv, "cursor"), sortName(q.sort), q.keyTypes())
	return q, err
}

// selectionTime picks the rows: the current state, the state at an instant, or each record's
// latest state within an interval.
func selectionTime(c catalog.Collection, p *period) (query.Time, error) {
	switch {
	case p == nil:
		return query.Now(), nil
	case c.AtTime == "":
		return query.Time{}, invalid("datetime", "collection %s has no time dimension; datetime applies to %s", c.ID, joinAnd(temporalIDs()))
	case p.Instant:
		return query.At(*p.Start), nil
	default:
		return query.During(p.Start, p.End), nil
	}
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

// parseFilter reads a CQL2 filter in its language and CRS; nil when there is none.
func parseFilter(filter, lang, filterCRS string) (*query.Filter, error) {
	fc, err := parseCRS("filter-crs", filterCRS)
	if err != nil {
		return nil, err
	}
	var f *query.Filter
	switch lang {
	case "", "cql2-text", "cql-text":
		f, err = query.ParseText("filter", filter)
	case "cql2-json":
		if filter == "" {
			return nil, nil
		}
		f, err = query.ParseJSON("filter", []byte(filter))
	default:
		return nil, invalid("filter-lang", "%q is not supported; use cql2-text (the default) or cql2-json", lang)
	}
	if err != nil || f == nil {
		return nil, err
	}
	f.SRID, f.LatLon = fc.SRID, fc.LatLon
	return f, nil
}

// equalsFilter reads a property=value parameter. It goes through CQL2 like a filter, so the same
// catalog, type checks and code lists apply.
func equalsFilter(c catalog.Collection, internal bool, name, v string) (*query.Filter, error) {
	p, _ := c.Property(name, internal)
	var lit any = v
	switch p.Type {
	case cql2.Number, cql2.Integer:
		f, err := httpx.ParseNumber(name, v)
		if err != nil {
			return nil, err
		}
		lit = f
	case cql2.Boolean:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, invalid(name, "%q is not true or false", v)
		}
		lit = b
	case cql2.Date:
		lit = map[string]string{"date": v}
	case cql2.Timestamp:
		lit = map[string]string{"timestamp": v}
	}
	doc, _ := json.Marshal(map[string]any{"op": "=", "args": []any{map[string]string{"property": name}, lit}})
	return query.ParseJSON(name, doc)
}
