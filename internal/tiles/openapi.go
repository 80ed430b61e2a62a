package tiles

import (
	"strconv"

	"landatlas/internal/catalog"
	"landatlas/internal/openapi"
)

// Operations are the tile endpoints for the service's OpenAPI document (paths from the host root).
func Operations() []openapi.Operation {
	var ids []string
	for _, c := range catalog.Collections() {
		ids = append(ids, c.ID)
	}
	coll := openapi.PathParam("collectionId", "The collection.", openapi.Schema("type", "string", "enum", ids))
	filter := []openapi.Param{
		openapi.Query("filter", "A CQL2 text filter on the collection's queryables, as in the features API.", openapi.Type("string")),
		openapi.Query("filter-lang", "Only cql2-text.", openapi.Schema("type", "string", "enum", []string{"cql2-text"})),
	}
	coord := func(name, what string) openapi.Param {
		return openapi.PathParam(name, what, openapi.Schema("type", "integer", "minimum", 0))
	}
	return []openapi.Operation{
		{Method: "GET", Path: "/tiles/{collectionId}.json", ID: "tileJSON", Tag: "Vector tiles", Summary: "TileJSON of a collection",
			Description: "TileJSON 3.0.0: the tiles URL (carrying the data version), bounds, zoom levels and the fields of the layer.",
			Params:      append([]openapi.Param{coll}, filter...), Responses: openapi.OK("The TileJSON.", "application/json")},
		{Method: "GET", Path: "/tiles/{collectionId}/{z}/{x}/{y}.mvt", ID: "tile", Tag: "Vector tiles", Summary: "A vector tile",
			Description: "A Mapbox vector tile in EPSG:3857 (z from 0 to " + strconv.Itoa(MaxZoom) + "); 204 for a tile without features. " +
				"With v (the data version of the TileJSON's URL) it may be cached for good.",
			Params: append([]openapi.Param{coll, coord("z", "Zoom level."), coord("x", "Column."), coord("y", "Row."),
				openapi.Query("v", "The data version the TileJSON's tiles URL carries.", openapi.Type("integer"))}, filter...),
			Responses: append([]openapi.Response{{Status: "204", Description: "The tile holds no features."},
				{Status: "304", Description: "The client's copy (If-None-Match) is current."}}, openapi.OK("The tile.", ContentType)...)},
	}
}
