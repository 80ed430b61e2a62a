package upload

import (
	"testing"
)

// The upload form shows GuessColumns; the upload reads a file's columns with the Normalizer.
// For spellings districts use they must name the same field.
func TestGuessColumnsIsWhatTheUploadReads(t *testing.T) {
	for _, c := range []struct {
		columns []string
		want    map[string]string
	}{
		{[]string{"Kennung", "verfuegbar", "Status"}, map[string]string{"Kennung": "external_id", "verfuegbar": "availability", "Status": "status"}},
		{[]string{"Verfügbarkeit"}, map[string]string{"Verfügbarkeit": "availability"}},
		{[]string{"VERFUEGBAR_AB"}, map[string]string{"VERFUEGBAR_AB": "available_from"}},
		{[]string{"verfuegbar", "VERFUEGBAR_AB", "Fläche_Netto"}, map[string]string{"verfuegbar": "availability", "VERFUEGBAR_AB": "available_from", "Fläche_Netto": "net_area_given_ha"}},
		// Two columns for one field: the first (in name order) fills it, as on upload.
		{[]string{"NUTZUNGSAR", "planungsre", "24h", "Nachtbetrieb", "zufall", "Shape_Area"},
			map[string]string{"NUTZUNGSAR": "use_type", "planungsre": "planning_status", "24h": "operation_24h", "Nachtbetrieb": "", "zufall": "", "Shape_Area": ""}},
	} {
		guesses, _ := Mapping{}.GuessColumns(c.columns)
		n := NewNormalizer(Mapping{}, today)
		props := map[string]any{}
		for _, col := range c.columns {
			props[col] = "x"
		}
		n.Feature(1, "", props)
		read := map[string]string{}
		for _, u := range n.Columns() {
			read[u.Column] = u.Field
		}
		for _, g := range guesses {
			if g.Field != c.want[g.Column] {
				t.Errorf("%v: guess %s -> %q (%s), want %q", c.columns, g.Column, g.Field, g.Note, c.want[g.Column])
			}
			if read[g.Column] != g.Field {
				t.Errorf("%v: guess %s -> %q, the upload reads it as %q", c.columns, g.Column, g.Field, read[g.Column])
			}
		}
	}
}
