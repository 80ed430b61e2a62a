package httpapi

import (
	"fmt"
	"net/url"
	"strings"
)

// Basemap is one external base map the web app offers in its layer switch. Style is the URL of a
// MapLibre style JSON, or a raster tile URL template (with {z}/{x}/{y} or {bbox-epsg-3857}) that
// the app draws as one raster layer.
type Basemap struct {
	ID    string `json:"id"`
	Style string `json:"style"`
}

// basemapIDs are the entries of the layer switch, in its order.
var basemapIDs = []string{"map", "grey", "aerial"}

// DefaultBasemaps are the federal base map basemap.de (© GeoBasis-DE / BKG): the "Web Vektor"
// styles in colour and grey, and the BKG's open digital orthophotos (DOP40) as the aerial image.
var DefaultBasemaps = []Basemap{
	{ID: "map", Style: "https://sgx.geodatenzentrum.de/gdz_basemapde_vektor/styles/bm_web_col.json"},
	{ID: "grey", Style: "https://sgx.geodatenzentrum.de/gdz_basemapde_vektor/styles/bm_web_gry.json"},
	{ID: "aerial", Style: "https://sgx.geodatenzentrum.de/wms_dop40?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=rgb&STYLES=&CRS=EPSG:3857&BBOX={bbox-epsg-3857}&WIDTH=256&HEIGHT=256&FORMAT=image/jpeg"},
}

// ParseBasemaps reads LANDATLAS_BASEMAP_STYLE: empty for DefaultBasemaps, "off" for none (the map
// draws only our own layers), one URL for a single base map, or a comma-separated list of
// id=URL pairs (ids map, grey, aerial), e.g. "map=https://…/col.json,aerial=https://…/{z}/{x}/{y}.jpg".
func ParseBasemaps(s string) ([]Basemap, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return DefaultBasemaps, nil
	case "off", "none":
		return []Basemap{}, nil
	}
	if lower := strings.ToLower(s); strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		if err := checkBasemapURL(s); err != nil {
			return nil, err
		}
		return []Basemap{{ID: "map", Style: s}}, nil
	}
	var out []Basemap
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		id, u, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !isBasemapID(id) {
			return nil, fmt.Errorf("LANDATLAS_BASEMAP_STYLE: %q is not id=URL with id one of %s", part, strings.Join(basemapIDs, ", "))
		}
		if seen[id] {
			return nil, fmt.Errorf("LANDATLAS_BASEMAP_STYLE: %q is given twice", id)
		}
		seen[id] = true
		if err := checkBasemapURL(u); err != nil {
			return nil, err
		}
		out = append(out, Basemap{ID: id, Style: u})
	}
	return out, nil
}

func isBasemapID(id string) bool {
	for _, b := range basemapIDs {
		if id == b {
			return true
		}
	}
	return false
}

func checkBasemapURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("LANDATLAS_BASEMAP_STYLE: %q is not an http(s) URL of a MapLibre style or raster tiles; use off to turn the base map off", s)
	}
	return nil
}
