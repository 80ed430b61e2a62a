package upload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"landatlas/internal/apperr"
)

// Ignore is the mapping target of a column that is ignored on purpose.
const Ignore = "-"

// Mapping is a district's own naming: which of its columns fills which field, which of its values
// stand for which code, and values for fields its files have no column for. A district saves one;
// an upload may bring one that adds to it.
type Mapping struct {
	// Columns maps a column of the district's files to a field name, or to "-" to ignore it.
	Columns map[string]string `json:"columns,omitempty"`
	// Values maps, per field, the district's own values to codes: {"use_type": {"Industrie": "GI"}}.
	Values map[string]map[string]string `json:"values,omitempty"`
	// Defaults gives values for fields the file has no column for: {"publication": "public"}.
	Defaults map[string]any `json:"defaults,omitempty"`
}

// MaxMappingBytes bounds a mapping document.
const MaxMappingBytes = 256 << 10

// ParseMapping reads a mapping document strictly: unknown members, unknown fields and values that
// are not codes are refused with a problem per entry.
func ParseMapping(b []byte) (Mapping, error) {
	var m Mapping
	if len(bytes.TrimSpace(b)) == 0 {
		return m, nil
	}
	if len(b) > MaxMappingBytes {
		return m, apperr.New(apperr.TooLarge, "the mapping is larger than %d KB", MaxMappingBytes>>10)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return Mapping{}, apperr.New(apperr.Invalid, `the mapping is not valid JSON of the form {"columns": {...}, "values": {...}, "defaults": {...}}: %v`, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Mapping{}, apperr.New(apperr.Invalid, "the mapping has content after its JSON object")
	}
	if problems := m.Valid(); len(problems) > 0 {
		e := apperr.New(apperr.Invalid, "the mapping has %d problem(s): see fields", len(problems))
		e.Fields = problems
		return Mapping{}, e
	}
	return m, nil
}

// Valid returns the problems of a mapping, keyed by where they are ("columns.NUTZ").
func (m Mapping) Valid() map[string]string {
	problems := map[string]string{}
	known := fieldNames()
	for col, target := range m.Columns {
		if strings.TrimSpace(col) == "" {
			problems["columns"] = "a column name is empty"
			continue
		}
		if _, ok := FieldByName(target); !ok && target != Ignore {
			problems["columns."+col] = fmt.Sprintf("%q is not a field: use one of %s, or \"-\" to ignore the column", target, known)
		}
	}
	for field, values := range m.Values {
		f, ok := FieldByName(field)
		if !ok || f.Kind != Code {
			problems["values."+field] = fmt.Sprintf("%q is not a field with a code list: use one of %s", field, codeFieldNames())
			continue
		}
		for from, to := range values {
			if !f.Codes.Has(to) {
				problems["values."+field+"."+from] = fmt.Sprintf("%q is not a code of %s: use one of %s", to, field, codeValues(f))
			}
		}
	}
	for field, v := range m.Defaults {
		f, ok := FieldByName(field)
		if !ok || f.Name == "external_id" {
			problems["defaults."+field] = fmt.Sprintf("%q is not a field that can have a default: use one of %s", field, known)
			continue
		}
		if _, iss := m.value(f, v); iss != nil {
			problems["defaults."+field] = iss.EN
		}
	}
	return problems
}

// Merge returns m with the entries of over added; over wins where both name the same thing.
func (m Mapping) Merge(over Mapping) Mapping {
	out := Mapping{Columns: maps.Clone(m.Columns), Values: map[string]map[string]string{}, Defaults: maps.Clone(m.Defaults)}
	if out.Columns == nil {
		out.Columns = map[string]string{}
	}
	if out.Defaults == nil {
		out.Defaults = map[string]any{}
	}
	maps.Copy(out.Columns, over.Columns)
	maps.Copy(out.Defaults, over.Defaults)
	for _, src := range []Mapping{m, over} {
		for f, vals := range src.Values {
			if out.Values[f] == nil {
				out.Values[f] = map[string]string{}
			}
			maps.Copy(out.Values[f], vals)
		}
	}
	return out
}

func fieldNames() string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func codeFieldNames() string {
	var names []string
	for _, f := range fields {
		if f.Kind == Code {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, ", ")
}

// columnTarget says what a column of a file fills.
type columnTarget struct {
	Field  string // the field, or "" when the column is not imported
	Reason string // why a column is not imported, or how it was matched when not by name
}

// resolveColumns decides for new columns of a file which field each fills, given the fields
// earlier columns already claimed. Exact names win over names a shapefile cut to 10 characters;
// a cut name that fits several fields is left out, unless exactly one of them is required.
func (m Mapping) resolveColumns(cols []string, claimed map[string]string) (map[string]columnTarget, []Issue) {
	out := map[string]columnTarget{}
	var issues []Issue
	var cut []string
	for _, col := range cols {
		if target, ok := m.mappedColumn(col); ok {
			if target == Ignore {
				out[col] = columnTarget{Reason: "ignored by the mapping"}
			} else {
				out[col] = columnTarget{Field: target, Reason: "mapping"}
			}
			continue
		}
		if f, ok := byName[fold(col)]; ok {
			out[col] = columnTarget{Field: f}
			continue
		}
		if why, ok := computedColumns[strings.ToLower(col)]; ok {
			out[col] = columnTarget{Reason: computedReason[why]}
			continue
		}
		cut = append(cut, col)
	}
	taken := map[string]bool{}
	for _, f := range claimed {
		taken[f] = true
	}
	for _, t := range out {
		taken[t.Field] = true
	}
	for _, col := range cut {
		candidates := truncatedCandidates(col, taken)
		switch {
		case len(candidates) == 1:
			out[col] = columnTarget{Field: candidates[0], Reason: "name cut to 10 characters"}
		case len(candidates) > 1 && countRequired(candidates) == 1:
			f := candidates[slices.IndexFunc(candidates, isRequired)]
			out[col] = columnTarget{Field: f, Reason: fmt.Sprintf("name cut to 10 characters; taken as the required field %s, not %s", f, strings.Join(slices.DeleteFunc(slices.Clone(candidates), isRequired), ", "))}
		case len(candidates) > 1:
			out[col] = columnTarget{Reason: "matches several fields: " + strings.Join(candidates, ", ")}
			issues = append(issues, ambiguousColumnIssue(col, candidates))
		default:
			out[col] = columnTarget{Reason: "not a landatlas field"}
			issues = append(issues, unknownColumnIssue(col))
		}
	}
	return out, issues
}

var computedReason = map[string]string{
	"gross":        "computed by landatlas from the geometry",
	"gis":          "bookkeeping of the GIS",
	"municipality": "landatlas finds the municipality from the geometry",
	"district":     "the district is the one the upload is for",
	"kml":          "presentation of the KML file",
}

func (m Mapping) mappedColumn(col string) (string, bool) {
	if t, ok := m.Columns[col]; ok {
		return t, true
	}
	for k, t := range m.Columns {
		if fold(k) == fold(col) {
			return t, true
		}
	}
	return "", false
}

// byName maps the folded canonical names and aliases to their field.
var byName = func() map[string]string {
	idx := map[string]string{}
	for _, f := range fields {
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			idx[fold(n)] = f.Name
		}
	}
	return idx
}()

// shapefileNameLen is how many characters a shapefile (dBase) keeps of a column name.
const shapefileNameLen = 10

func truncatedCandidates(col string, taken map[string]bool) []string {
	lower := strings.ToLower(col)
	if len([]rune(col)) != shapefileNameLen {
		return nil
	}
	var out []string
	for _, f := range fields {
		if taken[f.Name] {
			continue
		}
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if len(n) > shapefileNameLen && strings.HasPrefix(n, lower) {
				out = append(out, f.Name)
				break
			}
		}
	}
	return out
}

func isRequired(name string) bool {
	f, _ := FieldByName(name)
	return f.Required
}

func countRequired(names []string) int {
	n := 0
	for _, name := range names {
		if isRequired(name) {
			n++
		}
	}
	return n
}

// MaxGuessColumns bounds the columns of one guess.
const MaxGuessColumns = 1000

// GuessColumns matches the columns of a file to fields exactly as an upload with mapping m reads
// a first feature that has them all (it is the upload's own Normalizer): the upload form shows
// this, so the form and the upload cannot disagree. The issues are those the upload reports
// about the columns.
func (m Mapping) GuessColumns(cols []string) ([]ColumnUse, []Issue) {
	n := NewNormalizer(m, time.Time{})
	props := make(map[string]any, len(cols))
	for _, c := range cols {
		props[c] = nil
	}
	n.learnColumns(props)
	byColumn := map[string]ColumnUse{}
	for _, u := range n.Columns() {
		byColumn[u.Column] = u
	}
	out := make([]ColumnUse, len(cols))
	for i, c := range cols {
		out[i] = byColumn[c]
	}
	return out, n.issues
}
