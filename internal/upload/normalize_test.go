package upload

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"landatlas/internal/apperr"
)

var today = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

func required() map[string]any {
	return map[string]any{"kennung": "A-1", "nutzungsart": "GI", "planungsrecht": "rechtskräftig",
		"verfuegbarkeit": "sofort", "status": "angeboten", "potenzialart": "Baulücke"}
}

func with(extra map[string]any) map[string]any {
	p := required()
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func rules(issues []Issue) []string {
	var out []string
	for _, i := range issues {
		out = append(out, i.Rule+"@"+i.Field)
	}
	slices.Sort(out)
	return out
}

func TestNormalizeValues(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]any
		field string
		want  any
		rules []string
	}{
		{"XPlanung number as code", with(map[string]any{"nutzungsart": json.Number("1800")}), "use_type", "GI", nil},
		{"German label as code", with(map[string]any{"nutzungsart": "Gewerbegebiet"}), "use_type", "GE", nil},
		{"code in other case", with(map[string]any{"nutzungsart": "gie"}), "use_type", "GIe", nil},
		{"umlauts spelled out", with(map[string]any{"verfuegbarkeit": "nicht verfuegbar"}), "availability", "not_available", nil},
		{"§ 34", with(map[string]any{"planungsrecht": "§ 34"}), "planning_status", "built_up_area", nil},
		{"unknown code", with(map[string]any{"nutzungsart": "Wohngebiet"}), "use_type", nil, []string{"attribute.code@use_type"}},
		{"German decimal comma", with(map[string]any{"flaeche_netto": "1,25"}), "net_area_given_ha", 1.25, nil},
		{"thousands separators", with(map[string]any{"preis_min": "1.250,5"}), "price_min_eur_m2", 1250.5, nil},
		{"not a number", with(map[string]any{"grz": "hoch"}), "grz", nil, []string{"attribute.type@grz"}},
		{"out of range", with(map[string]any{"grz": json.Number("1.8")}), "grz", nil, []string{"attribute.range@grz"}},
		{"zero where above zero is needed", with(map[string]any{"gfz": json.Number("0")}), "gfz", nil, []string{"attribute.range@gfz"}},
		{"whole number", with(map[string]any{"breitband": "1000"}), "broadband_mbps", int64(1000), nil},
		{"fraction for a whole number", with(map[string]any{"breitband": "10.5"}), "broadband_mbps", nil, []string{"attribute.type@broadband_mbps"}},
		{"yes in German", with(map[string]any{"gleisanschluss": "ja"}), "rail_siding", true, nil},
		{"yes as 1", with(map[string]any{"gleisanschluss": json.Number("1")}), "rail_siding", true, nil},
		{"not yes or no", with(map[string]any{"gleisanschluss": "vielleicht"}), "rail_siding", nil, []string{"attribute.type@rail_siding"}},
		{"German date", with(map[string]any{"stand": "31.12.2025"}), "last_confirmed", "2025-12-31", nil},
		{"GDAL date", with(map[string]any{"stand": "2025/12/31"}), "last_confirmed", "2025-12-31", nil},
		{"date in the future", with(map[string]any{"stand": "2027-01-01"}), "last_confirmed", "2027-01-01", []string{"attribute.future@last_confirmed"}},
		{"available from in the future is fine", with(map[string]any{"verfuegbar_ab": "2028-01-01"}), "available_from", "2028-01-01", nil},
		{"date before 1990", with(map[string]any{"verfuegbar_ab": "1900-01-01"}), "available_from", "1900-01-01", []string{"attribute.range@available_from"}},
		{"not a date", with(map[string]any{"stand": "letzte Woche"}), "last_confirmed", nil, []string{"attribute.type@last_confirmed"}},
		{"empty optional code takes the default", with(map[string]any{"eigentum": ""}), "ownership", "unknown", nil},
		{"empty required field", with(map[string]any{"status": " "}), "status", nil, []string{"attribute.missing@status"}},
		{"a list is no value", with(map[string]any{"bezeichnung": []any{"a", "b"}}), "name", nil, []string{"attribute.type@name"}},
		{"prices in the wrong order", with(map[string]any{"preis_min": json.Number("30"), "preis_max": json.Number("20")}), "price_max_eur_m2", 20.0, []string{"attribute.range@price_max_eur_m2"}},
		{"https exposé", with(map[string]any{"expose": "https://www.example.de/expose.pdf"}), "expose_url", "https://www.example.de/expose.pdf", nil},
		{"javascript exposé", with(map[string]any{"expose": "javascript:alert(1)"}), "expose_url", nil, []string{"attribute.type@expose_url"}},
		{"data exposé", with(map[string]any{"expose": "data:text/html,<script>alert(1)</script>"}), "expose_url", nil, []string{"attribute.type@expose_url"}},
		{"JavaScript in capitals", with(map[string]any{"expose": " JaVaScRiPt:alert(1)"}), "expose_url", nil, []string{"attribute.type@expose_url"}},
		{"relative exposé", with(map[string]any{"expose": "//evil.example/x"}), "expose_url", nil, []string{"attribute.type@expose_url"}},
		{"exposé with a tab", with(map[string]any{"expose": "https://www.example.de/\tx"}), "expose_url", nil, []string{"attribute.type@expose_url"}},
		{"numbers keep their digits as id", with(map[string]any{"kennung": json.Number("0042")}), "", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := NewNormalizer(Mapping{}, today)
			rec, issues := n.Feature(1, "", c.props)
			if got := rules(issues); !slices.Equal(got, c.rules) {
				t.Errorf("issues %v, want %v", got, c.rules)
			}
			if c.field != "" && !reflect.DeepEqual(rec.Attrs[c.field], c.want) {
				t.Errorf("%s = %#v, want %#v", c.field, rec.Attrs[c.field], c.want)
			}
			for _, i := range issues {
				if i.Feature != 1 || i.DE == "" || i.EN == "" {
					t.Errorf("issue %+v: want it at feature 1 with a German and an English message", i)
				}
			}
		})
	}
}

func TestNormalizeDerivesAndDefers(t *testing.T) {
	n := NewNormalizer(Mapping{}, today)
	rec, issues := n.Feature(1, "", with(map[string]any{"potenzialart": "Brachfläche"}))
	if len(issues) != 0 || rec.Fallback["name"] != "A-1" || rec.Fallback["greenfield"] != false {
		t.Fatalf("derived values %v (issues %v): want name = external id and a brownfield not greenfield", rec.Fallback, issues)
	}
	// A feature without an id column takes GeoJSON's id; a repeated id is an error.
	props := required()
	delete(props, "kennung")
	n = NewNormalizer(Mapping{}, today)
	if rec, _ := n.Feature(1, "feature-7", props); rec.ExternalID != "feature-7" {
		t.Errorf("external id %q, want the feature's own id", rec.ExternalID)
	}
	if _, issues := n.Feature(2, "feature-7", props); !slices.Equal(rules(issues), []string{"id.duplicate@external_id"}) {
		t.Errorf("repeated id: %v", rules(issues))
	}
	// A required field no column fills is one issue for the file, not one per feature.
	n = NewNormalizer(Mapping{}, today)
	props = required()
	delete(props, "status")
	for i := 1; i <= 3; i++ {
		if _, issues := n.Feature(i, "", with(map[string]any{"kennung": strings.Repeat("x", i), "status": nil})); len(issues) != 1 {
			t.Fatalf("feature %d: %v", i, rules(issues))
		}
	}
	n = NewNormalizer(Mapping{}, today)
	for i := 1; i <= 3; i++ {
		p := required()
		delete(p, "status")
		p["kennung"] = strings.Repeat("x", i)
		if _, issues := n.Feature(i, "", p); len(issues) != 0 {
			t.Fatalf("feature %d without a status column: issues %v before Finish", i, rules(issues))
		}
	}
	fileIssues := n.Finish(3)
	if got := rules(fileIssues); !slices.Contains(got, "column.missing@status") || slices.Contains(got, "attribute.missing@status") {
		t.Errorf("file issues %v: want one column.missing for status", got)
	}
}

func TestColumnsAreMatched(t *testing.T) {
	n := NewNormalizer(Mapping{}, today)
	props := map[string]any{
		"Kennung": "A", "NUTZUNGSAR": "GI", "planungsre": "4000", "verfuegbar": "sofort", "Status": "frei",
		"potenziala": "Brache", "Fläche_Netto": "1", "Shape_Area": 1234.5, "zufall": "x",
	}
	_, issues := n.Feature(1, "", props)
	if len(issues) != 0 {
		t.Errorf("issues %v", rules(issues))
	}
	want := map[string]string{"Kennung": "external_id", "NUTZUNGSAR": "use_type", "planungsre": "planning_status",
		"verfuegbar": "availability", "Status": "status", "potenziala": "potential_kind", "Fläche_Netto": "net_area_given_ha"}
	for _, c := range n.Columns() {
		if want[c.Column] != c.Field {
			t.Errorf("column %s -> %q (%s), want %q", c.Column, c.Field, c.Note, want[c.Column])
		}
	}
	if got := rules(n.Finish(1)); !slices.Equal(got, []string{"column.default@name", "column.default@publication", "column.unknown@"}) {
		t.Errorf("file issues %v: want the unknown column zufall and notes on name and publication", got)
	}
}

func TestMappingRenamesAndMapsValues(t *testing.T) {
	m, err := ParseMapping([]byte(`{"columns": {"NR": "external_id", "ART": "use_type", "INTERN": "-"},
		"values": {"use_type": {"Industrie (alt)": "GI"}}, "defaults": {"publication": "öffentlich"}}`))
	if err != nil {
		t.Fatal(err)
	}
	n := NewNormalizer(m, today)
	props := required()
	delete(props, "kennung")
	delete(props, "nutzungsart")
	props["NR"], props["ART"], props["INTERN"] = "X-1", "industrie (ALT)", "egal"
	rec, issues := n.Feature(1, "", props)
	if len(issues) != 0 || rec.ExternalID != "X-1" || rec.Attrs["use_type"] != "GI" || rec.Attrs["publication"] != "public" {
		t.Errorf("record %+v, issues %v", rec, rules(issues))
	}
	if got := rules(n.Finish(1)); !slices.Equal(got, []string{"column.default@name"}) {
		t.Errorf("file issues %v: the ignored column and the default need none, the missing name a note", got)
	}
}

func TestParseMappingRefusesWhatItCannotUse(t *testing.T) {
	_, err := ParseMapping([]byte(`{"columns": {"A": "nutzung"}, "values": {"use_type": {"x": "ZZ"}, "name": {"a": "b"}},
		"defaults": {"grz": 7, "external_id": "x"}}`))
	var e *apperr.Error
	if !errors.As(err, &e) {
		t.Fatalf("bad mapping: %v, want field problems", err)
	}
	for _, key := range []string{"columns.A", "values.use_type.x", "values.name", "defaults.grz", "defaults.external_id"} {
		if e.Fields[key] == "" {
			t.Errorf("no problem for %s in %v", key, e.Fields)
		}
	}
	for _, bad := range []string{`{"colums": {}}`, `[1]`, `{"columns": {}} {}`, `{"columns": {"": "name"}}`} {
		if _, err := ParseMapping([]byte(bad)); err == nil {
			t.Errorf("mapping %s accepted", bad)
		}
	}
}
