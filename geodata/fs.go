// Package geodata embeds the region's reference layers (district and municipality boundaries,
// infrastructure), built by `landatlas geodata build` and loaded by `landatlas seed`.
// README.md beside this file names their sources and licences.
package geodata

import "embed"

// FS holds districts.geojson, municipalities.geojson and infrastructure.geojson, all EPSG:25832.
//
//go:embed *.geojson
var FS embed.FS
