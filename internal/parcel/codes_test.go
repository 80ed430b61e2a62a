package parcel

import "testing"

func TestSizeClassOf(t *testing.T) {
	for _, c := range []struct {
		ha   float64
		want string
	}{{0, "<0.5"}, {0.49, "<0.5"}, {0.5, "0.5-1"}, {4.99, "1-5"}, {5, "5-10"}, {20, "20-50"}, {99.9, "50-100"}, {100, ">=100"}, {5000, ">=100"}} {
		if got := SizeClassOf(c.ha); got != c.want {
			t.Errorf("SizeClassOf(%v) = %s, want %s", c.ha, got, c.want)
		}
	}
}
