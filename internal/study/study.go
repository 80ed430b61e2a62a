// Package study holds the rules of the potential study of industrial and commercial land
// (domain.md "Study metrics"), with no I/O: what a scope and a date select, the groupings and
// shares of the supply, take-up and reach, the demand forecast and balance, and the explainable
// site search with its presets. The PostGIS adapter (internal/studystore) fetches the numbers these
// rules combine; the HTTP adapter (internal/studyapi) serves them.
package study

import (
	"math"
	"time"
	_ "time/tzdata" // the study counts years and days in the region's time zone on any host
)

// Berlin is the region's time zone: a year of take-up and an as_of date are German calendar days.
var Berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// YearOf is the calendar year of t in the region.
func YearOf(t time.Time) int { return t.In(Berlin).Year() }

// LastFullYear is the last calendar year complete at t in the region: a year is complete on its
// last day, so a study as of 31.12.2023 counts 2023 in full, and one as of 01.01.2024 or
// 30.06.2024 the same 2023.
func LastFullYear(t time.Time) int {
	b := t.In(Berlin)
	if b.Month() == time.December && b.Day() == 31 {
		return b.Year()
	}
	return b.Year() - 1
}

// Text is a sentence in German and English.
type Text struct {
	DE string `json:"de"`
	EN string `json:"en"`
}

// Round rounds v to d decimals, for figures meant to be read (hectares to 4 decimals keep square
// metres exact; shares to 4 keep a hundredth of a per cent).
func Round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}
