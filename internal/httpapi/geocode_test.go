package httpapi

import "testing"

func TestCheckGeocoderURL(t *testing.T) {
	for in, ok := range map[string]bool{
		"": true,
		"https://geocoder.example/geosearch.json?query={q}&count=5": true,
		"http://127.0.0.1:9/geocode?q={q}":                          true,
		"https://geocoder.example/geosearch.json":                   false,
		"ftp://geocoder.example/{q}":                                false,
		"geosearch?query={q}":                                       false,
	} {
		if err := CheckGeocoderURL(in); (err == nil) != ok {
			t.Errorf("CheckGeocoderURL(%q) = %v, want ok=%v", in, err, ok)
		}
	}
}
