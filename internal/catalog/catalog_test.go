package catalog

import (
	"strings"
	"testing"
)

func TestFromClauses(t *testing.T) {
	parcels, _ := ByID("parcels")
	districts, _ := ByID("districts")
	for _, c := range []struct{ got, want string }{
		{parcels.FromClause(""), "parcels t "},
		{parcels.FromClause("$1"), "parcels_at($1) t "},
		{parcels.FromClauseDuring("$1", "$2"), "FROM parcel_versions v WHERE v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $1)"},
		{parcels.FromClauseVersions(), "parcel_versions t "},
		// A table with its own alias keeps it.
		{districts.FromClause(""), "districts d"},
		{districts.FromClause("$1"), "districts d"},
	} {
		if !strings.HasPrefix(c.got, c.want) && !strings.Contains(c.got, c.want) {
			t.Errorf("FROM clause %q does not hold %q", c.got, c.want)
		}
	}
	for _, c := range Collections() {
		if from := c.FromClause(""); strings.Contains(from, " d t") || strings.Contains(from, " m t") || strings.Contains(from, " t t") {
			t.Errorf("%s: FROM clause %q has two aliases", c.ID, from)
		}
	}
}

func TestWhere(t *testing.T) {
	parcels, _ := ByID("parcels")
	districts, _ := ByID("districts")
	for _, c := range []struct {
		internal, atTime bool
		want             []string
	}{
		{false, false, []string{parcels.Current, parcels.Public}},
		{true, false, []string{parcels.Current}},
		{false, true, []string{parcels.PublicAtTime}},
		{true, true, nil},
	} {
		if got := parcels.Where(c.internal, c.atTime); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Where(%t, %t) = %q, want %q", c.internal, c.atTime, got, c.want)
		}
	}
	if got := districts.Where(false, false); len(got) != 0 {
		t.Errorf("districts are all public and current, got %q", got)
	}
}
