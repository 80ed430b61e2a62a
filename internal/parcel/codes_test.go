package parcel

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The web app mirrors the public code lists with their labels (web/src/codes.ts) so that the map
// renders without a round trip; this keeps the mirror in step with the lists here.
func TestWebAppMirrorsTheCodeLists(t *testing.T) {
	src, err := os.ReadFile("../../web/src/codes.ts")
	if err != nil {
		t.Fatal(err)
	}
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }
	for _, list := range []CodeList{UseTypes(), PlanningStatuses(), Availabilities(), Statuses(), PotentialKinds(),
		ServicedStates(), InfrastructureKinds(), ConstraintKinds(), Severities(), Ownerships(), OwnerWillingness(), Publications()} {
		for _, c := range list.Codes {
			entry := fmt.Sprintf("c(%s, %s, %s)", quote(c.Value), quote(c.DE), quote(c.EN))
			if !strings.Contains(string(src), entry) {
				t.Errorf("web/src/codes.ts lacks %s of %s: it must read %s", c.Value, list.Name, entry)
			}
		}
	}
}

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
