package cql2

import (
	"strings"
	"testing"
)

// hostileInputs are maximal inputs just under MaxInputBytes; parsing and
// compiling them must stay cheap whether they succeed or fail.
func hostileInputs() map[string][]byte {
	fill := func(unit, prefix, suffix string) []byte {
		n := (MaxInputBytes - len(prefix) - len(suffix)) / len(unit)
		return []byte(prefix + strings.Repeat(unit, n) + suffix)
	}
	return map[string][]byte{
		"long OR chain":       fill("name = 'a' OR ", "", "name = 'b'"),
		"long AND chain":      fill("plots > 1 AND ", "", "plots > 2"),
		"quote escapes":       fill("''", "name = '", "'"),
		"backslashes":         fill(`\\`, "name LIKE '", "'"),
		"open parens":         fill("(", "", ""),
		"minus signs":         fill("-", "", "1 = plots"),
		"polygon ring":        fill("1 2,", "S_INTERSECTS(geom, POLYGON((", "1 2)))"),
		"json nested arrays":  fill("[", "", ""),
		"json nested objects": fill(`{"op":"not","args":[`, "", ""),
		"json long and":       fill(`{"op":"=","args":[{"property":"name"},"a"]},`, `{"op":"and","args":[`, `true]}`),
		"json many keys":      fill(`"k":1,`, `{`, `"z":1}`),
	}
}

func TestHostileInputs(t *testing.T) {
	for name, in := range hostileInputs() {
		t.Run(name, func(t *testing.T) {
			if len(in) > MaxInputBytes {
				t.Fatalf("input is %d bytes", len(in))
			}
			var e Expr
			var err error
			if strings.HasPrefix(name, "json") {
				e, err = ParseJSON(in)
			} else {
				e, err = ParseText(string(in))
			}
			if err == nil {
				_, _, err = Compile(e, testCatalog(), landatlasOpts)
			}
			if err != nil && len(err.Error()) > 2000 {
				t.Errorf("error message of %d bytes", len(err.Error()))
			}
		})
	}
}

func BenchmarkHostileInputs(b *testing.B) {
	for name, in := range hostileInputs() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				var e Expr
				var err error
				if strings.HasPrefix(name, "json") {
					e, err = ParseJSON(in)
				} else {
					e, err = ParseText(string(in))
				}
				if err == nil {
					_, _, _ = Compile(e, testCatalog(), landatlasOpts)
				}
			}
		})
	}
}
