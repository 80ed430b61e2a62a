package upload

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// fold reduces a column name or code value to what matching compares: lower case, umlauts and ß
// spelled out, everything but letters, digits and § dropped. "Fläche_Netto", "flaeche netto" and
// "FLAECHE-NETTO" all fold to "flaechenetto".
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '§':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeAliases are the spellings districts use for code values besides the codes and their German
// and English labels: XPlanung numbers (BauNVO Art der baulichen Nutzung, Rechtsstand), short forms
// and yes/no words.
var codeAliases = map[string]map[string][]string{
	"use_type": {
		"GE":  {"gewerbegebiet", "gewerbe", "1700", "commercial"},
		"GI":  {"industriegebiet", "industrie", "1800", "industrial"},
		"SO":  {"sondergebiet", "4000", "2000", "2100", "special"},
		"MI":  {"mischgebiet", "1500", "mixed"},
		"GEe": {"eingeschraenktesgewerbegebiet", "gewerbegebieteingeschraenkt"},
		"GIe": {"eingeschraenktesindustriegebiet", "industriegebieteingeschraenkt"},
	},
	"planning_status": {
		"in_force":       {"4000", "rechtskraeftig", "inkraft", "inkraftgetreten", "bplan", "§30", "30", "bplanrechtskraeftig"},
		"in_preparation": {"1000", "2000", "2100", "2200", "2300", "2400", "3000", "inaufstellung", "aufstellung", "entwurf", "bplanentwurf"},
		"built_up_area":  {"§34", "34", "innenbereich", "unbeplanterinnenbereich"},
		"land_use_plan":  {"fnp", "flaechennutzungsplan", "nurfnp", "imfnp"},
		"none":           {"kein", "keines", "ohne", "keinplanungsrecht", "aussenbereich", "§35", "35"},
	},
	"availability": {
		"now":           {"sofort", "sofortverfuegbar", "verfuegbar"},
		"short_term":    {"kurzfristig", "bis2jahre"},
		"medium_term":   {"mittelfristig", "2bis5jahre", "25jahre"},
		"long_term":     {"langfristig", "ueber5jahre"},
		"not_available": {"nichtverfuegbar", "keine"},
	},
	"status": {
		"offered":      {"angeboten", "frei", "offen", "verfuegbar"},
		"reserved":     {"reserviert", "optioniert", "option"},
		"sold":         {"vermarktet", "verkauft", "vergeben", "verpachtet"},
		"company_held": {"betriebsgebunden", "betriebserweiterung", "erweiterungsflaeche"},
		"withdrawn":    {"zurueckgezogen"},
	},
	"potential_kind": {
		"infill_gap":         {"bauluecke"},
		"brownfield":         {"brachflaeche", "brache"},
		"conversion":         {"konversionsflaeche", "konversion"},
		"reserve_bplan":      {"reserveimbplan", "bplanreserve", "reservebplan"},
		"reserve_fnp":        {"reserveimfnp", "fnpreserve", "reservefnp"},
		"no_planning_rights": {"potenzialohneplanrecht", "ohneplanrecht"},
	},
	"ownership": {
		"municipal":           {"kommunal", "gemeinde", "stadt"},
		"land":                {"landeseigentum"},
		"federal":             {"bund"},
		"development_company": {"entwicklungsgesellschaft"},
		"private":             {"privat"},
		"mixed":               {"gemischt"},
		"unknown":             {"unbekannt"},
	},
	"owner_willing": {
		"yes":     {"ja", "j", "true", "1", "wahr"},
		"no":      {"nein", "n", "false", "0", "falsch"},
		"unknown": {"unbekannt", "unklar"},
	},
	"serviced": {
		"full":    {"voll", "vollerschlossen", "ja", "erschlossen"},
		"partial": {"teilweise", "teilerschlossen", "teilweiseerschlossen"},
		"none":    {"nicht", "nichterschlossen", "unerschlossen", "nein"},
	},
	"publication": {
		"public":   {"oeffentlich", "ja", "true", "1"},
		"internal": {"intern", "nein", "false", "0"},
	},
}

// codeIndex maps each Code field to its folded spellings -> code.
var codeIndex = func() map[string]map[string]string {
	idx := map[string]map[string]string{}
	for _, f := range fields {
		if f.Kind != Code {
			continue
		}
		m := map[string]string{}
		for _, c := range f.Codes.Codes {
			for _, s := range append([]string{c.Value, c.DE, c.EN}, codeAliases[f.Name][c.Value]...) {
				if k := fold(s); k != "" {
					if _, taken := m[k]; !taken {
						m[k] = c.Value
					}
				}
			}
		}
		idx[f.Name] = m
	}
	return idx
}()

// LookupCode finds the code a spelling stands for in a field's code list.
func LookupCode(field, value string) (string, bool) {
	c, ok := codeIndex[field][fold(value)]
	return c, ok
}

// valueString renders a decoded property value as text: numbers keep their digits as written.
func valueString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x), true
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

var germanDecimal = regexp.MustCompile(`^[+-]?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$|^[+-]?[0-9]+(,[0-9]+)?$`)

// parseNumber reads a number written as JSON or as text, with a decimal point or a German
// decimal comma ("12,5", "1.250,75").
func parseNumber(v any) (float64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case string:
		s = strings.TrimSpace(x)
		if germanDecimal.MatchString(s) && (strings.Contains(s, ",") || strings.Count(s, ".") > 1) {
			s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
		}
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

var trueWords = map[string]bool{"ja": true, "j": true, "true": true, "wahr": true, "1": true, "x": true, "yes": true, "y": true, "vorhanden": true}
var falseWords = map[string]bool{"nein": true, "n": true, "false": true, "falsch": true, "0": true, "no": true, "nichtvorhanden": true}

// parseBool reads yes/no as JSON, a number 1/0 or a German or English word.
func parseBool(v any) (bool, bool) {
	if b, ok := v.(bool); ok {
		return b, true
	}
	s, ok := valueString(v)
	if !ok {
		return false, false
	}
	k := fold(s)
	if trueWords[k] {
		return true, true
	}
	if falseWords[k] {
		return false, true
	}
	return false, false
}

var dateLayouts = []string{"2006-01-02", "2006/01/02", "02.01.2006", "2.1.2006", time.RFC3339, "2006-01-02T15:04:05", "2006/01/02 15:04:05", "2006-01-02 15:04:05"}

// parseDate reads a date as ISO 8601 (with or without time), as GDAL writes dates, or German
// style (31.12.2025).
func parseDate(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// describe shows a value in a message, shortened so that a huge cell cannot flood the report.
func describe(v any) string {
	s, ok := valueString(v)
	if !ok {
		b, _ := json.Marshal(v)
		s = string(b)
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// WebAddress reports whether s is an absolute http or https URL with a host and without blanks
// or control characters: what a link on a public fact sheet may point to.
func WebAddress(s string) bool {
	if strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
