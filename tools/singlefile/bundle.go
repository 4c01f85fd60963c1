package main

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
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

// build returns the single file made from the built site fsys, in charset cs (charsets), its
// payloads compressed by pk (packers).
func build(fsys fs.FS, cs charset, pk packer) (*bundle, error) {
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

	// The bootstrap and the worker's sources go first in <head>, after the policy: boot.js, the
	// page's first script (it starts the engine worker at once), needs them, and so do the
	// view's iframe and lipflow.js, later in the page.
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
	policyEnd := strings.Index(skel, cspPlaceholder) + len(cspPlaceholder) + len("\">")
	skel = skel[:policyEnd] + "\n" + head + skel[policyEnd:]

	// The payloads at the end, so that the page shows and its scripts run while they are parsed.
	var tail string
	for _, p := range []struct{ id, file string }{{"lipflow-engine-wasm", engineWasm}, {"lipflow-view-wasm", viewWasm}} {
		b, err := fs.ReadFile(fsys, p.file)
		if err != nil {
			return nil, err
		}
		z, err := pk.pack(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p.file, err)
		}
		attrs := ` data-codec="` + pk.name + `"`
		if pk.name == "lzma" {
			attrs += ` data-size="` + strconv.Itoa(len(b)) + `" data-crc="` + crcHex(b) + `"`
		}
		tail += in.place(`<script type="application/octet-stream" id="`+p.id+`" data-enc="`+cs.enc+`" data-n="`+strconv.Itoa(len(z))+`"`+attrs+`>`, string(cs.encode(z)), "</script>\n",
			fmt.Sprintf("%s (%d bytes, %s %d)", p.file, len(b), pk.name, len(z)))
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
	src, err := asciiJS(escapeRawText(stripCommentLines(src), "script"), name)
	if err != nil {
		return "", err
	}
	in.scripts = append(in.scripts, hash(src))
	return in.place("<script"+attrs+">", src, "</script>", name), nil
}

// textBlock is a script element that does not run: source text for blob workers.
func (in *inliner) textBlock(id, name, src string) (string, error) {
	src, err := asciiJS(escapeRawText(stripCommentLines(src), "script"), name)
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
