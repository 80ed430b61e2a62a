// Package enquiryapi serves the demand side: the public enquiry form's endpoint (rate-limited,
// size-limited, with a honeypot), the management of enquiries for planners and the editors of
// the routed districts, shortlists and proposal links, the proposal page investors open without
// signing in, demand statistics, the export and erasure of a person's data, the imprint and
// privacy pages, and the scheduled jobs (outbox, retention, reminders).
package enquiryapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/enquiry"
	"landatlas/internal/enquirystore"
	"landatlas/internal/problem"
	"landatlas/internal/studystore"
)

// Settings are the operator's settings of the demand side.
type Settings struct {
	// RateLimit public enquiries per client address in each RateWindow.
	RateLimit  int
	RateWindow time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client address.
	TrustedProxies []netip.Prefix
	// RetentionMonths after closing, an enquiry's personal fields are erased.
	RetentionMonths int
	// ReminderAfter an enquiry still new and unchanged gets a reminder.
	ReminderAfter time.Duration
	// RegionContact is the coordinator's contact as proposal pages show it (plain text, lines).
	RegionContact string
	// Imprint and Privacy are the texts of the imprint and privacy pages (plain text; blank
	// lines separate paragraphs).
	Imprint, Privacy string
	// SMTPURL is smtp://[user:password@]host:port?from=address; "" keeps messages in the outbox.
	SMTPURL string
	// Recipients maps "region" and district AGS to e-mail addresses.
	Recipients map[string]string
}

// DefaultSettings are the settings where the operator gives none.
func DefaultSettings() Settings {
	return Settings{
		RateLimit: 5, RateWindow: 10 * time.Minute, RetentionMonths: 24, ReminderAfter: 72 * time.Hour,
		RegionContact: "Europäische Metropolregion Mitteldeutschland\nProjektgruppe Industrie- und Gewerbeflächen",
		Imprint:       defaultImprint,
	}
}

// Config is what the service needs.
type Config struct {
	DB       *pgxpool.Pool
	Log      *slog.Logger
	Settings Settings
	// Now is the clock of the rate limit; nil means time.Now.
	Now func() time.Time
}

// Service answers the demand side's requests.
type Service struct {
	store    enquirystore.Store
	study    studystore.Store
	log      *slog.Logger
	settings Settings
	limit    rateLimit
	mailer   *mailer
	// kick wakes the outbox job when a message was queued.
	kick chan struct{}
}

// New builds the service; a malformed SMTP URL is an error naming LANDATLAS_SMTP_URL.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Log == nil {
		return nil, errors.New("enquiryapi: DB and Log are required")
	}
	st := cfg.Settings
	def := DefaultSettings()
	if st.RateLimit <= 0 {
		st.RateLimit = def.RateLimit
	}
	if st.RateWindow <= 0 {
		st.RateWindow = def.RateWindow
	}
	if st.RetentionMonths <= 0 {
		st.RetentionMonths = def.RetentionMonths
	}
	if st.ReminderAfter <= 0 {
		st.ReminderAfter = def.ReminderAfter
	}
	if st.RegionContact == "" {
		st.RegionContact = def.RegionContact
	}
	if st.Imprint == "" {
		st.Imprint = def.Imprint
	}
	if st.Privacy == "" {
		st.Privacy = privacyText(st.RetentionMonths)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	store := enquirystore.Store{DB: cfg.DB}
	s := &Service{store: store, study: studystore.New(cfg.DB), log: cfg.Log, settings: st,
		limit: rateLimit{store: store, limit: st.RateLimit, window: st.RateWindow, now: now}, kick: make(chan struct{}, 1)}
	if st.SMTPURL != "" {
		m, err := newMailer(st.SMTPURL)
		if err != nil {
			return nil, err
		}
		s.mailer = m
	}
	return s, nil
}

// maxBody limits JSON bodies; a public enquiry with every field at its limit stays below.
const maxBody = 64 << 10

func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	problem.Write(w, r, s.log, err)
}

func (s *Service) json(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Cache-Control", "no-store")
	problem.JSON(w, "application/json", status, v)
}

// decode reads a JSON body of at most maxBody bytes into v, refusing unknown fields; an empty
// body leaves v as it is (its defaults).
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return apperr.New(apperr.TooLarge, "the request body is larger than %d bytes: shorten the text", maxBody)
		}
		return apperr.New(apperr.Invalid, "read the request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "the body is not the JSON expected: %v", err)
	}
	return nil
}

// signedIn returns the principal of a request, refusing the public.
func signedIn(r *http.Request) (*auth.Principal, error) {
	p := auth.FromContext(r.Context())
	if p == nil {
		return nil, apperr.New(apperr.Unauthorized, "enquiries are seen by planners and the editors of their districts: sign in with a bearer token")
	}
	return p, nil
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id < 1 {
		return 0, apperr.New(apperr.NotFound, "%s %q is not an id", name, chi.URLParam(r, name))
	}
	return id, nil
}

// handler turns a function that returns an answer or an error into a handler.
func (s *Service) handler(fn func(w http.ResponseWriter, r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.json(w, http.StatusOK, v)
	}
}

// Form answers GET /api/v1/enquiries/form: the code lists and limits of the enquiry form.
func (s *Service) Form() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		problem.JSON(w, "application/json", http.StatusOK, map[string]any{
			"sectors": enquiry.Sectors(), "timings": enquiry.Timings(), "statuses": enquiry.Statuses(), "channels": enquiry.Channels(),
			"limits":  map[string]int{"short": enquiry.MaxShort, "message": enquiry.MaxMessage, "items": enquiry.MaxItems},
			"privacy": "/datenschutz", "imprint": "/impressum",
		})
	}
}

// Create answers POST /api/v1/enquiries. From the public (the form) it is rate-limited per
// address (429 with Retry-After), needs contact and consent, and a filled-in honeypot gets the
// same answer as a real enquiry but stores nothing. A signed-in planner records one by hand.
func (s *Service) Create() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		public := p == nil
		if public {
			ok, wait, err := s.limit.allow(r.Context(), clientAddr(r, s.settings.TrustedProxies))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if !ok {
				secs := int(wait.Seconds() + 0.999)
				w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
				s.fail(w, r, apperr.New(apperr.TooMany, "too many enquiries from your address: try again in %d minutes", max(1, (secs+59)/60)))
				return
			}
		} else if p.Role == auth.Editor {
			s.fail(w, r, apperr.New(apperr.Forbidden, "enquiries are recorded by hand by planners and admins"))
			return
		}
		var in enquiry.Input
		if err := decode(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		if fields := in.Valid(public); len(fields) > 0 {
			s.fail(w, r, &apperr.Error{Kind: apperr.Invalid, Message: "the enquiry is not complete: see fields", Fields: fields})
			return
		}
		if public && in.IsBot() {
			s.log.InfoContext(r.Context(), "enquiry honeypot filled in: dropped", "addr", clientAddr(r, s.settings.TrustedProxies))
			s.json(w, http.StatusCreated, map[string]any{"reference": enquiry.Reference(time.Now(), time.Now().UnixNano()%100000)})
			return
		}
		e, err := s.store.Create(r.Context(), in, p)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.wake()
		if public {
			s.json(w, http.StatusCreated, map[string]any{"reference": e.Reference})
			return
		}
		s.json(w, http.StatusCreated, e)
	}
}

// wake tells the outbox job there is something to send.
func (s *Service) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// List answers GET /api/v1/enquiries?status=&district=&year=&open=: the enquiries the reader may see.
func (s *Service) List() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		v := r.URL.Query()
		f := enquirystore.Filter{Status: v.Get("status"), District: v.Get("district"), Open: v.Get("open") == "true"}
		if f.Status != "" && !enquiry.Statuses().Has(f.Status) {
			return nil, apperr.New(apperr.Invalid, "status: %q is not a status", f.Status)
		}
		if y := v.Get("year"); y != "" {
			if f.Year, err = strconv.Atoi(y); err != nil || f.Year < 2000 || f.Year > 2200 {
				return nil, apperr.New(apperr.Invalid, "year: give a year such as 2026")
			}
		}
		list, err := s.store.List(r.Context(), p, f)
		return map[string]any{"enquiries": list}, err
	})
}

// Detail is an enquiry with its timeline, shortlist and proposal links.
type Detail struct {
	enquiry.Enquiry
	Timeline  []enquirystore.Event    `json:"timeline"`
	Shortlist []enquirystore.Item     `json:"shortlist"`
	Proposals []enquirystore.Proposal `json:"proposals"`
}

func (s *Service) detail(r *http.Request, p *auth.Principal, id int64) (Detail, error) {
	e, err := s.store.Get(r.Context(), p, id)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Enquiry: e}
	if d.Timeline, err = s.store.Timeline(r.Context(), id); err != nil {
		return d, err
	}
	if d.Shortlist, err = s.store.Shortlist(r.Context(), id); err != nil {
		return d, err
	}
	d.Proposals, err = s.store.Proposals(r.Context(), id)
	return d, err
}

// Get answers GET /api/v1/enquiries/{id}; reading the personal data is audited.
func (s *Service) Get() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return s.detail(r, p, id)
	})
}

// change runs a change on an enquiry and answers with its detail.
func (s *Service) change(body any, fn func(r *http.Request, p *auth.Principal, id int64) error) http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		if body != nil {
			if err := decode(w, r, body); err != nil {
				return nil, err
			}
		}
		if err := fn(r, p, id); err != nil {
			return nil, err
		}
		return s.detail(r, p, id)
	})
}

// SetStatus answers POST /api/v1/enquiries/{id}/status {"status", "lost_reason"}.
func (s *Service) SetStatus() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Status     string `json:"status"`
			LostReason string `json:"lost_reason"`
		}
		s.change(&in, func(r *http.Request, p *auth.Principal, id int64) error {
			_, err := s.store.SetStatus(r.Context(), p, id, in.Status, in.LostReason)
			return err
		})(w, r)
	}
}

// Assign answers POST /api/v1/enquiries/{id}/assignee {"assignee_id"} (0 or null: nobody).
func (s *Service) Assign() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			AssigneeID *int64 `json:"assignee_id"`
		}
		s.change(&in, func(r *http.Request, p *auth.Principal, id int64) error {
			var a int64
			if in.AssigneeID != nil {
				a = *in.AssigneeID
			}
			_, err := s.store.Assign(r.Context(), p, id, a)
			return err
		})(w, r)
	}
}

// AddNote answers POST /api/v1/enquiries/{id}/notes {"text"}.
func (s *Service) AddNote() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Text string `json:"text"`
		}
		s.change(&in, func(r *http.Request, p *auth.Principal, id int64) error {
			_, err := s.store.AddNote(r.Context(), p, id, in.Text)
			return err
		})(w, r)
	}
}

// AddItem answers POST /api/v1/enquiries/{id}/shortlist {"kind", "item_id", "member_ids", "note"}.
func (s *Service) AddItem() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in enquirystore.ItemInput
		s.change(&in, func(r *http.Request, p *auth.Principal, id int64) error {
			_, err := s.store.AddItem(r.Context(), p, id, in)
			return err
		})(w, r)
	}
}

// ChangeItem answers PUT /api/v1/enquiries/{id}/shortlist/{item} {"note", "position"}.
func (s *Service) ChangeItem() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in enquirystore.ItemChange
		s.change(&in, func(r *http.Request, p *auth.Principal, id int64) error {
			item, err := pathID(r, "item")
			if err != nil {
				return err
			}
			_, err = s.store.ChangeItem(r.Context(), p, id, item, in)
			return err
		})(w, r)
	}
}

// RemoveItem answers POST /api/v1/enquiries/{id}/shortlist/{item}/remove.
func (s *Service) RemoveItem() http.HandlerFunc {
	return s.change(nil, func(r *http.Request, p *auth.Principal, id int64) error {
		item, err := pathID(r, "item")
		if err != nil {
			return err
		}
		_, err = s.store.RemoveItem(r.Context(), p, id, item)
		return err
	})
}

// CreateProposal answers POST /api/v1/enquiries/{id}/proposals {"days"}: a new proposal link,
// whose token is in this answer only.
func (s *Service) CreateProposal() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		in := struct {
			Days int `json:"days"`
		}{Days: enquirystore.DefaultProposalDays}
		if err := decode(w, r, &in); err != nil {
			return nil, err
		}
		token, prop, err := s.store.CreateProposal(r.Context(), p, id, in.Days)
		if err != nil {
			return nil, err
		}
		return map[string]any{"url": proposalPath(token), "proposal": prop}, nil
	})
}

// RevokeProposal answers POST /api/v1/enquiries/{id}/proposals/{proposal}/revoke.
func (s *Service) RevokeProposal() http.HandlerFunc {
	return s.change(nil, func(r *http.Request, p *auth.Principal, id int64) error {
		pid, err := pathID(r, "proposal")
		if err != nil {
			return err
		}
		return s.store.RevokeProposal(r.Context(), p, id, pid)
	})
}

// Search answers GET /api/v1/enquiries/{id}/search: the site search with the enquiry's
// requirements as criteria, over what the reader sees now.
func (s *Service) Search() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		e, err := s.store.Requirements(r.Context(), p, id)
		if err != nil {
			return nil, err
		}
		search := e.Requirements.Search()
		var res any
		err = s.study.Snapshot(r.Context(), func(st studystore.Store) error {
			var err error
			res, err = st.Search(r.Context(), studystore.Selection{Internal: true}, search, studystore.SearchPages{Limit: 50, ExcludedLimit: 0})
			return err
		})
		return map[string]any{"search": res}, err
	})
}

// Assignees answers GET /api/v1/enquiries/assignees: the accounts an enquiry can be given to.
func (s *Service) Assignees() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		if _, err := signedIn(r); err != nil {
			return nil, err
		}
		list, err := s.store.Assignees(r.Context())
		return map[string]any{"assignees": list}, err
	})
}

// Messages answers GET /api/v1/enquiries/messages: the outbox as the reader may see it.
func (s *Service) Messages() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		list, err := s.store.Messages(r.Context(), p)
		return map[string]any{"messages": list, "smtp": s.mailer != nil}, err
	})
}

// plannersOnly refuses everyone but planners and admins.
func plannersOnly(r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if p.Role != auth.Planner && p.Role != auth.Admin {
		return apperr.New(apperr.Forbidden, "demand statistics are for planners and admins")
	}
	return nil
}

// Stats answers GET /api/v1/enquiries/stats: demand per year and the unmet demand (planners).
func (s *Service) Stats() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		if err := plannersOnly(r); err != nil {
			return nil, err
		}
		years, err := s.store.Stats(r.Context(), s.study)
		return map[string]any{"years": years}, err
	})
}

// ExportPerson answers GET /api/v1/privacy/person?email= (admins): everything stored about one person.
func (s *Service) ExportPerson() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		return s.store.ExportPerson(r.Context(), p, r.URL.Query().Get("email"))
	})
}

// ErasePerson answers POST /api/v1/privacy/person/erase {"email"} (admins).
func (s *Service) ErasePerson() http.HandlerFunc {
	return s.handler(func(w http.ResponseWriter, r *http.Request) (any, error) {
		p, err := signedIn(r)
		if err != nil {
			return nil, err
		}
		var in struct {
			Email string `json:"email"`
		}
		if err := decode(w, r, &in); err != nil {
			return nil, err
		}
		refs, err := s.store.ErasePerson(r.Context(), p, in.Email)
		return map[string]any{"erased": refs}, err
	})
}
