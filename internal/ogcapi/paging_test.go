package ogcapi_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// walk follows next links from a first page and returns each page's ids and the last page.
func (s *server) walk(first string, headers ...string) ([][]int, featureCollection) {
	s.t.Helper()
	var pages [][]int
	fc := s.items(first, headers...)
	for {
		pages = append(pages, fc.ids())
		next := fc.link("next")
		if next == "" {
			return pages, fc
		}
		if len(pages) > 100 {
			s.t.Fatal("more than 100 pages: the next links go round in circles")
		}
		fc = featureCollection{}
		s.getOK(next, &fc, headers...)
	}
}

func TestPagingVisitsEveryFeatureOnce(t *testing.T) {
	s := newServer(t)
	for _, c := range []struct {
		query   string
		headers []string
	}{
		{"limit=7", nil},
		{"limit=7&sortby=-net_area_ha", nil},
		// available_from and the prices have NULLs; equal values need the id to break ties.
		{"limit=4&sortby=available_from,-price_min_eur_m2", nil},
		{"limit=5&sortby=-available_from,use_type,name", nil},
		{"limit=6&sortby=status,-valid_from&properties=name", nil},
		{"limit=3&filter=" + escape("use_type IN ('GE','GI')"), nil},
		{"limit=9&sortby=ownership", []string{"token", ""}},
		{"limit=2&sortby=-district_name&crs=" + epsgURI + "25832", nil},
	} {
		t.Run(c.query, func(t *testing.T) {
			all := s.items(withLimit(c.query, 1000), c.headers...)
			pages, last := s.walk(c.query, c.headers...)
			got := slices.Concat(pages...)
			if !slices.Equal(got, all.ids()) {
				t.Errorf("pages visit %v,\nwant the order of one big page %v", got, all.ids())
			}
			if last.NumberMatched != len(all.ids()) {
				t.Errorf("numberMatched %d, want %d", last.NumberMatched, len(all.ids()))
			}
			// Back from the last page, prev links give the same pages in reverse.
			fc := last
			for i := len(pages) - 2; i >= 0; i-- {
				prev := fc.link("prev")
				if prev == "" {
					t.Fatalf("page %d has no prev link", i+2)
				}
				fc = featureCollection{}
				s.getOK(prev, &fc, c.headers...)
				if !slices.Equal(fc.ids(), pages[i]) {
					t.Fatalf("prev to page %d gives %v, want %v", i+1, fc.ids(), pages[i])
				}
			}
			if fc.link("prev") != "" {
				t.Error("the first page, reached by prev, has a prev link")
			}
			if fc.link("next") == "" && len(pages) > 1 {
				t.Error("the first page, reached by prev, has no next link")
			}
		})
	}
}

func withLimit(query string, n int) string {
	var parts []string
	for _, p := range strings.Split(query, "&") {
		if !strings.HasPrefix(p, "limit=") {
			parts = append(parts, p)
		}
	}
	return strings.Join(append(parts, "limit="+strconv.Itoa(n)), "&")
}

func TestPagesStayStableWhileDataChange(t *testing.T) {
	s := newServer(t)
	first := s.items("limit=5&sortby=name&properties=name")
	before := first.ids()
	// A new parcel sorted before the position and a removed one must not shift the pages.
	s.exec(`INSERT INTO parcels (district_ags, external_id, municipality_ags, name, use_type, planning_status, availability,
		    status, potential_kind, greenfield, publication, source, geom)
		SELECT district_ags, 'NEW-1', ags, 'AAA neu', 'GE', 'in_force', 'now', 'offered', 'brownfield', true, 'public', 'test',
		       ST_Multi(ST_Buffer(ST_PointOnSurface(geom), 50)) FROM municipalities WHERE ags = '15002000'`)
	s.exec(`UPDATE parcels SET ended_at = now(), valid_from = now() WHERE id = $1`, before[0])
	pages, last := s.walk(first.link("next")[strings.Index(first.link("next"), "?")+1:])
	seen := slices.Concat(append([][]int{before}, pages...)...)
	if slices.Sort(seen); len(slices.Compact(slices.Clone(seen))) != len(seen) {
		t.Errorf("a parcel is on two pages: %v", seen)
	}
	if len(seen) != publicParcels {
		t.Errorf("the pages hold %d parcels, want the %d that were there at the start", len(seen), publicParcels)
	}
	// numberMatched is true on every page: now one parcel ended and one was added.
	if last.NumberMatched != publicParcels {
		t.Errorf("numberMatched %d after the change, want %d", last.NumberMatched, publicParcels)
	}
	if got := s.items("limit=1&filter=" + escape("name LIKE 'AAA%'")).NumberMatched; got != 1 {
		t.Errorf("the new parcel matches %d times", got)
	}
}

func TestLimit(t *testing.T) {
	s := newServer(t)
	if fc := s.items(""); fc.NumberReturned != publicParcels || fc.link("next") != "" {
		t.Errorf("default page: %d returned, next %q", fc.NumberReturned, fc.link("next"))
	}
	var fc featureCollection
	s.getOK("/collections/municipalities/items", &fc)
	if fc.NumberReturned != 100 || fc.NumberMatched != 187 || fc.link("next") == "" {
		t.Errorf("municipalities default page: %d of %d, next %q; want 100 (the default limit)", fc.NumberReturned, fc.NumberMatched, fc.link("next"))
	}
	fc = featureCollection{}
	s.getOK("/collections/municipalities/items?limit=50000", &fc)
	if fc.NumberReturned != 187 {
		t.Errorf("limit above the maximum: %d returned", fc.NumberReturned)
	}
	if !strings.Contains(fc.link("self"), "limit=50000") {
		t.Errorf("self link %s", fc.link("self"))
	}
}

func TestNumberMatchedIsTrue(t *testing.T) {
	s := newServer(t)
	for filter, sql := range map[string]string{
		"use_type = 'GI'":                             "use_type = 'GI'",
		"net_area_ha > 0.3 AND status <> 'sold'":      "net_area_ha > 0.3 AND status <> 'sold'",
		"available_from IS NULL OR greenfield = TRUE": "available_from IS NULL OR greenfield",
		"S_INTERSECTS(geometry, BBOX(11,51,12.5,52))": "ST_Intersects(geom, ST_Transform(ST_MakeEnvelope(11,51,12.5,52,4326),25832))",
	} {
		fc := s.items("limit=2&filter=" + escape(filter))
		want := s.count(`SELECT count(*) FROM parcels WHERE publication = 'public' AND ended_at IS NULL AND (` + sql + `)`)
		if fc.NumberMatched != want || want == 0 {
			t.Errorf("filter %s: numberMatched %d, want %d", filter, fc.NumberMatched, want)
		}
	}
}
