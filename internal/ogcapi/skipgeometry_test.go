package ogcapi_test

import (
	"net/http"
	"testing"
)

// Lists and sums need only properties: skipGeometry=true answers the same features without
// geometry, and its next link keeps asking so.
func TestSkipGeometry(t *testing.T) {
	s := newServer(t)
	full := s.items("limit=3&sortby=id")
	bare := s.items("limit=3&sortby=id&skipGeometry=true")
	if full.NumberMatched != bare.NumberMatched || len(full.Features) != len(bare.Features) || len(bare.Features) == 0 {
		t.Fatalf("skipGeometry changed the result: %d/%d features, %d/%d matched",
			len(full.Features), len(bare.Features), full.NumberMatched, bare.NumberMatched)
	}
	for i, f := range bare.Features {
		if f.Geometry.Type != "" || f.ID != full.Features[i].ID || f.Properties["net_area_ha"] != full.Features[i].Properties["net_area_ha"] {
			t.Errorf("feature %v: geometry %q, want null and the same id and properties", f.ID, f.Geometry.Type)
		}
		if full.Features[i].Geometry.Type != "MultiPolygon" {
			t.Errorf("feature %v without skipGeometry has geometry %q", full.Features[i].ID, full.Features[i].Geometry.Type)
		}
	}
	var next featureCollection
	s.getOK(bare.link("next"), &next)
	if len(next.Features) == 0 || next.Features[0].Geometry.Type != "" {
		t.Errorf("the next page of a skipGeometry request has geometry: the link lost the parameter")
	}
	s.problem("/collections/parcels/items?skipGeometry=yes", http.StatusBadRequest, "skipGeometry", "true or false")
}
