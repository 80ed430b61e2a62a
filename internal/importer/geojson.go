package importer

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"landatlas/internal/apperr"
)

// Feature is one feature as read from a file, before any rule was applied.
type Feature struct {
	// ID is the format's own id of the feature (GeoJSON's "id" member), or "".
	ID string
	// Properties are the feature's attributes; numbers are json.Number, so digits stay as written.
	Properties map[string]any
	// Geometry is nil for a feature without geometry.
	Geometry orb.Geometry
	// GeometryErr says why a geometry could not be read; the feature is still reported.
	GeometryErr error
}

// Decoder reads GeoJSON one feature at a time, so a file of any size streams through a small
// buffer: a FeatureCollection (with its crs member before or after the features), a single
// Feature, or a sequence of Features (newline-delimited GeoJSON; RFC 8142 record separators and a
// byte order mark are allowed).
type Decoder struct {
	dec      *json.Decoder
	in       *cleanReader
	state    decoderState
	crs      string
	features int
	err      error
	top      struct {
		typ        string
		id         any
		geometry   json.RawMessage
		properties map[string]any
	}
}

type decoderState int

const (
	atStart     decoderState = iota
	inTopObject              // reading the members of the top-level object
	inFeatures               // inside the "features" array
	inSequence               // after the first top-level value: more Features may follow
	done
)

// The limits of the decoder. encoding/json's Decoder buffers a whole value, and everything
// before the next token (blank space included) until it finds one, so each call of Next may read
// at most MaxFeatureBytes: a feature, with the blank space before it, or the members of the
// top-level object before the features. That bounds its memory whatever the file holds.
const (
	// MaxFeatureBytes is the most bytes of one feature, blank space before it included. A parcel
	// of MaxVertices points takes about 3 MB as compact GeoJSON, 7 MB pretty-printed.
	MaxFeatureBytes = 8 << 20
	// MaxNesting is the deepest nesting of arrays and objects; a MultiPolygon in a collection
	// needs 8, nested attributes a few more.
	MaxNesting = 32
)

// NewDecoder returns a decoder reading r.
func NewDecoder(r io.Reader) *Decoder {
	in := &cleanReader{r: bufio.NewReaderSize(r, 64<<10)}
	dec := json.NewDecoder(in)
	dec.UseNumber()
	return &Decoder{dec: dec, in: in}
}

// CRS returns the name in the crs member (GeoJSON 2008), once it was read, or "".
func (d *Decoder) CRS() string { return d.crs }

// Next returns the next feature, or io.EOF after the last one. An error about the file is
// returned again by every later call.
func (d *Decoder) Next() (Feature, error) {
	if d.err != nil {
		return Feature{}, d.err
	}
	d.in.budget = MaxFeatureBytes
	f, err := d.next()
	if err != nil {
		d.err = d.explain(err)
		return Feature{}, d.err
	}
	d.features++
	return f, nil
}

func (d *Decoder) next() (Feature, error) {
	for {
		switch d.state {
		case atStart:
			tok, err := d.dec.Token()
			if err != nil {
				return Feature{}, err
			}
			if tok != json.Delim('{') {
				return Feature{}, notGeoJSON("the file does not start with a JSON object")
			}
			d.state = inTopObject
		case inTopObject:
			if f, ok, err := d.readTopMembers(); err != nil || ok {
				return f, err
			}
		case inFeatures:
			if !d.dec.More() {
				if _, err := d.dec.Token(); err != nil { // the closing ]
					return Feature{}, err
				}
				d.state = inTopObject
				continue
			}
			return d.decodeFeature()
		case inSequence:
			if !d.dec.More() {
				if _, err := d.dec.Token(); err != io.EOF {
					if err == nil {
						err = notGeoJSON("unexpected content after the last feature")
					}
					return Feature{}, err
				}
				d.state = done
				continue
			}
			return d.decodeFeature()
		case done:
			return Feature{}, io.EOF
		}
	}
}

// readTopMembers reads members of the top-level object until the features array starts (then the
// caller streams it) or the object ends; a top-level Feature is returned then.
func (d *Decoder) readTopMembers() (Feature, bool, error) {
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return Feature{}, false, err
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			err = d.dec.Decode(&d.top.typ)
		case "features":
			tok, err = d.dec.Token()
			if err == nil && tok != json.Delim('[') {
				err = notGeoJSON(`"features" is not an array`)
			}
			if err == nil {
				d.state = inFeatures
				return Feature{}, false, nil
			}
		case "crs":
			err = d.readCRS()
		case "geometry":
			err = d.dec.Decode(&d.top.geometry)
		case "properties":
			err = d.dec.Decode(&d.top.properties)
		case "id":
			err = d.dec.Decode(&d.top.id)
		default:
			var skip json.RawMessage
			err = d.dec.Decode(&skip)
		}
		if err != nil {
			return Feature{}, false, err
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing }
		return Feature{}, false, err
	}
	d.state = inSequence
	switch d.top.typ {
	case "FeatureCollection":
		return Feature{}, false, nil
	case "Feature":
		f := feature(d.top.id, d.top.geometry, d.top.properties)
		return f, true, nil
	case "":
		return Feature{}, false, notGeoJSON(`the top-level object has no "type"`)
	}
	return Feature{}, false, notGeoJSON(fmt.Sprintf("the file holds a bare %s, not a Feature or FeatureCollection: a parcel needs its attributes", d.top.typ))
}

func (d *Decoder) readCRS() error {
	var c struct {
		Type       string
		Properties struct {
			Name string
			Code json.Number
		}
	}
	if err := d.dec.Decode(&c); err != nil {
		return err
	}
	switch {
	case c.Properties.Name != "":
		d.crs = c.Properties.Name
	case c.Properties.Code != "":
		d.crs = "EPSG:" + c.Properties.Code.String()
	}
	return nil
}

type rawFeature struct {
	Type       string          `json:"type"`
	ID         any             `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

func (d *Decoder) decodeFeature() (Feature, error) {
	var raw rawFeature
	if err := d.dec.Decode(&raw); err != nil {
		return Feature{}, err
	}
	if raw.Type != "Feature" {
		return Feature{}, notGeoJSON(fmt.Sprintf("feature %d has type %q, not \"Feature\"", d.features+1, raw.Type))
	}
	return feature(raw.ID, raw.Geometry, raw.Properties), nil
}

func feature(id any, geometry json.RawMessage, props map[string]any) Feature {
	f := Feature{Properties: props}
	if f.Properties == nil {
		f.Properties = map[string]any{}
	}
	switch x := id.(type) {
	case string:
		f.ID = x
	case json.Number:
		f.ID = x.String()
	}
	if len(geometry) == 0 || string(geometry) == "null" {
		return f
	}
	g, err := geojson.UnmarshalGeometry(geometry)
	if err != nil {
		f.GeometryErr = fmt.Errorf("the geometry cannot be read: %w", err)
		return f
	}
	f.Geometry = g.Geometry()
	return f
}

// explain turns a decoding error into a message that tells the uploader where the file breaks.
func (d *Decoder) explain(err error) error {
	if err == io.EOF && d.state != atStart && d.state != done {
		err = io.ErrUnexpectedEOF
	}
	if err == io.EOF {
		return io.EOF
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	at := d.dec.InputOffset()
	where := "before the first feature"
	if d.features > 0 || d.state == inFeatures || d.state == inSequence {
		where = "in feature " + strconv.Itoa(d.features+1)
	}
	switch err {
	case errFeatureTooLarge:
		return apperr.New(apperr.TooLarge, "the GeoJSON holds more than %d MB %s (with the blank space before it, up to byte %d), the limit for one feature: a parcel's outline takes far less; simplify the geometry or check the file",
			MaxFeatureBytes>>20, where, d.in.read)
	case errTooDeep:
		return apperr.New(apperr.Invalid, "the GeoJSON nests arrays or objects more than %d deep %s (byte %d), the limit: a parcel's geometry and attributes need far less; check the file",
			MaxNesting, where, d.in.read)
	}
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "the GeoJSON ends %s (byte %d): the file is cut off; export or upload it again", where, at)
	case errors.As(err, &syn):
		return apperr.New(apperr.Invalid, "the GeoJSON is broken %s (byte %d): %v", where, syn.Offset, syn)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field == "" {
		return apperr.New(apperr.Invalid, "unexpected content in the GeoJSON: a %s where feature %d should be (byte %d)", typ.Value, d.features+1, at)
	}
	if errors.As(err, &typ) {
		return apperr.New(apperr.Invalid, "the GeoJSON does not have the expected structure %s (byte %d): %q should not be a %s", where, at, typ.Field, typ.Value)
	}
	return fmt.Errorf("read GeoJSON %s: %w", where, err)
}

func notGeoJSON(why string) error {
	return apperr.New(apperr.Invalid, "not GeoJSON: %s", why)
}

var (
	errFeatureTooLarge = errors.New("feature too large")
	errTooDeep         = errors.New("nested too deep")
)

// cleanReader drops a UTF-8 byte order mark at the start and turns RFC 8142 record separators
// into spaces, so that the JSON decoder sees plain JSON values. It enforces the limits: it gives
// the decoder at most budget bytes (Next sets it for each feature) and follows strings and
// brackets to refuse nesting deeper than MaxNesting.
type cleanReader struct {
	r       *bufio.Reader
	started bool
	budget  int
	read    int64
	depth   int
	inStr   bool
	escaped bool
	// err is kept: encoding/json drops a read error that comes with a byte it can use.
	err error
}

func (c *cleanReader) Read(p []byte) (int, error) {
	if !c.started {
		c.started = true
		if b, err := c.r.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
			_, _ = c.r.Discard(3)
		}
	}
	if c.err != nil {
		return 0, c.err
	}
	if c.budget <= 0 {
		return 0, errFeatureTooLarge
	}
	n, err := c.r.Read(p[:min(len(p), c.budget)])
	c.budget -= n
	c.read += int64(n)
	for i := range p[:n] {
		switch b := p[i]; {
		case c.inStr:
			switch {
			case c.escaped:
				c.escaped = false
			case b == '\\':
				c.escaped = true
			case b == '"':
				c.inStr = false
			}
		case b == '"':
			c.inStr = true
		case b == '[' || b == '{':
			if c.depth++; c.depth > MaxNesting {
				c.err = errTooDeep
				return i, c.err
			}
		case b == ']' || b == '}':
			c.depth--
		case b == 0x1e:
			p[i] = ' '
		}
	}
	return n, err
}

// isGeoJSONName reports whether a file name says GeoJSON (or newline-delimited GeoJSON).
func isGeoJSONName(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".geojson", ".json", ".geojsonl", ".geojsons", ".ndjson", ".jsonl", ".geojsonseq"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}
