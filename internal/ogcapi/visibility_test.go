package ogcapi_test

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// internalProperties are the parcel properties only signed-in readers see.
var internalProperties = []string{"ownership", "owner_willing", "remarks", "publication", "source", "ended_at", "changed_by"}

// Without a token nothing reveals an internal parcel, an internal site or an internal attribute;
// with one, everything is there.
func TestVisibility(t *testing.T) {
	s := newServer(t)
	const tok = "token"

	t.Run("items and counts", func(t *testing.T) {
		pub := s.items("limit=1000")
		if pub.NumberMatched != publicParcels || len(pub.Features) != publicParcels {
			t.Errorf("public: matched %d, returned %d, want %d", pub.NumberMatched, len(pub.Features), publicParcels)
		}
		for _, f := range pub.Features {
			for _, p := range internalProperties {
				if _, ok := f.Properties[p]; ok {
					t.Fatalf("public feature %v has internal property %s", f.ID, p)
				}
			}
			if id := int(f.ID.(float64)); id%4 == 0 || id == farParcel {
				t.Errorf("public page holds internal parcel %d", id)
			}
		}
		all := s.items("limit=1000", tok, "")
		if all.NumberMatched != fixtureParcels || len(all.Features) != fixtureParcels || all.Features[0].Properties["remarks"] == nil {
			t.Errorf("planner: matched %d, returned %d, remarks %v", all.NumberMatched, len(all.Features), all.Features[0].Properties["remarks"])
		}
		if got := s.items("limit=1&filter=" + escape("use_type = 'GI'")).NumberMatched; got != s.count(`SELECT count(*) FROM parcels WHERE use_type = 'GI' AND publication = 'public'`) {
			t.Errorf("public count of GI parcels %d counts internal ones", got)
		}
	})

	t.Run("single item", func(t *testing.T) {
		hidden := s.get("/collections/parcels/items/" + strconv.Itoa(hiddenParcel))
		missing := s.get("/collections/parcels/items/999999")
		if hidden.StatusCode != http.StatusNotFound {
			t.Fatalf("hidden parcel: %d, want 404", hidden.StatusCode)
		}
		if want := bytes.ReplaceAll(missing.body, []byte("999999"), []byte(strconv.Itoa(hiddenParcel))); !bytes.Equal(hidden.body, want) {
			t.Errorf("a hidden parcel is answered differently from a missing one:\n%s\n%s", hidden.body, missing.body)
		}
		if r := s.get("/collections/parcels/items/"+strconv.Itoa(hiddenParcel), tok, ""); r.StatusCode != http.StatusOK || !bytes.Contains(r.body, []byte(secretRemark)) {
			t.Errorf("planner: %d %s", r.StatusCode, r.body[:min(len(r.body), 200)])
		}
		if r := s.get("/collections/parcels/items/1?f=html"); bytes.Contains(r.body, []byte(secretRemark)) || bytes.Contains(r.body, []byte("Internal remarks")) {
			t.Error("the public HTML page of a parcel shows internal remarks")
		}
	})

	t.Run("filters, parameters, sortby, properties", func(t *testing.T) {
		for _, p := range []string{
			"filter=" + escape("remarks LIKE '%vertraulich%'"),
			"filter=" + escape("ownership = 'private'"),
			"filter=" + escape(`{"op":"=","args":[{"property":"publication"},"internal"]}`) + "&filter-lang=cql2-json",
			"publication=internal",
			"remarks=x",
			"sortby=ownership",
			"properties=name,remarks",
		} {
			unknown := strings.NewReplacer("remarks", "nosuch", "ownership", "nosuch", "publication", "nosuch").Replace(p)
			pub, miss := s.get("/collections/parcels/items?"+p), s.get("/collections/parcels/items?"+unknown)
			if pub.StatusCode != http.StatusBadRequest || miss.StatusCode != http.StatusBadRequest {
				t.Errorf("public %s: %d (an unknown name: %d), want 400 for both", p, pub.StatusCode, miss.StatusCode)
			}
			if r := s.get("/collections/parcels/items?"+p, tok, ""); r.StatusCode != http.StatusOK {
				t.Errorf("planner %s: %d %s", p, r.StatusCode, r.body)
			}
		}
		if got := s.items("filter=" + escape("id IN (4, 8, 41)")).NumberMatched; got != 0 {
			t.Errorf("a filter on internal parcels' ids matches %d for the public", got)
		}
		if got := s.items("filter=" + escape("site_name = '"+secretSiteName+"'")).NumberMatched; got != 0 {
			t.Errorf("a filter on the internal site's name matches %d for the public", got)
		}
	})

	t.Run("internal site", func(t *testing.T) {
		var f feature
		s.getOK("/collections/parcels/items/2", &f)
		if f.Properties["site_name"] != nil || f.Properties["site_id"] != nil {
			t.Errorf("public parcel 2 names its internal site: %v %v", f.Properties["site_name"], f.Properties["site_id"])
		}
		s.getOK("/collections/parcels/items/2", &f, tok, "")
		if f.Properties["site_name"] != secretSiteName {
			t.Errorf("planner: site_name %v", f.Properties["site_name"])
		}
		var sites featureCollection
		s.getOK("/collections/sites/items", &sites)
		if sites.NumberMatched != 1 || sites.Features[0].Properties["name"] != publicSiteName {
			t.Errorf("public sites: %d %v", sites.NumberMatched, sites.Features)
		}
		// The public site counts only public parcels: g % 5 = 1 gives 1, 6, 11, ..., 36, of which 16 and 36 are internal.
		if n := sites.Features[0].Properties["parcels"]; n != 6.0 {
			t.Errorf("the public site shows %v parcels, want its 6 public ones", n)
		}
	})

	t.Run("queryables and API definition", func(t *testing.T) {
		var pub, all queryablesDoc
		s.getOK("/collections/parcels/queryables", &pub)
		s.getOK("/collections/parcels/queryables", &all, tok, "")
		for _, p := range internalProperties {
			if _, ok := pub.Properties[p]; ok {
				t.Errorf("public queryables list %s", p)
			}
			if _, ok := all.Properties[p]; !ok {
				t.Errorf("planner's queryables lack %s", p)
			}
		}
		for _, r := range []response{s.get("/api"), s.get("/api.html"), s.get("/collections/parcels?f=html")} {
			if bytes.Contains(r.body, []byte(`"remarks"`)) || bytes.Contains(r.body, []byte(">remarks<")) {
				t.Errorf("%s shows the internal remarks to the public", r.Request.URL.Path)
			}
		}
		if r := s.get("/api", tok, ""); !bytes.Contains(r.body, []byte(`"remarks"`)) {
			t.Error("the planner's API definition lacks the remarks parameter")
		}
	})

	t.Run("extents", func(t *testing.T) {
		var pub, all collectionDoc
		s.getOK("/collections/parcels", &pub)
		s.getOK("/collections/parcels", &all, tok, "")
		pb, ab := pub.Extent.Spatial.BBox[0], all.Extent.Spatial.BBox[0]
		// The far internal parcel lies in the Altenburger Land, south-east of everything else.
		if !(ab[1] < pb[1]-0.2 && ab[2] > pb[2]+0.2) {
			t.Errorf("public extent %v reveals the far internal parcel (extent with it: %v)", pb, ab)
		}
		if *pub.Extent.Temporal.Interval[0][0] != "2020-01-02T00:00:00Z" || *all.Extent.Temporal.Interval[0][0] != "2020-01-01T00:00:00Z" {
			t.Errorf("temporal extents: public %s, planner %s", *pub.Extent.Temporal.Interval[0][0], *all.Extent.Temporal.Interval[0][0])
		}
		var cols struct{ Collections []collectionDoc }
		s.getOK("/collections", &cols)
		if got := cols.Collections[0].Extent.Spatial.BBox[0]; got != pb {
			t.Errorf("/collections shows extent %v, /collections/parcels %v", got, pb)
		}
	})

	t.Run("html", func(t *testing.T) {
		pub := s.get("/collections/parcels/items?f=html&limit=1000")
		all := s.get("/collections/parcels/items?f=html&limit=1000", tok, "")
		if bytes.Contains(pub.body, []byte(secretRemark)) || bytes.Contains(pub.body, []byte(">remarks<")) || bytes.Contains(pub.body, []byte(">Testfläche 41<")) {
			t.Error("the public HTML items page shows internal data")
		}
		if !bytes.Contains(all.body, []byte(secretRemark)) || !bytes.Contains(all.body, []byte(">Testfläche 41<")) {
			t.Error("the planner's HTML items page lacks internal data")
		}
		if !bytes.Contains(pub.body, []byte(strconv.Itoa(publicParcels)+" features match")) {
			t.Error("the public HTML page does not count 30 features")
		}
	})

	t.Run("no public response names a secret", func(t *testing.T) {
		for _, p := range []string{"", "/collections", "/collections/parcels", "/collections/sites", "/collections/parcels/queryables", "/api",
			"/collections/parcels/items?limit=1000", "/collections/sites/items", "/collections/parcels/items?limit=1000&datetime=../..",
			"/collections/parcels/items?limit=1000&datetime=2020-06-01", "/collections/parcels/items?limit=1000&f=html"} {
			r := s.get(p)
			for _, secret := range []string{secretRemark, secretSiteName, `"Testfläche 41"`, `"Testfläche 4"`, "T-41"} {
				if bytes.Contains(r.body, []byte(secret)) {
					t.Errorf("public %s shows %q", p, secret)
				}
			}
		}
	})

	t.Run("caches keep readers apart", func(t *testing.T) {
		pub, all := s.get("/collections/parcels/items"), s.get("/collections/parcels/items", tok, "")
		if pub.Header.Get("ETag") == all.Header.Get("ETag") {
			t.Error("public and planner share an ETag")
		}
		if !strings.Contains(all.Header.Get("Cache-Control"), "private") || !slices.Contains(strings.Split(strings.ReplaceAll(strings.Join(pub.Header.Values("Vary"), ","), " ", ""), ","), "Authorization") {
			t.Errorf("Cache-Control %q for the planner, Vary %q", all.Header.Get("Cache-Control"), pub.Header.Values("Vary"))
		}
	})
}
