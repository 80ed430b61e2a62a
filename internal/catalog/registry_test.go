package catalog

import (
	"testing"

	"landatlas/internal/cql2"
	"landatlas/internal/parcel"
)

// The published parcels are the registry's fields: a field declared there is a property with its
// labels, type and visibility, filterable and in the tiles where the registry says so.
func TestParcelPropertiesComeFromTheRegistry(t *testing.T) {
	parcels, _ := ByID("parcels")
	for _, f := range parcel.ParcelFields() {
		p, ok := parcels.Property(f.Name, true)
		if f.InputOnly {
			if ok {
				t.Errorf("%s is only written by uploads but published", f.Name)
			}
			continue
		}
		if !ok {
			t.Errorf("registry field %s is not a property of parcels", f.Name)
			continue
		}
		if p.Title != f.Label.EN || p.TitleDE != f.Label.DE || p.Internal != f.Internal || p.Tile != f.Tile || p.Unit != f.Unit {
			t.Errorf("%s: property %+v does not say what the registry says (%+v)", f.Name, p, f)
		}
		if _, public := parcels.Property(f.Name, false); public == f.Internal {
			t.Errorf("%s: the public sees it: %v, internal: %v", f.Name, public, f.Internal)
		}
		if _, q := parcels.Queryables(true)[f.Name]; q != f.Queryable {
			t.Errorf("%s: queryable %v, the registry says %v", f.Name, q, f.Queryable)
		}
	}
	op, ok := parcels.Queryables(false)["operation_24h"]
	if !ok || op.Type != cql2.Boolean || op.SQL != "t.operation_24h" {
		t.Errorf("operation_24h for the public: %+v (found %v), want the boolean column", op, ok)
	}
	if _, ok := parcels.Queryables(false)["ownership"]; ok {
		t.Error("the public can filter by ownership")
	}
}
