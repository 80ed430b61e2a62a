// Package upload holds the rules of district uploads, with no I/O: the canonical fields a
// district's file may carry (the field registry's, internal/parcel), their German aliases, the code
// values each field accepts, the saved per-district mapping, the validation rules with their
// messages in German and English, the choice of the coordinate reference system and the shapes of
// the report and the change preview. The importer reads files into it; the store checks geometry
// and publishes what it accepted.
package upload

import (
	"slices"
	"strings"

	"landatlas/internal/parcel"
)

// Kind is the type of a field's values.
type Kind int

// The kinds of field values.
const (
	Text Kind = iota
	Code
	Number
	Integer
	Bool
	Date
)

// Field is one attribute a district's file may carry. Name is the parcels column it fills.
type Field struct {
	Name     string
	Kind     Kind
	Codes    parcel.CodeList // the allowed values of a Code field
	Required bool
	// Aliases are further column names districts use, German first; matching ignores case,
	// umlauts written as ae/oe/ue and punctuation.
	Aliases []string
	// Min and Max bound a number (inclusive unless MinOpen); Max 0 means no upper bound.
	Min, Max float64
	MinOpen  bool
	// URL says a Text field holds a web address: only http and https are accepted, so that a
	// javascript: or data: link never reaches a fact sheet.
	URL    bool
	DE, EN string
	// Default is what an empty cell stands for (nil: NULL).
	Default any
}

// Fields returns every field of an upload, in the order reports list them. The required ones are
// those a parcel cannot be published without and that landatlas cannot derive.
func Fields() []Field {
	return fields
}

// FieldByName finds a field by its canonical name.
func FieldByName(name string) (Field, bool) {
	i := slices.IndexFunc(fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return fields[i], true
}

// Columns returns the parcels columns an upload writes besides external_id, district, municipality
// and geometry: the column list of the store's INSERT and UPDATE, taken from this catalogue only.
func Columns() []string {
	var cols []string
	for _, f := range fields {
		if f.Name != "external_id" {
			cols = append(cols, f.Name)
		}
	}
	return cols
}

// fields are the parcel fields of the registry (internal/parcel) an upload can fill, in its
// order. The label carries the unit, as a report names a column.
var fields = func() []Field {
	kinds := map[parcel.Type]Kind{parcel.Text: Text, parcel.CodeType: Code, parcel.Number: Number,
		parcel.Integer: Integer, parcel.Boolean: Bool, parcel.Date: Date}
	var out []Field
	for _, f := range parcel.ParcelFields() {
		if f.Upload == nil {
			continue
		}
		if f.Column != f.Name {
			// The store writes uploads by field name into the columns of that name.
			panic("upload: field " + f.Name + " is stored in column " + f.Column + ", not its own")
		}
		u := f.Upload
		de, en := f.Label.DE, f.Label.EN
		if f.Unit != "" {
			unit := strings.ReplaceAll(f.Unit, "EUR", "€")
			de, en = de+" ("+unit+")", en+" ("+unit+")"
		}
		field := Field{Name: f.Name, Kind: kinds[f.Type], Required: u.Required, Aliases: u.Aliases,
			Min: u.Min, Max: u.Max, MinOpen: u.MinOpen, DE: de, EN: en, Default: u.Default, URL: f.URL}
		if f.Codes != nil {
			field.Codes = *f.Codes
		}
		out = append(out, field)
	}
	return out
}()

// computedColumns are columns a GIS export often carries that landatlas computes itself or that
// are the GIS's own bookkeeping: they are reported as ignored, with the reason, not as unknown.
var computedColumns = map[string]string{
	"flaeche_brutto": "gross", "bruttoflaeche": "gross", "flaeche": "gross", "flaeche_ha": "gross", "gross_area_ha": "gross",
	"shape_area": "gis", "shape_leng": "gis", "shape_length": "gis", "objectid": "gis", "fid": "gis", "ogc_fid": "gis", "gml_id": "gis",
	"net_area_ha": "gross", "size_class": "gross", "gemeinde": "municipality", "gemeinde_ags": "municipality", "municipality_ags": "municipality",
	"kreis": "district", "district_ags": "district",
	"extrude": "kml", "tessellate": "kml", "visibility": "kml", "altitudemode": "kml", "draworder": "kml", "icon": "kml",
	"timestamp": "kml", "begin": "kml", "end": "kml", "snippet": "kml",
}
