package cql2

// ConformanceClasses returns the URIs of exactly the CQL2 (OGC 21-065r2)
// conformance classes this package implements, for the /conformance document
// of OGC API - Features Part 3.
//
// Not implemented, hence not listed: array-functions (A_* functions) and
// functions (custom functions). The accent-insensitive-comparison class
// relies on PostgreSQL's unaccent extension being installed.
func ConformanceClasses() []string {
	const base = "http://www.opengis.net/spec/cql2/1.0/conf/"
	return []string{
		base + "basic-cql2",
		base + "advanced-comparison-operators",
		base + "case-insensitive-comparison",
		base + "accent-insensitive-comparison",
		base + "basic-spatial-functions",
		base + "basic-spatial-functions-plus",
		base + "spatial-functions",
		base + "temporal-functions",
		base + "property-property",
		base + "arithmetic",
		base + "cql2-text",
		base + "cql2-json",
	}
}
