package main

// The rewrite of one page: its stylesheets, scripts and frames inlined (the inliner keeps the
// blocks apart from the markup, as placeholders, and what the policy must allow).

import (
	"fmt"
	"html"
	"io/fs"
	"regexp"
	"strings"
)

// The tags the rewrite looks at. Scripts are matched with their content, anchors with theirs
// and a "·" separator after them (dropped with the anchor).
var tagRE = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>|<a\b([^>]*)>(.*?)</a\s*>(\s*·)?|<(link|iframe|meta|img|source|embed|object|base|video|audio|input|form)\b([^>]*)>`)

var attrRE = regexp.MustCompile(`(?s)([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+)))?`)

type attr struct{ name, raw, value string } // raw: as written, value: entities decoded

func parseAttrs(s string) []attr {
	var out []attr
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		out = append(out, attr{strings.ToLower(m[1]), m[0], html.UnescapeString(m[2] + m[3] + m[4])})
	}
	return out
}

func get(as []attr, name string) (string, bool) {
	for _, a := range as {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

// without writes the attributes but the named ones, as they were written.
func without(as []attr, names ...string) string {
	var b strings.Builder
	for _, a := range as {
		skip := false
		for _, n := range names {
			skip = skip || a.name == n
		}
		if !skip {
			b.WriteString(" " + a.raw)
		}
	}
	return b.String()
}

// local reports whether a URL names a file of the site (not a fragment, data:, blob:...).
func local(u string) bool {
	u = strings.TrimSpace(u)
	if u == "" || strings.HasPrefix(u, "#") {
		return false
	}
	if strings.HasPrefix(u, "//") {
		return false
	}
	if i := strings.IndexAny(u, ":/?#"); i > 0 && u[i] == ':' {
		return false // has a scheme
	}
	return true
}

var scriptTypes = map[string]bool{"": true, "text/javascript": true, "application/javascript": true}

// page rewrites one HTML page of the site (index.html, or a frame's page) and returns it
// with placeholders for the inlined blocks.
func (in *inliner) page(src, name string) (string, error) {
	var b strings.Builder
	last := 0
	for _, m := range tagRE.FindAllStringSubmatchIndex(src, -1) {
		b.WriteString(src[last:m[0]])
		last = m[1]
		whole := src[m[0]:m[1]]
		sub := func(k int) string {
			if m[2*k] < 0 {
				return ""
			}
			return src[m[2*k]:m[2*k+1]]
		}
		var err error
		var repl string
		switch {
		case m[2] >= 0: // <script>
			repl, err = in.scriptTag(parseAttrs(sub(1)), sub(2), name, whole)
		case m[6] >= 0: // <a>
			repl = whole
			if href, ok := get(parseAttrs(sub(3)), "href"); ok && local(href) {
				repl = "" // a page of the site that the single file does not hold (bench.html)
			}
		default:
			repl, err = in.tag(strings.ToLower(sub(6)), parseAttrs(sub(7)), name, whole)
		}
		if err != nil {
			return "", err
		}
		b.WriteString(repl)
	}
	b.WriteString(src[last:])
	out, err := asciiHTML(b.String(), name)
	if err != nil {
		return "", err
	}
	// Nothing may still point at a file (the blocks are placeholders here, so only markup is seen).
	for _, m := range regexp.MustCompile(`(?i)\s(src|href|srcset|poster|action)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`).FindAllStringSubmatch(out, -1) {
		v := html.UnescapeString(strings.Trim(m[2], `"'`))
		load := !strings.EqualFold(m[1], "href") // a link to a site elsewhere is not a request
		if local(v) || load && (strings.HasPrefix(v, "//") || strings.HasPrefix(strings.ToLower(v), "http")) {
			return "", fmt.Errorf("%s: %s=%q is left: the single file cannot hold it", name, m[1], v)
		}
	}
	return out, nil
}

func (in *inliner) scriptTag(as []attr, body, page, whole string) (string, error) {
	typ, _ := get(as, "type")
	typ = strings.ToLower(strings.TrimSpace(typ))
	src, hasSrc := get(as, "src")
	if !hasSrc { // already inline: made ASCII like the others, and hashed if it runs
		open := whole[:strings.Index(whole, ">")+1]
		if scriptTypes[typ] {
			return in.script(open[len("<script"):len(open)-1], page+": an inline script", body)
		}
		js, err := asciiJS(body, page+": an inline script")
		if err != nil {
			return "", err
		}
		return in.place(open, js, "</script>", page+": an inline block"), nil
	}
	if !scriptTypes[typ] {
		return "", fmt.Errorf("%s: <script type=%q src=%q>: only classic scripts are inlined", page, typ, src)
	}
	for _, a := range []string{"async", "defer"} {
		if _, ok := get(as, a); ok {
			return "", fmt.Errorf("%s: <script %s src=%q>: an inline script cannot keep %s", page, a, src, a)
		}
	}
	if !local(src) {
		return "", fmt.Errorf("%s: <script src=%q> is not a file of the site", page, src)
	}
	js, err := fs.ReadFile(in.fsys, src)
	if err != nil {
		return "", fmt.Errorf("%s: %v", page, err)
	}
	return in.script(without(as, "src", "type"), page+": "+src, string(js))
}

func (in *inliner) tag(name string, as []attr, page, whole string) (string, error) {
	switch name {
	case "meta":
		if v, _ := get(as, "http-equiv"); strings.EqualFold(v, "content-security-policy") {
			return "", nil // the single file's own policy replaces it (build)
		}
	case "link":
		rel, _ := get(as, "rel")
		href, _ := get(as, "href")
		if !local(href) {
			return whole, nil
		}
		if !strings.EqualFold(strings.TrimSpace(rel), "stylesheet") {
			return "", fmt.Errorf("%s: <link rel=%q href=%q>: only stylesheets are inlined", page, rel, href)
		}
		css, err := fs.ReadFile(in.fsys, href)
		if err != nil {
			return "", fmt.Errorf("%s: %v", page, err)
		}
		return in.style(page+": "+href, string(css))
	case "iframe":
		src, ok := get(as, "src")
		if !ok || !local(src) {
			return whole, nil
		}
		sub, err := fs.ReadFile(in.fsys, src)
		if err != nil {
			return "", fmt.Errorf("%s: %v", page, err)
		}
		n := len(in.parts) // the frame's blocks are reported as one part, the srcdoc
		// The frame's page, inlined the same way, becomes the srcdoc. A srcdoc document is of its
		// parent's origin and inherits its policy.
		doc, err := in.page(string(sub), src)
		if err != nil {
			return "", err
		}
		q, ent := `"`, "&quot;"
		if strings.Count(string(sub), `'`) < strings.Count(string(sub), `"`) {
			q, ent = `'`, "&#39;"
		}
		// The placeholders in doc are expanded now, since the attribute escapes them.
		doc = strings.ReplaceAll(in.expand(doc), "&", "&amp;")
		doc = strings.ReplaceAll(doc, q, ent)
		in.parts = in.parts[:n]
		return in.place("<iframe"+without(as, "src", "srcdoc")+" srcdoc="+q, doc, q+">", src+" as srcdoc (inlined, escaped)"), nil
	}
	if src, ok := get(as, "src"); ok && local(src) {
		return "", fmt.Errorf("%s: <%s src=%q>: the single file does not inline %s", page, name, src, name)
	}
	return whole, nil
}
