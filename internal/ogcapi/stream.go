package ogcapi

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/catalog"
)

// pageStream hands out the features of a page as the database sends them, and remembers the
// keys of the first and last one for the prev and next links.
type pageStream struct {
	rows   pgx.Rows
	more   bool // rows is on a row that was not handed out yet
	keys   int  // key columns before the feature's columns
	props  []catalog.Property
	buf    []byte // the feature handed out last
	err    error  // a value that could not be written, ending the page
	limit  int
	cursor *cursor

	handedOut        bool
	seen, returned   int
	first, last      keyBuf
	hasNext, hasPrev bool
}

// keyBuf holds a row's key values between rows (pgx reuses its buffers).
type keyBuf struct {
	vals [][]byte
	null []bool
}

func (k *keyBuf) set(vals [][]byte) {
	if k.vals == nil {
		k.vals, k.null = make([][]byte, len(vals)), make([]bool, len(vals))
	}
	for i, v := range vals {
		k.vals[i], k.null[i] = append(k.vals[i][:0], v...), v == nil
	}
}

func (k keyBuf) cursor(prev bool, sort string) string {
	c := cursor{Prev: prev, Sort: sort, Keys: make([]*string, len(k.vals))}
	for i, v := range k.vals {
		if !k.null[i] {
			s := string(v)
			c.Keys[i] = &s
		}
	}
	return c.encode()
}

func (p *pageStream) backwards() bool { return p.cursor != nil && p.cursor.Prev }

// next returns the next feature's GeoJSON, valid until the following call, or false at the end
// of the page.
func (p *pageStream) next() ([]byte, bool) {
	if p.handedOut {
		p.more, p.handedOut = p.rows.Next(), false
	}
	for p.more {
		vals := p.rows.RawValues()
		p.seen++
		if p.backwards() && p.seen == 1 && string(vals[len(vals)-1]) == "true" {
			// A prev page was read backwards with one row too many: there is a page before it.
			p.hasPrev = true
			p.more = p.rows.Next()
			continue
		}
		if !p.backwards() && p.returned == p.limit {
			p.hasNext = true
			return nil, false
		}
		if p.returned == 0 {
			p.first.set(vals[:p.keys])
		}
		p.last.set(vals[:p.keys])
		p.returned++
		p.handedOut = true
		if p.buf, p.err = featureJSON(p.buf[:0], p.props, p.rows, p.keys); p.err != nil {
			return nil, false
		}
		return p.buf, true
	}
	return nil, false
}

// finish checks how the page ended and settles which neighbour pages exist.
func (p *pageStream) finish() error {
	if p.err != nil {
		return p.err
	}
	if err := p.rows.Err(); err != nil {
		return err
	}
	if p.backwards() {
		p.hasNext = true
	} else {
		p.hasPrev = p.cursor != nil
	}
	if p.returned == 0 {
		p.hasNext, p.hasPrev = false, false
	}
	return nil
}

// pageLinks are the links of an items page in format f: self, alternate, next, prev, collection.
func pageLinks(req *request, q *itemsQuery, p *pageStream, f format) (self, alternate, next, prev string) {
	base := req.root + "/collections/" + q.coll.ID + "/items"
	qv := req.r.URL.Query()
	other := formatHTML
	if f == formatHTML {
		other = formatJSON
	}
	self = withQuery(base, qv, "f", f.String())
	alternate = withQuery(base, qv, "f", other.String())
	sort := sortName(q.sort)
	if p.hasNext {
		next = withQuery(base, qv, "f", f.String(), "cursor", p.last.cursor(false, sort))
	}
	if p.hasPrev {
		prev = withQuery(base, qv, "f", f.String(), "cursor", p.first.cursor(true, sort))
	}
	return self, alternate, next, prev
}

// writeItemsJSON streams a GeoJSON FeatureCollection: each feature is written as it arrives, the
// links come last because next and prev depend on the page's last and first feature.
func writeItemsJSON(w io.Writer, req *request, q *itemsQuery, p *pageStream, matched int64) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(`{"type":"FeatureCollection","numberMatched":` + strconv.FormatInt(matched, 10) + `,"features":[`)
	for {
		f, ok := p.next()
		if !ok {
			break
		}
		if p.returned > 1 {
			bw.WriteByte(',')
		}
		if _, err := bw.Write(f); err != nil {
			return err
		}
	}
	if err := p.finish(); err != nil {
		return err
	}
	self, alternate, next, prev := pageLinks(req, q, p, formatJSON)
	links := []link{
		{Href: self, Rel: "self", Type: mediaGeoJSON, Title: "this page"},
		{Href: alternate, Rel: "alternate", Type: mediaHTML, Title: "this page as HTML"},
	}
	if next != "" {
		links = append(links, link{Href: next, Rel: "next", Type: mediaGeoJSON, Title: "next page"})
	}
	if prev != "" {
		links = append(links, link{Href: prev, Rel: "prev", Type: mediaGeoJSON, Title: "previous page"})
	}
	links = append(links, link{Href: req.root + "/collections/" + q.coll.ID + "?f=json", Rel: "collection", Type: mediaJSON, Title: q.coll.Title})
	lj, _ := json.Marshal(links)
	bw.WriteString(`],"numberReturned":` + strconv.Itoa(p.returned) + `,"timeStamp":"` +
		time.Now().UTC().Format(time.RFC3339) + `","links":`)
	bw.Write(lj)
	bw.WriteString("}\n")
	return bw.Flush()
}
