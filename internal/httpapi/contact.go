package httpapi

import (
	"encoding/json"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/store"
)

// maxContactField is the longest text a contact field may hold.
const maxContactField = 300

// handleGetContact shows a district's contact for investors; it is public, like the parcels'
// own contacts, so that fact sheets and exposés can fall back to it.
func (s *Server) handleGetContact() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ags := chi.URLParam(r, "ags")
		if _, ok := region.DistrictByAGS(ags); !ok {
			problem.Write(w, r, s.log, apperr.New(apperr.NotFound, "there is no district %q among the nine", ags))
			return
		}
		c, err := s.contacts.Get(r.Context(), ags)
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		if auth.FromContext(r.Context()) == nil {
			c.UpdatedBy = ""
		}
		problem.JSON(w, "application/json", http.StatusOK, c)
	}
}

// handlePutContact replaces a district's contact: its editors and admins may.
func (s *Server) handlePutContact() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := signedIn(r, "changing a district's contact")
		ags := chi.URLParam(r, "ags")
		if err == nil {
			if _, ok := region.DistrictByAGS(ags); !ok {
				err = apperr.New(apperr.NotFound, "there is no district %q among the nine", ags)
			}
		}
		if err == nil {
			err = mayWrite(p, ags)
		}
		var c store.Contact
		if err == nil {
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
			dec.DisallowUnknownFields()
			if derr := dec.Decode(&c); derr != nil {
				err = apperr.New(apperr.Invalid, "the body must be a contact: {\"office\", \"name\", \"email\", \"phone\", \"web\"}: %v", derr)
			}
		}
		if err == nil {
			c.District = ags
			err = validContact(&c)
		}
		if err == nil {
			c, err = s.contacts.Save(r.Context(), c, &p.AccountID, p.Label)
		}
		if err != nil {
			problem.Write(w, r, s.log, err)
			return
		}
		problem.JSON(w, "application/json", http.StatusOK, c)
	}
}

// validContact trims a contact and checks its fields, naming each problem.
func validContact(c *store.Contact) error {
	problems := map[string]string{}
	for name, v := range map[string]*string{"office": &c.Office, "name": &c.Name, "email": &c.Email, "phone": &c.Phone, "web": &c.Web} {
		*v = strings.TrimSpace(*v)
		if utf8.RuneCountInString(*v) > maxContactField {
			problems[name] = "at most 300 characters"
		}
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			problems["email"] = "give one e-mail address, such as wirtschaft@saalekreis.de"
		}
	}
	if c.Web != "" {
		if u, err := url.Parse(c.Web); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems["web"] = "give the full address of the web page, starting with https://"
		}
	}
	if c.Phone != "" && strings.Trim(c.Phone, "+0123456789 /-()") != "" {
		problems["phone"] = "give a phone number of digits, spaces, + / - ( ), such as +49 3461 40-1234"
	}
	if c.Name == "" && c.Office == "" && (c.Email != "" || c.Phone != "") {
		problems["office"] = "name the office or the person investors reach"
	}
	if len(problems) > 0 {
		e := apperr.New(apperr.Invalid, "the contact has problems: see fields")
		e.Fields = problems
		return e
	}
	return nil
}
