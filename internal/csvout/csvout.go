// Package csvout writes every CSV export of landatlas: RFC 4180 with cells that a spreadsheet
// would run as a formula made inert.
package csvout

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Dialect is how a CSV file is laid out.
type Dialect struct {
	Comma rune
	// BOM starts the file with a UTF-8 byte order mark and ends lines with CRLF, as Excel expects.
	BOM bool
}

var (
	// Programs is RFC 4180: comma, decimal point.
	Programs = Dialect{Comma: ','}
	// GermanExcel opens in a German Excel by double click: semicolon (the comma is the decimal
	// separator there), byte order mark so that umlauts read right, CRLF.
	GermanExcel = Dialect{Comma: ';', BOM: true}
)

// Write writes rows as CSV for programs, each cell through Cell.
func Write(w io.Writer, rows [][]string) error { return WriteAs(w, Programs, rows) }

// WriteAs writes rows as CSV in a dialect, each cell through Cell.
func WriteAs(w io.Writer, d Dialect, rows [][]string) error {
	if d.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = d.Comma, d.BOM
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
// leading apostrophe, as OWASP advises. Numbers such as -3.5 or -3,5 stay as they are.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}
