package upload

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Record is a feature's attributes in canonical form.
type Record struct {
	ExternalID string
	// Attrs holds the fields the feature carries, by parcels column name, as JSON values that
	// PostgreSQL reads into the column types (dates as "2006-01-02"). A field a feature does not
	// carry keeps its current value when the parcel exists already.
	Attrs map[string]any
	// Fallback holds derived values a new parcel gets for fields the feature does not carry.
	Fallback map[string]any
}

// ColumnUse says what became of one column of the file, for the report.
type ColumnUse struct {
	Column string `json:"column"`
	Field  string `json:"field,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Normalizer turns the properties of a file's features into canonical attributes, one feature at a
// time so that files of any length stream through it, and collects the issues it finds.
type Normalizer struct {
	mapping Mapping
	today   time.Time
	targets map[string]columnTarget
	order   []string
	claimed map[string]string // field -> the first column that fills it
	doubled map[string][]string
	issues  []Issue          // about the file as a whole
	missing map[string][]ref // required fields some features lack, decided at Finish
	ids     map[string]int
}

type ref struct {
	feature int
	id      string
}

// NewNormalizer returns a normalizer for a district's mapping; today decides which dates lie in
// the future.
func NewNormalizer(m Mapping, today time.Time) *Normalizer {
	return &Normalizer{
		mapping: m, today: today, targets: map[string]columnTarget{}, claimed: map[string]string{},
		doubled: map[string][]string{}, missing: map[string][]ref{}, ids: map[string]int{},
	}
}

// Feature normalizes the properties of feature number idx (1-based). featureID is the id the
// format itself gives the feature (GeoJSON's "id"), used when no column holds the external id.
func (n *Normalizer) Feature(idx int, featureID string, props map[string]any) (Record, []Issue) {
	n.learnColumns(props)
	values, issues := n.values(props)
	rec := Record{ExternalID: n.externalID(idx, featureID, values, &issues), Attrs: map[string]any{}}
	for _, f := range fields {
		if f.Name == "external_id" {
			continue
		}
		v, carried := values[f.Name]
		if !carried {
			if f.Required && !n.hasFieldOrDefault(f.Name) {
				n.missing[f.Name] = append(n.missing[f.Name], ref{idx, rec.ExternalID})
			}
			continue
		}
		if v == nil {
			if f.Required {
				if !hasIssueFor(issues, f.Name) {
					issues = append(issues, missingValueIssue(f))
				}
				continue
			}
			v = fieldDefault(f.Name)
		}
		rec.Attrs[f.Name] = v
	}
	if lo, ok := rec.Attrs["price_min_eur_m2"].(float64); ok {
		if hi, ok := rec.Attrs["price_max_eur_m2"].(float64); ok && hi < lo {
			issues = append(issues, priceOrderIssue(lo, hi))
		}
	}
	issues = append(issues, n.checkDates(rec)...)
	n.derive(&rec)
	for i := range issues {
		issues[i] = issues[i].At(idx, rec.ExternalID)
	}
	return rec, issues
}

// values reads the cells of the columns that fill a field, and the mapping's defaults for fields
// no column fills. A value that does not fit is reported and, unless its field is required (then
// it counts as missing), not carried at all: no default stands in for it.
func (n *Normalizer) values(props map[string]any) (map[string]any, []Issue) {
	values := map[string]any{}
	var issues []Issue
	for col, v := range props {
		t := n.targets[col]
		if t.Field == "" || n.claimed[t.Field] != col {
			continue
		}
		f, _ := FieldByName(t.Field)
		x, iss := n.mapping.value(f, v)
		if iss != nil {
			issues = append(issues, *iss)
			if !f.Required {
				continue
			}
		}
		values[f.Name] = x
	}
	for name, v := range n.mapping.Defaults {
		if _, carried := n.claimed[name]; !carried {
			f, _ := FieldByName(name)
			values[name], _ = n.mapping.value(f, v)
		}
	}
	return values, issues
}

// externalID takes the feature's external id from its column, or from the format's own feature id
// when no column holds one, and checks that it is there and unique.
func (n *Normalizer) externalID(idx int, featureID string, values map[string]any, issues *[]Issue) string {
	id, _ := values["external_id"].(string)
	delete(values, "external_id")
	_, hasColumn := n.claimed["external_id"]
	if !hasColumn && id == "" {
		id = strings.TrimSpace(featureID)
	}
	switch first, seen := n.ids[id]; {
	case id == "" && !hasColumn:
		n.missing["external_id"] = append(n.missing["external_id"], ref{idx, ""})
	case id == "":
		*issues = append(*issues, missingIDIssue())
	case seen:
		*issues = append(*issues, duplicateIDIssue(id, first))
	default:
		n.ids[id] = idx
	}
	return id
}

// derive fills name and greenfield, which every parcel needs and a file often lacks: the name
// falls back to the external id; a brownfield or conversion site is not greenfield, any other
// kind of potential is.
func (n *Normalizer) derive(rec *Record) {
	put := func(field string, v any) {
		if cur, carried := rec.Attrs[field]; carried && cur == nil {
			rec.Attrs[field] = v
		} else if !carried {
			if rec.Fallback == nil {
				rec.Fallback = map[string]any{}
			}
			rec.Fallback[field] = v
		}
	}
	if rec.ExternalID != "" {
		put("name", rec.ExternalID)
	}
	// An empty source cell keeps the parcel's source; a new parcel gets the district's delivery.
	if v, carried := rec.Attrs["source"]; carried && v == nil {
		delete(rec.Attrs, "source")
	}
	if kind, ok := rec.Attrs["potential_kind"].(string); ok {
		put("greenfield", kind != "brownfield" && kind != "conversion")
	}
}

func (n *Normalizer) hasFieldOrDefault(field string) bool {
	_, col := n.claimed[field]
	_, def := n.mapping.Defaults[field]
	return col || def
}

func hasIssueFor(issues []Issue, field string) bool {
	return slices.ContainsFunc(issues, func(i Issue) bool { return i.Field == field })
}

// fieldDefault is what an empty cell of an optional field stands for: the database default of a
// column that cannot be empty, NULL otherwise.
func fieldDefault(field string) any {
	f, _ := FieldByName(field)
	return f.Default
}

// Defaults returns the values a new parcel gets for fields it does not carry; source says where
// the data comes from when the file does not.
func Defaults(source string) map[string]any {
	d := map[string]any{"source": source}
	for _, f := range fields {
		if v := fieldDefault(f.Name); v != nil {
			d[f.Name] = v
		}
	}
	return d
}

// learnColumns resolves the columns a feature brings that earlier features did not have.
func (n *Normalizer) learnColumns(props map[string]any) {
	var fresh []string
	for col := range props {
		if _, known := n.targets[col]; !known {
			fresh = append(fresh, col)
		}
	}
	if len(fresh) == 0 {
		return
	}
	slices.Sort(fresh)
	targets, issues := n.mapping.resolveColumns(fresh, n.claimed)
	n.issues = append(n.issues, issues...)
	for _, col := range fresh {
		t := targets[col]
		n.targets[col] = t
		n.order = append(n.order, col)
		if t.Field == "" {
			continue
		}
		if first, taken := n.claimed[t.Field]; taken {
			if len(n.doubled[t.Field]) == 0 {
				n.doubled[t.Field] = []string{first}
			}
			n.doubled[t.Field] = append(n.doubled[t.Field], col)
			continue
		}
		n.claimed[t.Field] = col
	}
}

// Finish returns the issues about the file as a whole once all features were read, and the
// per-feature issues that had to wait for it: a required field no column fills is one issue for
// the file, not one per feature.
func (n *Normalizer) Finish(features int) []Issue {
	issues := slices.Clone(n.issues)
	if features == 0 {
		issues = append(issues, issue(Error, "file.empty", "",
			"Die Datei enthält keine Objekte.", "The file holds no features."))
	}
	for _, f := range fields {
		if cols := n.doubled[f.Name]; len(cols) > 0 {
			issues = append(issues, duplicateColumnIssue(f, cols))
		}
		refs := n.missing[f.Name]
		if len(refs) == 0 {
			continue
		}
		if !n.hasFieldOrDefault(f.Name) {
			issues = append(issues, missingColumnIssue(f, n.unmatched()))
			continue
		}
		for _, r := range refs {
			if f.Name == "external_id" {
				issues = append(issues, missingIDIssue().At(r.feature, r.id))
			} else {
				issues = append(issues, missingValueIssue(f).At(r.feature, r.id))
			}
		}
	}
	if features > 0 {
		if !n.hasFieldOrDefault("name") {
			issues = append(issues, defaultNoteIssue(mustField("name"),
				"Keine Spalte für die Bezeichnung: neue Flächen heißen wie ihre Kennung.",
				"No column for the name: new parcels are named by their external id."))
		}
		if !n.hasFieldOrDefault("publication") {
			issues = append(issues, defaultNoteIssue(mustField("publication"),
				"Keine Spalte für die Veröffentlichung: neue Flächen bleiben intern und erscheinen nicht auf der öffentlichen Karte. Eine Spalte „oeffentlich“ (ja/nein) oder ein Vorgabewert in der Zuordnung ändert das.",
				`No column for publication: new parcels stay internal and do not appear on the public map. A column "oeffentlich" (yes/no) or a default in the mapping changes that.`))
		}
	}
	return issues
}

// unmatched lists the columns of the file no field took and no rule explains away: the likely
// candidates for a field the file seems to lack.
func (n *Normalizer) unmatched() []string {
	var cols []string
	for _, col := range n.order {
		if t := n.targets[col]; t.Field == "" && strings.HasPrefix(t.Reason, "not a landatlas field") || strings.HasPrefix(t.Reason, "matches several") {
			cols = append(cols, col)
		}
	}
	return cols
}

// Columns says what became of each column of the file, in the order they appeared.
func (n *Normalizer) Columns() []ColumnUse {
	out := make([]ColumnUse, 0, len(n.order))
	for _, col := range n.order {
		t := n.targets[col]
		use := ColumnUse{Column: col, Field: t.Field, Note: t.Reason}
		if t.Field != "" && n.claimed[t.Field] != col {
			use.Field, use.Note = "", "another column already fills "+t.Field
		}
		out = append(out, use)
	}
	return out
}

func mustField(name string) Field {
	f, ok := FieldByName(name)
	if !ok {
		panic("upload: no field " + name)
	}
	return f
}

// value reads one cell into a field's type, mapping a district's own code values first. It
// returns nil for an empty cell and an issue for a value that does not fit.
func (m Mapping) value(f Field, v any) (any, *Issue) {
	if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
		return nil, nil
	}
	switch v.(type) {
	case nil:
		return nil, nil
	case map[string]any, []any:
		iss := typeIssue(f, v, "kein einfacher Wert (Liste oder Objekt)", "not a simple value (a list or an object)")
		return nil, &iss
	}
	switch f.Kind {
	case Code:
		s, _ := valueString(v)
		if c, ok := m.mappedValue(f.Name, s); ok {
			return c, nil
		}
		if c, ok := LookupCode(f.Name, s); ok {
			return c, nil
		}
		iss := codeIssue(f, v)
		return nil, &iss
	case Text:
		s, _ := valueString(v)
		if f.URL && !WebAddress(s) {
			iss := typeIssue(f, v, "keine vollständige http- oder https-Adresse (etwa https://www.example.de/expose.pdf)",
				"not a full http or https address (such as https://www.example.de/expose.pdf)")
			return nil, &iss
		}
		return s, nil
	case Number, Integer:
		x, ok := parseNumber(v)
		if !ok {
			iss := typeIssue(f, v, "keine Zahl", "not a number")
			return nil, &iss
		}
		if f.Kind == Integer && x != math.Trunc(x) {
			iss := typeIssue(f, v, "keine ganze Zahl", "not a whole number")
			return nil, &iss
		}
		if x < f.Min || (f.MinOpen && x <= f.Min) || (f.Max > 0 && x > f.Max) {
			iss := rangeIssue(f, x)
			return nil, &iss
		}
		if f.Kind == Integer {
			return int64(x), nil
		}
		return x, nil
	case Bool:
		b, ok := parseBool(v)
		if !ok {
			iss := typeIssue(f, v, "kein Ja/Nein-Wert (ja, nein, 1, 0, true, false)", "not a yes/no value (ja, nein, 1, 0, true, false)")
			return nil, &iss
		}
		return b, nil
	case Date:
		d, ok := parseDate(v)
		if !ok {
			iss := typeIssue(f, v, "kein Datum (erwartet 2025-12-31 oder 31.12.2025)", "not a date (expected 2025-12-31 or 31.12.2025)")
			return nil, &iss
		}
		return d.Format(time.DateOnly), nil
	}
	return nil, nil
}

func (m Mapping) mappedValue(field, s string) (string, bool) {
	vals := m.Values[field]
	if c, ok := vals[s]; ok {
		return c, true
	}
	for k, c := range vals {
		if fold(k) == fold(s) && fold(s) != "" {
			return c, true
		}
	}
	return "", false
}

// checkDates applies the rules about dates that need today: a confirmation cannot lie in the
// future; no date of a parcel lies before 1990.
func (n *Normalizer) checkDates(rec Record) []Issue {
	var issues []Issue
	for _, name := range []string{"available_from", "last_confirmed"} {
		s, ok := rec.Attrs[name].(string)
		if !ok {
			continue
		}
		d, _ := time.Parse(time.DateOnly, s)
		f := mustField(name)
		switch {
		case d.Year() < 1990:
			issues = append(issues, pastDateIssue(f, s))
		case name == "last_confirmed" && d.After(n.today):
			issues = append(issues, futureDateIssue(f, s))
		}
	}
	return issues
}
