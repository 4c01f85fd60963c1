package main

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
)

//go:embed bootstrap.js
var bootstrapJS string

//go:embed unpack.js
var unpackJS string

// The lab's layout, as build.sh leaves it in www/.
const (
	indexPage  = "index.html"
	workerJS   = "worker.js"    // the engine worker, run after wasm_exec.js
	wasmExecJS = "wasm_exec.js" // Go's glue, also inlined into the view's srcdoc
	engineWasm = "engine.wasm"
	viewWasm   = "view.wasm"
)

// part is one piece of the file and its size there, for the report.
type part struct {
	name string
	size int
}

type bundle struct {
	html  []byte
	csp   string
	parts []part
}

// inliner rewrites one page and its frames, remembering what the policy must allow.
type inliner struct {
	fsys    fs.FS
	scripts []string // CSP sources of the executing inline scripts ('sha256-...')
	styles  []string // and of the inline styles
	blocks  []string // the contents the markup's placeholders stand for
	parts   []part
}

const cspPlaceholder = "\x00csp\x00"

// build returns the single file made from the built site fsys, in charset cs (charsets).
func build(fsys fs.FS, cs charset) (*bundle, error) {
	index, err := fs.ReadFile(fsys, indexPage)
	if err != nil {
		return nil, err
	}
	in := &inliner{fsys: fsys}
	skel, err := in.page(string(index), indexPage)
	if err != nil {
		return nil, err
	}

	// The charset, which the payloads need (codec.go), then the policy, so that it covers every
	// script and style after it.
	charset := regexp.MustCompile(`(?i)<meta\s+charset\s*=\s*["']?utf-8["']?\s*/?>`).FindStringIndex(skel)
	if charset == nil {
		return nil, fmt.Errorf("%s: no <meta charset=\"utf-8\">", indexPage)
	}
	skel = skel[:charset[0]] + `<meta charset="` + strings.ToLower(cs.name) + `">` +
		"\n<meta http-equiv=\"Content-Security-Policy\" content=\"" + cspPlaceholder + "\">" + skel[charset[1]:]

	// The bootstrap and the worker's sources go at the end of <head>: the view's iframe and
	// lipflow.js, later in the page, need them.
	wasmExec, err := fs.ReadFile(fsys, wasmExecJS)
	if err != nil {
		return nil, err
	}
	worker, err := fs.ReadFile(fsys, workerJS)
	if err != nil {
		return nil, err
	}
	var head string
	for _, b := range []struct{ id, name, src string }{
		{"", "bootstrap (LIPFLOW_BUNDLE)", bootstrapJS},
		{"lipflow-unpack-js", "unpack.js (blob workers)", unpackJS},
		{"lipflow-worker-js", "wasm_exec.js + worker.js (blob worker)", string(wasmExec) + "\n" + string(worker)},
	} {
		var block string
		if b.id == "" {
			block, err = in.script("", b.name, b.src)
		} else {
			block, err = in.textBlock(b.id, b.name, b.src)
		}
		if err != nil {
			return nil, err
		}
		head += block
	}
	if skel, err = insertBefore(skel, "</head>", head+"\n"); err != nil {
		return nil, err
	}

	// The payloads at the end, so that the page shows and its scripts run while they are parsed.
	var tail string
	for _, p := range []struct{ id, file string }{{"lipflow-engine-wasm", engineWasm}, {"lipflow-view-wasm", viewWasm}} {
		b, err := fs.ReadFile(fsys, p.file)
		if err != nil {
			return nil, err
		}
		gz := gzipBest(b)
		tail += in.place(`<script type="application/octet-stream" id="`+p.id+`" data-enc="`+cs.enc+`" data-n="`+strconv.Itoa(len(gz))+`">`, string(cs.encode(gz)), "</script>\n",
			fmt.Sprintf("%s (%d bytes, gzip %d)", p.file, len(b), len(gz)))
	}
	if skel, err = insertBefore(skel, "</body>", tail); err != nil {
		return nil, err
	}

	csp := policy(in.scripts, in.styles)
	out := strings.Replace(skel, cspPlaceholder, csp, 1)
	out = in.expand(out)
	rest := len(out)
	for _, p := range in.parts {
		rest -= p.size
	}
	in.parts = append([]part{{"index.html's markup and the policy", rest}}, in.parts...)
	return &bundle{html: []byte(out), csp: csp, parts: in.parts}, nil
}

// policy is the single file's Content-Security-Policy: its own inline blocks by hash, Go's
// WebAssembly, blob: workers, data:/blob: images (the favicon is data:,), nothing else. The
// view's srcdoc iframe inherits it.
func policy(scripts, styles []string) string {
	styleSrc := strings.Join(dedup(styles), " ")
	if styleSrc == "" {
		styleSrc = "'none'"
	}
	return "default-src 'none'; script-src " + strings.Join(dedup(scripts), " ") + " 'wasm-unsafe-eval'; style-src " + styleSrc +
		"; img-src data: blob:; worker-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'"
}

func dedup(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func insertBefore(s, tag, text string) (string, error) {
	i := strings.LastIndex(strings.ToLower(s), tag)
	if i < 0 {
		return "", fmt.Errorf("%s: no %s", indexPage, tag)
	}
	return s[:i] + text + s[i:], nil
}

// hash is the CSP source of an inline block: sha256 of its text as UTF-8.
func hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// place stores content and returns open + a placeholder + close: the markup stays small while
// it is rewritten and checked, and inlined text is never taken for markup.
func (in *inliner) place(open, content, close, name string) string {
	in.blocks = append(in.blocks, content)
	in.parts = append(in.parts, part{name, len(open) + len(content) + len(close)})
	return open + "\x00" + strconv.Itoa(len(in.blocks)-1) + "\x00" + close
}

var placeholderRE = regexp.MustCompile("\x00([0-9]+)\x00")

func (in *inliner) expand(s string) string {
	return placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		k, _ := strconv.Atoi(strings.Trim(m, "\x00"))
		return in.blocks[k]
	})
}

// script is an executing inline script (hashed into the policy).
func (in *inliner) script(attrs, name, src string) (string, error) {
	src, err := asciiJS(escapeRawText(src, "script"), name)
	if err != nil {
		return "", err
	}
	in.scripts = append(in.scripts, hash(src))
	return in.place("<script"+attrs+">", src, "</script>", name), nil
}

// textBlock is a script element that does not run: source text for blob workers.
func (in *inliner) textBlock(id, name, src string) (string, error) {
	src, err := asciiJS(escapeRawText(src, "script"), name)
	if err != nil {
		return "", err
	}
	return in.place(`<script type="text/plain" id="`+id+`">`, src, "</script>", name), nil
}

func (in *inliner) style(name, css string) (string, error) {
	css, err := asciiCSS(escapeRawText(css, "style"), name)
	if err != nil {
		return "", err
	}
	in.styles = append(in.styles, hash(css))
	return in.place("<style>", css, "</style>", name), nil
}

// escapeRawText keeps the text of a <script> or <style> from ending its element early or
// opening the parser's escaped states: "</script" becomes "<\/script" and "<!--" "<\!--"
// (the same string in JavaScript; in CSS a backslash before / or ! is that character).
func escapeRawText(s, tag string) string {
	end := regexp.MustCompile(`(?i)</(` + tag + `)`)
	s = end.ReplaceAllString(s, `<\/$1`)
	return strings.ReplaceAll(s, "<!--", `<\!--`)
}

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
