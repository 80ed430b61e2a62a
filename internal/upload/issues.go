package upload

import (
	"fmt"
	"strings"
)

// Severity says whether an issue blocks publishing: errors do, warnings do not.
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Issue is one finding of the validation, with its message in German and English. Feature is the
// 1-based position of the feature in the file (0: the file as a whole).
type Issue struct {
	Feature    int      `json:"feature,omitempty"`
	ExternalID string   `json:"external_id,omitempty"`
	Field      string   `json:"field,omitempty"`
	Severity   Severity `json:"severity"`
	Rule       string   `json:"rule"`
	DE         string   `json:"de"`
	EN         string   `json:"en"`
	// Suggest is the value that would fix the issue, where there is one (e.g. "EPSG:25832").
	Suggest string `json:"suggest,omitempty"`
}

// At returns the issue attached to a feature.
func (i Issue) At(feature int, externalID string) Issue {
	i.Feature, i.ExternalID = feature, externalID
	return i
}

func issue(sev Severity, rule, field, de, en string) Issue {
	return Issue{Severity: sev, Rule: rule, Field: field, DE: de, EN: en}
}

func label(f Field) (de, en string) {
	return fmt.Sprintf("%s (%s)", f.DE, f.Name), fmt.Sprintf("%s (%s)", f.EN, f.Name)
}

func codeValues(f Field) string {
	return strings.Join(f.Codes.Values(), ", ")
}

func missingColumnIssue(f Field, unmatched []string) Issue {
	de, en := label(f)
	names := strings.Join(append([]string{f.Name}, f.Aliases...), ", ")
	hintDE, hintEN := "", ""
	if len(unmatched) > 0 {
		list := strings.Join(unmatched, ", ")
		hintDE = fmt.Sprintf(" Nicht zugeordnet sind die Spalten %s; ist eine davon gemeint, ordnen Sie sie zu, etwa {\"columns\": {\"%s\": \"%s\"}}.", list, unmatched[0], f.Name)
		hintEN = fmt.Sprintf(" The columns %s are not matched; if one of them is meant, map it, e.g. {\"columns\": {\"%s\": \"%s\"}}.", list, unmatched[0], f.Name)
	}
	return issue(Error, "column.missing", f.Name,
		fmt.Sprintf("Keine Spalte für das Pflichtfeld %s gefunden. Benennen Sie die Spalte z. B. %s, oder ordnen Sie Ihre Spalte in der Zuordnung des Kreises zu.%s", de, names, hintDE),
		fmt.Sprintf("No column for the required field %s. Name the column e.g. %s, or map your column to it in the district's mapping.%s", en, names, hintEN))
}

func unknownColumnIssue(col string) Issue {
	return issue(Warning, "column.unknown", "",
		fmt.Sprintf("Die Spalte „%s“ ist kein Feld von landatlas und wird nicht übernommen. Ordnen Sie sie in der Zuordnung einem Feld zu, ordnen Sie sie „-“ zu (bewusst ignorieren) oder entfernen Sie sie.", col),
		fmt.Sprintf("Column %q is not a landatlas field and is not imported. Map it to a field in the mapping, map it to \"-\" (ignore on purpose) or remove it.", col))
}

func ambiguousColumnIssue(col string, candidates []string) Issue {
	list := strings.Join(candidates, ", ")
	return issue(Warning, "column.ambiguous", "",
		fmt.Sprintf("Die Spalte „%s“ passt zu mehreren Feldern (%s), vermutlich weil ein Shapefile Spaltennamen auf 10 Zeichen kürzt. Sie wird nicht übernommen: legen Sie in der Zuordnung fest, welches Feld gemeint ist.", col, list),
		fmt.Sprintf("Column %q matches several fields (%s), probably because a shapefile cuts column names to 10 characters. It is not imported: say in the mapping which field it is.", col, list))
}

func duplicateColumnIssue(f Field, cols []string) Issue {
	de, en := label(f)
	list := strings.Join(cols, "“, „")
	return issue(Error, "column.duplicate", f.Name,
		fmt.Sprintf("Die Spalten „%s“ meinen alle das Feld %s. Ordnen Sie in der Zuordnung die überzähligen „-“ zu.", list, de),
		fmt.Sprintf("Columns %q all mean the field %s. Map the extra ones to \"-\" in the mapping.", cols, en))
}

func defaultNoteIssue(f Field, de, en string) Issue {
	return issue(Warning, "column.default", f.Name, de, en)
}

func missingValueIssue(f Field) Issue {
	de, en := label(f)
	return issue(Error, "attribute.missing", f.Name,
		fmt.Sprintf("Das Pflichtfeld %s ist leer.", de),
		fmt.Sprintf("The required field %s is empty.", en))
}

func codeIssue(f Field, v any) Issue {
	de, en := label(f)
	return issue(Error, "attribute.code", f.Name,
		fmt.Sprintf("%s: %s ist kein bekannter Wert. Erlaubt sind %s und ihre deutschen Bezeichnungen; eigene Werte des Kreises lassen sich in der Zuordnung festlegen.", de, describe(v), codeValues(f)),
		fmt.Sprintf("%s: %s is not a known value. Allowed are %s and their German names; a district's own values can be mapped in the mapping.", en, describe(v), codeValues(f)))
}

func typeIssue(f Field, v any, wantDE, wantEN string) Issue {
	de, en := label(f)
	return issue(Error, "attribute.type", f.Name,
		fmt.Sprintf("%s: %s ist %s.", de, describe(v), wantDE),
		fmt.Sprintf("%s: %s is %s.", en, describe(v), wantEN))
}

func rangeIssue(f Field, x float64) Issue {
	de, en := label(f)
	lowDE, lowEN := "ab", "from"
	if f.MinOpen {
		lowDE, lowEN = "über", "above"
	}
	bounds := fmt.Sprintf("%s %g", lowDE, f.Min)
	boundsEN := fmt.Sprintf("%s %g", lowEN, f.Min)
	if f.Max > 0 {
		bounds += fmt.Sprintf(" bis %g", f.Max)
		boundsEN += fmt.Sprintf(" up to %g", f.Max)
	}
	return issue(Error, "attribute.range", f.Name,
		fmt.Sprintf("%s: %g liegt außerhalb des plausiblen Bereichs (%s). Ist die Einheit richtig?", de, x, bounds),
		fmt.Sprintf("%s: %g is outside the plausible range (%s). Is the unit right?", en, x, boundsEN))
}

func futureDateIssue(f Field, d string) Issue {
	de, en := label(f)
	return issue(Error, "attribute.future", f.Name,
		fmt.Sprintf("%s: %s liegt in der Zukunft.", de, d),
		fmt.Sprintf("%s: %s is in the future.", en, d))
}

func pastDateIssue(f Field, d string) Issue {
	de, en := label(f)
	return issue(Error, "attribute.range", f.Name,
		fmt.Sprintf("%s: %s liegt vor 1990 und ist nicht plausibel.", de, d),
		fmt.Sprintf("%s: %s is before 1990 and not plausible.", en, d))
}

func priceOrderIssue(min, max float64) Issue {
	return issue(Error, "attribute.range", "price_max_eur_m2",
		fmt.Sprintf("Preis bis (%g €/m²) ist kleiner als Preis ab (%g €/m²).", max, min),
		fmt.Sprintf("Price up to (%g €/m²) is below price from (%g €/m²).", max, min))
}

func missingIDIssue() Issue {
	return issue(Error, "id.missing", "external_id",
		"Die Fläche hat keine Kennung (external_id). Ohne sie lässt sich die Fläche bei der nächsten Lieferung nicht wiederfinden.",
		"The parcel has no external id. Without it the parcel cannot be found again in the next delivery.")
}

func duplicateIDIssue(id string, first int) Issue {
	return issue(Error, "id.duplicate", "external_id",
		fmt.Sprintf("Die Kennung „%s“ kommt mehrfach vor (zuerst bei Objekt %d). Jede Fläche braucht eine eigene Kennung.", id, first),
		fmt.Sprintf("External id %q occurs more than once (first at feature %d). Every parcel needs its own id.", id, first))
}

// ScrubNUL removes NUL characters from a feature's column names and text values, which no text in
// PostgreSQL may hold, and returns an error issue for each column that had one.
func ScrubNUL(props map[string]any) []Issue {
	var out []Issue
	for k, v := range props {
		s, isText := v.(string)
		if !strings.ContainsRune(k, 0) && !(isText && strings.ContainsRune(s, 0)) {
			continue
		}
		clean := strings.ReplaceAll(k, "\x00", "")
		delete(props, k)
		if isText {
			props[clean] = strings.ReplaceAll(s, "\x00", "")
		} else {
			props[clean] = v
		}
		out = append(out, issue(Error, "attribute.nul", clean,
			fmt.Sprintf("Die Spalte %q enthält ein NUL-Zeichen (\\u0000), das kein Text enthalten darf: entfernen Sie es im GIS.", clean),
			fmt.Sprintf("The column %q holds a NUL character (\\u0000), which no text may contain: remove it in your GIS.", clean)))
	}
	return out
}
