// Package region knows the nine local authorities of the Mitteldeutschland project group
// (domain.md "Who and where") and the coordinate reference systems landatlas speaks.
package region

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
