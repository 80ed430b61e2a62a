package parcel

import "testing"

// TestSizeClassNames: readers see "< 0,5 ha" and "0,5–1 ha", not the codes "<0.5" and "0.5-1".
func TestSizeClassNames(t *testing.T) {
	got := map[string][2]string{}
	for _, c := range SizeClassCodes().Codes {
		got[c.Value] = [2]string{c.DE, c.EN}
	}
	for value, want := range map[string][2]string{
		"<0.5": {"< 0,5 ha", "< 0.5 ha"}, "0.5-1": {"0,5–1 ha", "0.5–1 ha"}, "10-20": {"10–20 ha", "10–20 ha"}, ">=100": {"≥ 100 ha", "≥ 100 ha"},
	} {
		if got[value] != want {
			t.Errorf("size class %s reads %q, want %q", value, got[value], want)
		}
	}
}
