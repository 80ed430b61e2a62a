package httpx

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"landatlas/internal/apperr"
)

// CheckRequest refuses what no handler may be given: a query string that url.ParseQuery cannot
// read whole (Go drops a pair holding ";" or a bad %-escape and goes on, so "?filter=id=1;" would
// answer everything), and control characters in the path or in a query value (NUL would reach
// PostgreSQL, which refuses it as text). Tab, CR and LF are allowed in values: CQL2 text may span
// lines.
func CheckRequest(r *http.Request) error {
	if i := strings.IndexFunc(r.URL.Path, isControl); i >= 0 {
		return apperr.New(apperr.NotFound, "the path holds the control character %U at byte %d; no resource has such a name", rune(r.URL.Path[i]), i)
	}
	raw := r.URL.RawQuery
	for pair := range strings.SplitSeq(raw, "&") {
		if strings.Contains(pair, ";") {
			return apperr.New(apperr.Invalid, "the query string holds a \";\" in %q: separate parameters with \"&\", and write a \";\" inside a value as %%3B", shorten(pair))
		}
		if _, err := url.ParseQuery(pair); err != nil {
			return apperr.New(apperr.Invalid, "the query string has a malformed %%-escape in %q: write \"%%\" in a value as %%25", shorten(pair))
		}
	}
	q, _ := url.ParseQuery(raw) // checked pair by pair above
	for name, values := range q {
		for _, v := range append([]string{name}, values...) {
			if i := strings.IndexFunc(v, isControlInValue); i >= 0 {
				return apperr.New(apperr.Invalid, "parameter %s: the value holds the control character %U; remove it", shorten(name), rune(v[i]))
			}
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func isControlInValue(r rune) bool { return isControl(r) && r != '\t' && r != '\n' && r != '\r' }

// shorten keeps messages readable when a client sends a huge value.
func shorten(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// Invalid is the 400 of a parameter: "parameter NAME: what is wrong and what to give".
func Invalid(name, format string, args ...any) error {
	return apperr.New(apperr.Invalid, "parameter %s: "+format, append([]any{name}, args...)...)
}

// CheckParams refuses parameters that are not allowed and parameters given more than once: a
// misspelt "bbox" or "distict" must not answer for everything. others are names accepted besides
// allowed (e.g. queryable properties), described in the message by othersDesc.
func CheckParams(q url.Values, allowed, others []string, othersDesc string) error {
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(allowed, name) && !slices.Contains(others, name) {
			msg := "unknown query parameter " + strconv.Quote(shorten(name)) + "; allowed here: " + strings.Join(allowed, ", ")
			if len(allowed) == 0 && len(others) == 0 {
				msg = "unknown query parameter " + strconv.Quote(shorten(name)) + "; this resource takes no query parameters"
			}
			if len(others) > 0 {
				msg += ", and " + othersDesc + ": " + strings.Join(others, ", ")
			}
			return apperr.New(apperr.Invalid, "%s", msg)
		}
		if n := len(q[name]); n > 1 {
			return apperr.New(apperr.Invalid, "query parameter %q is given %d times; give it once", name, n)
		}
	}
	return nil
}

// ParseNumber reads a finite decimal number; NaN, Inf and numbers beyond float64 are refused.
func ParseNumber(name, s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, Invalid(name, "%q is not a number; give a decimal number such as 12.5", shorten(s))
	}
	return f, nil
}

// Number reads an optional number parameter within [lo, hi]; absent or empty is def.
func Number(q url.Values, name string, def, lo, hi float64) (float64, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < lo || f > hi {
		return 0, Invalid(name, "%q is not allowed; give a number from %g to %g", shorten(s), lo, hi)
	}
	return f, nil
}

// Integer reads an optional whole-number parameter within [lo, hi]; absent or empty is def.
func Integer(q url.Values, name string, def, lo, hi int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo || n > hi {
		return 0, Invalid(name, "%q is not allowed; give a whole number from %d to %d", shorten(s), lo, hi)
	}
	return n, nil
}
