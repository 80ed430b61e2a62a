package studyapi_test

import (
	"fmt"
	"slices"
	"testing"
)

// The public never learns the id of an internal site: not from a large site's site_ids, not from
// a public parcel's history. (Parcel B is public and lies in the internal site S2.)
func TestInternalSiteIDsStayInternal(t *testing.T) {
	a := newAPI(t)
	s2 := a.fix.Sites["S2"]
	var large struct {
		LargeSites struct {
			Sites []struct {
				MemberIDs []int64 `json:"member_ids"`
				SiteIDs   []int64 `json:"site_ids"`
			}
		} `json:"large_sites"`
	}
	siteIDs := func(token string) []int64 {
		a.get("/api/v1/study/large-sites?as_of=2026-06-30", token, &large)
		var ids []int64
		for _, s := range large.LargeSites.Sites {
			if slices.Contains(s.MemberIDs, a.fix.Parcels["B"]) {
				ids = append(ids, s.SiteIDs...)
			}
		}
		return ids
	}
	if ids := siteIDs(a.planner); !slices.Contains(ids, s2) {
		t.Fatalf("a planner's large site with B names the sites %v, want S2 (%d) among them: the test would prove nothing", ids, s2)
	}
	if ids := siteIDs(""); slices.Contains(ids, s2) {
		t.Errorf("the public's large site with B names the internal site S2 (%d): %v", s2, ids)
	}

	type history struct {
		Versions []struct {
			Changes map[string]struct{ New any } `json:"changes"`
		}
	}
	path := fmt.Sprintf("/api/v1/parcels/%d/history", a.fix.Parcels["B"])
	var planner, public history
	a.get(path, a.planner, &planner)
	if c, ok := planner.Versions[0].Changes["site_id"]; !ok || c.New != float64(s2) {
		t.Fatalf("a planner's history of B: first version %v, want site_id %d", planner.Versions[0].Changes, s2)
	}
	a.get(path, "", &public)
	for i, v := range public.Versions {
		if c, ok := v.Changes["site_id"]; ok && c.New != nil {
			t.Errorf("the public history of B, version %d, shows site_id %v of the internal site", i+1, c.New)
		}
	}
}
