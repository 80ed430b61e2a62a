package study

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"landatlas/internal/apperr"
	"landatlas/internal/parcel"
)

// Search is a site search: hard criteria that exclude, and weighted soft criteria that rank the
// rest. Parcels on offer are its candidates; with LargeSites, so are merged sites of neighbouring
// parcels that each pass every hard criterion but the area, judged by their total area.
type Search struct {
	Preset   string   `json:"preset,omitempty"`
	Criteria Criteria `json:"criteria"`
	// Prefer lists utilities that raise the utilities score without being required.
	Prefer Utilities `json:"prefer"`
	// TargetNetHa is the area the area-fit score peaks at; 0 takes the middle of the area range,
	// or, without one, gives every area full marks.
	TargetNetHa float64            `json:"target_net_ha,omitempty"`
	Weights     map[string]float64 `json:"weights"`
	LargeSites  bool               `json:"large_sites"`
	// SiteDistanceM is how far apart parcels of one merged site may lie.
	SiteDistanceM float64 `json:"site_distance_m"`
}

// Criteria are the hard criteria of a site search.
type Criteria struct {
	MinNetHa         float64  `json:"min_net_ha,omitempty"`
	MaxNetHa         float64  `json:"max_net_ha,omitempty"`
	UseTypes         []string `json:"use_types,omitempty"`
	PlanningStatuses []string `json:"planning_statuses,omitempty"`
	Availabilities   []string `json:"availabilities,omitempty"`
	// AvailableBy requires a parcel to be available by this date (see availableDate).
	AvailableBy *Date `json:"available_by,omitempty"`
	// MaxDistanceKm limits the distance to the nearest infrastructure of a kind.
	MaxDistanceKm      map[string]float64 `json:"max_distance_km,omitempty"`
	ExcludeConstraints []ConstraintRule   `json:"exclude_constraints,omitempty"`
	Require            Utilities          `json:"require"`
}

// ConstraintRule excludes candidates with a constraint of the kind and severity (either may be
// left out to match any) covering more than MinShare of the candidate.
type ConstraintRule struct {
	Kind     string  `json:"kind,omitempty"`
	Severity string  `json:"severity,omitempty"`
	MinShare float64 `json:"min_share,omitempty"`
}

// Utilities are utilities a search requires or prefers. In JSON each flag is a member of its
// own: {"rail_siding": true, "operation_24h": true, "min_power_mw": 10}.
type Utilities struct {
	// Flags are the yes/no qualities of the field registry asked for (rail siding, hydrogen,
	// 24-hour operation, ...).
	Flags            FlagSet
	MinPowerMW       float64
	MinBroadbandMbps int
	// Serviced is the least serviced state: "full" or "partial"; "" for any.
	Serviced string
}

// DistanceKinds are the infrastructure kinds each parcel knows its distance to.
var DistanceKinds = []string{"motorway_junction", "rail_freight_terminal", "airport", "inland_port"}

// Criterion names a scored criterion; Weights are keyed by them.
type Criterion struct {
	Name  string `json:"name"`
	Label Text   `json:"label"`
}

// ScoredCriteria lists the scored criteria.
func ScoredCriteria() []Criterion {
	return []Criterion{
		{"area", Text{"Flächenpassung", "area fit"}},
		{"planning_status", Text{"Planungsrecht", "planning status"}},
		{"availability", Text{"Verfügbarkeit", "availability"}},
		{"motorway_junction", Text{"Autobahnanschluss", "motorway junction"}},
		{"rail_freight_terminal", Text{"Güterterminal", "rail freight terminal"}},
		{"airport", Text{"Flughafen", "airport"}},
		{"inland_port", Text{"Binnenhafen", "inland port"}},
		{"utilities", Text{"Erschließung", "utilities"}},
		{"constraints", Text{"Restriktionen", "constraints"}},
	}
}

// Candidate is what the search knows of a parcel on offer, or of a merged site (Members set).
type Candidate struct {
	ParcelID       int64      `json:"id,omitempty"`
	Members        []int64    `json:"member_ids,omitempty"`
	Name           string     `json:"name"`
	Districts      []string   `json:"district_ags"`
	DistrictNames  []string   `json:"district_names"`
	Lands          []string   `json:"lands"`
	UseType        string     `json:"use_type,omitempty"`
	PlanningStatus string     `json:"planning_status"`
	Availability   string     `json:"availability"`
	AvailableFrom  *time.Time `json:"available_from,omitempty"`
	NetHa          float64    `json:"net_area_ha"`
	GrossHa        float64    `json:"gross_area_ha"`
	// Distances are the metres to the nearest infrastructure of each kind.
	Distances Distances `json:"distance_m"`
	// NearestMotorway names the nearest motorway junction, for the explanation.
	NearestMotorway string   `json:"nearest_motorway_junction,omitempty"`
	PowerMW         *float64 `json:"power_mw,omitempty"`
	BroadbandMbps   *int     `json:"broadband_mbps,omitempty"`
	// Flags are the yes/no qualities of the field registry the parcel has.
	Flags       FlagSet           `json:"flags"`
	Serviced    string            `json:"serviced"`
	Constraints []ConstraintShare `json:"constraints"`
	// Geometry is a merged site's area as WGS84 GeoJSON, for the page of results.
	Geometry json.RawMessage `json:"geometry,omitempty"`
	// nearestMember is the member of a merged site nearest to a motorway junction.
	nearestMember int64
}

// NearestMotorwayMember returns the member of a merged site nearest to a motorway junction, whose
// junction the site's explanation names.
func (c Candidate) NearestMotorwayMember() int64 { return c.nearestMember }

// Distances are a candidate's distances in metres to the nearest infrastructure of each of
// DistanceKinds, where one is known; the zero value knows none. In JSON they are an object by kind.
type Distances struct {
	m     [4]float64
	known [4]bool
}

// Get returns the distance to a kind and whether it is known.
func (d Distances) Get(kind string) (float64, bool) {
	i := slices.Index(DistanceKinds, kind)
	if i < 0 {
		return 0, false
	}
	return d.m[i], d.known[i]
}

// Set records the distance to a kind of DistanceKinds.
func (d *Distances) Set(kind string, m float64) {
	if i := slices.Index(DistanceKinds, kind); i >= 0 {
		d.m[i], d.known[i] = m, true
	}
}

// MarshalJSON writes the known distances by kind.
func (d Distances) MarshalJSON() ([]byte, error) {
	out := map[string]float64{}
	for i, kind := range DistanceKinds {
		if d.known[i] {
			out[kind] = Round(d.m[i], 2)
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads distances by kind, as a stored study run holds them.
func (d *Distances) UnmarshalJSON(b []byte) error {
	var in map[string]float64
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*d = Distances{}
	for kind, m := range in {
		d.Set(kind, m)
	}
	return nil
}

// ConstraintShare is the part of a candidate in constraint areas of one kind and severity.
type ConstraintShare struct {
	Kind     string  `json:"kind"`
	Severity string  `json:"severity"`
	Share    float64 `json:"share"`
}

// key orders candidates that score the same: larger first, then by id.
func (c Candidate) key() int64 {
	if c.ParcelID != 0 {
		return c.ParcelID
	}
	return slices.Min(c.Members)
}

// Reason is why a candidate was excluded, by code and in words.
type Reason struct {
	Code string `json:"code"`
	Text
}

// CriterionScore is a candidate's score on one criterion, 0..1, and the criterion's weight.
type CriterionScore struct {
	Criterion string  `json:"criterion"`
	Weight    float64 `json:"weight"`
	Score     float64 `json:"score"`
}

// Outcome is the judgement of a candidate: ranked with its scores, or excluded with its reasons.
type Outcome struct {
	Candidate
	Rank        int              `json:"rank,omitempty"`
	Total       float64          `json:"score,omitempty"`
	Scores      []CriterionScore `json:"scores,omitempty"`
	Reasons     []Reason         `json:"reasons,omitempty"`
	Explanation Text             `json:"explanation"`
}

// Check says what is wrong with a search, naming the field and what it allows.
func (s Search) Check() error {
	c := s.Criteria
	if c.MinNetHa < 0 || c.MaxNetHa < 0 || (c.MaxNetHa > 0 && c.MinNetHa > c.MaxNetHa) {
		return apperr.New(apperr.Invalid, "criteria.min_net_ha/max_net_ha: give 0 ≤ min ≤ max (0 means no limit)")
	}
	for field, list := range map[string]struct {
		values []string
		codes  parcel.CodeList
	}{
		"criteria.use_types":         {c.UseTypes, parcel.UseTypes()},
		"criteria.planning_statuses": {c.PlanningStatuses, parcel.PlanningStatuses()},
		"criteria.availabilities":    {c.Availabilities, parcel.Availabilities()},
	} {
		for _, v := range list.values {
			if !list.codes.Has(v) {
				return apperr.New(apperr.Invalid, "%s: %q is not a code: use %s", field, v, strings.Join(list.codes.Values(), ", "))
			}
		}
	}
	for kind, km := range c.MaxDistanceKm {
		if !slices.Contains(DistanceKinds, kind) {
			return apperr.New(apperr.Invalid, "criteria.max_distance_km: %q has no distances: use %s", kind, strings.Join(DistanceKinds, ", "))
		}
		if km <= 0 {
			return apperr.New(apperr.Invalid, "criteria.max_distance_km.%s: give a distance above 0 km", kind)
		}
	}
	for _, r := range c.ExcludeConstraints {
		if r.Kind == "" && r.Severity == "" {
			return apperr.New(apperr.Invalid, "criteria.exclude_constraints: each rule needs a kind, a severity or both")
		}
		if r.Kind != "" && !parcel.ConstraintKinds().Has(r.Kind) {
			return apperr.New(apperr.Invalid, "criteria.exclude_constraints: %q is not a constraint kind: use %s", r.Kind, strings.Join(parcel.ConstraintKinds().Values(), ", "))
		}
		if r.Severity != "" && !parcel.Severities().Has(r.Severity) {
			return apperr.New(apperr.Invalid, "criteria.exclude_constraints: severity %q: use minor or severe", r.Severity)
		}
		if r.MinShare < 0 || r.MinShare >= 1 {
			return apperr.New(apperr.Invalid, "criteria.exclude_constraints: min_share lies in [0, 1)")
		}
	}
	for field, u := range map[string]Utilities{"criteria.require": c.Require, "prefer": s.Prefer} {
		if u.MinPowerMW < 0 || u.MinBroadbandMbps < 0 {
			return apperr.New(apperr.Invalid, "%s: min_power_mw and min_broadband_mbps must not be negative", field)
		}
		if u.Serviced != "" && u.Serviced != "full" && u.Serviced != "partial" {
			return apperr.New(apperr.Invalid, "%s.serviced: use full or partial", field)
		}
	}
	if s.TargetNetHa < 0 {
		return apperr.New(apperr.Invalid, "target_net_ha: must not be negative")
	}
	total := 0.0
	for name, w := range s.Weights {
		if !slices.ContainsFunc(ScoredCriteria(), func(c Criterion) bool { return c.Name == name }) {
			var names []string
			for _, c := range ScoredCriteria() {
				names = append(names, c.Name)
			}
			return apperr.New(apperr.Invalid, "weights: %q is not a criterion: use %s", name, strings.Join(names, ", "))
		}
		if w < 0 || w > 100 {
			return apperr.New(apperr.Invalid, "weights.%s: give a weight from 0 to 100", name)
		}
		total += w
	}
	if total == 0 {
		return apperr.New(apperr.Invalid, "weights: at least one weight must be above 0")
	}
	if s.SiteDistanceM <= 0 || s.SiteDistanceM > 500 {
		return apperr.New(apperr.Invalid, "site_distance_m: give a distance above 0 and up to 500 m")
	}
	return nil
}

// Rank judges every candidate: the excluded ones with the codes of their reasons (in candidate
// order), the others scored and ranked, best first. Explain puts a page of them into words.
func (s Search) Rank(cands []Candidate, asOf time.Time) (ranked, excluded []Outcome) {
	for _, c := range cands {
		if reasons := s.exclusions(c, asOf, true, false); len(reasons) > 0 {
			excluded = append(excluded, Outcome{Candidate: c, Reasons: reasons})
			continue
		}
		ranked = append(ranked, s.scored(c, s.scores(c, asOf)))
	}
	s.order(ranked)
	return ranked, excluded
}

// SiteMembers returns the candidates that may be merged into a large site, from an outcome of
// Rank: those that pass every hard criterion except the area, which a merged site is judged by
// as a whole.
func SiteMembers(ranked, excluded []Outcome) []Candidate {
	var out []Candidate
	for _, o := range ranked {
		out = append(out, o.Candidate)
	}
	for _, o := range excluded {
		if !slices.ContainsFunc(o.Reasons, func(r Reason) bool { return r.Code != "net_area_below_min" && r.Code != "net_area_above_max" }) {
			out = append(out, o.Candidate)
		}
	}
	return out
}

// RankSites ranks merged sites, each given as its member candidates (at least two). A site is
// kept when its total net area meets the area criteria. Its area fit is that of its total; its
// distances those of its nearest member; its other scores the net-area-weighted mean of its
// members', so a site half of which has building rights scores half on planning status.
func (s Search) RankSites(groups [][]Candidate, asOf time.Time) []Outcome {
	var ranked []Outcome
	for _, members := range groups {
		if len(members) < 2 {
			continue
		}
		site := MergeSite(members)
		var area reasons
		if s.areaExclusions(site, &area); len(area.list) > 0 {
			continue
		}
		scores := s.scores(site, asOf)
		for i, cs := range scores {
			if cs.Criterion == "area" || slices.Contains(DistanceKinds, cs.Criterion) {
				continue
			}
			sum := 0.0
			for _, m := range members {
				sum += m.NetHa * score(s, m, asOf, cs.Criterion)
			}
			scores[i].Score = Round(sum/site.NetHa, 4)
		}
		ranked = append(ranked, s.scored(site, scores))
	}
	s.order(ranked)
	return ranked
}

func (s Search) scored(c Candidate, scores []CriterionScore) Outcome {
	var sum, weights float64
	for _, cs := range scores {
		sum += cs.Weight * cs.Score
		weights += cs.Weight
	}
	return Outcome{Candidate: c, Scores: scores, Total: Round(sum/weights, 4)}
}

func (s Search) order(ranked []Outcome) {
	slices.SortFunc(ranked, func(a, b Outcome) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(b.NetHa, a.NetHa), cmp.Compare(a.key(), b.key()))
	})
	for i := range ranked {
		ranked[i].Rank = i + 1
	}
}

// Explain puts into words why a candidate ranks where it does among of ranked ones, or why it was
// excluded, with the sentence of every reason. It is meant for a page of outcomes: the nearest
// motorway junction is named once the caller has set it.
func (s Search) Explain(o *Outcome, of int, asOf time.Time) {
	if len(o.Reasons) > 0 {
		o.Reasons = s.exclusions(o.Candidate, asOf, true, true)
		o.Explanation = explainExcluded(*o)
		return
	}
	o.Explanation = explainRanked(*o, of)
}

// Page is one page of ranked or excluded outcomes.
type Page struct {
	Total  int       `json:"total"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
	Items  []Outcome `json:"items"`
	// ByReason counts the excluded candidates by reason code (one candidate may have several).
	ByReason map[string]int `json:"by_reason,omitempty"`
}

// NewPage cuts a page from outcomes.
func NewPage(all []Outcome, limit, offset int) Page {
	p := Page{Total: len(all), Limit: limit, Offset: offset, Items: []Outcome{}}
	if offset < len(all) {
		p.Items = all[offset:min(len(all), offset+limit)]
	}
	return p
}

// SearchResult is the answer of a site search.
type SearchResult struct {
	Search     Search    `json:"search"`
	AsOf       time.Time `json:"as_of"`
	Parcels    Page      `json:"parcels"`
	LargeSites *Page     `json:"large_sites,omitempty"`
	Excluded   Page      `json:"excluded"`
}

// MergeSite describes a merged site by its members: total areas, all districts, the best planning
// status, the latest availability (the site is whole only when its last part is), the nearest
// member's distances, the utilities any member has, and constraint shares weighted by area.
func MergeSite(members []Candidate) Candidate {
	site := Candidate{PlanningStatus: "none", Availability: "now", Serviced: "none"}
	planning, avail := parcel.PlanningStatuses().Values(), parcel.Availabilities().Values()
	serviced := parcel.ServicedStates().Values()
	shares := map[[2]string]float64{}
	for _, m := range members {
		site.Members = append(site.Members, m.memberIDs()...)
		site.NetHa += m.NetHa
		site.GrossHa += m.GrossHa
		for i, d := range m.Districts {
			if !slices.Contains(site.Districts, d) {
				site.Districts = append(site.Districts, d)
				site.DistrictNames = append(site.DistrictNames, m.DistrictNames[i])
			}
		}
		for _, l := range m.Lands {
			if !slices.Contains(site.Lands, l) {
				site.Lands = append(site.Lands, l)
			}
		}
		if slices.Index(planning, m.PlanningStatus) < slices.Index(planning, site.PlanningStatus) {
			site.PlanningStatus = m.PlanningStatus
		}
		if slices.Index(avail, m.Availability) > slices.Index(avail, site.Availability) {
			site.Availability = m.Availability
		}
		if m.AvailableFrom != nil && (site.AvailableFrom == nil || m.AvailableFrom.After(*site.AvailableFrom)) {
			site.AvailableFrom = m.AvailableFrom
		}
		for _, kind := range DistanceKinds {
			d, ok := m.Distances.Get(kind)
			if cur, known := site.Distances.Get(kind); ok && (!known || d < cur) {
				site.Distances.Set(kind, d)
				if kind == "motorway_junction" {
					site.NearestMotorway, site.nearestMember = m.NearestMotorway, m.ParcelID
				}
			}
		}
		site.Flags |= m.Flags
		if m.PowerMW != nil && (site.PowerMW == nil || *m.PowerMW > *site.PowerMW) {
			site.PowerMW = m.PowerMW
		}
		if m.BroadbandMbps != nil && (site.BroadbandMbps == nil || *m.BroadbandMbps > *site.BroadbandMbps) {
			site.BroadbandMbps = m.BroadbandMbps
		}
		if slices.Index(serviced, m.Serviced) >= 0 && slices.Index(serviced, m.Serviced) < slices.Index(serviced, site.Serviced) {
			site.Serviced = m.Serviced
		}
		for _, c := range m.Constraints {
			shares[[2]string{c.Kind, c.Severity}] += c.Share * m.GrossHa
		}
	}
	for k, a := range shares {
		site.Constraints = append(site.Constraints, ConstraintShare{Kind: k[0], Severity: k[1], Share: Round(a/site.GrossHa, 4)})
	}
	slices.SortFunc(site.Constraints, func(a, b ConstraintShare) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Severity, b.Severity))
	})
	slices.Sort(site.Members)
	slices.Sort(site.Lands)
	names := map[string]string{}
	for i, d := range site.Districts {
		names[d] = site.DistrictNames[i]
	}
	slices.Sort(site.Districts)
	for i, d := range site.Districts {
		site.DistrictNames[i] = names[d]
	}
	site.Name = fmt.Sprintf("Großstandort aus %d Flächen", len(site.Members))
	return site
}

func (c Candidate) memberIDs() []int64 {
	if c.ParcelID != 0 {
		return []int64{c.ParcelID}
	}
	return c.Members
}
