package upload

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// The thresholds of the geometry rules.
const (
	// RepairTolerance is the largest relative change of area ST_MakeValid may cause for a repair to
	// be accepted with a warning; a larger change means the shape is wrong, not just sloppy.
	RepairTolerance = 0.01
	// MinAreaM2 is the area below which a parcel has no area at all.
	MinAreaM2 = 1.0
	// SmallAreaM2 is the area below which a parcel is suspiciously small for industrial land.
	SmallAreaM2 = 100.0
	// LargeAreaHa is the area above which a single parcel is suspiciously large.
	LargeAreaHa = 300.0
	// MaxAreaHa is the area above which a parcel is absurd: larger than any industrial site.
	MaxAreaHa = 2000.0
	// MinInsideDistrict is the share of its area a parcel must have inside its district.
	MinInsideDistrict = 0.95
	// MinInsideMunicipality is the share of its area below which a parcel lying in two
	// municipalities gets a warning naming both (it is assigned to the one with the larger share).
	MinInsideMunicipality = 0.95
	// MinOverlapM2 and MinOverlapShare are below what an overlap is noise of digitizing or of
	// transforming coordinates, not two parcels claiming the same land.
	MinOverlapM2    = 1.0
	MinOverlapShare = 0.001
	// NeighbourOverlapShare is the share of a parcel up to which an overlap with a parcel of a
	// neighbouring district is a warning (a border digitized differently) rather than an error.
	NeighbourOverlapShare = 0.05
	// MaxVertices is the most points of one parcel's outline. A surveyed parcel has tens to a few
	// thousand; a million-point outline (a raster traced point by point) slows every query that
	// touches it, so it is refused and has to be simplified.
	MaxVertices = 100_000
)

// Shape is the geometry of a feature as decoded: polygonal or not.
type Shape struct {
	// Polygons is the polygonal geometry, or nil.
	Polygons orb.MultiPolygon
	// Closed counts rings that were not closed and were closed by repeating the first point.
	Closed int
}

// ShapeOf checks a decoded geometry: a parcel needs a Polygon or MultiPolygon (a collection of
// them counts). It returns the polygons or an issue naming what was found instead.
func ShapeOf(g orb.Geometry) (Shape, *Issue) {
	var s Shape
	var add func(orb.Geometry) string
	add = func(g orb.Geometry) string {
		switch x := g.(type) {
		case orb.Polygon:
			s.Polygons = append(s.Polygons, x)
		case orb.MultiPolygon:
			s.Polygons = append(s.Polygons, x...)
		case orb.Collection:
			for _, part := range x {
				if t := add(part); t != "" {
					return t
				}
			}
		default:
			return g.GeoJSONType()
		}
		return ""
	}
	if g == nil {
		i := issue(Error, "geometry.missing", "geometry", "Das Objekt hat keine Geometrie.", "The feature has no geometry.")
		return s, &i
	}
	if t := add(g); t != "" {
		i := issue(Error, "geometry.type", "geometry",
			fmt.Sprintf("Falscher Geometrietyp %s: eine Fläche braucht ihren Umring als Polygon oder MultiPolygon. Punkte (etwa aus x/y-Spalten) und Linien lassen sich nicht übernehmen.", t),
			fmt.Sprintf("Wrong geometry type %s: a parcel needs its outline as a Polygon or MultiPolygon. Points (from x/y columns, say) and lines cannot be imported.", t))
		return Shape{}, &i
	}
	vertices := 0
	for _, p := range s.Polygons {
		for _, r := range p {
			vertices += len(r)
		}
	}
	if vertices > MaxVertices {
		i := issue(Error, "geometry.vertices", "geometry",
			fmt.Sprintf("Der Umriss hat %d Punkte, mehr als die erlaubten %d: vereinfachen Sie ihn im GIS (etwa mit einer Toleranz von 0,1 m).", vertices, MaxVertices),
			fmt.Sprintf("The outline has %d points, more than the %d allowed: simplify it in your GIS (with a tolerance of 0.1 m, say).", vertices, MaxVertices))
		return Shape{}, &i
	}
	for _, p := range s.Polygons {
		for j := range p {
			r := p[j]
			if len(r) < 3 {
				i := issue(Error, "geometry.ring", "geometry",
					fmt.Sprintf("Ein Ring des Polygons hat nur %d Punkte; ein Umring braucht mindestens drei verschiedene.", len(r)),
					fmt.Sprintf("A ring of the polygon has only %d points; an outline needs at least three distinct ones.", len(r)))
				return Shape{}, &i
			}
			if !r.Closed() {
				p[j] = append(r, r[0])
				s.Closed++
			}
			if len(p[j]) < 4 {
				i := issue(Error, "geometry.ring", "geometry",
					"Ein Ring des Polygons hat weniger als drei verschiedene Punkte.", "A ring of the polygon has fewer than three distinct points.")
				return Shape{}, &i
			}
		}
	}
	if len(s.Polygons) == 0 {
		i := issue(Error, "geometry.missing", "geometry", "Die Geometrie des Objekts ist leer.", "The feature's geometry is empty.")
		return s, &i
	}
	return s, nil
}

// ClosedRingsIssue is the warning for rings the decoder closed.
func ClosedRingsIssue(n int) Issue {
	return issue(Warning, "geometry.ring_closed", "geometry",
		fmt.Sprintf("%d Ring(e) waren nicht geschlossen; landatlas hat sie mit dem ersten Punkt geschlossen.", n),
		fmt.Sprintf("%d ring(s) were not closed; landatlas closed them with their first point.", n))
}

// GeometryFacts is what the database measured of a feature's geometry in EPSG:25832.
type GeometryFacts struct {
	Feature    int
	ExternalID string
	Valid      bool
	Reason     string  // why the geometry as uploaded is invalid
	AreaBefore float64 // m², as uploaded (an invalid polygon's area is what its rings enclose)
	AreaAfter  float64 // m², after ST_MakeValid
	// InsideDistrict is the share of the area inside the upload's district; MostlyIn names the
	// district that holds most of it when that is another one.
	InsideDistrict float64
	MostlyIn       string
	// NetAreaHa is the net area the file gives, if any.
	NetAreaHa *float64
	// HullArea is the area of the convex hull of an invalid geometry as uploaded (m²): what its
	// outline spans when its rings cancel each other out (a bowtie encloses no area by the
	// shoelace formula).
	HullArea float64
	// Municipality and InMunicipality name the municipality holding the largest share of a parcel
	// that lies in more than one, and that share; OtherMunicipality and InOther the next one.
	// Municipality is empty when one municipality holds all of it.
	Municipality      string
	InMunicipality    float64
	OtherMunicipality string
	InOther           float64
}

// CheckGeometry applies the geometry rules to the facts of one feature of an upload for the
// district named district.
func CheckGeometry(f GeometryFacts, district string) []Issue {
	var out []Issue
	add := func(sev Severity, rule, de, en string) {
		out = append(out, issue(sev, rule, "geometry", de, en).At(f.Feature, f.ExternalID))
	}
	if !f.Valid {
		change := relativeChange(f.AreaBefore, f.AreaAfter)
		reasonDE, reasonEN := invalidReason(f.Reason)
		if change < RepairTolerance && f.AreaAfter >= MinAreaM2 {
			add(Warning, "geometry.repaired",
				fmt.Sprintf("%s: die Geometrie wurde mit ST_MakeValid repariert; die Fläche ändert sich dabei um %s.", reasonDE, percent(change, "de")),
				fmt.Sprintf("%s: the geometry was repaired with ST_MakeValid; this changes its area by %s.", reasonEN, percent(change, "en")))
		} else {
			kept := keptShare(f)
			add(Error, "geometry.invalid",
				fmt.Sprintf("%s: nach der Reparatur blieben %s der Fläche. Korrigieren Sie den Umring im GIS.", reasonDE, percent(kept, "de")),
				fmt.Sprintf("%s: after a repair %s of the area would remain. Correct the outline in the GIS.", reasonEN, percent(kept, "en")))
			return out
		}
	}
	area := f.AreaAfter
	switch {
	case area < MinAreaM2:
		add(Error, "geometry.zero_area",
			fmt.Sprintf("Die Fläche hat keine Ausdehnung (%.2f m²).", area),
			fmt.Sprintf("The parcel has no area (%.2f m²).", area))
		return out
	case area < SmallAreaM2:
		add(Warning, "geometry.small_area",
			fmt.Sprintf("Die Fläche ist mit %.0f m² sehr klein für eine Gewerbefläche. Stimmt das Koordinatenreferenzsystem?", area),
			fmt.Sprintf("At %.0f m² the parcel is very small for industrial land. Is the coordinate reference system right?", area))
	case area/1e4 > MaxAreaHa:
		add(Error, "geometry.absurd_area",
			fmt.Sprintf("Die Fläche ist mit %.0f ha größer als jeder Gewerbestandort (Grenze %.0f ha): vermutlich ein Fehler im Umring oder im Koordinatenreferenzsystem.", area/1e4, float64(MaxAreaHa)),
			fmt.Sprintf("At %.0f ha the parcel is larger than any industrial site (limit %.0f ha): probably a wrong outline or coordinate reference system.", area/1e4, float64(MaxAreaHa)))
		return out
	case area/1e4 > LargeAreaHa:
		add(Warning, "geometry.large_area",
			fmt.Sprintf("Die Fläche ist mit %.0f ha ungewöhnlich groß für eine einzelne Fläche.", area/1e4),
			fmt.Sprintf("At %.0f ha the parcel is unusually large for a single parcel.", area/1e4))
	}
	if f.InsideDistrict < MinInsideDistrict {
		where, whereEN := "", ""
		if f.MostlyIn != "" {
			where, whereEN = fmt.Sprintf(" Der größte Teil liegt in %s.", f.MostlyIn), fmt.Sprintf(" Most of it lies in %s.", f.MostlyIn)
		}
		add(Error, "geometry.outside_district",
			fmt.Sprintf("Nur %.0f %% der Fläche liegen in %s (verlangt sind %.0f %%).%s Jeder Kreis liefert nur seine eigenen Flächen.", 100*f.InsideDistrict, district, 100*MinInsideDistrict, where),
			fmt.Sprintf("Only %.0f %% of the parcel lies in %s (%.0f %% required).%s Each district delivers its own parcels only.", 100*f.InsideDistrict, district, 100*MinInsideDistrict, whereEN))
	}
	if f.Municipality != "" && f.OtherMunicipality != "" && f.InMunicipality < MinInsideMunicipality {
		add(Warning, "geometry.municipality",
			fmt.Sprintf("Die Fläche liegt zu %s in %s und zu %s in %s; sie wird %s zugeordnet. Prüfen Sie den Umring, oder teilen Sie die Fläche an der Gemeindegrenze.",
				percent(f.InMunicipality, "de"), f.Municipality, percent(f.InOther, "de"), f.OtherMunicipality, f.Municipality),
			fmt.Sprintf("The parcel lies %s in %s and %s in %s; it is assigned to %s. Check the outline, or split the parcel at the municipal border.",
				percent(f.InMunicipality, "en"), f.Municipality, percent(f.InOther, "en"), f.OtherMunicipality, f.Municipality))
	}
	if f.NetAreaHa != nil && *f.NetAreaHa > area/1e4*1.001 {
		out = append(out, issue(Error, "attribute.range", "net_area_given_ha",
			fmt.Sprintf("Die Nettofläche (%g ha) ist größer als die Fläche selbst (%.2f ha). Ist sie in m² statt ha angegeben?", *f.NetAreaHa, area/1e4),
			fmt.Sprintf("The net area (%g ha) is larger than the parcel itself (%.2f ha). Is it given in m² instead of ha?", *f.NetAreaHa, area/1e4)).At(f.Feature, f.ExternalID))
	}
	return out
}

// keptShare is the share of the area as drawn that a repair keeps, at most all of it: the area as
// uploaded when the repair shrinks it, otherwise (rings that cancel out, as in a bowtie) the area
// the outline spans.
func keptShare(f GeometryFacts) float64 {
	ref := f.AreaBefore
	if f.AreaAfter > ref {
		ref = max(f.HullArea, f.AreaAfter)
	}
	if ref <= 0 {
		return 0
	}
	return min(f.AreaAfter/ref, 1)
}

// invalidReason puts PostGIS's reason for an invalid geometry ("Self-intersection[x y]") in words.
func invalidReason(reason string) (de, en string) {
	what, where, _ := strings.Cut(reason, "[")
	where = strings.TrimSuffix(where, "]")
	words := map[string]string{
		"Self-intersection":        "Selbstüberschneidung",
		"Ring Self-intersection":   "Der Umring berührt sich selbst",
		"Too few points":           "Zu wenige Punkte",
		"Hole lies outside shell":  "Ein Loch liegt außerhalb des Umrings",
		"Interior is disconnected": "Das Innere ist zerteilt",
		"Nested holes":             "Verschachtelte Löcher",
		"Nested shells":            "Verschachtelte Umringe",
		"Invalid Coordinate":       "Ungültige Koordinate",
		"Ring is not closed":       "Ein Ring ist nicht geschlossen",
		"Self-intersecting ring":   "Selbstüberschneidung",
		"Duplicate Rings":          "Doppelte Ringe",
	}
	de, en = what, what
	if w, ok := words[what]; ok {
		de = w
	}
	if what == "" {
		de, en = "Ungültige Geometrie", "Invalid geometry"
	}
	if where != "" {
		if x, y, ok := strings.Cut(where, " "); ok {
			de += fmt.Sprintf(" bei %s, %s", x, y)
			en += fmt.Sprintf(" at %s, %s", x, y)
		}
	}
	return de, en
}

func relativeChange(before, after float64) float64 {
	if before <= 0 {
		if after <= 0 {
			return 0
		}
		return math.Inf(1)
	}
	return math.Abs(after-before) / before
}

func percent(x float64, lang string) string {
	switch {
	case math.IsInf(x, 1) && lang == "de":
		return "mehr als 100 %"
	case math.IsInf(x, 1):
		return "more than 100 %"
	case lang == "de":
		return strings.Replace(fmt.Sprintf("%.1f %%", 100*x), ".", ",", 1)
	}
	return fmt.Sprintf("%.1f %%", 100*x)
}

// Overlap is an overlap of a feature with another feature of the same upload or with a current
// parcel of another district.
type Overlap struct {
	Feature    int
	ExternalID string
	// OtherFeature is the other feature of the upload (0 for a parcel of another district).
	OtherFeature int
	OtherID      string // the other one's external id
	// OtherDistrict names the other parcel's district.
	OtherDistrict string
	AreaM2        float64
	Share         float64 // of this feature's area
}

// CheckOverlap turns an overlap into an issue: within an upload two parcels cannot claim the same
// land; with a neighbour's parcel a small overlap is a border digitized differently (a warning).
func CheckOverlap(o Overlap) Issue {
	var i Issue
	if o.OtherFeature != 0 {
		i = issue(Error, "geometry.overlap", "geometry",
			fmt.Sprintf("Die Fläche überlappt Objekt %d (%s) um %.0f m² (%.1f %%). Zwei Flächen können nicht dasselbe Land beanspruchen.", o.OtherFeature, o.OtherID, o.AreaM2, 100*o.Share),
			fmt.Sprintf("The parcel overlaps feature %d (%s) by %.0f m² (%.1f %%). Two parcels cannot claim the same land.", o.OtherFeature, o.OtherID, o.AreaM2, 100*o.Share))
	} else {
		sev := Warning
		if o.Share > NeighbourOverlapShare {
			sev = Error
		}
		i = issue(sev, "geometry.overlap_district", "geometry",
			fmt.Sprintf("Die Fläche überlappt die Fläche %s von %s um %.0f m² (%.1f %%). Bis %.0f %% ist das ein Hinweis (Grenze unterschiedlich digitalisiert), darüber ein Fehler: klären Sie die Grenze mit dem Nachbarkreis.", o.OtherID, o.OtherDistrict, o.AreaM2, 100*o.Share, 100*NeighbourOverlapShare),
			fmt.Sprintf("The parcel overlaps parcel %s of %s by %.0f m² (%.1f %%). Up to %.0f %% this is a warning (border digitized differently), above it an error: settle the border with the neighbouring district.", o.OtherID, o.OtherDistrict, o.AreaM2, 100*o.Share, 100*NeighbourOverlapShare))
	}
	return i.At(o.Feature, o.ExternalID)
}
