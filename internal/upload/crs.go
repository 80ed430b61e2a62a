package upload

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"landatlas/internal/apperr"
	"landatlas/internal/region"
)

// CRS is a coordinate reference system by EPSG code.
type CRS struct {
	SRID int
	Name string
	// NameDE is the name in German.
	NameDE string
}

func (c CRS) String() string { return fmt.Sprintf("EPSG:%d (%s)", c.SRID, c.Name) }

// Candidates are the systems districts' data arrives in (region.SupportedCRS and
// region.ReadOnlyCRS; EPSG:4326 once, in the longitude/latitude order of GeoJSON and CSV files),
// tried in this order when landatlas names the system a file's coordinates fit. Their region
// boxes do not overlap, so at most one fits.
func Candidates() []CRS {
	var out []CRS
	for _, c := range append(region.SupportedCRS(), region.ReadOnlyCRS()...) {
		if !c.LatLon {
			out = append(out, CRS{c.SRID, c.Title, c.TitleDE})
		}
	}
	return out
}

// NameOf names an EPSG code for messages.
func NameOf(srid int) string {
	for _, c := range Candidates() {
		if c.SRID == srid {
			return c.String()
		}
	}
	return fmt.Sprintf("EPSG:%d", srid)
}

var crsForms = []*regexp.Regexp{
	regexp.MustCompile(`^(?i)epsg:+([0-9]{4,6})$`),
	regexp.MustCompile(`^([0-9]{4,6})$`),
	regexp.MustCompile(`^(?i)urn:ogc:def:crs:epsg:[0-9.]*:([0-9]{4,6})$`),
	regexp.MustCompile(`^(?i)https?://www\.opengis\.net/def/crs/epsg/[0-9.]+/([0-9]{4,6})$`),
}

var crs84 = regexp.MustCompile(`^(?i)(urn:ogc:def:crs:ogc:1\.3:crs84|https?://www\.opengis\.net/def/crs/ogc/1\.3/crs84|crs84|ogc:crs84)$`)

// ParseCRS reads a CRS as people and files write it: EPSG:25833, 25833, an OGC URN or URI, or CRS84.
func ParseCRS(s string) (int, error) {
	s = strings.TrimSpace(s)
	if crs84.MatchString(s) {
		return 4326, nil
	}
	for _, re := range crsForms {
		if m := re.FindStringSubmatch(s); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= 1000 {
				return n, nil
			}
		}
	}
	return 0, apperr.New(apperr.Invalid, "crs %q: give an EPSG code such as EPSG:25833; usual ones are %s", s, candidateList())
}

func candidateList() string {
	var parts []string
	for _, c := range Candidates() {
		parts = append(parts, c.String())
	}
	return strings.Join(parts, ", ")
}

// CRSSource says where a file's CRS came from.
type CRSSource string

// The sources of a CRS.
const (
	FromParameter CRSSource = "parameter" // the uploader's crs parameter, which overrides the file
	FromFile      CRSSource = "file"      // .prj, GeoPackage srs, GML srsName, GeoJSON crs member
	FromRFC7946   CRSSource = "rfc7946"   // GeoJSON without a crs member is WGS84
	Unknown       CRSSource = ""
)

func (s CRSSource) words() (de, en string) {
	switch s {
	case FromParameter:
		return "den Parameter crs", "the crs parameter"
	case FromFile:
		return "die Datei selbst (.prj, Layer-SRS oder crs-Angabe)", "the file itself (.prj, layer SRS or crs member)"
	case FromRFC7946:
		return "GeoJSON ohne crs-Angabe, also WGS84 nach RFC 7946", "GeoJSON without a crs member, so WGS84 by RFC 7946"
	}
	return "nichts", "nothing"
}

// RegionBox is the extent of the region (the nine districts with a margin) in one CRS.
type RegionBox struct {
	SRID  int
	Bound orb.Bound
}

// RegionMarginM is the margin around the nine districts within which a feature counts as in the
// region when the CRS is decided; parcels outside their district are the district check's matter.
const RegionMarginM = 30000

// DecideCRS checks the CRS a file declares against where its features' centres would lie, and
// refuses a CRS that puts most of them outside the region, naming the system that fits. With no
// declared CRS it never guesses: it names the fitting system and asks for it. boxes must hold the
// candidates and the declared CRS.
func DecideCRS(declared int, source CRSSource, centres []orb.Point, boxes []RegionBox) *Issue {
	if len(centres) == 0 {
		return nil
	}
	count := func(srid int) int {
		n := 0
		for _, b := range boxes {
			if b.SRID != srid {
				continue
			}
			for _, c := range centres {
				if b.Bound.Contains(c) {
					n++
				}
			}
		}
		return n
	}
	fits := func(n int) bool { return 2*n > len(centres) }
	if declared != 0 && fits(count(declared)) {
		return nil
	}
	fitting, fitCount := 0, 0
	for _, c := range Candidates() {
		if c.SRID == declared {
			continue
		}
		if n := count(c.SRID); fits(n) && n > fitCount {
			fitting, fitCount = c.SRID, n
		}
	}
	srcDE, srcEN := source.words()
	total := len(centres)
	switch {
	case declared == 0 && fitting != 0:
		i := issue(Error, "crs.missing", "",
			fmt.Sprintf("Die Datei nennt kein Koordinatenreferenzsystem (etwa ein Shapefile ohne .prj-Datei oder eine CSV-Datei). Ihre Koordinaten passen zu %s. landatlas rät nicht: wählen Sie EPSG:%d als Koordinatensystem (crs=EPSG:%d) und prüfen Sie die Datei erneut.", NameOf(fitting), fitting, fitting),
			fmt.Sprintf("The file does not say its coordinate reference system (a shapefile without .prj, or a CSV file, for instance). Its coordinates fit %s. landatlas does not guess: choose EPSG:%d as the coordinate reference system (crs=EPSG:%d) and check the file again.", NameOf(fitting), fitting, fitting))
		i.Suggest = fmt.Sprintf("EPSG:%d", fitting)
		return &i
	case declared == 0:
		i := issue(Error, "crs.missing", "",
			fmt.Sprintf("Die Datei nennt kein Koordinatenreferenzsystem, und ihre Koordinaten passen zu keinem der üblichen Systeme (%s). Geben Sie es mit crs=EPSG:… an und prüfen Sie die Koordinaten.", candidateList()),
			fmt.Sprintf("The file does not say its coordinate reference system, and its coordinates fit none of the usual ones (%s). Give it as crs=EPSG:… and check the coordinates.", candidateList()))
		return &i
	case fitting != 0:
		inside := count(declared)
		i := issue(Error, "crs.mismatch", "",
			fmt.Sprintf("Die Koordinaten passen nicht zu %s (angegeben durch %s): nur %d von %d Objekten lägen in der Metropolregion. Mit %s lägen %d von %d dort. Wählen Sie EPSG:%d als Koordinatensystem (crs=EPSG:%d) und prüfen Sie die Datei erneut.", NameOf(declared), srcDE, inside, total, NameOf(fitting), fitCount, total, fitting, fitting),
			fmt.Sprintf("The coordinates do not fit %s (given by %s): only %d of %d features would lie in the region. With %s, %d of %d do. Choose EPSG:%d as the coordinate reference system (crs=EPSG:%d) and check the file again.", NameOf(declared), srcEN, inside, total, NameOf(fitting), fitCount, total, fitting, fitting))
		i.Suggest = fmt.Sprintf("EPSG:%d", fitting)
		return &i
	case declared == 4326 && fits(countSwapped(centres, boxes)):
		i := issue(Error, "crs.swapped", "",
			"Die Koordinaten stehen in der Reihenfolge Breite, Länge. GeoJSON verlangt Länge, Breite (RFC 7946): exportieren Sie die Datei mit dieser Achsenreihenfolge.",
			"The coordinates are in latitude, longitude order. GeoJSON requires longitude, latitude (RFC 7946): export the file in that axis order.")
		return &i
	}
	i := issue(Error, "crs.outside", "",
		fmt.Sprintf("Nach %s (angegeben durch %s) liegen die Koordinaten außerhalb der Metropolregion, und keines der üblichen Systeme (%s) bringt sie hinein. Prüfen Sie Koordinaten und Koordinatenreferenzsystem der Datei.", NameOf(declared), srcDE, candidateList()),
		fmt.Sprintf("By %s (given by %s) the coordinates lie outside the region, and none of the usual systems (%s) brings them in. Check the file's coordinates and coordinate reference system.", NameOf(declared), srcEN, candidateList()))
	return &i
}

func countSwapped(centres []orb.Point, boxes []RegionBox) int {
	n := 0
	for _, b := range boxes {
		if b.SRID != 4326 {
			continue
		}
		for _, c := range centres {
			if b.Bound.Contains(orb.Point{c[1], c[0]}) {
				n++
			}
		}
	}
	return n
}

// OutsideRegionIssue is the issue of a single feature far outside the region in the file's CRS.
func OutsideRegionIssue(srid int, c orb.Point) Issue {
	return issue(Error, "geometry.outside_region", "geometry",
		fmt.Sprintf("Das Objekt liegt weit außerhalb der Metropolregion (Mittelpunkt %.6g, %.6g in %s).", c[0], c[1], NameOf(srid)),
		fmt.Sprintf("The feature lies far outside the region (centre %.6g, %.6g in %s).", c[0], c[1], NameOf(srid)))
}
