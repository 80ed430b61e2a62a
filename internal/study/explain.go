package study

import (
	"fmt"
	"slices"
	"strings"
)

// explainRanked says in words where a candidate ranks and why: what it is, where it lies, what it
// has, and its strongest and weakest criterion.
//
//	Rang 3 von 12: 12,4 ha GI, B-Plan rechtskräftig (§ 30 BauGB), sofort verfügbar, 4,0 km zur
//	AS Halle (A9); Gleisanschluss, 20 MW; keine Restriktionen. Punktzahl 0,87; am stärksten:
//	Planungsrecht (1,00), am schwächsten: Flächenpassung (0,40).
func explainRanked(o Outcome, of int) Text {
	var de, en strings.Builder
	fmt.Fprintf(&de, "Rang %d von %d: ", o.Rank, of)
	fmt.Fprintf(&en, "Rank %d of %d: ", o.Rank, of)
	planning := codeLabel("planning_status", o.PlanningStatus)
	planning.EN = lowerFirst(planning.EN)
	if len(o.Members) > 0 {
		names := strings.Join(o.DistrictNames, ", ")
		where := Text{DE: "im Kreis " + names, EN: "in " + names}
		switch {
		case len(o.Lands) > 1:
			where = Text{DE: "über die Landesgrenze " + strings.Join(o.Lands, "/") + " (" + names + ")",
				EN: "across the border of " + strings.Join(o.Lands, "/") + " (" + names + ")"}
		case len(o.Districts) > 1:
			where = Text{DE: "über die Kreisgrenze (" + names + ")", EN: "across district borders (" + names + ")"}
		}
		fmt.Fprintf(&de, "Großstandort aus %d Flächen mit %s netto %s, bestes Planungsrecht %s",
			len(o.Members), FormatHa(o.NetHa, "de"), where.DE, planning.DE)
		fmt.Fprintf(&en, "large site of %d parcels with %s net %s, best planning status %s",
			len(o.Members), FormatHa(o.NetHa, "en"), where.EN, planning.EN)
	} else {
		fmt.Fprintf(&de, "%s %s, %s", FormatHa(o.NetHa, "de"), o.UseType, planning.DE)
		fmt.Fprintf(&en, "%s %s, %s", FormatHa(o.NetHa, "en"), o.UseType, planning.EN)
	}
	avail := availabilityPhrase(o.Availability)
	fmt.Fprintf(&de, ", %s", avail.DE)
	fmt.Fprintf(&en, ", %s", avail.EN)
	if d, ok := o.Distances.Get("motorway_junction"); ok {
		to := Text{DE: "zur nächsten Autobahnanschlussstelle", EN: "to the nearest motorway junction"}
		if o.NearestMotorway != "" {
			to = Text{DE: "zur " + o.NearestMotorway, EN: "to " + o.NearestMotorway}
		}
		fmt.Fprintf(&de, ", %s km %s", FormatNumber(d/1000, 1, "de"), to.DE)
		fmt.Fprintf(&en, ", %s km %s", FormatNumber(d/1000, 1, "en"), to.EN)
	}
	if has := o.hasUtilities(); len(has) > 0 {
		de.WriteString("; " + joinText(has, "de"))
		en.WriteString("; " + joinText(has, "en"))
	}
	if len(o.Constraints) == 0 {
		de.WriteString("; keine Restriktionen")
		en.WriteString("; no constraints")
	} else {
		var cs []Text
		for _, c := range o.Constraints {
			cs = append(cs, constraintText(c))
		}
		de.WriteString("; " + joinText(cs, "de"))
		en.WriteString("; " + joinText(cs, "en"))
	}
	fmt.Fprintf(&de, ". Punktzahl %s", FormatNumber(o.Total, 2, "de"))
	fmt.Fprintf(&en, ". Score %s", FormatNumber(o.Total, 2, "en"))
	if best, worst, ok := extremes(o.Scores); ok {
		bl, wl := criterionLabel(best.Criterion), criterionLabel(worst.Criterion)
		fmt.Fprintf(&de, "; am stärksten: %s (%s), am schwächsten: %s (%s)", bl.DE, FormatNumber(best.Score, 2, "de"), wl.DE, FormatNumber(worst.Score, 2, "de"))
		fmt.Fprintf(&en, "; strongest: %s (%s), weakest: %s (%s)", bl.EN, FormatNumber(best.Score, 2, "en"), wl.EN, FormatNumber(worst.Score, 2, "en"))
	}
	de.WriteString(".")
	en.WriteString(".")
	return Text{DE: de.String(), EN: en.String()}
}

// explainExcluded says why a candidate was excluded: every failed criterion.
func explainExcluded(o Outcome) Text {
	var reasons []Text
	for _, r := range o.Reasons {
		reasons = append(reasons, r.Text)
	}
	return Text{
		DE: fmt.Sprintf("Ausgeschlossen (%s %s): %s.", FormatHa(o.NetHa, "de"), o.UseType, strings.Join(texts(reasons, "de"), "; ")),
		EN: fmt.Sprintf("Excluded (%s %s): %s.", FormatHa(o.NetHa, "en"), o.UseType, strings.Join(texts(reasons, "en"), "; ")),
	}
}

// extremes returns the highest and the lowest scored criterion, when there are two to compare.
func extremes(scores []CriterionScore) (best, worst CriterionScore, ok bool) {
	if len(scores) < 2 {
		return best, worst, false
	}
	best, worst = scores[0], scores[0]
	for _, s := range scores[1:] {
		if s.Score > best.Score {
			best = s
		}
		if s.Score < worst.Score {
			worst = s
		}
	}
	return best, worst, best.Score != worst.Score
}

func criterionLabel(name string) Text {
	i := slices.IndexFunc(ScoredCriteria(), func(c Criterion) bool { return c.Name == name })
	return ScoredCriteria()[i].Label
}

func availabilityPhrase(a string) Text {
	if a == "now" {
		return Text{DE: "sofort verfügbar", EN: "available now"}
	}
	l := codeLabel("availability", a)
	return Text{DE: "verfügbar " + l.DE, EN: "available " + l.EN}
}

// hasUtilities lists the notable utilities a candidate has.
func (c Candidate) hasUtilities() []Text {
	var out []Text
	for _, u := range utilities {
		if u.name != "water" && u.name != "waste_water" && u.have(c) {
			out = append(out, u.label)
		}
	}
	if c.PowerMW != nil && *c.PowerMW > 0 {
		out = append(out, Text{DE: FormatNumber(*c.PowerMW, 0, "de") + " MW", EN: FormatNumber(*c.PowerMW, 0, "en") + " MW"})
	}
	return out
}

func texts(ts []Text, lang string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.DE
		if lang == "en" {
			out[i] = t.EN
		}
	}
	return out
}

func joinText(ts []Text, lang string) string { return strings.Join(texts(ts, lang), ", ") }

// lowerFirst lowers the first letter of an English label used inside a sentence.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
