package upload

import "testing"

// An empty cell stands for the database default where a column cannot be empty; greenfield has
// none: landatlas derives it from the kind of potential for a new parcel.
func TestEmptyCellsTakeTheColumnDefaults(t *testing.T) {
	for field, want := range map[string]any{"rail_siding": false, "operation_24h": false, "ownership": "unknown",
		"serviced": "none", "publication": "internal", "greenfield": nil, "name": nil} {
		if got := fieldDefault(field); got != want {
			t.Errorf("empty %s stands for %v, want %v", field, got, want)
		}
	}
}
