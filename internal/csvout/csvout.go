// Package csvout writes every CSV export of landatlas: RFC 4180 with cells that a spreadsheet
// would run as a formula made inert.
package csvout

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Write writes rows as CSV, each cell through Cell.
func Write(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	safe := make([]string, 0, 16)
	for _, row := range rows {
		safe = safe[:0]
		for _, c := range row {
			safe = append(safe, Cell(c))
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Cell returns a cell as a spreadsheet may open it: one that starts with = + - @, a tab or a
// carriage return would be read as a formula (=HYPERLINK(...) in a parcel's name), so it gets a
// leading apostrophe, as OWASP advises. Numbers such as -3.5 stay as they are.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}
