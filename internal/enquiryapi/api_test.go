package enquiryapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"landatlas/internal/auth"
	"landatlas/internal/enquiryapi"
	"landatlas/internal/httpapi"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
	"landatlas/internal/studytest"
)

// bench is a server on the study fixture with a planner, an admin and editors of three districts.
type bench struct {
	t      *testing.T
	base   string
	db     *pgtest.DB
	fix    studytest.Fixture
	tokens map[string]string
}

func newBench(t *testing.T, settings enquiryapi.Settings) *bench {
	t.Helper()
	db := pgtest.New(t, pgtest.Reference)
	fix := studytest.Load(t, db)
	b := &bench{t: t, db: db, fix: fix, tokens: map[string]string{}}
	b.base = b.instance(settings)
	for name, acc := range map[string]struct {
		role     auth.Role
		district string
	}{"planner": {auth.Planner, ""}, "admin": {auth.Admin, ""}, "saalekreis": {auth.Editor, "15088"},
		"nordsachsen": {auth.Editor, "14730"}, "leipzig": {auth.Editor, "14713"}} {
		token, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (store.Accounts{DB: db.Pool}).Create(context.Background(), name, acc.role, acc.district, hash); err != nil {
			t.Fatal(err)
		}
		b.tokens[name] = token
	}
	return b
}

// instance starts another server on the bench's database, as a second instance behind a load
// balancer would run, and returns its base URL.
func (b *bench) instance(settings enquiryapi.Settings) string {
	b.t.Helper()
	h, err := httpapi.New(httpapi.Config{DB: b.db.Pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", Enquiries: settings})
	if err != nil {
		b.t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.t.Cleanup(srv.Close)
	return srv.URL
}

// do sends a request (a JSON body unless body is a string) and returns the response and its body.
func (b *bench) do(method, path, who string, body any) (*http.Response, []byte) {
	b.t.Helper()
	var r io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(v)
	default:
		j, err := json.Marshal(v)
		if err != nil {
			b.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, b.base+path, r)
	if err != nil {
		b.t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+b.tokens[who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, out
}

// ok sends a request that must answer want and decodes the answer into v.
func (b *bench) ok(method, path, who string, body any, want int, v any) {
	b.t.Helper()
	resp, out := b.do(method, path, who, body)
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s as %q: %d, want %d: %s", method, path, who, resp.StatusCode, want, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			b.t.Fatalf("%s %s: %v: %s", method, path, err, out)
		}
	}
}

func (b *bench) count(sql string, args ...any) int {
	b.t.Helper()
	var n int
	if err := b.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		b.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (b *bench) exec(sql string, args ...any) {
	b.t.Helper()
	if _, err := b.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		b.t.Fatalf("%s: %v", sql, err)
	}
}

func publicForm(parcels ...int64) map[string]any {
	return map[string]any{
		"company": "Muster Logistik GmbH", "contact_name": "Erika Muster", "email": "erika@muster.example", "phone": "+49 341 1",
		"message": "Wir suchen eine Halle.", "sector": "logistics", "use_types": []string{"GI"}, "min_net_ha": 5, "max_net_ha": 20,
		"timing": "short_term", "jobs": 120, "investment_meur": 40, "consent": true, "parcel_ids": parcels,
	}
}

func TestPublicEnquiryIsRoutedRateLimitedAndHoneypotted(t *testing.T) {
	b := newBench(t, enquiryapi.Settings{RateLimit: 5, RateWindow: time.Hour})
	a, c := b.fix.Parcels["A"], b.fix.Parcels["C"]

	var created struct{ Reference string }
	b.ok("POST", "/api/v1/enquiries", "", publicForm(a, b.fix.Parcels["B"]), http.StatusCreated, &created)
	if !strings.HasPrefix(created.Reference, "LA-") {
		t.Errorf("reference %q, want LA-YYYY-NNNNN", created.Reference)
	}
	var districts []string
	if err := b.db.Pool.QueryRow(context.Background(), `SELECT districts FROM enquiries WHERE reference = $1`, created.Reference).Scan(&districts); err != nil {
		t.Fatal(err)
	}
	if strings.Join(districts, ",") != "14730,15088" {
		t.Errorf("routed to %v, want the districts of A and B: 14730,15088", districts)
	}
	if n := b.count(`SELECT count(*) FROM outbox WHERE kind = 'enquiry_new' AND recipient = ANY ('{region,14730,15088}')`); n != 3 {
		t.Errorf("%d notifications, want 3 (coordinator and two districts)", n)
	}
	if n := b.count(`SELECT count(*) FROM outbox WHERE body LIKE '%Muster%' OR subject LIKE '%Muster%'`); n != 0 {
		t.Errorf("%d notifications carry personal data", n)
	}

	// The public cannot ask about an internal parcel: it is not there for them.
	resp, body := b.do("POST", "/api/v1/enquiries", "", publicForm(c))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "parcel_ids") {
		t.Errorf("enquiry about an internal parcel: %d %s, want 400 naming parcel_ids", resp.StatusCode, body)
	}

	// Without consent and contact: 400 with what to fix, by field.
	bad := publicForm(a)
	bad["consent"], bad["company"], bad["email"] = false, "", "nobody"
	resp, body = b.do("POST", "/api/v1/enquiries", "", bad)
	var problem struct{ Fields map[string]string }
	if err := json.Unmarshal(body, &problem); err != nil || resp.StatusCode != 400 {
		t.Fatalf("incomplete enquiry: %d %s", resp.StatusCode, body)
	}
	for _, f := range []string{"consent", "company", "email"} {
		if problem.Fields[f] == "" {
			t.Errorf("no problem named for %s: %v", f, problem.Fields)
		}
	}

	// The honeypot: answered like a real enquiry, nothing stored.
	before := b.count(`SELECT count(*) FROM enquiries`)
	bot := publicForm(a)
	bot["website"] = "http://spam.example"
	var botAnswer struct{ Reference string }
	b.ok("POST", "/api/v1/enquiries", "", bot, http.StatusCreated, &botAnswer)
	if botAnswer.Reference == "" || b.count(`SELECT count(*) FROM enquiries`) != before {
		t.Errorf("honeypot: reference %q and %d enquiries stored, want a reference and none stored", botAnswer.Reference, b.count(`SELECT count(*) FROM enquiries`)-before)
	}

	// A body above the size limit: 413. (The rate limit counts every request: this is the fifth.)
	huge := publicForm(a)
	huge["message"] = strings.Repeat("x", 70<<10)
	if resp, body := b.do("POST", "/api/v1/enquiries", "", huge); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("huge enquiry: %d %s, want 413", resp.StatusCode, body)
	}

	// The sixth public request from the address within the hour: 429 with Retry-After.
	resp, body = b.do("POST", "/api/v1/enquiries", "", publicForm(a))
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth enquiry: %d %s, want 429", resp.StatusCode, body)
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 || s > 3600 {
		t.Errorf("Retry-After %q, want seconds up to the window's end", resp.Header.Get("Retry-After"))
	}
	// Signed-in planners recording a phone call are not limited.
	hand := map[string]any{"channel": "phone", "sector": "energy", "min_net_ha": 50, "timing": "open"}
	b.ok("POST", "/api/v1/enquiries", "planner", hand, http.StatusCreated, nil)
}

func TestTwoInstancesShareTheRateLimit(t *testing.T) {
	settings := enquiryapi.Settings{RateLimit: 3, RateWindow: time.Hour}
	b := newBench(t, settings)
	first, second := b.base, b.instance(settings)
	a := b.fix.Parcels["A"]
	// Three enquiries from one address, spread over both instances, use up the limit ...
	for i, base := range []string{first, second, first} {
		b.base = base
		b.ok("POST", "/api/v1/enquiries", "", publicForm(a), http.StatusCreated, nil)
		if n := b.count(`SELECT coalesce(sum(requests), 0)::int FROM enquiry_rate`); n != i+1 {
			t.Fatalf("after %d enquiries the shared count is %d", i+1, n)
		}
	}
	// ... so that neither instance takes a fourth.
	for _, base := range []string{second, first} {
		b.base = base
		resp, body := b.do("POST", "/api/v1/enquiries", "", publicForm(a))
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Errorf("fourth enquiry at %s: %d %s, want 429 with Retry-After", base, resp.StatusCode, body)
		}
	}
	if n := b.count(`SELECT count(*) FROM enquiries`); n != 3 {
		t.Errorf("%d enquiries stored, want 3", n)
	}
	// The count is kept under a hash, never under the address.
	if n := b.count(`SELECT count(*) FROM enquiry_rate WHERE position('127.0.0.1' IN encode(key, 'escape')) > 0`); n != 0 {
		t.Errorf("%d rate-limit rows hold the address", n)
	}
}

func TestEnquiriesAreSeenByPlannersAndRoutedEditorsOnly(t *testing.T) {
	b := newBench(t, enquiryapi.Settings{})
	var created struct{ Reference string }
	b.ok("POST", "/api/v1/enquiries", "", publicForm(b.fix.Parcels["A"]), http.StatusCreated, &created)
	var id int64
	if err := b.db.Pool.QueryRow(context.Background(), `SELECT id FROM enquiries WHERE reference = $1`, created.Reference).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/enquiries/" + strconv.FormatInt(id, 10)
	type list struct{ Enquiries []struct{ Reference string } }
	for who, sees := range map[string]bool{"planner": true, "admin": true, "saalekreis": true, "leipzig": false, "nordsachsen": false} {
		var l list
		b.ok("GET", "/api/v1/enquiries", who, nil, 200, &l)
		if got := len(l.Enquiries) == 1 && l.Enquiries[0].Reference == created.Reference; got != sees {
			t.Errorf("%s lists %v, sees it: %v, want %v", who, l.Enquiries, got, sees)
		}
		resp, body := b.do("GET", path, who, nil)
		if (resp.StatusCode == 200) != sees {
			t.Errorf("%s GET %s: %d %s", who, path, resp.StatusCode, body)
		}
	}
	if resp, _ := b.do("GET", "/api/v1/enquiries", "", nil); resp.StatusCode != 401 {
		t.Errorf("public list: %d, want 401", resp.StatusCode)
	}
	reads := b.count(`SELECT count(*) FROM audit_log WHERE action = 'enquiry.personal.read' AND subject = $1`, created.Reference)
	if reads != 3 {
		t.Errorf("%d audited reads of the personal data, want 3 (planner, admin, Saalekreis editor)", reads)
	}

	// The pipeline: a loss needs its reason; a closed enquiry only reopens.
	if resp, body := b.do("POST", path+"/status", "saalekreis", map[string]string{"status": "lost"}); resp.StatusCode != 400 {
		t.Errorf("lost without reason: %d %s", resp.StatusCode, body)
	}
	b.ok("POST", path+"/status", "saalekreis", map[string]string{"status": "in_progress"}, 200, nil)
	b.ok("POST", path+"/notes", "planner", map[string]string{"text": "Rückruf vereinbart"}, 200, nil)
	var d struct {
		Status   string
		Timeline []struct{ Kind, Account string }
	}
	b.ok("POST", path+"/status", "planner", map[string]string{"status": "lost", "lost_reason": "Standort in Polen gewählt"}, 200, &d)
	var kinds []string
	for _, e := range d.Timeline {
		kinds = append(kinds, e.Kind+":"+e.Account)
	}
	if d.Status != "lost" || strings.Join(kinds, " ") != "created: status:saalekreis note:planner status:planner" {
		t.Errorf("status %s, timeline %v", d.Status, kinds)
	}
	if resp, _ := b.do("POST", path+"/status", "planner", map[string]string{"status": "won"}); resp.StatusCode != 400 {
		t.Errorf("closed to won: %d, want 400 (reopen first)", resp.StatusCode)
	}
}

func TestProposalShowsPublicFieldsOnlyAndHiddenItemsAsUnavailable(t *testing.T) {
	b := newBench(t, enquiryapi.Settings{})
	b.exec(`UPDATE parcels SET remarks = 'GEHEIM-Vermerk', description = 'Gute Lage' WHERE id = ANY ($1)`, b.fix.IDs("A", "D"))
	var e struct{ ID int64 }
	b.ok("POST", "/api/v1/enquiries", "planner", map[string]any{"channel": "phone", "sector": "logistics", "min_net_ha": 2, "timing": "open"}, 201, &e)
	path := "/api/v1/enquiries/" + strconv.FormatInt(e.ID, 10)
	b.ok("POST", path+"/shortlist", "planner", map[string]any{"kind": "parcel", "item_id": b.fix.Parcels["A"], "note": "<b>fett</b> & gut"}, 200, nil)
	b.ok("POST", path+"/shortlist", "planner", map[string]any{"kind": "parcel", "item_id": b.fix.Parcels["D"]}, 200, nil)
	var d struct {
		Shortlist []struct {
			ID     int64
			ItemID int64 `json:"item_id"`
		}
	}
	b.ok("PUT", path+"/shortlist/0", "planner", map[string]any{"position": 1}, 404, nil)
	b.ok("GET", path, "planner", nil, 200, &d)
	b.ok("PUT", path+"/shortlist/"+strconv.FormatInt(d.Shortlist[1].ID, 10), "planner", map[string]any{"position": 1}, 200, &d)
	if d.Shortlist[0].ItemID != b.fix.Parcels["D"] {
		t.Errorf("after moving D first: %+v", d.Shortlist)
	}
	var p struct {
		URL      string
		Proposal struct {
			CreatedAt time.Time `json:"created_at"`
			ExpiresAt time.Time `json:"expires_at"`
		}
	}
	b.ok("POST", path+"/proposals", "planner", nil, 200, &p)
	if days := p.Proposal.ExpiresAt.Sub(p.Proposal.CreatedAt).Hours() / 24; days < 89.9 || days > 90.1 { // a DST change moves it by an hour
		t.Errorf("a link without days is valid for %g days, want 90", days)
	}

	resp, page := b.do("GET", p.URL, "", nil)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("X-Robots-Tag"), "noindex") || !strings.Contains(string(page), `name="robots" content="noindex`) {
		t.Fatalf("proposal page: %d, X-Robots-Tag %q", resp.StatusCode, resp.Header.Get("X-Robots-Tag"))
	}
	text := string(page)
	for _, want := range []string{"Fläche A", "Fläche D", "Gute Lage", "&lt;b&gt;fett&lt;/b&gt; &amp; gut", "/impressum", "/datenschutz"} {
		if !strings.Contains(text, want) {
			t.Errorf("proposal page lacks %q", want)
		}
	}
	for _, never := range []string{"GEHEIM", "Eigentum", "Interne", "<b>fett", "municipal", "kommunal", "Veröffentlichung"} {
		if strings.Contains(text, never) {
			t.Errorf("proposal page shows %q", never)
		}
	}
	b.exec(`UPDATE parcels SET publication = 'internal' WHERE id = $1`, b.fix.Parcels["A"])
	_, page = b.do("GET", p.URL+"/expose", "", nil)
	if text = string(page); strings.Contains(text, "Fläche A") || !strings.Contains(text, "nicht mehr verfügbar") || !strings.Contains(text, "Fläche D") {
		t.Errorf("after A went internal, the exposé shows A or not D, or no 'nicht mehr verfügbar'")
	}
	var after struct {
		Proposals []struct {
			ID            int64
			Views         int
			FirstViewedAt *time.Time `json:"first_viewed_at"`
		}
	}
	b.ok("GET", path, "planner", nil, 200, &after)
	if len(after.Proposals) != 1 || after.Proposals[0].Views != 1 || after.Proposals[0].FirstViewedAt == nil {
		t.Errorf("views: %+v, want one view recorded (the exposé is not counted)", after.Proposals)
	}
	if n := b.count(`SELECT count(*) FROM outbox WHERE kind = 'proposal_viewed'`); n != 1 {
		t.Errorf("%d 'proposal viewed' messages, want 1 (to the coordinator; the enquiry has no district)", n)
	}
	b.ok("POST", path+"/proposals/"+strconv.FormatInt(after.Proposals[0].ID, 10)+"/revoke", "planner", nil, 200, nil)
	if resp, _ := b.do("GET", p.URL, "", nil); resp.StatusCode != 404 {
		t.Errorf("revoked link: %d, want 404", resp.StatusCode)
	}
	if resp, _ := b.do("GET", "/angebot/pNOTATOKEN", "", nil); resp.StatusCode != 404 {
		t.Errorf("unknown link: %d, want 404", resp.StatusCode)
	}
}

func TestImprintAndPrivacyAreTheOperatorsPlainText(t *testing.T) {
	b := newBench(t, enquiryapi.Settings{Imprint: "<b>Muster-Betreiber</b> GmbH\n\nMusterstraße 1, 04109 Leipzig", RetentionMonths: 18})
	resp, page := b.do("GET", "/impressum", "", nil)
	text := string(page)
	if resp.StatusCode != 200 || !strings.Contains(text, "&lt;b&gt;Muster-Betreiber&lt;/b&gt; GmbH</p>") || !strings.Contains(text, "<p>Musterstraße 1") {
		t.Errorf("imprint: %d\n%s", resp.StatusCode, text)
	}
	_, page = b.do("GET", "/datenschutz?lang=en", "", nil)
	if text = string(page); !strings.Contains(text, "18 Monate") || !strings.Contains(text, `href="/impressum?lang=en"`) || !strings.Contains(text, "<h1>Privacy</h1>") {
		t.Errorf("privacy page without the retention period or the footer links:\n%s", text)
	}
}
