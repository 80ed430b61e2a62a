package ogcapi

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"landatlas/internal/catalog"
	"landatlas/internal/cql2"
	"landatlas/internal/openapi"
)

//go:embed templates/*.html
var templateFS embed.FS

func parsePages() (*template.Template, error) {
	return template.New("").Funcs(template.FuncMap{
		"typeName": func(sch any) string { return typeName(asObject(sch)) },
		"schemaEnum": func(sch any) []string {
			for _, m := range asObject(sch) {
				if v, ok := m.Value.([]string); ok && m.Key == "enum" {
					return v
				}
			}
			return nil
		},
		"join": strings.Join,
	}).ParseFS(templateFS, "templates/*.html")
}

// asObject reads a schema of an operation or a queryable.
func asObject(sch any) openapi.Object {
	o, _ := sch.(openapi.Object)
	return o
}

// page is what every HTML page shows around its body.
type page struct {
	Title  string
	Crumbs []crumb
	JSON   string // the JSON representation of the page
	Root   string
	Signed bool // the reader is signed in and sees internal records
	Body   any
}

// crumb is a step of the breadcrumb navigation; the current page has no Href.
type crumb struct{ Name, Href string }

// sendHTML renders a page template into a document and sends it.
func (s *Service) sendHTML(w http.ResponseWriter, req *request, name string, p page) error {
	p.Root, p.Signed = req.root, req.internal
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, p); err != nil {
		return err
	}
	return s.send(w, req, "text/html; charset=utf-8", b.Bytes())
}

// itemsHead is the body of the head of an items page.
type itemsHead struct {
	Collection catalog.Collection
	Columns    []catalog.Property
	Matched    int64
	Form       map[string]string // the parameters of the request, to fill the form
	Action     string
	Synthetic  string // says that the collection holds demo data, "" when it does not
}

// itemsRow is one feature of an items page.
type itemsRow struct {
	ID    string
	Href  string
	Cells []string
}

// itemsFoot ends an items page.
type itemsFoot struct {
	Returned   int
	Matched    int64
	Next, Prev string
}

// writeItemsHTML streams an items page as an HTML table, one row per feature as it arrives.
func (s *Service) writeItemsHTML(w io.Writer, req *request, q *itemsQuery, p *pageStream, matched int64, synthetic bool) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	c := q.coll
	base := req.root + "/collections/" + c.ID
	note := ""
	if synthetic {
		note = syntheticNote
	}
	qv := req.r.URL.Query()
	form := map[string]string{}
	for _, k := range []string{"filter", "sortby", "limit", "datetime", "bbox", "properties"} {
		form[k] = qv.Get(k)
	}
	head := page{Title: c.Title, Root: req.root, Signed: req.internal, JSON: withQuery(base+"/items", qv, "f", "json"),
		Crumbs: []crumb{{"collections", req.root + "/collections?f=html"}, {c.ID, base + "?f=html"}, {"items", ""}},
		Body:   itemsHead{Collection: c, Columns: q.props, Matched: matched, Form: form, Action: base + "/items", Synthetic: note}}
	if err := s.pages.ExecuteTemplate(bw, "items-head", head); err != nil {
		return err
	}
	for {
		f, ok := p.next()
		if !ok {
			break
		}
		row, err := tableRow(f, q.props)
		if err != nil {
			return err
		}
		row.Href = base + "/items/" + urlPathEscape(row.ID) + "?f=html"
		if err := s.pages.ExecuteTemplate(bw, "items-row", row); err != nil {
			return err
		}
	}
	if err := p.finish(); err != nil {
		return err
	}
	_, _, next, prev := pageLinks(req, q, p, formatHTML)
	if err := s.pages.ExecuteTemplate(bw, "items-foot", itemsFoot{Returned: p.returned, Matched: matched, Next: next, Prev: prev}); err != nil {
		return err
	}
	return bw.Flush()
}

// tableRow turns a feature's GeoJSON into table cells in the order of props.
func tableRow(feature []byte, props []catalog.Property) (itemsRow, error) {
	var f struct {
		ID         json.RawMessage            `json:"id"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(feature, &f); err != nil {
		return itemsRow{}, err
	}
	row := itemsRow{ID: cellText(f.ID), Cells: make([]string, len(props))}
	for i, p := range props {
		row.Cells[i] = cellText(f.Properties[p.Name])
		if p.Type == cql2.Number {
			row.Cells[i] = shortNumber(row.Cells[i])
		}
	}
	return row, nil
}

// shortNumber rounds a number for people to 4 decimals; JSON keeps every digit.
func shortNumber(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(math.Round(f*1e4)/1e4, 'f', -1, 64)
}

// cellText shows a JSON value as text: strings unquoted, null empty.
func cellText(v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	var s string
	if v[0] == '"' && json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}

// itemPage is the HTML view of one feature.
type itemPage struct {
	ID       string
	Geometry string // GeoJSON type of the geometry
	Rows     []itemProperty
	JSONHref string
}

type itemProperty struct {
	Name, Title, Value, Unit string
}

func (s *Service) renderItemHTML(w http.ResponseWriter, req *request, c catalog.Collection, q *itemsQuery, self string, feature []byte) error {
	var f struct {
		Geometry struct {
			Type string `json:"type"`
		} `json:"geometry"`
	}
	if err := json.Unmarshal(feature, &f); err != nil {
		return err
	}
	row, err := tableRow(feature, q.props)
	if err != nil {
		return err
	}
	body := itemPage{ID: row.ID, Geometry: f.Geometry.Type, JSONHref: withQuery(self, req.r.URL.Query(), "f", "json")}
	for i, p := range q.props {
		body.Rows = append(body.Rows, itemProperty{Name: p.Name, Title: p.Title, Value: row.Cells[i], Unit: p.Unit})
	}
	base := req.root + "/collections/" + c.ID
	return s.sendHTML(w, req, "item", page{Title: c.Title + " " + row.ID, JSON: body.JSONHref,
		Crumbs: []crumb{{"collections", req.root + "/collections?f=html"}, {c.ID, base + "?f=html"}, {"items", base + "/items?f=html"}, {row.ID, ""}},
		Body:   body})
}
