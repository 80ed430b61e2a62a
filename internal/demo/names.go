package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/paulmach/orb"
)

// syntheticMark ends every public description, so no reader takes the data for real.
const syntheticMark = "(synthetische Demodaten)"

// shortName is a municipality's name as used in site names: "Halle (Saale)" → "Halle",
// "Zerbst/Anhalt" → "Zerbst".
func shortName(name string) string {
	if i := strings.IndexAny(name, "(/"); i > 0 {
		name = name[:i]
	}
	return strings.TrimSpace(name)
}

// compass names the direction from a municipality's middle to p, or "" near the middle.
func compass(from, p orb.Point, near float64) string {
	dx, dy := p[0]-from[0], p[1]-from[1]
	if math.Hypot(dx, dy) < near {
		return ""
	}
	dirs := []string{"Ost", "Nordost", "Nord", "Nordwest", "West", "Südwest", "Süd", "Südost"}
	a := math.Atan2(dy, dx)
	k := int(math.Round(a/(math.Pi/4))+8) % 8
	return dirs[k]
}

// nameSite gives a site a name like "Gewerbegebiet Zörbig Nord", "Industriepark Leuna",
// "GVZ Leipzig-Nordost" or "Gewerbepark Brehna an der A9", unique in the data set, and a public
// description that says it is synthetic.
func (g *generator) nameSite(rng *rand.Rand, s *Site, meta *siteMeta, pr profile) {
	muni := g.ix.munis[meta.muni]
	place := shortName(muni.Name)
	dir := compass(muni.bound.Center(), meta.centre, 1500)
	city := muni.AGS == "14713000" || muni.AGS == "15002000"
	where := place
	switch {
	case dir != "" && city:
		where = place + "-" + dir
	case dir != "":
		where = place + " " + dir
	}
	var name string
	switch {
	case meta.kind == kindReserve:
		name = oneOf(rng, "Großansiedlungsfläche ", "Vorsorgestandort ") + where
	case meta.kind == kindSmall && pr.use == "SO" && pr.energy:
		name = "Energiestandort " + where
	case meta.kind == kindSmall && pr.use == "SO":
		name = "Logistikstandort " + where
	case meta.kind == kindSmall && (pr.use == "GI" || pr.use == "GIe"):
		name = "Industriestandort " + where
	case meta.kind == kindSmall:
		name = oneOf(rng, "Gewerbestandort ", "Gewerbehof ", "Handwerkerhof ") + where
	case pr.use == "SO" && pr.energy:
		name = "Energiepark " + where
	case pr.use == "SO":
		name = oneOf(rng, "GVZ ", "Logistikpark ") + where
		if meta.motorway != "" && chance(rng, 0.5) {
			name = "Logistikzentrum " + place + " an der " + meta.motorway
		}
	case (pr.use == "GI" || pr.use == "GIe") && pr.brownfield:
		name = oneOf(rng, "Industriepark ", "Industrie- und Chemiestandort ") + where
	case pr.use == "GI" || pr.use == "GIe":
		name = oneOf(rng, "Industriegebiet ", "Industriepark ") + where
	case meta.motorway != "" && chance(rng, 0.6):
		name = "Gewerbepark " + place + " an der " + meta.motorway
	default:
		name = oneOf(rng, "Gewerbegebiet ", "Gewerbegebiet ", "Gewerbepark ") + where
	}
	if n := g.names[name]; n > 0 {
		g.names[name]++
		name = fmt.Sprintf("%s %s", name, roman(n+1))
	} else {
		g.names[name] = 1
	}
	s.Name = name
	kind := "Gewerbe- und Industriestandort"
	if meta.kind == kindReserve {
		kind = "Vorsorgestandort für Großansiedlungen (Jokerfläche)"
	}
	s.Description = fmt.Sprintf("Synthetischer %s in %s, %s ha brutto, %s, %s. %s",
		kind, muni.Name, germanNumber(meta.areaHa, 1), useLabel(pr.use, pr.energy), planningLabel(pr.planning), syntheticMark)
}

// roman numbers repeats of a name: II, III, IV, …
func roman(n int) string {
	if n >= 40 {
		return fmt.Sprint(n)
	}
	var b strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= r.v; n -= r.v {
			b.WriteString(r.s)
		}
	}
	return b.String()
}

func useLabel(use string, energy bool) string {
	switch use {
	case "GE":
		return "Gewerbegebiet (GE)"
	case "GI":
		return "Industriegebiet (GI)"
	case "SO":
		if energy {
			return "Sondergebiet Energie (SO)"
		}
		return "Sondergebiet Logistik (SO)"
	case "MI":
		return "Mischgebiet (MI)"
	case "GEe":
		return "eingeschränktes Gewerbegebiet (GEe)"
	default:
		return "eingeschränktes Industriegebiet (GIe)"
	}
}

func planningLabel(status string) string {
	switch status {
	case "in_force":
		return "B-Plan rechtskräftig"
	case "in_preparation":
		return "B-Plan in Aufstellung"
	case "built_up_area":
		return "Innenbereich nach § 34 BauGB"
	case "land_use_plan":
		return "im Flächennutzungsplan dargestellt"
	default:
		return "ohne Planungsrecht"
	}
}

// describe writes a parcel's public description from its state, e.g. "Voll erschlossene
// Industriefläche im GI, ca. 3,2 ha netto, Gleisanschluss möglich, nächster Autobahnanschluss AS
// Halle (A9) in 4 km. B-Plan rechtskräftig. (synthetische Demodaten)".
func describe(p *Parcel, netHa float64, junction string) string {
	var b strings.Builder
	b.Grow(256)
	switch p.Status {
	case "sold":
		b.WriteString("Vermarktet: ")
	case "reserved":
		b.WriteString("Reserviert: ")
	case "withdrawn":
		b.WriteString("Nicht mehr im Angebot: ")
	}
	kind := ""
	switch p.PotentialKind {
	case "brownfield":
		kind = "Revitalisierte Brachfläche, "
	case "conversion":
		kind = "Konversionsfläche, "
	case "infill_gap":
		kind = "Baulücke, "
	}
	b.WriteString(kind)
	serviced := "unerschlossene "
	switch p.Serviced {
	case "full":
		serviced = "voll erschlossene "
	case "partial":
		serviced = "teilerschlossene "
	}
	if kind == "" { // the adjective starts the sentence
		b.WriteString(strings.ToUpper(serviced[:1]))
		serviced = serviced[1:]
	}
	b.WriteString(serviced)
	switch p.UseType {
	case "GE":
		b.WriteString("Gewerbefläche im GE")
	case "GEe":
		b.WriteString("Gewerbefläche im eingeschränkten GE (GEe)")
	case "GI":
		b.WriteString("Industriefläche im GI")
	case "GIe":
		b.WriteString("Industriefläche im eingeschränkten GI (GIe)")
	case "SO":
		b.WriteString("Fläche im Sondergebiet (SO)")
	default:
		b.WriteString("Fläche im Mischgebiet (MI)")
	}
	b.WriteString(", ca. ")
	b.WriteString(germanNumber(netHa, 1))
	b.WriteString(" ha netto")
	if p.RailSiding {
		b.WriteString(", Gleisanschluss möglich")
	}
	if p.Hydrogen {
		b.WriteString(", Wasserstoffanschluss geplant")
	}
	if junction != "" {
		b.WriteString(", ")
		b.WriteString(junction)
	}
	b.WriteString(". ")
	label := planningLabel(p.PlanningStatus)
	b.WriteString(strings.ToUpper(label[:1]))
	b.WriteString(label[1:])
	b.WriteString(". ")
	b.WriteString(syntheticMark)
	return b.String()
}
