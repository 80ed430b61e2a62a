package study

import (
	"testing"
	"time"
)

func TestAddEnquiriesCountsTheYearsSinceRecordingStarted(t *testing.T) {
	at := time.Date(2026, 6, 30, 12, 0, 0, 0, Berlin)
	tu := BuildTakeUp(nil, nil, districts("15088"), at, DefaultWindow(at), true)
	year := func(y int, ha float64) EnquiryYear {
		return EnquiryYear{Year: y, Enquiries: 1, Ha: ha, Districts: map[string]EnquiryCount{"15088": {Enquiries: 1, Ha: ha}}}
	}
	cases := []struct {
		name   string
		demand EnquiryDemand
		// want is the scope's demand to 2038 (13 years), nil where there is none.
		want *float64
	}{
		{"none recorded", EnquiryDemand{}, nil},
		{"recorded only in the running year", EnquiryDemand{Since: time.Date(2026, 2, 1, 0, 0, 0, 0, Berlin), Years: []EnquiryYear{year(2026, 40)}}, nil},
		// From 2023: 2023–2025 are three years for 12 ha, 4 ha a year; 2026 does not count yet.
		{"recorded from within the window", EnquiryDemand{Since: time.Date(2023, 9, 1, 0, 0, 0, 0, Berlin),
			Years: []EnquiryYear{year(2023, 3), year(2025, 9), year(2026, 40)}}, ptr(52)},
		// Before the window: its five years count, 2019 does not.
		{"recorded before the window", EnquiryDemand{Since: time.Date(2019, 1, 5, 0, 0, 0, 0, Berlin),
			Years: []EnquiryYear{year(2019, 100), year(2021, 10)}}, ptr(26)},
	}
	for _, c := range cases {
		b := BuildBalance(tu, DemandInputs{TargetYear: 2038})
		b.AddEnquiries(c.demand)
		got := b.Region.Enquiry
		switch {
		case c.want == nil && (got != nil || b.EnquiryWindow != nil):
			t.Errorf("%s: figures %+v, want none", c.name, got)
		case c.want != nil && (got == nil || got.DemandHa != *c.want || b.Districts[0].Enquiry.DemandHa != *c.want):
			t.Errorf("%s: figures %+v, want %g ha for the scope and the district", c.name, got, *c.want)
		}
		if len(b.Inputs) != 2 {
			t.Errorf("%s: inputs %v, want the trend's and the enquiries'", c.name, b.Inputs)
		}
	}
}
