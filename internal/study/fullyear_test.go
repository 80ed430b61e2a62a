package study

import (
	"testing"
	"time"
)

// TestYearEnd is the study date planners use most: as of 31.12.2023 the year 2023 is complete, the
// mean takes 2019–2023 and the demand counts 2024–2038; the next morning gives the same, and a
// mid-year date counts the running year as demand, not as take-up.
func TestYearEnd(t *testing.T) {
	for _, c := range []struct {
		asOf              string
		window            Window
		partial           bool // the last year of the series is incomplete
		first, years      int
		targetOK, target1 int // a target year that is accepted, and the first that is refused
	}{
		{"2023-12-31", Window{2019, 2023}, false, 2024, 15, 2024, 2023},
		{"2024-01-01", Window{2019, 2023}, true, 2024, 15, 2024, 2023},
		{"2024-06-30", Window{2019, 2023}, true, 2024, 15, 2024, 2023},
		{"2024-12-30", Window{2019, 2023}, true, 2024, 15, 2024, 2023},
		{"2024-12-31", Window{2020, 2024}, false, 2025, 14, 2025, 2024},
	} {
		at, err := ParseAsOf(c.asOf, time.Date(2030, 1, 1, 0, 0, 0, 0, Berlin))
		if err != nil {
			t.Fatalf("ParseAsOf(%s): %v", c.asOf, err)
		}
		w := DefaultWindow(at)
		if w != c.window {
			t.Errorf("%s: window %d–%d, want %d–%d", c.asOf, w.From, w.To, c.window.From, c.window.To)
		}
		if err := w.Check(at); err != nil {
			t.Errorf("%s: the default window is refused: %v", c.asOf, err)
		}
		if err := (Window{w.From + 1, w.To + 1}).Check(at); err == nil {
			t.Errorf("%s: a window ending in %d (not complete) is accepted", c.asOf, w.To+1)
		}
		tu := BuildTakeUp(nil, nil, districts("14713"), at, w, true)
		last := tu.Region.Series[len(tu.Region.Series)-1]
		if last.Year != YearOf(at) || last.Partial != c.partial {
			t.Errorf("%s: last year of the series %d partial %v, want %d partial %v", c.asOf, last.Year, last.Partial, YearOf(at), c.partial)
		}
		in := DemandInputs{TargetYear: 2038}
		b := BuildBalance(tu, in)
		if b.FirstYear != c.first || b.Years != c.years {
			t.Errorf("%s: demand %d years from %d, want %d from %d", c.asOf, b.Years, b.FirstYear, c.years, c.first)
		}
		if err := (DemandInputs{TargetYear: c.targetOK}).Check(at, nil); err != nil {
			t.Errorf("%s: target year %d refused: %v", c.asOf, c.targetOK, err)
		}
		if err := (DemandInputs{TargetYear: c.target1}).Check(at, nil); err == nil {
			t.Errorf("%s: target year %d (already complete) accepted", c.asOf, c.target1)
		}
	}
	// The sentence of the inputs names the years the demand counts.
	at, _ := ParseAsOf("2023-12-31", time.Now())
	b := BuildBalance(BuildTakeUp(nil, nil, districts("14713"), at, DefaultWindow(at), true), DemandInputs{TargetYear: 2038})
	if want := "Trend: mittlerer Flächenumsatz 2019–2023 × 15 Jahre (2024–2038) × (1 + 0,00 Zuschlag)"; b.Inputs[0].DE != want {
		t.Errorf("inputs %q, want %q", b.Inputs[0].DE, want)
	}
}
