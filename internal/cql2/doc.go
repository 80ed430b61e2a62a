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
//     A string literal that is a valid date (timestamp) is cast when it is
//     compared with a Date (Timestamp) value, as the CQL2 test suite does in
//     its IN tests: listed_on IN ('2024-01-31').
//   - Temporal functions accept instants and intervals (literal, or
//     INTERVAL(prop, prop)); open ends are bound as -infinity/infinity. The
//     interval-only functions (T_MEETS, T_DURING, ...) reject instants, as
//     the standard requires.
//   - Geometry literals in CRS84/EPSG:4326 are range-checked (longitude
//     -180..180, latitude -90..90).
//   - BETWEEN is numeric only, as in the BNF.
//   - A 6-number BBOX is used as its 2D footprint. ENVELOPE is accepted as an
//     alias of BBOX. Literals with FlipAxes are flipped in Go before they are
//     bound, not with ST_FlipCoordinates.
//   - Custom functions and the array functions (A_*) are not supported.
//   - String literals compared with a plain String property are bound without
//     a cast, so PostgreSQL gives them the column's type (varchar, citext or
//     an enum type). Other literals carry a cast (::text, ::bigint, ::numeric,
//     ::boolean, ::date, ::timestamptz).
package cql2
