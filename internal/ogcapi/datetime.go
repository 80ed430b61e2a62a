package ogcapi

import (
	"strings"
	"time"
)

// period is the datetime parameter: an instant, or an interval whose ends may be open (nil).
type period struct {
	Instant    bool
	Start, End *time.Time
}

// day is how long a date lasts; an end date reaches to its last microsecond, PostgreSQL's resolution.
const day = 24 * time.Hour

// parseDatetime reads datetime: an RFC 3339 timestamp with a time zone, a date (the whole UTC
// day), or an interval "start/end" of those, where ".." or an empty string is an open end.
func parseDatetime(v string) (*period, error) {
	if v == "" {
		return nil, nil
	}
	const want = "give an instant (2022-01-01 or 2022-01-01T12:00:00Z) or an interval start/end " +
		"(e.g. 2021-01-01/2021-12-31, 2021-06-01T00:00:00Z/.., ../2022-01-01)"
	start, end, isInterval := strings.Cut(v, "/")
	if !isInterval {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return &period{Instant: true, Start: &t, End: &t}, nil
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return nil, invalid("datetime", "%q is not a date or timestamp; %s", v, want)
		}
		last := d.Add(day - time.Microsecond)
		return &period{Start: &d, End: &last}, nil
	}
	if strings.Contains(end, "/") {
		return nil, invalid("datetime", "%q has more than one '/'; %s", v, want)
	}
	p := &period{}
	for i, s := range []string{start, end} {
		if s == "" || s == ".." {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			d, derr := time.Parse(time.DateOnly, s)
			if derr != nil {
				return nil, invalid("datetime", "%q is not a date, a timestamp or '..'; %s", s, want)
			}
			t = d
			if i == 1 {
				t = d.Add(day - time.Microsecond)
			}
		}
		if i == 0 {
			p.Start = &t
		} else {
			p.End = &t
		}
	}
	if p.Start != nil && p.End != nil && p.Start.After(*p.End) {
		return nil, invalid("datetime", "the interval %q ends before it starts", v)
	}
	return p, nil
}
