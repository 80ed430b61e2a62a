package study

import (
	"strconv"
	"strings"
)

// FormatNumber writes v with d decimals the way a German ("de") or English reader expects:
// 1.234,5 or 1,234.5.
func FormatNumber(v float64, d int, lang string) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	thousands, decimal := ",", "."
	if lang == "de" {
		thousands, decimal = ".", ","
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// FormatHa writes hectares with one decimal, or two below 1 ha so small parcels do not read 0,x.
func FormatHa(v float64, lang string) string {
	if v < 1 {
		return FormatNumber(v, 2, lang) + " ha"
	}
	return FormatNumber(v, 1, lang) + " ha"
}
