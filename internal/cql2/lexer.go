package cql2

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tEOF         tokenKind = iota
	tIdent                 // unquoted identifier or keyword
	tQuotedIdent           // "double quoted" property name
	tString                // 'character literal', text holds the decoded value
	tNumber                // unsigned numeric literal, text holds the raw digits
	tOp                    // punctuation and operators
)

type token struct {
	kind tokenKind
	text string
	pos  int
}

// describe renders a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tString:
		return "the string " + quote(t.text)
	case tNumber:
		return "the number " + t.text
	case tQuotedIdent:
		return "the property name " + quote(t.text)
	}
	return quote(t.text)
}

// lex splits cql2-text into tokens. It works on the whole input at once
// because the input is bounded by MaxInputBytes.
func lex(src string) ([]token, *Error) {
	if !utf8.ValidString(src) {
		for i := 0; i < len(src); {
			r, n := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && n == 1 {
				return nil, errorf(i, "invalid UTF-8 byte")
			}
			i += n
		}
	}
	var toks []token
	i := 0
	for {
		for i < len(src) {
			r, n := utf8.DecodeRuneInString(src[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += n
		}
		if i >= len(src) {
			toks = append(toks, token{kind: tEOF, pos: i})
			return toks, nil
		}
		start := i
		r, n := utf8.DecodeRuneInString(src[i:])
		switch {
		case r == '\'':
			val, end, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tString, text: val, pos: start})
			i = end
		case r == '"':
			end := strings.IndexByte(src[i+1:], '"')
			if end < 0 {
				return nil, errorf(start, "unterminated quoted property name").
					withHint(`close it with a double quote (")`)
			}
			name := src[i+1 : i+1+end]
			if name == "" {
				return nil, errorf(start, "empty quoted property name")
			}
			if strings.ContainsFunc(name, isForbiddenControl) {
				return nil, errorf(start, "control character in quoted property name")
			}
			toks = append(toks, token{kind: tQuotedIdent, text: name, pos: start})
			i += end + 2
		case r >= '0' && r <= '9' || r == '.' && i+1 < len(src) && isDigit(src[i+1]):
			end := lexNumber(src, i)
			toks = append(toks, token{kind: tNumber, text: src[i:end], pos: start})
			i = end
		case isIdentStart(r):
			i += n
			for i < len(src) {
				r, n := utf8.DecodeRuneInString(src[i:])
				if !isIdentPart(r) {
					break
				}
				i += n
			}
			toks = append(toks, token{kind: tIdent, text: src[start:i], pos: start})
		default:
			op, err := lexOp(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tOp, text: op, pos: start})
			i += len(op)
		}
	}
}

func lexOp(src string, i int) (string, *Error) {
	if i+1 < len(src) {
		switch two := src[i : i+2]; two {
		case "<>", "<=", ">=":
			return two, nil
		case "!=":
			return "", errorf(i, `unknown operator "!="`).withHint(`use "<>" for "not equal"`)
		case "==":
			return "", errorf(i, `unknown operator "=="`).withHint(`use "=" for "equal"`)
		}
	}
	switch c := src[i]; c {
	case '(', ')', ',', '=', '<', '>', '+', '-', '*', '/', '%', '^':
		return string(c), nil
	case '[', ']':
		return "", errorf(i, "unexpected %q", c).withHint("lists are written in parentheses, e.g. x IN (1, 2)")
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return "", errorf(i, "unexpected character %q", r)
}

// lexString decodes a character literal starting at the quote at src[i].
// Quotes are escaped by doubling them or as \'; \\ is a backslash and
// \a \b \t \n \v \f \r are control characters (/req/cql2-text/escaping).
// Any other backslash sequence is kept verbatim so that LIKE escapes such as
// \% reach the pattern unchanged.
func lexString(src string, i int) (string, int, *Error) {
	start := i
	var b strings.Builder
	i++
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\'':
			if i+1 < len(src) && src[i+1] == '\'' {
				b.WriteByte('\'')
				i += 2
				continue
			}
			return b.String(), i + 1, nil
		case c == '\\' && i+1 < len(src):
			switch d := src[i+1]; d {
			case '\'', '\\':
				b.WriteByte(d)
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'v':
				b.WriteByte('\v')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte('\\')
				i++
				continue
			}
			i += 2
		case c == 0:
			return "", 0, errorf(i, "NUL character in string")
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, errorf(start, "unterminated string").
		withHint("close it with a single quote ('); write a quote inside a string as '' or \\'")
}

// lexNumber returns the end of the unsigned numeric literal at src[i]:
// digits, an optional fraction and an optional exponent.
func lexNumber(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i < len(src) && src[i] == '.' {
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isForbiddenControl reports control characters that have no business in
// names; NUL in particular cannot be sent to PostgreSQL as text.
func isForbiddenControl(r rune) bool { return r < 0x20 || r == 0x7F }

// isIdentStart implements the identifierStart rule of the CQL2 BNF.
func isIdentStart(r rune) bool {
	switch {
	case r == ':' || r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
		return true
	case r < 0xC0:
		return false
	}
	return r <= 0xD6 || r >= 0xD8 && r <= 0xF6 || r >= 0xF8 && r <= 0x2FF ||
		r >= 0x370 && r <= 0x37D || r >= 0x37F && r <= 0x1FFE ||
		r >= 0x200C && r <= 0x200D || r >= 0x2070 && r <= 0x218F ||
		r >= 0x2C00 && r <= 0x2FEF || r >= 0x3001 && r <= 0xD7FF ||
		r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0xEFFFF
}

// isIdentPart implements the identifierPart rule of the CQL2 BNF.
func isIdentPart(r rune) bool {
	return isIdentStart(r) || r == '.' || r >= '0' && r <= '9' ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}
