package studyapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"landatlas/internal/apperr"
	"landatlas/internal/csvout"
	"landatlas/internal/parcel"
)

// A sheet is one table of an export with typed cells, so each format writes a cell its own way:
// the CSV for programs with codes and a decimal point, the CSV for German Excel with semicolons,
// decimal commas, a byte order mark and German headings, the XLSX with numbers as numbers.
type sheet struct {
	// Name names the file and the workbook's sheet ("supply"); Title is its German heading.
	Name, Title string
	Cols        []column
	// Rows hold string, int, float64, *float64 (nil: empty), bool or coded cells.
	Rows [][]any
}

// column is one column: its code (the heading for programs) and its German heading. A coded
// column is followed by the code's German label in every format.
type column struct {
	Key, DE string
	Coded   bool
}

// coded is a code with its German label.
type coded struct{ Value, DE string }

// codeOf labels a value of a code list.
func codeOf(l parcel.CodeList, v string) coded { return coded{v, label(l, v)} }

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// tableFormat is how a table is written.
type tableFormat string

const (
	formatCSV      tableFormat = "csv"       // RFC 4180: comma, decimal point, codes
	formatExcelCSV tableFormat = "csv-excel" // German Excel: semicolon, decimal comma, UTF-8 BOM, German headings
	formatXLSX     tableFormat = "xlsx"
)

// parseFormat reads the format parameter; def is the format of the address's extension.
func parseFormat(v string, def tableFormat) (tableFormat, error) {
	switch tableFormat(v) {
	case "":
		return def, nil
	case formatCSV, formatExcelCSV, formatXLSX:
		return tableFormat(v), nil
	}
	return "", apperr.New(apperr.Invalid, "format: %q: use csv (comma, decimal point), csv-excel (for German Excel: semicolon, decimal comma) or xlsx", v)
}

// header is the heading row: codes for programs, German headings for people.
func (s sheet) header(german bool) []string {
	var out []string
	for _, c := range s.Cols {
		if german {
			out = append(out, c.DE)
		} else {
			out = append(out, c.Key)
		}
		if c.Coded {
			if german {
				out = append(out, c.DE+" (Bezeichnung)")
			} else {
				out = append(out, c.Key+"_label")
			}
		}
	}
	return out
}

// texts writes a row as text: decimal point for programs, decimal comma for German Excel.
func (s sheet) texts(row []any, german bool) []string {
	out := make([]string, 0, len(row)+2)
	for i, v := range row {
		switch v := v.(type) {
		case coded:
			out = append(out, v.Value, v.DE)
			continue
		case float64:
			out = append(out, decimal(v, german))
		case *float64:
			if v == nil {
				out = append(out, "")
			} else {
				out = append(out, decimal(*v, german))
			}
		case int:
			out = append(out, strconv.Itoa(v))
		case bool:
			switch {
			case !german:
				out = append(out, strconv.FormatBool(v))
			case v:
				out = append(out, "ja")
			default:
				out = append(out, "nein")
			}
		case string:
			out = append(out, v)
		default:
			out = append(out, fmt.Sprint(v))
		}
		if i < len(s.Cols) && s.Cols[i].Coded {
			out = append(out, "") // a coded column whose cell holds no code
		}
	}
	return out
}

func decimal(v float64, german bool) string {
	s := num(v)
	if german {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// writeCSV writes a sheet as CSV, for programs or for German Excel.
func writeCSV(w io.Writer, s sheet, f tableFormat) error {
	german := f == formatExcelCSV
	rows := make([][]string, 0, len(s.Rows)+1)
	rows = append(rows, s.header(german))
	for _, r := range s.Rows {
		rows = append(rows, s.texts(r, german))
	}
	if german {
		return csvout.WriteAs(w, csvout.GermanExcel, rows)
	}
	return csvout.Write(w, rows)
}

// writeXLSX writes sheets as one workbook: German headings, bold and frozen, numbers as numbers,
// each code beside its label.
func writeXLSX(w io.Writer, sheets ...sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, s := range sheets {
		name := xlsxSheetName(s)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		// Panes and widths come before the rows in a stream.
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		head := s.header(true)
		if err := sw.SetColWidth(1, len(head), 16); err != nil {
			return err
		}
		cells := make([]any, len(head))
		for j, h := range head {
			cells[j] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", cells); err != nil {
			return err
		}
		for r, row := range s.Rows {
			var out []any
			for j, v := range row {
				switch v := v.(type) {
				case coded:
					out = append(out, v.Value, v.DE)
					continue
				case *float64:
					if v == nil {
						out = append(out, nil)
					} else {
						out = append(out, *v)
					}
				case bool:
					out = append(out, map[bool]string{true: "ja", false: "nein"}[v])
				default:
					out = append(out, v)
				}
				if j < len(s.Cols) && s.Cols[j].Coded {
					out = append(out, nil)
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, out); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// xlsxSheetName is a sheet's German title cut to the 31 characters a sheet name may have, without
// the characters Excel refuses there.
func xlsxSheetName(s sheet) string {
	name := s.Title
	if name == "" {
		name = s.Name
	}
	name = strings.NewReplacer(":", " ", "/", "-", "\\", "-", "?", "", "*", "", "[", "(", "]", ")").Replace(name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

// serveSheets answers with sheets in a format: one CSV (the first sheet) or a workbook of all.
func (s *Service) serveSheets(w http.ResponseWriter, file string, f tableFormat, sheets ...sheet) error {
	var buf bytes.Buffer
	var err error
	switch f {
	case formatXLSX:
		err = writeXLSX(&buf, sheets...)
		w.Header().Set("Content-Type", xlsxType)
		file += ".xlsx"
	default:
		err = writeCSV(&buf, sheets[0], f)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		if f == formatExcelCSV {
			file += "-excel"
		}
		file += ".csv"
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, file))
	_, err = w.Write(buf.Bytes())
	return err
}
