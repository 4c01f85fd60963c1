package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The single file is declared windows-1252 (codec.go), so everything but the payloads is
// written in ASCII, each other character escaped in the syntax of where it stands. The escapes
// mean the same character there: \uXXXX in JavaScript (strings, templates, regular expressions,
// identifiers; comments do not care), \XXXXXX followed by a space in CSS, &#xXXXX; in markup
// (text, attribute values, <title>). Scripts and styles reach these functions apart from the
// markup (the markup holds placeholders for them while it is rewritten), so each gets its own.

// asciiJS escapes the non-ASCII characters of a script as \u escapes (two, a surrogate pair,
// above U+FFFF). A character after a backslash (an identity escape) or a line or paragraph
// separator (which ends a // comment) would change meaning: those are refused.
func asciiJS(s, name string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%s: not UTF-8", name)
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r == 0x2028 || r == 0x2029:
			return "", fmt.Errorf("%s: a line or paragraph separator (U+%04X) at byte %d: write it as an escape", name, r, i)
		case backslashed(s, i):
			return "", fmt.Errorf("%s: a backslash before U+%04X at byte %d: write the escape out", name, r, i)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String(), nil
}

// backslashed reports whether s[i] follows an odd run of backslashes.
func backslashed(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// asciiCSS escapes the non-ASCII characters of a style sheet: \hex and a space, which ends the
// escape and is consumed with it.
func asciiCSS(s, name string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%s: not UTF-8", name)
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case backslashed(s, i):
			return "", fmt.Errorf("%s: a backslash before U+%04X at byte %d: write the escape out", name, r, i)
		default:
			fmt.Fprintf(&b, `\%x `, r)
		}
	}
	return b.String(), nil
}

// asciiHTML escapes the non-ASCII characters of markup as numeric character references.
func asciiHTML(s, name string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%s: not UTF-8", name)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "&#x%x;", r)
		}
	}
	return b.String(), nil
}
