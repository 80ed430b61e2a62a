// Package enquiry holds the demand side of landatlas with no I/O: investors' enquiries, their
// requirements and status pipeline, who may see them and their personal data, how a public
// enquiry is checked and routed, and how its requirements become a site search.
package enquiry

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"landatlas/internal/auth"
	"landatlas/internal/parcel"
)

// The statuses of the pipeline: neu → in Bearbeitung → Angebot versandt → Besichtigung →
// gewonnen / verloren (mit Grund) / zurückgezogen.
const (
	New        = "new"
	InProgress = "in_progress"
	OfferSent  = "offer_sent"
	SiteVisit  = "site_visit"
	Won        = "won"
	Lost       = "lost"
	Withdrawn  = "withdrawn"
)

// Statuses is the pipeline in order, with labels; the database enum enquiry_status holds the same.
func Statuses() parcel.CodeList {
	return parcel.CodeList{Name: "enquiry_status", Codes: []parcel.Code{
		{Value: New, DE: "neu", EN: "new"},
		{Value: InProgress, DE: "in Bearbeitung", EN: "in progress"},
		{Value: OfferSent, DE: "Angebot versandt", EN: "offer sent"},
		{Value: SiteVisit, DE: "Besichtigung", EN: "site visit"},
		{Value: Won, DE: "gewonnen", EN: "won"},
		{Value: Lost, DE: "verloren", EN: "lost"},
		{Value: Withdrawn, DE: "zurückgezogen", EN: "withdrawn"},
	}}
}

// Closed reports whether a status ends an enquiry.
func Closed(status string) bool { return status == Won || status == Lost || status == Withdrawn }

// CheckMove says whether an enquiry may go from one status to another: forward through the open
// stages (steps may be skipped), from any open stage to a closing one, and from a closing one
// back to "in progress" (reopened). A loss needs its reason.
func CheckMove(from, to, lostReason string) error {
	if !Statuses().Has(to) {
		return fmt.Errorf("status: %q is not a status; use one of %s", to, strings.Join(Statuses().Values(), ", "))
	}
	if from == to {
		return fmt.Errorf("status: the enquiry is already %q", to)
	}
	if to == Lost && strings.TrimSpace(lostReason) == "" {
		return fmt.Errorf("lost_reason: say why the enquiry was lost")
	}
	order := Statuses().Values()
	switch {
	case Closed(from):
		if to != InProgress {
			return fmt.Errorf("status: a closed enquiry can only be reopened (in_progress)")
		}
	case Closed(to):
	case slices.Index(order, to) < slices.Index(order, from):
		return fmt.Errorf("status: %q comes before %q; the pipeline runs forward", to, from)
	}
	return nil
}

// Sectors are the investors' industries.
func Sectors() parcel.CodeList {
	return parcel.CodeList{Name: "enquiry_sector", Codes: []parcel.Code{
		{Value: "logistics", DE: "Logistik", EN: "logistics"},
		{Value: "manufacturing", DE: "Produktion", EN: "manufacturing"},
		{Value: "automotive", DE: "Automobil und Zulieferer", EN: "automotive"},
		{Value: "chemicals", DE: "Chemie", EN: "chemicals"},
		{Value: "energy", DE: "Energie und Wasserstoff", EN: "energy and hydrogen"},
		{Value: "food", DE: "Lebensmittel", EN: "food"},
		{Value: "data_centre", DE: "Rechenzentrum", EN: "data centre"},
		{Value: "trade", DE: "Handwerk und Handel", EN: "crafts and trade"},
		{Value: "other", DE: "Sonstiges", EN: "other"},
	}}
}

// Timings say when the land is needed; each admits the availabilities that meet it.
func Timings() parcel.CodeList {
	return parcel.CodeList{Name: "enquiry_timing", Codes: []parcel.Code{
		{Value: "now", DE: "sofort", EN: "now"},
		{Value: "short_term", DE: "bis 2 Jahre", EN: "within 2 years"},
		{Value: "medium_term", DE: "2 bis 5 Jahre", EN: "2 to 5 years"},
		{Value: "open", DE: "offen", EN: "open"},
	}}
}

// Channels are how an enquiry came in.
func Channels() parcel.CodeList {
	return parcel.CodeList{Name: "enquiry_channel", Codes: []parcel.Code{
		{Value: "web", DE: "Online-Formular", EN: "web form"},
		{Value: "phone", DE: "Telefon", EN: "phone"},
		{Value: "email", DE: "E-Mail", EN: "e-mail"},
		{Value: "fair", DE: "Messe", EN: "trade fair"},
		{Value: "other", DE: "Sonstiges", EN: "other"},
	}}
}

// Label returns the German or English label of a code ("" for an unknown one).
func Label(l parcel.CodeList, v, lang string) string {
	for _, c := range l.Codes {
		if c.Value == v {
			if lang == "en" {
				return c.EN
			}
			return c.DE
		}
	}
	return v
}

// Requirements are what an investor needs.
type Requirements struct {
	Sector         string   `json:"sector"`
	UseTypes       []string `json:"use_types"`
	MinNetHa       *float64 `json:"min_net_ha"`
	MaxNetHa       *float64 `json:"max_net_ha"`
	Timing         string   `json:"timing"`
	Jobs           *int     `json:"jobs"`
	InvestmentMEUR *float64 `json:"investment_meur"`
	MaxMotorwayKm  *float64 `json:"max_motorway_km"`
	RailSiding     bool     `json:"rail_siding"`
}

// Personal are an enquiry's personal data: seen only by those SeesPersonal allows, erased after
// the retention period.
type Personal struct {
	Company     string `json:"company"`
	ContactName string `json:"contact_name"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	// Message is the investor's free text, which may name people.
	Message string `json:"message"`
}

// Enquiry is one investor's enquiry.
type Enquiry struct {
	ID           int64        `json:"id"`
	Reference    string       `json:"reference"`
	ReceivedAt   time.Time    `json:"received_at"`
	Channel      string       `json:"channel"`
	Lang         string       `json:"lang"`
	Status       string       `json:"status"`
	LostReason   string       `json:"lost_reason,omitempty"`
	ClosedAt     *time.Time   `json:"closed_at,omitempty"`
	AssigneeID   *int64       `json:"assignee_id"`
	Assignee     string       `json:"assignee,omitempty"`
	Requirements Requirements `json:"requirements"`
	// Personal is nil where the reader may not see it, and after erasure.
	Personal         *Personal  `json:"personal"`
	PersonalErasedAt *time.Time `json:"personal_erased_at,omitempty"`
	ParcelIDs        []int64    `json:"parcel_ids"`
	SiteIDs          []int64    `json:"site_ids"`
	Districts        []string   `json:"districts"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// SizeClass is the size class of what an enquiry asks for: by its least area, else its most.
func (r Requirements) SizeClass() string {
	switch {
	case r.MinNetHa != nil && *r.MinNetHa > 0:
		return parcel.SizeClassOf(*r.MinNetHa)
	case r.MaxNetHa != nil && *r.MaxNetHa > 0:
		return parcel.SizeClassOf(*r.MaxNetHa)
	}
	return ""
}

// CanSee reports whether p may see an enquiry routed to the given districts: planners and admins
// see every enquiry, editors those routed to their district, the public none.
func CanSee(p *auth.Principal, districts []string) bool {
	if p == nil {
		return false
	}
	switch p.Role {
	case auth.Admin, auth.Planner:
		return true
	case auth.Editor:
		return slices.Contains(districts, p.DistrictAGS)
	}
	return false
}

// SeesPersonal reports whether p may read an enquiry's personal data: planners, admins and the
// editors of the routed districts. Every such read is audited.
func SeesPersonal(p *auth.Principal, districts []string) bool { return CanSee(p, districts) }

// CanManage reports whether p may change an enquiry: whoever may see it.
func CanManage(p *auth.Principal, districts []string) bool { return CanSee(p, districts) }

// Route returns the districts an enquiry goes to: those of the parcels and sites asked about,
// sorted, each once. An enquiry about nothing in particular goes to the coordinator only.
func Route(itemDistricts []string) []string {
	out := slices.Clone(itemDistricts)
	slices.Sort(out)
	return slices.Compact(out)
}

// Reference is an enquiry's reference number, told to the investor: year and a running number.
func Reference(received time.Time, seq int64) string {
	return fmt.Sprintf("LA-%d-%05d", received.Year(), seq)
}

// Limits of a public enquiry's fields, in characters.
const (
	MaxShort   = 200
	MaxMessage = 4000
	MaxItems   = 50
)

// Input is an enquiry as a form or a planner sends it.
type Input struct {
	Personal
	Requirements
	Lang      string  `json:"lang"`
	Channel   string  `json:"channel"`
	Consent   bool    `json:"consent"`
	ParcelIDs []int64 `json:"parcel_ids"`
	SiteIDs   []int64 `json:"site_ids"`
	// Website is the honeypot: a field people do not see and bots fill in.
	Website string `json:"website"`
}

// Valid checks an enquiry and returns what to fix, by field. Public enquiries (public true) need
// the contact fields and the consent; a planner's by hand needs only the requirements.
func (in *Input) Valid(public bool) map[string]string {
	p := map[string]string{}
	short := map[string]string{"company": in.Company, "contact_name": in.ContactName, "email": in.Email, "phone": in.Phone}
	for name, v := range short {
		if utf8.RuneCountInString(v) > MaxShort {
			p[name] = fmt.Sprintf("at most %d characters", MaxShort)
		}
	}
	if utf8.RuneCountInString(in.Message) > MaxMessage {
		p["message"] = fmt.Sprintf("at most %d characters", MaxMessage)
	}
	if public {
		if strings.TrimSpace(in.Company) == "" {
			p["company"] = "name the company"
		}
		if strings.TrimSpace(in.ContactName) == "" {
			p["contact_name"] = "name the contact person"
		}
		if !in.Consent {
			p["consent"] = "agree to the processing of the data (see the privacy page) to send the enquiry"
		}
	}
	if in.Email != "" || public {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != strings.TrimSpace(in.Email) {
			p["email"] = "give an e-mail address such as name@example.com"
		}
	}
	if in.Sector == "" {
		in.Sector = "other"
	}
	if !Sectors().Has(in.Sector) {
		p["sector"] = "use one of " + strings.Join(Sectors().Values(), ", ")
	}
	if in.Timing == "" {
		in.Timing = "open"
	}
	if !Timings().Has(in.Timing) {
		p["timing"] = "use one of " + strings.Join(Timings().Values(), ", ")
	}
	for _, u := range in.UseTypes {
		if !parcel.UseTypes().Has(u) {
			p["use_types"] = "use types are " + strings.Join(parcel.UseTypes().Values(), ", ")
		}
	}
	if len(in.UseTypes) > len(parcel.UseTypes().Codes) {
		p["use_types"] = "name each use type once"
	}
	if in.MinNetHa != nil && (*in.MinNetHa < 0 || *in.MinNetHa > 10000) {
		p["min_net_ha"] = "give 0 to 10,000 ha"
	}
	if in.MaxNetHa != nil && (*in.MaxNetHa <= 0 || *in.MaxNetHa > 10000) {
		p["max_net_ha"] = "give more than 0 and up to 10,000 ha"
	}
	if in.MinNetHa != nil && in.MaxNetHa != nil && *in.MinNetHa > *in.MaxNetHa {
		p["max_net_ha"] = "the largest area must not be below the least"
	}
	if in.Jobs != nil && (*in.Jobs < 0 || *in.Jobs > 1_000_000) {
		p["jobs"] = "give 0 to 1,000,000 jobs"
	}
	if in.InvestmentMEUR != nil && (*in.InvestmentMEUR < 0 || *in.InvestmentMEUR > 1_000_000) {
		p["investment_meur"] = "give the investment in million euros, 0 to 1,000,000"
	}
	if in.MaxMotorwayKm != nil && (*in.MaxMotorwayKm <= 0 || *in.MaxMotorwayKm > 500) {
		p["max_motorway_km"] = "give more than 0 and up to 500 km"
	}
	if len(in.ParcelIDs)+len(in.SiteIDs) > MaxItems {
		p["parcel_ids"] = fmt.Sprintf("ask about at most %d parcels and sites at once", MaxItems)
	}
	if in.Lang != "en" {
		in.Lang = "de"
	}
	if in.Channel == "" {
		in.Channel = "web"
	}
	if !Channels().Has(in.Channel) {
		p["channel"] = "use one of " + strings.Join(Channels().Values(), ", ")
	}
	if public && in.Channel != "web" {
		p["channel"] = "a public enquiry comes through the web form"
	}
	for _, s := range []*string{&in.Company, &in.ContactName, &in.Email, &in.Phone, &in.Message} {
		*s = strings.TrimSpace(*s)
	}
	return p
}

// IsBot reports whether the honeypot was filled in: such an enquiry is answered like any other
// and thrown away, so the bot learns nothing.
func (in Input) IsBot() bool { return in.Website != "" }
