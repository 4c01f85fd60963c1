package main

import (
	"html"
	"strings"
	"testing"
)

func TestASCII(t *testing.T) {
	cases := []struct {
		name, in string
		f        func(s, name string) (string, error)
		want     string // "" with err
		err      string
	}{
		{"js string", `x = '▶ ×';`, asciiJS, `x = '\u25b6 \u00d7';`, ""},
		{"js astral", `x = "🔒"; // é`, asciiJS, `x = "\ud83d\udd12"; // \u00e9`, ""},
		{"js escaped backslash", `x = '\\é';`, asciiJS, `x = '\\\u00e9';`, ""},
		{"js identity escape", `x = '\é';`, asciiJS, "", "backslash before U+00E9"},
		{"js line separator", "// a\u2028b", asciiJS, "", "U+2028"},
		{"js not utf-8", "x = '\xff';", asciiJS, "", "not UTF-8"},
		{"css", `a::after { content: " 🔒"; }`, asciiCSS, `a::after { content: " \1f512 "; }`, ""},
		{"css backslash", `a { content: "\é" }`, asciiCSS, "", "backslash"},
		{"html", `<b title="—">¼ step</b>`, asciiHTML, `<b title="&#x2014;">&#xbc; step</b>`, ""},
	}
	for _, c := range cases {
		got, err := c.f(c.in, c.name)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
		for i := 0; i < len(got); i++ {
			if got[i] >= 0x80 {
				t.Errorf("%s: %q is not ASCII", c.name, got)
				break
			}
		}
	}
	// Markup escapes are what an HTML parser reads back.
	if in := `<p title="a — b">½ 🔒</p>`; html.UnescapeString(must(asciiHTML(in, "html"))) != in {
		t.Error("asciiHTML does not read back")
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}
