package main

import "testing"

func TestStripCommentLines(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"comment lines and blank lines go", "// why\nconst a = 1;\n\n  // more\nf(a);\n", "const a = 1;\nf(a);\n"},
		{"a comment after code stays", "const a = 1; // one\n", "const a = 1; // one\n"},
		{"a URL in a string stays", "fetch('http://x/y');\n", "fetch('http://x/y');\n"},
		{"a template literal's lines stay", "const s = `\n// text, not a comment\n\n`;\n// gone\n", "const s = `\n// text, not a comment\n\n`;\n"},
		{"an escaped backtick opens nothing", "const s = '\\`';\n// gone\nok();\n", "const s = '\\`';\nok();\n"},
		{"a one-line template literal", "const s = `a`; // x\n// gone\n", "const s = `a`; // x\n"},
		{"block comments stay", "/* kept */\nx();\n", "/* kept */\nx();\n"},
		{"no final newline", "x();\n// last", "x();\n"},
	} {
		if got := stripCommentLines(c.in); got != c.want {
			t.Errorf("%s: stripCommentLines(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}
