package study

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"landatlas/internal/parcel"
)

// flagFields are the parcel's yes/no qualities a search can require or prefer, from the field
// registry: a new flag there is a new criterion here.
var flagFields = parcel.Flags()

// FlagSet is a set of the yes/no qualities of the registry (parcel.Flags), one bit each. A
// candidate holds the ones it has, a search the ones it asks for. In JSON it is a list of names.
type FlagSet uint64

func flagIndex(name string) int {
	return slices.IndexFunc(flagFields, func(f parcel.Field) bool { return f.Name == name })
}

// Flagged returns the set of the named flags; a name that is not a flag of the registry is a
// programming error.
func Flagged(names ...string) FlagSet {
	var s FlagSet
	for _, n := range names {
		if flagIndex(n) < 0 {
			panic(fmt.Sprintf("study: %q is not a flag of the field registry", n))
		}
		s.Set(n, true)
	}
	return s
}

// Has reports whether the set holds the flag.
func (s FlagSet) Has(name string) bool {
	i := flagIndex(name)
	return i >= 0 && s&(1<<i) != 0
}

// Set puts a flag into the set or takes it out; names that are not flags are ignored.
func (s *FlagSet) Set(name string, on bool) {
	i := flagIndex(name)
	switch {
	case i < 0:
	case on:
		*s |= 1 << i
	default:
		*s &^= 1 << i
	}
}

// Names lists the flags of the set in the registry's order.
func (s FlagSet) Names() []string {
	names := []string{}
	for i, f := range flagFields {
		if s&(1<<i) != 0 {
			names = append(names, f.Name)
		}
	}
	return names
}

// MarshalJSON writes the set as the list of its names.
func (s FlagSet) MarshalJSON() ([]byte, error) { return json.Marshal(s.Names()) }

// UnmarshalJSON reads the list of names MarshalJSON writes, as stored runs hold it; an unknown
// name is an error.
func (s *FlagSet) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	var out FlagSet
	for _, name := range names {
		if !slices.ContainsFunc(flagFields, func(f parcel.Field) bool { return f.Name == name }) {
			return fmt.Errorf("%q is not a flag: the flags are %s", name, strings.Join(FlagNames(), ", "))
		}
		out.Set(name, true)
	}
	*s = out
	return nil
}

// FlagNames lists every flag a search can ask for.
func FlagNames() []string {
	names := make([]string, len(flagFields))
	for i, f := range flagFields {
		names[i] = f.Name
	}
	return names
}

// flagLabel is a flag's label as it reads inside a sentence ("no rail siding").
func flagLabel(f parcel.Field) Text {
	en := f.Label.EN
	if r, n := utf8.DecodeRuneInString(en); n > 0 && !unicode.IsDigit(r) {
		en = string(unicode.ToLower(r)) + en[n:]
	}
	return Text{DE: f.Label.DE, EN: en}
}

// MarshalJSON writes the utilities as one object: each flag asked for as name: true, and the
// thresholds that are set.
func (u Utilities) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for _, n := range u.Flags.Names() {
		m[n] = true
	}
	if u.MinPowerMW != 0 {
		m["min_power_mw"] = u.MinPowerMW
	}
	if u.MinBroadbandMbps != 0 {
		m["min_broadband_mbps"] = u.MinBroadbandMbps
	}
	if u.Serviced != "" {
		m["serviced"] = u.Serviced
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads utilities over what u holds (a preset's), member by member: a flag set
// false is no longer asked for. Unknown members are refused with the names that are known.
func (u *Utilities) UnmarshalJSON(b []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	for name, raw := range members {
		var err error
		switch name {
		case "min_power_mw":
			err = json.Unmarshal(raw, &u.MinPowerMW)
		case "min_broadband_mbps":
			err = json.Unmarshal(raw, &u.MinBroadbandMbps)
		case "serviced":
			err = json.Unmarshal(raw, &u.Serviced)
		default:
			if flagIndex(name) < 0 {
				return fmt.Errorf("unknown utility %q: use %s, min_power_mw, min_broadband_mbps or serviced", name, strings.Join(FlagNames(), ", "))
			}
			var on bool
			if err = json.Unmarshal(raw, &on); err == nil {
				u.Flags.Set(name, on)
			}
		}
		if err != nil {
			return fmt.Errorf("utility %s: %w", name, err)
		}
	}
	return nil
}
