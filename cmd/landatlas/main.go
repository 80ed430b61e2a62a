// Command landatlas is the land monitoring system for industrial and commercial land in
// Mitteldeutschland: one binary with subcommands for serving, migrating, seeding and operating it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "landatlas:", err)
		os.Exit(1)
	}
}

const usage = `landatlas: land monitoring for industrial and commercial land in Mitteldeutschland

Usage: landatlas <command> [flags]

Commands:
  serve     serve the API and the web map (LANDATLAS_DATABASE_URL, LANDATLAS_ADDR)
  dev       start the project-local PostGIS, migrate, load reference and demo data, serve (make run)
  migrate   apply pending database migrations
  seed      load districts, municipalities and infrastructure; --demo adds the synthetic demo data set
  geodata   build: remake geodata/ from the published sources (needs npm and ogr2ogr)
  devdb     start|stop|url: manage the project-local PostgreSQL cluster in .data/
  token     create|list|revoke: bearer tokens for planners, editors and admins
  import    read, check, preview and publish a district's parcel file (--dry-run to only check)
  layer     load: load a constraint or infrastructure layer from a file (ogr2ogr)
  version   print the version

Run 'landatlas <command> -h' for the flags of a command.
`

// run dispatches to the subcommand named in args[1].
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "dev":
		return runDev(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "seed":
		return runSeed(ctx, rest, getenv, stdout, stderr)
	case "geodata":
		return runGeodata(ctx, rest, stdout, stderr)
	case "devdb":
		return runDevDB(ctx, rest, getenv, stdout, stderr)
	case "token":
		return runToken(ctx, rest, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, rest, getenv, stdout, stderr)
	case "layer":
		return runLayer(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "landatlas", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
