package enquiry

import (
	"encoding/json"
	"strings"
	"testing"

	"landatlas/internal/auth"
)

func TestCheckMove(t *testing.T) {
	for _, c := range []struct {
		from, to, reason string
		ok               bool
	}{
		{New, InProgress, "", true},
		{New, SiteVisit, "", true}, // steps may be skipped
		{OfferSent, InProgress, "", false},
		{SiteVisit, Won, "", true},
		{New, Withdrawn, "", true},
		{InProgress, Lost, "", false},
		{InProgress, Lost, "  ", false},
		{InProgress, Lost, "Standort in Polen", true},
		{Won, Lost, "x", false},
		{Lost, InProgress, "", true},
		{New, New, "", false},
		{New, "gewonnen", "", false},
	} {
		err := CheckMove(c.from, c.to, c.reason)
		if (err == nil) != c.ok {
			t.Errorf("%s → %s (%q): %v, want ok %v", c.from, c.to, c.reason, err, c.ok)
		}
	}
}

func TestValidNamesWhatToFix(t *testing.T) {
	in := Input{Personal: Personal{Company: strings.Repeat("x", MaxShort+1), Email: "no-address"}, Requirements: Requirements{Sector: "mining", UseTypes: []string{"XX"}}}
	p := in.Valid(true)
	for _, f := range []string{"company", "contact_name", "email", "consent", "sector", "use_types"} {
		if p[f] == "" {
			t.Errorf("no problem named for %s: %v", f, p)
		}
	}
	hand := Input{Requirements: Requirements{Sector: "logistics"}, Channel: "phone"}
	if p := hand.Valid(false); len(p) != 0 || hand.Timing != "open" || hand.Lang != "de" {
		t.Errorf("a planner's enquiry by hand without contact: %v (timing %q, lang %q)", p, hand.Timing, hand.Lang)
	}
	phone := Input{Personal: Personal{Company: "A", ContactName: "B", Email: "a@b.example"}, Consent: true, Channel: "phone"}
	if p := phone.Valid(true); p["channel"] == "" {
		t.Errorf("a public enquiry claiming to be a phone call: %v", p)
	}
}

func TestCanSee(t *testing.T) {
	routed := []string{"15088", "14730"}
	for _, c := range []struct {
		p    *auth.Principal
		sees bool
	}{
		{nil, false},
		{&auth.Principal{Role: auth.Planner}, true},
		{&auth.Principal{Role: auth.Admin}, true},
		{&auth.Principal{Role: auth.Editor, DistrictAGS: "14730"}, true},
		{&auth.Principal{Role: auth.Editor, DistrictAGS: "14713"}, false},
	} {
		if got := CanSee(c.p, routed); got != c.sees || SeesPersonal(c.p, routed) != c.sees {
			t.Errorf("%+v sees %v, want %v", c.p, got, c.sees)
		}
	}
}

func TestSearchFromRequirements(t *testing.T) {
	min, km := 2.0, 10.0
	s := Requirements{MinNetHa: &min, UseTypes: []string{"GI"}, Timing: "short_term", MaxMotorwayKm: &km, RailSiding: true}.Search()
	c := s.Criteria
	if c.MinNetHa != 2 || strings.Join(c.UseTypes, ",") != "GI" || strings.Join(c.Availabilities, ",") != "now,short_term" ||
		c.MaxDistanceKm["motorway_junction"] != 10 || !c.Require.Flags.Has("rail_siding") || !s.LargeSites {
		t.Errorf("search %+v", s)
	}
	if open := (Requirements{Timing: "open"}).Search(); len(open.Criteria.Availabilities) != 0 {
		t.Errorf("an open timing restricts availability: %v", open.Criteria.Availabilities)
	}
	if err := s.Check(); err != nil {
		t.Errorf("the search is not valid: %v", err)
	}
}

func TestTopReason(t *testing.T) {
	if got := TopReason(map[string]int{"use_type": 4, "net_area_below_min": 5, "availability": 2}); got != "net_area_below_min" {
		t.Errorf("got %q", got)
	}
	if got := TopReason(map[string]int{"use_type": 3, "availability": 3}); got != "availability" {
		t.Errorf("tie: got %q, want the first in code order", got)
	}
	if got := TopReason(nil); got != "" {
		t.Errorf("nothing excluded: got %q", got)
	}
}

// FuzzInput checks that no public form body makes the checks panic, and that whatever passes them
// stays within the size limits.
func FuzzInput(f *testing.F) {
	f.Add(`{"company":"A","contact_name":"B","email":"a@b.example","consent":true,"min_net_ha":2,"use_types":["GI"]}`)
	f.Add(`{"email":"<script>@x","max_net_ha":-1,"parcel_ids":[1,2,3]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in Input
		if json.Unmarshal([]byte(body), &in) != nil {
			return
		}
		if len(in.Valid(true)) == 0 {
			if len([]rune(in.Company)) > MaxShort || len([]rune(in.Message)) > MaxMessage || len(in.ParcelIDs)+len(in.SiteIDs) > MaxItems || !in.Consent {
				t.Errorf("accepted beyond the limits: %+v", in)
			}
		}
	})
}
