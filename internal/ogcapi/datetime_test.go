package ogcapi_test

import (
	"slices"
	"testing"
)

// datetime is the state of the data at that time, taken from the parcels' history.
func TestDatetimeShowsTheStateAtThatTime(t *testing.T) {
	s := newServer(t)
	// Parcel 1 (reserved from 2020-01-02) was sold on 2022-06-01; parcel 3 (offered from
	// 2020-01-04) was sold on 2022-01-01 and ended on 2023-01-01; parcel 5 was public until
	// 2023-03-01 and is internal since.
	s.exec(`UPDATE parcels SET status = 'sold', valid_from = '2022-06-01' WHERE id = 1`)
	s.exec(`UPDATE parcels SET status = 'sold', valid_from = '2022-01-01' WHERE id = 3`)
	s.exec(`UPDATE parcels SET ended_at = '2023-01-01', valid_from = '2023-01-01' WHERE id = 3`)
	s.exec(`UPDATE parcels SET publication = 'internal', valid_from = '2023-03-01' WHERE id = 5`)

	state := func(query string, headers ...string) map[int]string {
		t.Helper()
		var fc featureCollection
		s.getOK("/collections/parcels/items?limit=1000&properties=status&"+query, &fc, headers...)
		out := map[int]string{}
		for _, f := range fc.Features {
			out[int(f.ID.(float64))] = f.Properties["status"].(string)
		}
		if len(out) != fc.NumberMatched {
			t.Errorf("%s: numberMatched %d, %d features", query, fc.NumberMatched, len(out))
		}
		return out
	}
	for _, c := range []struct {
		datetime string
		id       int
		want     string // "" for absent
	}{
		{"", 1, "sold"},
		{"", 3, ""},
		{"2020-01-01T12:00:00Z", 1, ""}, // before it was recorded
		{"2021-01-01T00:00:00Z", 1, "reserved"},
		{"2022-05-31T23:59:59Z", 1, "reserved"},
		{"2022-06-01T00:00:00Z", 1, "sold"},
		{"2022-06-01", 1, "sold"}, // the day it was sold: its latest state that day
		{"2022-05-31", 1, "reserved"},
		{"2021-06-01T00:00:00Z", 3, "offered"},
		{"2022-06-01T00:00:00Z", 3, "sold"},
		{"2023-06-01T00:00:00Z", 3, ""}, // ended
		// Intervals: every parcel that existed in it, in its latest state within it.
		{"2021-01-01/2022-12-31", 1, "sold"},
		{"../2021-12-31", 1, "reserved"},
		{"2021-01-01T00:00:00Z/..", 3, "sold"}, // not the state that records its end
		{"../2021-12-31", 3, "offered"},
		{"2023-02-01/..", 3, ""},
		{"../..", 3, "sold"},
		// Parcel 5 became internal: the public cannot find it at any time.
		{"2022-01-01T00:00:00Z", 5, ""},
		{"../..", 5, ""},
	} {
		got := state("datetime=" + c.datetime)[c.id]
		if c.datetime == "" {
			got = state("")[c.id]
		}
		if got != c.want {
			t.Errorf("datetime=%s: parcel %d is %q, want %q", c.datetime, c.id, got, c.want)
		}
	}
	if got := state("datetime=2022-01-01T00:00:00Z", "token", "")[5]; got == "" {
		t.Error("a planner cannot see parcel 5 at 2022")
	}
	// The state at a time works with filters, sorting and paging.
	if !slices.Contains(s.walkIDs("datetime=2021-01-01T00:00:00Z&filter="+escape("status = 'reserved'")+"&sortby=-name&limit=2"), 1) {
		t.Error("parcel 1 as reserved in 2021 is not found by paging with a filter")
	}
	// Sites exist from their valid_from on.
	var sites featureCollection
	s.getOK("/collections/sites/items?datetime=2019-01-01", &sites)
	if sites.NumberMatched != 0 {
		t.Errorf("%d sites in 2019, before any was recorded", sites.NumberMatched)
	}
	sites = featureCollection{}
	s.getOK("/collections/sites/items?datetime=2020-01-01/..", &sites)
	if sites.NumberMatched != 1 {
		t.Errorf("sites since 2020: %d, want the public one", sites.NumberMatched)
	}
}

func (s *server) walkIDs(query string) []int {
	s.t.Helper()
	pages, _ := s.walk(query)
	return slices.Concat(pages...)
}
