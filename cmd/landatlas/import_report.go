package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"landatlas/internal/region"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// printedPerKind is how many issues and parcels of each kind the command line lists; the API
// lists more.
const printedPerKind = 20

// reportPrinter writes an upload's report and preview for a person at a terminal.
type reportPrinter struct {
	w  io.Writer
	de bool
}

func (p reportPrinter) msg(i upload.Issue) string {
	if p.de {
		return i.DE
	}
	return i.EN
}

func (p reportPrinter) upload(u store.Upload) {
	var r upload.Report
	var pv upload.Preview
	_ = json.Unmarshal(u.Report, &r)
	_ = json.Unmarshal(u.Preview, &pv)
	d, _ := region.DistrictByAGS(u.DistrictAGS)
	w := p.w
	layer := ""
	if r.Layer != "" {
		layer = ", layer " + r.Layer
	}
	fmt.Fprintf(w, "upload %d for %s (%s): %s (%s%s), %d features\n", u.ID, d.Label(), d.AGS, u.Filename, r.Format, layer, r.Features)
	if r.CRS.SRID != 0 {
		fmt.Fprintf(w, "coordinates: %s, from %s\n", r.CRS.Name, crsSourceWords(r.CRS.Source))
	}
	var used, ignored []string
	for _, c := range r.Columns {
		switch {
		case c.Field != "" && c.Note != "":
			used = append(used, fmt.Sprintf("%s → %s (%s)", c.Column, c.Field, c.Note))
		case c.Field != "":
			used = append(used, c.Column+" → "+c.Field)
		default:
			ignored = append(ignored, fmt.Sprintf("%s (%s)", c.Column, c.Note))
		}
	}
	if len(used) > 0 {
		fmt.Fprintf(w, "columns: %s\n", strings.Join(used, ", "))
	}
	if len(ignored) > 0 {
		fmt.Fprintf(w, "not imported: %s\n", strings.Join(ignored, ", "))
	}
	fmt.Fprintf(w, "\n%d error(s), %d warning(s)\n", r.Errors, r.Warnings)
	for i, is := range r.Issues {
		if i == printedPerKind {
			fmt.Fprintf(w, "  … and %d more: GET /api/v1/uploads/%d lists the first %d\n", r.Errors+r.Warnings-printedPerKind, u.ID, upload.ReportedIssues)
			break
		}
		where := "file"
		if is.Feature > 0 {
			where = fmt.Sprintf("feature %d", is.Feature)
			if is.ExternalID != "" {
				where += " (" + is.ExternalID + ")"
			}
		}
		hint := ""
		if strings.HasPrefix(is.Rule, "crs.") && is.Suggest != "" {
			hint = " (command line: --crs " + is.Suggest + ")"
		}
		fmt.Fprintf(w, "  %-7s %s: %s%s\n", is.Severity, where, p.msg(is), hint)
	}
	if u.Status != upload.Ready && u.Status != upload.Invalid {
		return
	}
	fmt.Fprintf(w, "\npreview (%s): %d new, %d changed, %d unchanged, %d ended\n", pv.Mode, pv.New, pv.Changed, pv.Unchanged, pv.Ended)
	list := func(kind string, total int, refs []upload.ParcelRef, detail func(int) string) {
		for i, ref := range refs {
			if i == printedPerKind {
				fmt.Fprintf(w, "  … and %d more %s\n", total-printedPerKind, kind)
				return
			}
			fmt.Fprintf(w, "  %-8s %-14s %-32s %8.2f ha%s\n", kind, ref.ExternalID, ref.Name, ref.AreaHa, detail(i))
		}
	}
	none := func(int) string { return "" }
	list("new", pv.New, pv.NewList, none)
	changed := make([]upload.ParcelRef, len(pv.Changes))
	for i, c := range pv.Changes {
		changed[i] = c.ParcelRef
	}
	list("changed", pv.Changed, changed, func(i int) string { return "  " + changeWords(pv.Changes[i].Fields) })
	list("ended", pv.Ended, pv.EndedList, none)
}

func changeWords(fields map[string]upload.Change) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		c := fields[k]
		parts[i] = fmt.Sprintf("%s: %s → %s", k, valueWords(c.Old), valueWords(c.New))
	}
	return strings.Join(parts, "; ")
}

func valueWords(v any) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case map[string]any:
		if a, ok := x["area_ha"]; ok {
			return fmt.Sprintf("%v ha", a)
		}
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func crsSourceWords(s upload.CRSSource) string {
	switch s {
	case upload.FromParameter:
		return "--crs"
	case upload.FromFile:
		return "the file"
	case upload.FromRFC7946:
		return "GeoJSON's default (RFC 7946)"
	}
	return "nowhere"
}
