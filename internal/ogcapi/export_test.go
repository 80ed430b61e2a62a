package ogcapi

import (
	"fmt"
	"net/http"

	"landatlas/internal/catalog"
)

// PageSQL returns the SQL and arguments the items handler runs for the page a request asks for,
// so that benchmarks can time the bare query against the whole handler.
func PageSQL(r *http.Request, collectionID string, internal bool) (string, []any, error) {
	c, ok := catalog.ByID(collectionID)
	if !ok {
		return "", nil, fmt.Errorf("no collection %s", collectionID)
	}
	q, err := (&Service{}).parseItems(&request{r: r, internal: internal}, c)
	if err != nil {
		return "", nil, err
	}
	sql, args := q.pageSQL()
	return sql, args, nil
}

// CountSQL returns the count query of a request.
func CountSQL(r *http.Request, collectionID string, internal bool) (string, []any, error) {
	c, _ := catalog.ByID(collectionID)
	q, err := (&Service{}).parseItems(&request{r: r, internal: internal}, c)
	if err != nil {
		return "", nil, err
	}
	sql, args := q.countSQL()
	return sql, args, nil
}

// PageMode is how the handlers run their page queries.
const PageMode = pageMode
