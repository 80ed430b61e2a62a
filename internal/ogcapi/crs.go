package ogcapi

import (
	"strconv"
	"strings"
)

// crs is a coordinate reference system the API speaks (Part 2).
type crs struct {
	URI   string
	SRID  int
	Title string
	// Geographic CRSs have degrees; their output is rounded to 7 decimals (about 1 cm), that of
	// projected ones to 2 (1 cm).
	Geographic bool
	// LatLon is set for EPSG:4326, whose authority axis order is latitude, longitude: coordinates
	// in and out are flipped. CRS84 is the same datum in longitude, latitude order.
	LatLon bool
}

// storageSRID is the CRS of all stored geometry (ETRS89 / UTM zone 32N).
const storageSRID = 25832

var (
	crs84 = crs{URI: "http://www.opengis.net/def/crs/OGC/1.3/CRS84", SRID: 4326, Title: "WGS 84 (longitude, latitude)", Geographic: true}
	// supportedCRS lists the CRSs in the order collections advertise them; the first is the default.
	supportedCRS = []crs{
		crs84,
		{URI: epsgURI(4326), SRID: 4326, Title: "WGS 84 (latitude, longitude)", Geographic: true, LatLon: true},
		{URI: epsgURI(25832), SRID: 25832, Title: "ETRS89 / UTM zone 32N (storage)"},
		{URI: epsgURI(25833), SRID: 25833, Title: "ETRS89 / UTM zone 33N"},
		{URI: epsgURI(3857), SRID: 3857, Title: "WGS 84 / Pseudo-Mercator"},
		{URI: epsgURI(31468), SRID: 31468, Title: "DHDN / 3-degree Gauss-Krüger zone 4"},
		{URI: epsgURI(31469), SRID: 31469, Title: "DHDN / 3-degree Gauss-Krüger zone 5"},
	}
	storageCRS = supportedCRS[2]
)

func epsgURI(code int) string { return "http://www.opengis.net/def/crs/EPSG/0/" + strconv.Itoa(code) }

// crsURIs lists the URIs of the supported CRSs.
func crsURIs() []string {
	uris := make([]string, len(supportedCRS))
	for i, c := range supportedCRS {
		uris[i] = c.URI
	}
	return uris
}

// parseCRS reads a CRS parameter: a URI of the list, or its safe CURIE ("[EPSG:25832]",
// "[OGC:CRS84]"). Empty means CRS84.
func parseCRS(name, v string) (crs, error) {
	if v == "" {
		return crs84, nil
	}
	for _, c := range supportedCRS {
		if v == c.URI || v == curie(c) {
			return c, nil
		}
	}
	return crs{}, invalid(name, "%q is not a supported CRS; use one of %s", v, strings.Join(crsURIs(), ", "))
}

func curie(c crs) string {
	if c == crs84 {
		return "[OGC:CRS84]"
	}
	return "[EPSG:" + strconv.Itoa(c.SRID) + "]"
}

// geometrySQL returns the SQL of a stored geometry in c, with c's axis order.
func (c crs) geometrySQL(stored string) string {
	switch {
	case c.SRID == storageSRID:
		return stored
	case c.LatLon:
		return "ST_FlipCoordinates(ST_Transform(" + stored + ", 4326))"
	default:
		return "ST_Transform(" + stored + ", " + strconv.Itoa(c.SRID) + ")"
	}
}

// decimals is the number of decimals of output coordinates.
func (c crs) decimals() int {
	if c.Geographic {
		return 7
	}
	return 2
}

// header is the Content-Crs header value.
func (c crs) header() string { return "<" + c.URI + ">" }
