// Package catalog describes the published collections (parcels, sites, districts, municipalities,
// infrastructure, constraints): their tables, their properties with SQL expressions, types and
// code lists, and which of them the public may see. It is the one place identifiers for SQL come
// from: a request only ever picks entries of this catalog by name.
package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"landatlas/internal/cql2"
)

// Property is one attribute of a collection.
type Property struct {
	Name  string
	SQL   string // expression over the collection's FROM clause (alias t, joins d, m, s)
	Type  cql2.Type
	Enum  []string
	Title string // English title; TitleDE German
	// TitleDE is the German title.
	TitleDE string
	Unit    string
	// Internal properties are seen only by signed-in users, and never filterable by the public.
	Internal bool
	// Tile properties go into vector tiles (only what a map style needs).
	Tile bool
	// NoFilter properties are shown but cannot be filtered by (the registry's queryable false).
	NoFilter bool
}

// Collection is a published feature collection.
type Collection struct {
	ID          string
	Title       string
	Description string
	// From is the FROM clause with alias t; "{{rows}}" stands for the row source (the table, or
	// the state at a time for temporal collections).
	From string
	// Table is the row source of the current state.
	Table string
	// AtTime is the row source of the state at time $n ("%s" receives the placeholder), or "" if
	// the collection has no history.
	AtTime string
	// During is the row source of every record that existed at some time in an interval, each in
	// its latest state within it: "%[1]s" receives the SQL of the start, "%[2]s" that of the end.
	// "" when the collection has no history.
	During string
	// Versions is the row source of every state of every record (for the temporal extent); ""
	// means Table.
	Versions string
	// Current restricts the rows to current records ("" for none).
	Current string
	// Public restricts the rows to those the public may see ("" when all are public).
	Public string
	// PublicAtTime restricts rows of earlier states to those the public may see ("" means
	// Public). A state is shown only if it was public then and the record is public now, so a
	// record that was hidden later cannot be found by asking for an earlier time.
	PublicAtTime string
	// IDColumn is the SQL of the feature id; IDType its type.
	IDColumn string
	IDType   cql2.Type
	// Geom is the SQL of the stored EPSG:25832 geometry; GeomType its GeoJSON type.
	Geom       string
	GeomType   string
	Properties []Property
	// Temporal names the property the temporal extent is taken from ("" for none).
	Temporal string
	// DataVersions names the entries of collection_versions whose changes can change this
	// collection's features: its own and those of the tables its FROM clause joins. Caches key
	// on their sum, which grows with every write to any of them.
	DataVersions []string
	// Attribution credits the source of the data wherever it is shown ("" for our own data).
	Attribution string
	// Synthetic is a condition (alias t) that holds for rows of the synthetic demo data, "" when
	// the collection has none, so that maps can say when what they show is made up.
	Synthetic string
	// TilePointsBelow is the zoom below which vector tiles draw the features as points, clustered
	// where they crowd; 0 draws shapes at every zoom.
	TilePointsBelow int
}

// publicParcel is the rule of which parcels the public sees, over the parcel row alias: those
// published as public and, when the monitoring setting public_max_age_months is on, confirmed
// within that many months (public_confirmed_since, migration 009; evaluated once per query).
func publicParcel(alias string) string {
	return alias + ".publication = 'public' AND coalesce(" + alias + ".last_confirmed, '-infinity'::date) >= (SELECT public_confirmed_since())"
}

// In property SQL, "{{visible a}}" marks the public's rule over a record of alias a that has a
// publication (a parcel's site), "{{visible_parcel a}}" the public's rule over a parcel row a (an
// aggregate's parcels): for the public they keep hidden records out, for readers who see internal
// records they are true.
var (
	visibleToken       = regexp.MustCompile(`\{\{visible ([a-z]+)\}\}`)
	visibleParcelToken = regexp.MustCompile(`\{\{visible_parcel ([a-z]+)\}\}`)
)

// PropertySQL returns a property's SQL for a reader who sees internal records (internal) or not.
func (p Property) PropertySQL(internal bool) string {
	if internal {
		return visibleParcelToken.ReplaceAllString(visibleToken.ReplaceAllString(p.SQL, "true"), "true")
	}
	sql := visibleToken.ReplaceAllString(p.SQL, "$1.publication = 'public'")
	return visibleParcelToken.ReplaceAllStringFunc(sql, func(m string) string {
		return publicParcel(visibleParcelToken.FindStringSubmatch(m)[1])
	})
}

// Visible returns the properties a reader may see.
func (c Collection) Visible(internal bool) []Property {
	var out []Property
	for _, p := range c.Properties {
		if internal || !p.Internal {
			out = append(out, p)
		}
	}
	return out
}

// Property finds a property by name among those the reader may see.
func (c Collection) Property(name string, internal bool) (Property, bool) {
	for _, p := range c.Visible(internal) {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Queryables returns the filterable properties a reader may see, plus the geometry as "geometry".
func (c Collection) Queryables(internal bool) cql2.Queryables {
	q := cql2.Queryables{}
	for _, p := range c.Visible(internal) {
		if p.NoFilter {
			continue
		}
		q[p.Name] = cql2.Queryable{Name: p.Name, SQL: p.PropertySQL(internal), Type: p.Type, Enum: p.Enum, Description: p.Title}
	}
	q["geometry"] = cql2.Queryable{Name: "geometry", SQL: c.Geom, Type: cql2.Geometry, Description: "the feature's geometry"}
	return q
}

// FromClause returns the FROM clause for the current state, or for the state at a time given as
// bind parameter placeholder (e.g. "$3") when at is not "".
func (c Collection) FromClause(at string) string {
	if at != "" && c.AtTime != "" {
		return c.from(strings.Replace(c.AtTime, "%s", at, 1))
	}
	return c.from(c.Table)
}

// FromClauseDuring returns the FROM clause for the records that existed at some time between
// start and end (SQL of timestamptz values: placeholders or our own constants), each in its
// latest state within the interval. Without history it is the current state.
func (c Collection) FromClauseDuring(start, end string) string {
	if c.During == "" {
		return c.from(c.Table)
	}
	return c.from(fmt.Sprintf(c.During, start, end))
}

// FromClauseVersions returns the FROM clause over every state of every record.
func (c Collection) FromClauseVersions() string {
	if c.Versions == "" {
		return c.from(c.Table)
	}
	return c.from(c.Versions)
}

// from puts a row source into the FROM clause. Table may carry its own alias ("districts d"),
// which the properties' SQL uses; any other row source gets the alias t.
func (c Collection) from(rows string) string {
	if rows != c.Table || !strings.Contains(rows, " ") {
		rows += " t"
	}
	return strings.Replace(c.From, "{{rows}}", rows, 1)
}

// Where returns the fixed conditions of the collection for a reader: current records (unless a
// time is asked for, which selects its own rows) and, for the public, public records only.
func (c Collection) Where(internal, atTime bool) []string {
	var w []string
	timed := atTime && c.AtTime != ""
	if c.Current != "" && !timed {
		w = append(w, c.Current)
	}
	switch {
	case internal:
	case timed && c.PublicAtTime != "":
		w = append(w, c.PublicAtTime)
	case c.Public != "":
		w = append(w, c.Public)
	}
	return w
}

// Collections returns every published collection.
func Collections() []Collection {
	return []Collection{parcels(), sites(), districts(), municipalities(), infrastructure(), constraints()}
}

// ByID finds a collection.
func ByID(id string) (Collection, bool) {
	i := slices.IndexFunc(Collections(), func(c Collection) bool { return c.ID == id })
	if i < 0 {
		return Collection{}, false
	}
	return Collections()[i], true
}
