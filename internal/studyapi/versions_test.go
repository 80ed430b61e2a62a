package studyapi_test

import (
	"context"
	"net/http"
	"testing"
)

// The public cannot see that something internal changed: the ETags and data versions it gets
// move with public changes only, while signed-in readers' move with every change.
func TestPublicVersionsIgnoreInternalChanges(t *testing.T) {
	a := newAPI(t)
	etag := func(token string) string {
		req, _ := http.NewRequest(http.MethodGet, a.base+"/ogcapi/collections/parcels/items?limit=1", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
			t.Fatalf("items: %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
		}
		return resp.Header.Get("ETag")
	}
	version := func(token string) float64 {
		var supply struct {
			Query struct {
				DataVersion map[string]float64 `json:"data_version"`
			}
		}
		a.get("/api/v1/study/supply", token, &supply)
		if supply.Query.DataVersion["parcels"] == 0 {
			t.Fatal("the supply tells no data version")
		}
		return supply.Query.DataVersion["parcels"]
	}
	update := func(key string) {
		if _, err := a.db.Pool.Exec(context.Background(), `UPDATE parcels SET name = name || '.' WHERE id = $1`, a.fix.Parcels[key]); err != nil {
			t.Fatal(err)
		}
	}
	public, internal, publicV, internalV := etag(""), etag(a.planner), version(""), version(a.planner)

	update("C") // internal
	if got := etag(""); got != public {
		t.Errorf("the public ETag moved with an internal change: %s, was %s", got, public)
	}
	if got := version(""); got != publicV {
		t.Errorf("the public data version moved with an internal change: %v, was %v", got, publicV)
	}
	if etag(a.planner) == internal || version(a.planner) == internalV {
		t.Error("a planner's ETag or data version did not move with an internal change")
	}

	update("A") // public
	if etag("") == public || version("") == publicV {
		t.Error("the public ETag or data version did not move with a public change")
	}
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE parcels SET publication = 'internal' WHERE id = $1`, a.fix.Parcels["A"]); err != nil {
		t.Fatal(err)
	}
	before := version("")
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE parcels SET publication = 'public' WHERE id = $1`, a.fix.Parcels["A"]); err != nil {
		t.Fatal(err)
	}
	if version("") == before {
		t.Error("the public data version did not move when a parcel became public")
	}
}
