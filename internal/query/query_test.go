package query

import (
	"strings"
	"testing"
	"time"

	"landatlas/internal/catalog"
)

func collection(t *testing.T, id string) catalog.Collection {
	t.Helper()
	c, ok := catalog.ByID(id)
	if !ok {
		t.Fatalf("catalog has no %s", id)
	}
	return c
}

// The public never sees internal records or properties, at any time; a time asked of a collection
// without history is an error naming it.
func TestBuildAppliesVisibilityAndTime(t *testing.T) {
	parcels := collection(t, "parcels")
	at := time.Date(2021, 6, 30, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		sel      Selection
		contains []string
		args     int
	}{
		{"public now", Selection{Collection: parcels}, []string{"t.ended_at IS NULL", "t.publication = 'public'"}, 0},
		{"planner now", Selection{Collection: parcels, Internal: true}, []string{"t.ended_at IS NULL"}, 0},
		{"public then", Selection{Collection: parcels, Time: At(at)}, []string{"parcels_at($1::timestamptz)", "EXISTS (SELECT 1 FROM parcels cur"}, 1},
		{"every version", Selection{Collection: parcels, Time: AllVersions()}, []string{"parcel_versions t"}, 0},
		{"ids", Selection{Collection: parcels, Internal: true, IDs: []int64{1, 2}}, []string{"t.id = ANY ($1::bigint[])"}, 1},
	} {
		a := &Args{}
		got, err := c.sel.Build(a)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		text := got.From + " WHERE " + got.Cond()
		for _, want := range c.contains {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q lacks %q", c.name, text, want)
			}
		}
		if c.sel.Internal && strings.Contains(text, "publication = 'public'") {
			t.Errorf("%s: a planner's selection is restricted to public parcels: %s", c.name, text)
		}
		if a.Len() != c.args {
			t.Errorf("%s: %d arguments, want %d", c.name, a.Len(), c.args)
		}
	}
	if _, err := (Selection{Collection: collection(t, "districts"), Time: At(at)}).Build(&Args{}); err == nil || !strings.Contains(err.Error(), "districts") {
		t.Errorf("a time on districts: %v, want an error naming the collection", err)
	}
}

// A filter on an internal property is unknown to the public and fine for a planner; the error
// names the parameter the filter came from.
func TestFilterSeesWhatTheReaderSees(t *testing.T) {
	f, err := ParseText("filter", "owner_willing = 'yes'")
	if err != nil {
		t.Fatal(err)
	}
	parcels := collection(t, "parcels")
	if _, err := (Selection{Collection: parcels, Filters: []*Filter{f}}).Build(&Args{}); err == nil || !strings.HasPrefix(err.Error(), "parameter filter:") {
		t.Errorf("public filter on an internal property: %v, want an error naming the filter", err)
	}
	if _, err := (Selection{Collection: parcels, Internal: true, Filters: []*Filter{f}}).Build(&Args{}); err != nil {
		t.Errorf("planner filter on an internal property: %v", err)
	}
	if _, err := ParseText("scope", "use_type ="); err == nil || !strings.HasPrefix(err.Error(), "parameter scope:") {
		t.Errorf("a bad filter: %v, want an error naming its parameter", err)
	}
}
