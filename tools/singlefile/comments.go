package main

import "strings"

// stripCommentLines drops the lines of a script that are only a // comment (blank lines too),
// outside template literals, whose lines are text: the single file runs the scripts, the
// repository keeps them to be read. It saves about 35 KB of the 3 MB the file may weigh
// (issue 11). A comment after code, and /* */ comments, stay.
func stripCommentLines(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	inTemplate := false // inside a `...` that spans lines
	for line := range strings.Lines(src) {
		t := strings.TrimSpace(line)
		if !inTemplate && (t == "" || strings.HasPrefix(t, "//")) {
			continue
		}
		b.WriteString(line)
		if backticks(line)%2 == 1 {
			inTemplate = !inTemplate
		}
	}
	return b.String()
}

// backticks counts the unescaped backticks of a line.
func backticks(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // the escaped character
		case '`':
			n++
		}
	}
	return n
}
