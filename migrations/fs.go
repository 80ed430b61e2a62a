// Package migrations embeds the numbered SQL migrations of the landatlas schema, so that the one
// binary can bring any database up to date (landatlas migrate).
package migrations

import "embed"

// FS holds the migration files, named NNN_description.sql and applied in that order.
//
//go:embed *.sql
var FS embed.FS
