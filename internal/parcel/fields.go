package parcel

import (
	"slices"
	"strconv"
	"strings"

	"landatlas/internal/region"
)

// Type is the kind of a field's values.
type Type string

// The kinds of field values.
const (
	Text      Type = "text"
	CodeType  Type = "code"
	Number    Type = "number"
	Integer   Type = "integer"
	Boolean   Type = "boolean"
	Date      Type = "date"
	Timestamp Type = "timestamp"
)

// Label is a text in German and English.
type Label struct {
	DE string `json:"de"`
	EN string `json:"en"`
}

// Field is one attribute of a parcel or a site, declared once: the catalog publishes it, uploads
// fill it, the study searches by it and the web app labels, filters and shows it from here.
type Field struct {
	Name        string    `json:"name"`
	Type        Type      `json:"type"`
	Unit        string    `json:"unit,omitempty"`
	Digits      int       `json:"digits,omitempty"` // decimals to show a number with
	Label       Label     `json:"label"`
	Description Label     `json:"description"`
	Codes       *CodeList `json:"codes,omitempty"`
	// Column is the table column the value comes from ("" when it is joined or computed); the
	// catalog writes its SQL, a test checks it against the database.
	Column string `json:"-"`
	// Internal fields are seen only by signed-in readers.
	Internal bool `json:"internal,omitempty"`
	// Queryable fields can be filtered and sorted by.
	Queryable bool `json:"queryable"`
	// Tile fields go into the vector tiles (what the map's style and filter need).
	Tile bool `json:"tile,omitempty"`
	// Export fields go into the study's exports (the parcels of a run as GeoJSON, GeoPackage, CSV).
	Export bool `json:"export,omitempty"`
	// Sheet is the section of the fact sheet that shows the field ("" for none).
	Sheet string `json:"sheet,omitempty"`
	// Flag marks a yes/no quality investors filter by: a check box of the map's filter and a
	// requirement or preference of the site search.
	Flag bool `json:"flag,omitempty"`
	// Weight is what the field counts for when the completeness of a marketing record is
	// measured (0: it does not count).
	Weight float64 `json:"weight,omitempty"`
	// URL says a Text field holds a web address: only http and https are accepted, so that a
	// javascript: or data: link never reaches a fact sheet.
	URL bool `json:"url,omitempty"`
	// Upload is how a district's file fills the field; nil when it cannot.
	Upload *Upload `json:"upload,omitempty"`
	// InputOnly fields are written by uploads but not published as such: a published field is
	// derived from them.
	InputOnly bool `json:"-"`
}

// Upload is how a district's upload fills a field.
type Upload struct {
	Required bool `json:"required,omitempty"`
	// Aliases are further column names districts use, German first; matching ignores case,
	// umlauts written as ae/oe/ue and punctuation.
	Aliases []string `json:"aliases,omitempty"`
	// Min and Max bound a number (inclusive unless MinOpen); Max 0 means no upper bound.
	Min     float64 `json:"min,omitempty"`
	Max     float64 `json:"max,omitempty"`
	MinOpen bool    `json:"min_open,omitempty"`
	// Default is what an empty cell stands for: the database default of a column that cannot be
	// empty; nil for NULL.
	Default any `json:"default,omitempty"`
}

// The sections of the fact sheet, in the order it shows them, grouped as an investor reads a
// parcel: where it is (municipality, site, straight-line distances), how large and what may be
// built, whether and for how much it is to be had, its utilities, whom to ask, the record; the
// internal fields last, for signed-in readers.
const (
	SheetLocation  = "location"
	SheetArea      = "area"
	SheetMarket    = "market"
	SheetUtilities = "utilities"
	SheetContact   = "contact"
	SheetRecord    = "record"
	SheetInternal  = "internal"
)

// ParcelFields returns every field of a parcel, in display order.
func ParcelFields() []Field { return slices.Clone(parcelFields) }

// SiteFields returns every field of a site, in display order.
func SiteFields() []Field { return slices.Clone(siteFields) }

// ParcelField finds a parcel field by name.
func ParcelField(name string) (Field, bool) {
	i := slices.IndexFunc(parcelFields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return parcelFields[i], true
}

// Flags returns the parcel's yes/no qualities investors filter by, in display order.
func Flags() []Field {
	var out []Field
	for _, f := range parcelFields {
		if f.Flag {
			out = append(out, f)
		}
	}
	return out
}

// Districts are the nine districts as a code list, labelled as people tell the two Leipzigs apart.
func Districts() CodeList {
	l := CodeList{Name: "district"}
	for _, d := range region.Districts() {
		l.Codes = append(l.Codes, Code{Value: d.AGS, DE: d.Label(), EN: d.Label()})
	}
	return l
}

// Lands are the three federal states of the region.
func Lands() CodeList {
	return CodeList{Name: "land", Codes: []Code{
		{"Sachsen", "Sachsen", "Saxony"}, {"Sachsen-Anhalt", "Sachsen-Anhalt", "Saxony-Anhalt"}, {"Thüringen", "Thüringen", "Thuringia"},
	}}
}

// SizeClassCodes are the size classes as a code list (value: the class's label, e.g. "5-10"),
// with the names readers see (SizeClassName).
func SizeClassCodes() CodeList {
	l := CodeList{Name: "size_class"}
	for _, c := range SizeClasses() {
		l.Codes = append(l.Codes, Code{Value: c.Label, DE: SizeClassName(c, "de"), EN: SizeClassName(c, "en")})
	}
	return l
}

// SizeClassName is how a reader sees a size class: "< 0,5 ha", "0,5–1 ha", "≥ 100 ha" in German,
// with the decimal point in English.
func SizeClassName(c SizeClass, lang string) string {
	n := func(v float64) string {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if lang == "de" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	switch {
	case c.Min == 0:
		return "< " + n(c.Max) + " ha"
	case c.Max == 0:
		return "≥ " + n(c.Min) + " ha"
	}
	return n(c.Min) + "–" + n(c.Max) + " ha"
}

// field starts a field that is stored in the column of its name and can be queried.
func field(name string, t Type, de, en string) Field {
	return Field{Name: name, Type: t, Label: Label{de, en}, Column: name, Queryable: true}
}

func codeField(name string, list CodeList, de, en string) Field {
	f := field(name, CodeType, de, en)
	f.Codes = &list
	return f
}

func (f Field) about(de, en string) Field       { f.Description = Label{de, en}; return f }
func (f Field) unit(u string, digits int) Field { f.Unit, f.Digits = u, digits; return f }
func (f Field) column(c string) Field           { f.Column = c; return f }
func (f Field) internal() Field                 { f.Internal = true; return f }
func (f Field) url() Field                      { f.URL = true; return f }
func (f Field) tile() Field                     { f.Tile = true; return f }
func (f Field) export() Field                   { f.Export = true; return f }
func (f Field) sheet(s string) Field            { f.Sheet = s; return f }
func (f Field) flag() Field                     { f.Flag = true; return f }
func (f Field) weight(w float64) Field          { f.Weight = w; return f }
func (f Field) inputOnly() Field                { f.InputOnly, f.Queryable = true, false; return f }

// upload lets districts fill the field from a column of their files named like it or an alias.
func (f Field) upload(aliases ...string) Field {
	u := Upload{Aliases: aliases}
	if f.Upload != nil {
		u = *f.Upload
		u.Aliases = aliases
	}
	f.Upload = &u
	return f
}

func (f Field) required() Field      { u := *f.Upload; u.Required = true; f.Upload = &u; return f }
func (f Field) defaults(v any) Field { u := *f.Upload; u.Default = v; f.Upload = &u; return f }
func (f Field) bounds(min, max float64, minOpen bool) Field {
	u := *f.Upload
	u.Min, u.Max, u.MinOpen = min, max, minOpen
	f.Upload = &u
	return f
}

// flagField is a yes/no quality of a parcel, false unless a district says otherwise.
func flagField(name, de, en, aboutDE, aboutEN string, aliases ...string) Field {
	return field(name, Boolean, de, en).about(aboutDE, aboutEN).sheet(SheetUtilities).flag().upload(aliases...).defaults(false)
}

// derived is a published field the catalog joins or computes: no column of its own.
func derived(f Field) Field { f.Column = ""; return f }
