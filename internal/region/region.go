// Package region knows the nine local authorities of the Mitteldeutschland project group
// (domain.md "Who and where") and the coordinate reference systems landatlas speaks.
package region

import "strconv"

// District is one of the nine Gebietskörperschaften.
type District struct {
	AGS       string // 5-digit amtlicher Gemeindeschlüssel
	Name      string
	Kind      string // "Kreisfreie Stadt" or "Landkreis"
	Land      string
	UsualSRID int // the CRS its GIS usually delivers in
}

// StorageSRID is the one metric CRS all geometry is stored in: ETRS89 / UTM zone 32N.
const StorageSRID = 25832

// StorageArea is the longitude/latitude box (west, south, east, north) where stored data can lie:
// the area of use of ETRS89 (EPSG:4258), Europe. The storage CRS is undefined far outside it, so
// geographic shapes reaching beyond it (a bbox, a filter literal, a low-zoom tile) are clipped to
// it before they are transformed.
var StorageArea = [4]float64{-16.1, 32.88, 40.18, 84.73}

// Districts returns the nine districts, ordered by AGS.
func Districts() []District {
	return []District{
		{"14713", "Leipzig", "Kreisfreie Stadt", "Sachsen", 25833},
		{"14729", "Leipzig", "Landkreis", "Sachsen", 25833},
		{"14730", "Nordsachsen", "Landkreis", "Sachsen", 25833},
		{"15002", "Halle (Saale)", "Kreisfreie Stadt", "Sachsen-Anhalt", 25832},
		{"15082", "Anhalt-Bitterfeld", "Landkreis", "Sachsen-Anhalt", 25832},
		{"15084", "Burgenlandkreis", "Landkreis", "Sachsen-Anhalt", 25832},
		{"15087", "Mansfeld-Südharz", "Landkreis", "Sachsen-Anhalt", 25832},
		{"15088", "Saalekreis", "Landkreis", "Sachsen-Anhalt", 25832},
		{"16077", "Altenburger Land", "Landkreis", "Thüringen", 25832},
	}
}

// DistrictByAGS finds a district by its 5-digit AGS.
func DistrictByAGS(ags string) (District, bool) {
	for _, d := range Districts() {
		if d.AGS == ags {
			return d, true
		}
	}
	return District{}, false
}

// Label is the district's name as people tell the two Leipzigs apart.
func (d District) Label() string {
	if d.AGS == "14729" {
		return "Landkreis Leipzig"
	}
	return d.Name
}

// CRS is a coordinate reference system landatlas speaks: in requests (bbox-crs, filter-crs, crs),
// in uploads and in answers.
type CRS struct {
	URI   string
	SRID  int
	Title string
	// TitleDE is the title in German, for the web app's choices.
	TitleDE string
	// Geographic CRSs have degrees.
	Geographic bool
	// LatLon is set for EPSG:4326, whose authority axis order is latitude, longitude: coordinates
	// in and out are flipped. CRS84 is the same datum in longitude, latitude order.
	LatLon bool
}

// CRS84 is WGS 84 in longitude, latitude order: the default of every request and answer.
var CRS84 = CRS{URI: "http://www.opengis.net/def/crs/OGC/1.3/CRS84", SRID: 4326, Title: "WGS 84 (longitude, latitude)", TitleDE: "WGS 84 (Länge, Breite)", Geographic: true}

// SupportedCRS lists the CRSs landatlas speaks, CRS84 first: the storage CRS, the UTM zones and
// Gauss-Krüger zones the districts deliver in, and Web Mercator.
func SupportedCRS() []CRS {
	return []CRS{
		CRS84,
		{URI: EPSGURI(4326), SRID: 4326, Title: "WGS 84 (latitude, longitude)", TitleDE: "WGS 84 (Breite, Länge)", Geographic: true, LatLon: true},
		{URI: EPSGURI(StorageSRID), SRID: StorageSRID, Title: "ETRS89 / UTM zone 32N", TitleDE: "ETRS89 / UTM Zone 32N"},
		{URI: EPSGURI(25833), SRID: 25833, Title: "ETRS89 / UTM zone 33N", TitleDE: "ETRS89 / UTM Zone 33N"},
		{URI: EPSGURI(3857), SRID: 3857, Title: "WGS 84 / Pseudo-Mercator", TitleDE: "WGS 84 / Web-Mercator"},
		{URI: EPSGURI(31468), SRID: 31468, Title: "DHDN / 3-degree Gauss-Krüger zone 4", TitleDE: "DHDN / Gauß-Krüger Zone 4 (3°)"},
		{URI: EPSGURI(31469), SRID: 31469, Title: "DHDN / 3-degree Gauss-Krüger zone 5", TitleDE: "DHDN / Gauß-Krüger Zone 5 (3°)"},
	}
}

// ReadOnlyCRS lists the CRSs districts' files may arrive in that landatlas reads in uploads but
// does not serve: ETRS89 / UTM with the zone number written before the easting.
func ReadOnlyCRS() []CRS {
	return []CRS{
		{URI: EPSGURI(4647), SRID: 4647, Title: "ETRS89 / UTM zone 32N with zone prefix 32 in the easting",
			TitleDE: "ETRS89 / UTM Zone 32N mit Zonenkennung 32 im Rechtswert"},
		{URI: EPSGURI(5650), SRID: 5650, Title: "ETRS89 / UTM zone 33N with zone prefix 33 in the easting",
			TitleDE: "ETRS89 / UTM Zone 33N mit Zonenkennung 33 im Rechtswert"},
	}
}

// EPSGURI is the OGC URI of an EPSG code.
func EPSGURI(code int) string { return "http://www.opengis.net/def/crs/EPSG/0/" + strconv.Itoa(code) }

// CURIE is the safe CURIE of a CRS ("[EPSG:25832]", "[OGC:CRS84]").
func (c CRS) CURIE() string {
	if c == CRS84 {
		return "[OGC:CRS84]"
	}
	return "[EPSG:" + strconv.Itoa(c.SRID) + "]"
}

// ParseCRS finds a CRS by its URI or safe CURIE; "" is CRS84.
func ParseCRS(v string) (CRS, bool) {
	if v == "" {
		return CRS84, true
	}
	for _, c := range SupportedCRS() {
		if v == c.URI || v == c.CURIE() {
			return c, true
		}
	}
	return CRS{}, false
}

// CRSURIs lists the URIs of the supported CRSs.
func CRSURIs() []string {
	var uris []string
	for _, c := range SupportedCRS() {
		uris = append(uris, c.URI)
	}
	return uris
}
