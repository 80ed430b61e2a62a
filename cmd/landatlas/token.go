package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/region"
	"landatlas/internal/store"
)

func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: landatlas token create|list|revoke")
	}
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("database-url", getenv("LANDATLAS_DATABASE_URL"), "PostgreSQL URL (LANDATLAS_DATABASE_URL)")
	roleName := fs.String("role", "", "admin, planner or editor (create)")
	district := fs.String("district", "", "AGS of the editor's district, e.g. 15088 (create, editors only)")
	label := fs.String("label", "", "who holds the token, e.g. \"Saalekreis GIS\" (create)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openCurrentDB(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	accounts := store.Accounts{DB: db}
	switch args[0] {
	case "create":
		role, err := auth.ParseRole(*roleName)
		if err != nil {
			return err
		}
		if *district != "" {
			if _, ok := region.DistrictByAGS(*district); !ok {
				return fmt.Errorf("--district %q is not one of the nine districts (e.g. 15088 for Saalekreis)", *district)
			}
		}
		if *label == "" {
			return fmt.Errorf("--label is required: say who holds the token")
		}
		token, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		id, err := accounts.Create(ctx, *label, role, *district, hash)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "account %d (%s, %s) created; the token is shown only now (send it as \"Authorization: Bearer <token>\"):\n", id, *label, role)
		fmt.Fprintln(stdout, token)
		return nil
	case "list":
		list, err := accounts.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLABEL\tROLE\tDISTRICT\tCREATED\tLAST USED\tREVOKED")
		for _, a := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Label, a.Role, a.DistrictAGS,
				a.CreatedAt.Format("2006-01-02 15:04"), fmtTime(a.LastUsedAt), fmtTime(a.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: landatlas token revoke ID")
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("token revoke: %q is not an account id", fs.Arg(0))
		}
		return accounts.Revoke(ctx, id)
	}
	return fmt.Errorf("unknown token command %q: use create, list or revoke", args[0])
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format("2006-01-02 15:04")
}
