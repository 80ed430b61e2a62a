package ogcapi

import (
	"strconv"
	"strings"

	"landatlas/internal/region"
)

// crs is a coordinate reference system the API speaks (Part 2): one of region.SupportedCRS.
// Output of geographic CRSs is rounded to 7 decimals (about 1 cm), that of projected ones to 2.
type crs struct{ region.CRS }

// storageSRID is the CRS of all stored geometry (ETRS89 / UTM zone 32N).
const storageSRID = region.StorageSRID

var (
	crs84 = crs{region.CRS84}
	// supportedCRS lists the CRSs in the order collections advertise them; the first is the default.
	supportedCRS = func() []crs {
		var out []crs
		for _, c := range region.SupportedCRS() {
			out = append(out, crs{c})
		}
		return out
	}()
	storageCRS = supportedCRS[2]
)

func epsgURI(code int) string { return region.EPSGURI(code) }

// crsURIs lists the URIs of the supported CRSs.
func crsURIs() []string { return region.CRSURIs() }

// parseCRS reads a CRS parameter: a URI of the list, or its safe CURIE ("[EPSG:25832]",
// "[OGC:CRS84]"). Empty means CRS84.
func parseCRS(name, v string) (crs, error) {
	c, ok := region.ParseCRS(v)
	if !ok {
		return crs{}, invalid(name, "%q is not a supported CRS; use one of %s", v, strings.Join(crsURIs(), ", "))
	}
	return crs{c}, nil
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
