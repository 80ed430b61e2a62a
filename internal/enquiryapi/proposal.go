package enquiryapi

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/catalog"
	"landatlas/internal/enquirystore"
	"landatlas/internal/parcel"
	"landatlas/internal/study"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"t": func(lang, de, en string) string {
		if lang == "en" {
			return en
		}
		return de
	},
}).ParseFS(templateFS, "templates/*.html"))

// printScript is the only script of the exposé: its print button. The page's CSP allows it by hash.
const printScript = `document.getElementById('print').addEventListener('click',function(){window.print()})`

var printScriptHash = func() string {
	h := sha256.Sum256([]byte(printScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}()

// proposalPath is where a proposal link's token opens.
func proposalPath(token string) string { return "/angebot/" + token }

// fact is one line of a public fact sheet.
type fact struct{ Label, Value, Link string }

// proposalItem is an entry of the proposal as the investor sees it.
type proposalItem struct {
	N         int
	Available bool
	Kind      string
	Name      string
	Note      string
	NetHa     string
	Place     string
	Facts     []fact
	Members   []proposalItem
	Paths     []string
	LabelX    float64
	LabelY    float64
}

type proposalPage struct {
	Lang, Other, OtherHref string
	Reference              string
	Expires                string
	Contact                []string
	Items                  []proposalItem
	Map                    *svgMap
	Expose                 bool
	ExposeHref, BackHref   string
	Script                 template.JS
}

type svgMap struct {
	ViewBox   string
	FontSize  float64
	Districts []string
}

// skipped are public properties a fact sheet does not list: ids and bookkeeping.
var skipped = []string{"id", "external_id", "site_id", "district_ags", "municipality_ags", "valid_from", "net_area_estimated", "name"}

// codeLists finds the code list of a property by its values, for the labels of its codes.
func codeList(p catalog.Property) (parcel.CodeList, bool) {
	if len(p.Enum) == 0 {
		return parcel.CodeList{}, false
	}
	for _, l := range parcel.CodeLists() {
		if slices.Equal(l.Values(), p.Enum) {
			return l, true
		}
	}
	return parcel.CodeList{}, false
}

// facts are a public record's fact sheet lines, in the catalog's order, in a language.
func facts(rec enquirystore.PublicRecord, lang string) []fact {
	var out []fact
	for _, p := range rec.Collection.Visible(false) {
		v, ok := rec.Properties[p.Name]
		if !ok || v == nil || v == "" || slices.Contains(skipped, p.Name) {
			continue
		}
		label := p.TitleDE
		if lang == "en" {
			label = p.Title
		}
		f := fact{Label: label}
		switch x := v.(type) {
		case bool:
			f.Value = map[bool]string{true: "ja", false: "nein"}[x]
			if lang == "en" {
				f.Value = map[bool]string{true: "yes", false: "no"}[x]
			}
		case float64:
			d := 0
			if x != math.Trunc(x) {
				d = 2
			}
			f.Value = study.FormatNumber(x, d, lang)
			if p.Unit != "" {
				f.Value += " " + p.Unit
			}
		case string:
			f.Value = x
			if l, ok := codeList(p); ok {
				for _, c := range l.Codes {
					if c.Value == x {
						f.Value = map[bool]string{true: c.EN, false: c.DE}[lang == "en"]
					}
				}
			}
			if p.Name == "expose_url" {
				f.Link = x
			}
		default:
			f.Value = fmt.Sprint(x)
		}
		out = append(out, f)
	}
	return out
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func num(m map[string]any, k string) float64 {
	f, _ := m[k].(float64)
	return f
}

// Proposal answers GET /angebot/{token} (the proposal page) and /angebot/{token}/expose (the
// combined printable exposé). Without a valid token: 404 with one message for unknown, revoked
// and expired links. The page is never indexed, cached or sent on as a referrer.
func (s *Service) Proposal(expose bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Robots-Tag", "noindex, nofollow, noarchive")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src "+printScriptHash+"; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		token := chi.URLParam(r, "token")
		if len(token) > 100 {
			s.fail(w, r, apperr.New(apperr.NotFound, "this proposal link is unknown"))
			return
		}
		opened, err := s.store.OpenProposal(r.Context(), token, !expose)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		lang := opened.Lang
		if l := r.URL.Query().Get("lang"); l == "de" || l == "en" {
			lang = l
		}
		page := proposalPage{Lang: lang, Reference: opened.Reference, Expose: expose,
			Expires:    opened.ExpiresAt.In(study.Berlin).Format(map[bool]string{true: "2006-01-02", false: "02.01.2006"}[lang == "en"]),
			ExposeHref: proposalPath(token) + "/expose?lang=" + lang, BackHref: proposalPath(token) + "?lang=" + lang,
			Script: template.JS(printScript)}
		page.Other = map[bool]string{true: "Deutsch", false: "English"}[lang == "en"]
		other := map[bool]string{true: "de", false: "en"}[lang == "en"]
		page.OtherHref = proposalPath(token) + map[bool]string{true: "/expose", false: ""}[expose] + "?lang=" + other
		for _, l := range strings.Split(s.settings.RegionContact, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				page.Contact = append(page.Contact, l)
			}
		}
		box := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		grow := func(b [4]float64) {
			box = [4]float64{min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])}
		}
		for i, it := range opened.Items {
			pi, err := s.proposalItem(r, it, lang, grow)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			pi.N = i + 1
			page.Items = append(page.Items, pi)
		}
		if !math.IsInf(box[0], 0) {
			pad := max(box[2]-box[0], box[3]-box[1])*0.15 + 300
			box = [4]float64{box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad}
			size := max(box[2]-box[0], box[3]-box[1])
			page.Map = &svgMap{ViewBox: fmt.Sprintf("%.0f %.0f %.0f %.0f", box[0], box[1], box[2]-box[0], box[3]-box[1]),
				FontSize: size / 60}
			if page.Map.Districts, err = s.store.DistrictOutlines(r.Context(), box); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		if err := templates.ExecuteTemplate(w, "proposal.html", page); err != nil {
			s.log.ErrorContext(r.Context(), "proposal page", "err", err)
		}
	}
}

// proposalItem describes a shortlist entry from its public record(s); an entry the public may no
// longer see is shown as no longer available, with nothing of it but its note.
func (s *Service) proposalItem(r *http.Request, it enquirystore.Item, lang string, grow func([4]float64)) (proposalItem, error) {
	pi := proposalItem{Note: it.Note, Kind: map[string]string{"parcel": "Fläche", "site": "Standort", "large_site": "Zusammenhängende Fläche"}[it.Kind]}
	if lang == "en" {
		pi.Kind = map[string]string{"parcel": "Parcel", "site": "Site", "large_site": "Combined site"}[it.Kind]
	}
	kind, ids := it.Kind, []int64{it.ItemID}
	if it.Kind == "large_site" {
		kind, ids = "parcel", it.MemberIDs
	}
	var recs []enquirystore.PublicRecord
	for _, id := range ids {
		rec, ok, err := s.store.PublicRecord(r.Context(), kind, id)
		if err != nil || !ok {
			return pi, err
		}
		recs = append(recs, rec)
	}
	pi.Available = true
	var net float64
	var names []string
	for _, rec := range recs {
		m := proposalItem{Available: true, Name: str(rec.Properties, "name"), Facts: facts(rec, lang), Kind: pi.Kind,
			Place: strings.Trim(str(rec.Properties, "municipality_name")+", "+str(rec.Properties, "district_name"), ", ")}
		net += num(rec.Properties, "net_area_ha") + num(rec.Properties, "net_offered_ha")
		names = append(names, m.Name)
		pi.Paths = append(pi.Paths, rec.SVG)
		grow(rec.Box)
		if len(recs) > 1 {
			pi.Members = append(pi.Members, m)
		} else {
			pi.Name, pi.Facts, pi.Place = m.Name, m.Facts, m.Place
		}
	}
	pi.LabelX, pi.LabelY = recs[0].LabelX, recs[0].LabelY
	if len(recs) > 1 {
		pi.Name = strings.Join(names, " + ")
		pi.Place = str(recs[0].Properties, "district_name")
	}
	if net > 0 {
		pi.NetHa = study.FormatHa(net, lang)
	}
	return pi, nil
}
