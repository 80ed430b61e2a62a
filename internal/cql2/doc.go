// Package cql2 parses OGC CQL2 filter expressions (OGC 21-065r2, both the
// cql2-text and the cql2-json encoding) and compiles them into PostgreSQL /
// PostGIS boolean conditions with bind parameters, checked against a catalog
// of queryable properties. It is the filter engine behind OGC API - Features
// Part 3 (filter, filter-lang, filter-crs) and the vector-tile filters.
//
// Typical use:
//
//	e, err := cql2.ParseText(r.URL.Query().Get("filter"))
//	...
//	where, args, err := cql2.Compile(e, queryables, cql2.CompileOptions{
//		ArgOffset:   len(args),
//		StorageSRID: 25832,
//	})
//
// All errors are *Error and are written for the client who sent the filter.
//
// # Security
//
// Compile never copies a value from the filter into the SQL text: literals
// become bind arguments, property names are resolved through the Catalog and
// replaced by the catalog's own SQL. Input size, nesting depth, IN-list length
// and geometry size are limited (MaxInputBytes, MaxDepth, MaxInList,
// MaxCoordinates).
//
// # Choices where the standard leaves room
//
//   - In cql2-text strings, a doubled single quote and \' stand for a
//     quote, \\ for a backslash and \a \b \t \n \v \f \r for control
//     characters; any other backslash sequence is kept as is, so LIKE
//     escapes (\% \_) reach the pattern.
//   - LIKE uses % and _ as wildcards and \ as escape character, which is
//     also PostgreSQL's default, so patterns are bound unchanged.
//   - CASEI maps to lower() and ACCENTI to unaccent(); the latter requires
//     CREATE EXTENSION unaccent in the database.
//   - Date and Timestamp values are not compared with each other (the result
//     would depend on the session time zone); timestamps must be UTC ("Z").
//   - BETWEEN is numeric only, as in the BNF.
//   - A 6-number BBOX is used as its 2D footprint. ENVELOPE is accepted as an
//     alias of BBOX. Literals with FlipAxes are flipped in Go before they are
//     bound, not with ST_FlipCoordinates.
//   - Custom functions and the array functions (A_*) are not supported.
package cql2
