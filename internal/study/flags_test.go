package study

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// A search asks for the flags of the field registry by name, 24-hour operation among them, and
// reads them over a preset's: false takes one out, an unknown name is refused with the known ones.
func TestSearchAsksForRegistryFlags(t *testing.T) {
	s, err := NewSearch("large_industrial")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Prefer.Flags.Has("rail_siding") {
		t.Fatalf("the preset prefers %v, want rail_siding among them", s.Prefer.Flags.Names())
	}
	body := `{"criteria": {"require": {"operation_24h": true, "min_power_mw": 5}}, "prefer": {"rail_siding": false}}`
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	if !s.Criteria.Require.Flags.Has("operation_24h") || s.Criteria.Require.MinPowerMW != 5 {
		t.Errorf("require = %+v, want operation_24h and 5 MW", s.Criteria.Require)
	}
	if s.Prefer.Flags.Has("rail_siding") || !s.Prefer.Flags.Has("hydrogen") {
		t.Errorf("prefer = %v, want the preset's without rail_siding", s.Prefer.Flags.Names())
	}
	out, err := json.Marshal(s.Criteria.Require)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"min_power_mw":5,"operation_24h":true}` {
		t.Errorf("require in JSON = %s", out)
	}
	err = json.Unmarshal([]byte(`{"criteria": {"require": {"nightshift": true}}}`), &s)
	if err == nil || !strings.Contains(err.Error(), `unknown utility "nightshift"`) || !strings.Contains(err.Error(), "operation_24h") {
		t.Errorf("unknown flag: %v, want it refused naming operation_24h", err)
	}

	// A parcel whose plan does not allow operation at night is excluded, saying so.
	req := Search{Criteria: Criteria{Require: Utilities{Flags: Flagged("operation_24h")}}}
	day := cand(1, func(c *Candidate) {})
	var codes, de []string
	for _, r := range req.exclusions(day, at, true, true) {
		codes, de = append(codes, r.Code), append(de, r.DE)
	}
	if !slices.Equal(codes, []string{"utility_operation_24h"}) || !strings.Contains(strings.Join(de, "; "), "ohne 24/7-Betrieb zulässig") {
		t.Errorf("without 24h operation: %v %q", codes, de)
	}
	night := cand(2, func(c *Candidate) { c.Flags.Set("operation_24h", true) })
	if r := req.exclusions(night, at, true, true); len(r) != 0 {
		t.Errorf("with 24h operation: excluded for %v", r)
	}
}

func TestTheRegistryFlagsFitAFlagSet(t *testing.T) {
	if n := len(flagFields); n == 0 || n > 64 {
		t.Fatalf("%d flags in the registry: a FlagSet holds 1 to 64", n)
	}
}
