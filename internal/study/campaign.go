package study

import (
	"strings"
	"time"

	"landatlas/internal/apperr"
)

// A monitoring campaign (domain.md "Monitoring practice") asks every district to confirm or update
// each of its current parcels for a reference date (Stichtag) by a deadline. A parcel's state in
// a campaign compares it with its state when the campaign opened:
//   - changed: its content changed since (by upload or edit; a new confirmation date alone is no
//     change), it was ended, or it is new;
//   - confirmed: unchanged, and confirmed as current since (a new last_confirmed written after
//     the campaign opened, or carried unchanged by an upload of the district applied since);
//   - open: neither.
// Closing the campaign freezes the official state (amtlicher Stand) as a study run of the whole
// region, and the progress of every district with it; districts still open may remain and the
// report names them.

// Parcel states in a campaign.
const (
	CampaignChanged   = "changed"
	CampaignConfirmed = "confirmed"
	CampaignOpen      = "open"
)

// CampaignStates are the parcel states in a campaign, as a parameter takes them.
var CampaignStates = []string{CampaignOpen, CampaignConfirmed, CampaignChanged}

// CampaignInput is what an admin gives to open a campaign.
type CampaignInput struct {
	Title         string `json:"title"`
	ReferenceDate string `json:"reference_date"`
	Deadline      string `json:"deadline"`
}

// Check says what is wrong with the input, naming the field; it returns the two dates.
func (in CampaignInput) Check() (reference, deadline time.Time, err error) {
	if strings.TrimSpace(in.Title) == "" || len(in.Title) > 200 {
		return reference, deadline, apperr.New(apperr.Invalid, "title: give a title of 1 to 200 characters, e.g. \"Monitoring 2026\"")
	}
	if reference, err = time.ParseInLocation(time.DateOnly, in.ReferenceDate, Berlin); err != nil {
		return reference, deadline, apperr.New(apperr.Invalid, "reference_date: give the Stichtag as YYYY-MM-DD, e.g. 2026-12-31")
	}
	if deadline, err = time.ParseInLocation(time.DateOnly, in.Deadline, Berlin); err != nil {
		return reference, deadline, apperr.New(apperr.Invalid, "deadline: give the date replies are due as YYYY-MM-DD, e.g. 2027-01-31")
	}
	if deadline.Before(reference) {
		return reference, deadline, apperr.New(apperr.Invalid, "deadline: %s is before the reference date %s", in.Deadline, in.ReferenceDate)
	}
	if reference.Year() < 1990 || reference.Year() > 2200 {
		return reference, deadline, apperr.New(apperr.Invalid, "reference_date: %s is out of range", in.ReferenceDate)
	}
	return reference, deadline, nil
}

// Progress counts the parcels of a district (or the region) in a campaign.
type Progress struct {
	DistrictAGS string `json:"district_ags,omitempty"`
	Name        string `json:"name"`
	Parcels     int    `json:"parcels"`
	Confirmed   int    `json:"confirmed"`
	Changed     int    `json:"changed"`
	Open        int    `json:"open"`
	// Done is the share of the parcels confirmed or changed.
	Done float64 `json:"done"`
	// Editors are the district's editor accounts, whom a reminder goes to.
	Editors []string `json:"editors,omitempty"`
}

// Finish computes Done.
func (p *Progress) Finish() {
	if p.Parcels > 0 {
		p.Done = Round(float64(p.Confirmed+p.Changed)/float64(p.Parcels), 4)
	}
}

// CampaignProgress is the progress of every district and of the region.
type CampaignProgress struct {
	Districts []Progress `json:"districts"`
	Total     Progress   `json:"total"`
}

// OpenDistricts lists the districts with parcels still open.
func (p CampaignProgress) OpenDistricts() []Progress {
	var out []Progress
	for _, d := range p.Districts {
		if d.Open > 0 {
			out = append(out, d)
		}
	}
	return out
}

// Campaign is a monitoring campaign with its progress: live while open, frozen at closing.
type Campaign struct {
	ID            int64      `json:"id"`
	Title         string     `json:"title"`
	ReferenceDate string     `json:"reference_date"`
	Deadline      string     `json:"deadline"`
	OpenedAt      time.Time  `json:"opened_at"`
	OpenedBy      string     `json:"opened_by,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	ClosedBy      string     `json:"closed_by,omitempty"`
	// RunID is the study run holding the official state, once closed.
	RunID    *int64           `json:"run_id,omitempty"`
	Progress CampaignProgress `json:"progress"`
	// Figures are the official figures of a closed campaign.
	Figures *OfficialFigures `json:"figures,omitempty"`
}

// OfficialFigures are the headline figures of a campaign's official state.
type OfficialFigures struct {
	AsOf         time.Time        `json:"as_of"`
	Parcels      int              `json:"parcels"`
	ReserveHa    float64          `json:"reserve_net_ha"`
	MarketableHa float64          `json:"marketable_net_ha"`
	MeanTakeUpHa float64          `json:"mean_take_up_net_ha_per_year"`
	ReachYears   *float64         `json:"reach_years"`
	DataVersion  map[string]int64 `json:"data_version"`
}

// FiguresOf takes the headline figures from a run.
func FiguresOf(r Run) *OfficialFigures {
	res := r.Results
	return &OfficialFigures{AsOf: r.AsOf, Parcels: r.Parcels, ReserveHa: res.Supply.Total.Reserve.NetHa,
		MarketableHa: res.TakeUp.Region.MarketableHa, MeanTakeUpHa: res.TakeUp.Region.MeanHa,
		ReachYears: res.TakeUp.Region.ReachYears, DataVersion: r.DataVersion}
}

// Official says that a run is the official state of a closed campaign ("amtlicher Stand").
type Official struct {
	CampaignID    int64     `json:"campaign_id"`
	Title         string    `json:"title"`
	ReferenceDate string    `json:"reference_date"`
	ClosedAt      time.Time `json:"closed_at"`
	// OpenDistricts names the districts that had parcels open at closing.
	OpenDistricts []Progress `json:"open_districts"`
}

// CampaignParcel is one parcel of a district's task.
type CampaignParcel struct {
	ID            int64   `json:"id"`
	ExternalID    string  `json:"external_id"`
	Name          string  `json:"name"`
	State         string  `json:"state"`
	LastConfirmed *string `json:"last_confirmed"`
	NetHa         float64 `json:"net_area_ha"`
	Ended         bool    `json:"ended,omitempty"`
}
