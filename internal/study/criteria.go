package study

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"landatlas/internal/parcel"
)

// reasons collects why a candidate was excluded. Rendering the sentences costs more than judging,
// so they are written only when asked for (for a page of results), not for every candidate.
type reasons struct {
	list  []Reason
	texts bool
}

// add records a reason and reports whether its sentence is wanted (then given to text).
func (r *reasons) add(code string) bool {
	r.list = append(r.list, Reason{Code: code})
	return r.texts
}

// text sets the sentence of the reason added last.
func (r *reasons) text(t Text) { r.list[len(r.list)-1].Text = t }

// exclusions lists why a candidate fails the hard criteria; withArea false leaves out the area
// range, for parcels that may still merge into a large site; texts adds the sentences.
func (s Search) exclusions(c Candidate, asOf time.Time, withArea, texts bool) []Reason {
	out := reasons{texts: texts}
	cr := s.Criteria
	if withArea {
		s.areaExclusions(c, &out)
	}
	if len(cr.UseTypes) > 0 && !slices.Contains(cr.UseTypes, c.UseType) {
		if out.add("use_type") {
			out.text(Text{
				DE: fmt.Sprintf("Nutzungsart %s nicht gesucht (gesucht: %s)", c.UseType, strings.Join(cr.UseTypes, ", ")),
				EN: fmt.Sprintf("use type %s not wanted (wanted: %s)", c.UseType, strings.Join(cr.UseTypes, ", ")),
			})
		}
	}
	if len(cr.PlanningStatuses) > 0 && !slices.Contains(cr.PlanningStatuses, c.PlanningStatus) {
		if out.add("planning_status") {
			l := codeLabel("planning_status", c.PlanningStatus)
			out.text(Text{DE: fmt.Sprintf("Planungsrecht „%s“ nicht gesucht", l.DE), EN: fmt.Sprintf("planning status “%s” not wanted", l.EN)})
		}
	}
	if len(cr.Availabilities) > 0 && !slices.Contains(cr.Availabilities, c.Availability) {
		if out.add("availability") {
			l := codeLabel("availability", c.Availability)
			out.text(Text{DE: fmt.Sprintf("Verfügbarkeit „%s“ nicht gesucht", l.DE), EN: fmt.Sprintf("availability “%s” not wanted", l.EN)})
		}
	}
	if cr.AvailableBy != nil {
		by := cr.AvailableBy.Time
		if at, ok := availableDate(c, asOf); !ok {
			if out.add("available_by") {
				l := codeLabel("availability", c.Availability)
				out.text(Text{
					DE: fmt.Sprintf("nicht absehbar verfügbar (%s, ohne Datum), gesucht bis %s", l.DE, by.Format("02.01.2006")),
					EN: fmt.Sprintf("no foreseeable availability (%s, no date), wanted by %s", l.EN, by.Format(time.DateOnly)),
				})
			}
		} else if at.After(by.AddDate(0, 0, 1).Add(-time.Nanosecond)) {
			if out.add("available_by") {
				out.text(Text{
					DE: fmt.Sprintf("erst ab %s verfügbar, gesucht bis %s", at.In(Berlin).Format("02.01.2006"), by.Format("02.01.2006")),
					EN: fmt.Sprintf("available only from %s, wanted by %s", at.In(Berlin).Format(time.DateOnly), by.Format(time.DateOnly)),
				})
			}
		}
	}
	for _, kind := range DistanceKinds {
		maxKm, ok := cr.MaxDistanceKm[kind]
		if !ok {
			continue
		}
		d, known := c.Distances.Get(kind)
		l := func() Text { return codeLabel("infrastructure_kind", kind) }
		switch {
		case !known:
			if out.add("distance_" + kind) {
				out.text(Text{
					DE: fmt.Sprintf("keine Entfernung zu %s bekannt, höchstens %s km gesucht", l().DE, FormatNumber(maxKm, 1, "de")),
					EN: fmt.Sprintf("no distance to %s known, at most %s km wanted", strings.ToLower(l().EN), FormatNumber(maxKm, 1, "en")),
				})
			}
		case d > maxKm*1000:
			if out.add("distance_" + kind) {
				out.text(Text{
					DE: fmt.Sprintf("%s km zu %s, höchstens %s km gesucht", FormatNumber(d/1000, 1, "de"), l().DE, FormatNumber(maxKm, 1, "de")),
					EN: fmt.Sprintf("%s km to %s, at most %s km wanted", FormatNumber(d/1000, 1, "en"), strings.ToLower(l().EN), FormatNumber(maxKm, 1, "en")),
				})
			}
		}
	}
	for _, cs := range c.Constraints {
		if slices.ContainsFunc(cr.ExcludeConstraints, func(r ConstraintRule) bool { return r.matches(cs) }) {
			if out.add("constraint") {
				out.text(constraintText(cs))
			}
		}
	}
	missingUtilities(c, cr.Require, &out)
	return out.list
}

func (s Search) areaExclusions(c Candidate, out *reasons) {
	cr := s.Criteria
	switch {
	case cr.MinNetHa > 0 && c.NetHa < cr.MinNetHa:
		if out.add("net_area_below_min") {
			out.text(Text{
				DE: fmt.Sprintf("Nettofläche %s unter dem Minimum von %s", FormatHa(c.NetHa, "de"), FormatHa(cr.MinNetHa, "de")),
				EN: fmt.Sprintf("net area %s below the minimum of %s", FormatHa(c.NetHa, "en"), FormatHa(cr.MinNetHa, "en")),
			})
		}
	case cr.MaxNetHa > 0 && c.NetHa > cr.MaxNetHa:
		if out.add("net_area_above_max") {
			out.text(Text{
				DE: fmt.Sprintf("Nettofläche %s über dem Maximum von %s", FormatHa(c.NetHa, "de"), FormatHa(cr.MaxNetHa, "de")),
				EN: fmt.Sprintf("net area %s above the maximum of %s", FormatHa(c.NetHa, "en"), FormatHa(cr.MaxNetHa, "en")),
			})
		}
	}
}

func (r ConstraintRule) matches(cs ConstraintShare) bool {
	return (r.Kind == "" || r.Kind == cs.Kind) && (r.Severity == "" || r.Severity == cs.Severity) && cs.Share > r.MinShare
}

func constraintText(cs ConstraintShare) Text {
	k, sev := codeLabel("constraint_kind", cs.Kind), codeLabel("severity", cs.Severity)
	return Text{
		DE: fmt.Sprintf("zu %s %% in %s (%s)", FormatNumber(cs.Share*100, 0, "de"), k.DE, sev.DE),
		EN: fmt.Sprintf("%s %% in %s (%s)", FormatNumber(cs.Share*100, 0, "en"), strings.ToLower(k.EN), sev.EN),
	}
}

// utility is one flag a search can ask for: its name, its label in a sentence and its bit.
type utility struct {
	name  string
	label Text
	bit   FlagSet
}

func (u utility) have(c Candidate) bool { return c.Flags&u.bit != 0 }
func (u utility) in(asked FlagSet) bool { return asked&u.bit != 0 }

// utilities are the flags of the registry, made once: a search judges every candidate by them.
var utilities = func() []utility {
	out := make([]utility, len(flagFields))
	for i, f := range flagFields {
		out[i] = utility{f.Name, flagLabel(f), 1 << i}
	}
	return out
}()

func missingUtilities(c Candidate, req Utilities, out *reasons) {
	for _, u := range utilities {
		if u.in(req.Flags) && !u.have(c) {
			if out.add("utility_" + u.name) {
				out.text(Text{DE: "ohne " + u.label.DE, EN: "no " + u.label.EN})
			}
		}
	}
	if req.MinPowerMW > 0 && (c.PowerMW == nil || *c.PowerMW < req.MinPowerMW) {
		if out.add("utility_power") {
			out.text(Text{
				DE: fmt.Sprintf("Stromanschluss %s MW, mindestens %s MW gefordert", FormatNumber(deref(c.PowerMW), 1, "de"), FormatNumber(req.MinPowerMW, 1, "de")),
				EN: fmt.Sprintf("power %s MW, at least %s MW required", FormatNumber(deref(c.PowerMW), 1, "en"), FormatNumber(req.MinPowerMW, 1, "en")),
			})
		}
	}
	if req.MinBroadbandMbps > 0 && (c.BroadbandMbps == nil || *c.BroadbandMbps < req.MinBroadbandMbps) {
		if out.add("utility_broadband") {
			have := 0
			if c.BroadbandMbps != nil {
				have = *c.BroadbandMbps
			}
			out.text(Text{
				DE: fmt.Sprintf("Breitband %s Mbit/s, mindestens %s gefordert", FormatNumber(float64(have), 0, "de"), FormatNumber(float64(req.MinBroadbandMbps), 0, "de")),
				EN: fmt.Sprintf("broadband %s Mbit/s, at least %s required", FormatNumber(float64(have), 0, "en"), FormatNumber(float64(req.MinBroadbandMbps), 0, "en")),
			})
		}
	}
	if req.Serviced != "" && servicedScore(c.Serviced) < servicedScore(req.Serviced) {
		if out.add("utility_serviced") {
			have, want := codeLabel("serviced_state", c.Serviced), codeLabel("serviced_state", req.Serviced)
			out.text(Text{DE: fmt.Sprintf("%s, gefordert: %s", have.DE, want.DE), EN: fmt.Sprintf("%s, required: %s", have.EN, want.EN)})
		}
	}
}

// availableDate is when a candidate can be built on at the earliest as far as the data tell: its
// available_from date, else as_of plus the upper end of its availability class. Long-term
// candidates without a date, and unavailable ones, have none.
func availableDate(c Candidate, asOf time.Time) (time.Time, bool) {
	if c.Availability == "not_available" {
		return time.Time{}, false
	}
	if c.AvailableFrom != nil {
		return *c.AvailableFrom, true
	}
	switch c.Availability {
	case "now":
		return asOf, true
	case "short_term":
		return asOf.AddDate(2, 0, 0), true
	case "medium_term":
		return asOf.AddDate(5, 0, 0), true
	}
	return time.Time{}, false
}

// distanceReferenceKm is the distance at which a distance score reaches 0 when the search sets
// no maximum for the kind: beyond it a location has no advantage from that infrastructure.
var distanceReferenceKm = map[string]float64{
	"motorway_junction": 20, "rail_freight_terminal": 30, "airport": 60, "inland_port": 60,
}

var (
	planningScores     = map[string]float64{"in_force": 1, "built_up_area": 0.8, "in_preparation": 0.5, "land_use_plan": 0.25, "none": 0}
	availabilityScores = map[string]float64{"now": 1, "short_term": 0.75, "medium_term": 0.4, "long_term": 0.1, "not_available": 0}
)

func servicedScore(s string) float64 {
	return map[string]float64{"full": 1, "partial": 0.5}[s]
}

// scores scores a candidate on every criterion with a weight above 0, in the criteria's order.
func (s Search) scores(c Candidate, asOf time.Time) []CriterionScore {
	var out []CriterionScore
	for _, cr := range ScoredCriteria() {
		w := s.Weights[cr.Name]
		if w <= 0 {
			continue
		}
		out = append(out, CriterionScore{Criterion: cr.Name, Weight: w, Score: Round(score(s, c, asOf, cr.Name), 4)})
	}
	return out
}

// score is a candidate's score on one criterion, 0..1:
//   - area: target ÷ area or area ÷ target, whichever is at most 1 (1 without a target);
//   - planning status and availability: fixed steps (planningScores, availabilityScores);
//   - a distance: 1 at the infrastructure falling linearly to 0 at the search's maximum for the
//     kind, or distanceReferenceKm without one; 0 when no distance is known;
//   - utilities: the mean over the serviced state and every required or preferred utility (power
//     and broadband in proportion to what is asked);
//   - constraints: 1 − (largest severe share + ½ × largest minor share), at least 0.
func score(s Search, c Candidate, asOf time.Time, criterion string) float64 {
	switch criterion {
	case "area":
		t := s.target()
		if t == 0 || c.NetHa <= 0 {
			return 1
		}
		return math.Min(c.NetHa, t) / math.Max(c.NetHa, t)
	case "planning_status":
		return planningScores[c.PlanningStatus]
	case "availability":
		return availabilityScores[c.Availability]
	case "utilities":
		return s.utilitiesScore(c)
	case "constraints":
		var severe, minor float64
		for _, cs := range c.Constraints {
			if cs.Severity == "severe" {
				severe = math.Max(severe, cs.Share)
			} else {
				minor = math.Max(minor, cs.Share)
			}
		}
		return math.Max(0, 1-severe-minor/2)
	}
	d, ok := c.Distances.Get(criterion)
	if !ok {
		return 0
	}
	ref := distanceReferenceKm[criterion]
	if m, ok := s.Criteria.MaxDistanceKm[criterion]; ok {
		ref = m
	}
	return math.Max(0, 1-d/(ref*1000))
}

// target is the area the area-fit score peaks at.
func (s Search) target() float64 {
	switch cr := s.Criteria; {
	case s.TargetNetHa > 0:
		return s.TargetNetHa
	case cr.MinNetHa > 0 && cr.MaxNetHa > 0:
		return (cr.MinNetHa + cr.MaxNetHa) / 2
	}
	return 0
}

func (s Search) utilitiesScore(c Candidate) float64 {
	sum, n := servicedScore(c.Serviced), 1.0
	req, pref := s.Criteria.Require, s.Prefer
	for _, u := range utilities {
		if u.in(req.Flags | pref.Flags) {
			n++
			if u.have(c) {
				sum++
			}
		}
	}
	if p := math.Max(req.MinPowerMW, pref.MinPowerMW); p > 0 {
		n++
		sum += math.Min(1, deref(c.PowerMW)/p)
	}
	if b := max(req.MinBroadbandMbps, pref.MinBroadbandMbps); b > 0 {
		n++
		if c.BroadbandMbps != nil {
			sum += math.Min(1, float64(*c.BroadbandMbps)/float64(b))
		}
	}
	return sum / n
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// labels holds every code list's labels by list name and value, built once: the search labels
// many candidates.
var labels = func() map[string]map[string]Text {
	out := map[string]map[string]Text{}
	for _, l := range parcel.CodeLists() {
		out[l.Name] = map[string]Text{}
		for _, c := range l.Codes {
			out[l.Name][c.Value] = Text{DE: c.DE, EN: c.EN}
		}
	}
	return out
}()

// codeLabel is the label of a value of the named code list, or the value itself.
func codeLabel(list, v string) Text {
	if t, ok := labels[list][v]; ok {
		return t
	}
	return Text{DE: v, EN: v}
}
