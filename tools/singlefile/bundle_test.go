package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// A tiny site with the lab's layout, and in its files the things the rewrite must survive:
// "</script>" in a script, quotes and "&" in the frame's page, a link to a page left out.
func fakeSite() fstest.MapFS {
	rng := rand.New(rand.NewPCG(3, 4))
	wasm := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if i%3 == 0 {
				b[i] = 0 // compressible, like a binary
			}
		}
		return b
	}
	return fstest.MapFS{
		"index.html": {Data: []byte(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<link rel="icon" href="data:,">
<title>lab</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<footer><a href="bench.html" title="timing">benchmark</a> ·
the URL holds every setting.</footer>
<a href="#top">top</a>
<iframe id="view" src="view.html" title="view"></iframe>
<script src="a.js"></script>
<script src="lab.js"></script>
</body>
</html>
`)},
		"style.css": {Data: []byte("body { margin: 0 }\n")},
		"a.js":      {Data: []byte("window.A = '</script><!-- é';\n")},
		"lab.js":    {Data: []byte("window.B = window.LIPFLOW_BUNDLE.worker();\n")},
		"view.html": {Data: []byte(`<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<link rel="stylesheet" href="view.css">
</head><body>
<div id="loading" title='say "hi" &amp; go'>loading…</div>
<script src="wasm_exec.js"></script>
<script src="view.js"></script>
</body></html>
`)},
		"view.css":     {Data: []byte("#loading::after { content: \"🔒\" }\n")},
		"wasm_exec.js": {Data: []byte("\"use strict\";\n(() => { globalThis.Go = class { a = \"x & y\" } })();\n")},
		"view.js":      {Data: []byte("\"use strict\"; const q = 'it''s' + \"</SCRIPT>\";\n")},
		"worker.js":    {Data: []byte("'use strict';\nself.onmessage = () => {};\n")},
		"engine.wasm":  {Data: wasm(3001)},
		"view.wasm":    {Data: wasm(7777)},
		"bench.html":   {Data: []byte("<!doctype html>")},
	}
}

var (
	scriptRE = regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)
	styleRE  = regexp.MustCompile(`(?is)<style([^>]*)>(.*?)</style>`)
	srcdocRE = regexp.MustCompile(`(?s)<iframe[^>]*\ssrcdoc=(?:'([^']*)'|"([^"]*)")[^>]*>`)
)

// blocks returns the executing scripts and the styles of a page and of its srcdoc frames,
// reading the page as the browser does (srcdoc's entities decoded).
func blocks(t *testing.T, page string) (scripts, styles []string, markup string) {
	t.Helper()
	var frames []string
	page = srcdocRE.ReplaceAllStringFunc(page, func(tag string) string {
		m := srcdocRE.FindStringSubmatch(tag)
		frames = append(frames, html.UnescapeString(m[1]+m[2]))
		return "<iframe srcdoc>"
	})
	for _, m := range scriptRE.FindAllStringSubmatch(page, -1) {
		if !strings.Contains(m[1], "type=") {
			scripts = append(scripts, m[2])
		}
	}
	for _, m := range styleRE.FindAllStringSubmatch(page, -1) {
		styles = append(styles, m[2])
	}
	markup = styleRE.ReplaceAllString(scriptRE.ReplaceAllString(page, "<script></script>"), "<style></style>")
	for _, f := range frames {
		sc, st, mk := blocks(t, f)
		scripts, styles, markup = append(scripts, sc...), append(styles, st...), markup+mk
	}
	return scripts, styles, markup
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

func TestBuildInlinesEverything(t *testing.T) {
	for name, cs := range charsets {
		for _, pk := range packers {
			if pk.name == "lzma" {
				if _, err := exec.LookPath("xz"); err != nil {
					t.Log("xz missing: lzma payloads not tested")
					continue
				}
			}
			t.Run(name+"/"+pk.name, func(t *testing.T) { testBuild(t, cs, pk) })
		}
	}
}

func testBuild(t *testing.T, cs charset, pk packer) {
	site := fakeSite()
	b, err := build(site, cs, pk)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b.html)
	scripts, styles, markup := blocks(t, page)

	// No reference to a file is left, and the page (and its frame) keep their own order.
	for _, bad := range []string{"src=", "href=\"bench.html", "bench", "·", `rel="stylesheet"`, "<iframe id=\"view\" src"} {
		if bad == "src=" {
			if m := regexp.MustCompile(`\ssrc\s*=`).FindString(markup); m != "" {
				t.Errorf("the markup still has %q", m)
			}
			continue
		}
		if strings.Contains(markup, bad) {
			t.Errorf("the markup still has %q", bad)
		}
	}
	if !strings.Contains(markup, `href="data:,"`) || !strings.Contains(markup, `href="#top"`) {
		t.Error("the data: icon or the in-page link were dropped")
	}

	// Every file is inlined, as it was but for its comment lines, "</script", "<!--" and the
	// characters beyond ASCII, escaped: the same scripts to JavaScript (a.js's string is
	// checked under Node).
	wantScripts := []string{bootstrapJS, string(site["a.js"].Data), string(site["lab.js"].Data),
		string(site["wasm_exec.js"].Data), string(site["view.js"].Data)}
	for i := range wantScripts {
		wantScripts[i] = stripCommentLines(wantScripts[i])
	}
	if len(scripts) != len(wantScripts) {
		t.Fatalf("%d executing scripts, want %d", len(scripts), len(wantScripts))
	}
	for i, want := range wantScripts {
		if i == 1 {
			sameJS(t, scripts[i], want, "window.A")
			continue
		}
		if i == 4 {
			want = strings.Replace(want, "</SCRIPT>", `<\/SCRIPT>`, 1)
		}
		if scripts[i] != want {
			t.Errorf("script %d is %q, want %q", i, scripts[i], want)
		}
	}
	if len(styles) != 2 || styles[0] != string(site["style.css"].Data) || styles[1] != `#loading::after { content: "\1f512 " }`+"\n" {
		t.Errorf("styles %q", styles)
	}
	if !strings.Contains(html.UnescapeString(markup), `title='say "hi" & go'>loading…`) {
		t.Errorf("the frame's markup lost its characters: %q", markup)
	}
	// Everything but the payloads is ASCII: windows-1252 and UTF-8 read it alike.
	rest := regexp.MustCompile(`(?s)<script type="application/octet-stream"[^>]*>.*?</script>`).ReplaceAllString(page, "")
	for i := 0; i < len(rest); i++ {
		if rest[i] >= 0x80 {
			t.Fatalf("byte %#x beyond ASCII outside the payloads: %q", rest[i], rest[max(0, i-40):i+1])
		}
	}
	if head := strings.ToLower(page[:1024]); strings.Count(head, "charset") != 1 || !strings.Contains(head, `<meta charset="`+strings.ToLower(cs.name)+`">`) {
		t.Errorf("the page should declare %s (only) in its first 1024 bytes: %q", cs.name, head)
	}

	// The bootstrap comes before the lab's scripts and the frame, the payloads after them.
	if i, j, k := strings.Index(page, "LIPFLOW_BUNDLE = Object"), strings.Index(page, "<iframe"), strings.Index(page, `id="lipflow-engine-wasm"`); !(i < j && j < k) {
		t.Errorf("order: bootstrap at %d, iframe at %d, engine payload at %d", i, j, k)
	}

	// The policy allows exactly these blocks, by hash, and nothing inline otherwise.
	m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindAllStringSubmatch(markup, -1)
	if len(m) != 1 || m[0][1] != b.csp {
		t.Fatalf("want one policy meta (the file's, the frame's dropped): %q", m)
	}
	directives := map[string][]string{}
	for _, d := range strings.Split(b.csp, ";") {
		f := strings.Fields(d)
		directives[f[0]] = f[1:]
	}
	hashes := func(name string, texts []string) {
		var want []string
		for _, s := range texts {
			want = append(want, sha(s))
		}
		var got []string
		for _, s := range directives[name] {
			if strings.HasPrefix(s, "'sha256-") {
				got = append(got, s)
			} else if s != "'wasm-unsafe-eval'" && s != "'none'" {
				t.Errorf("%s allows %s", name, s)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s hashes %v, want %v", name, got, want)
		}
	}
	hashes("script-src", scripts)
	hashes("style-src", styles)
	if d := directives["default-src"]; len(d) != 1 || d[0] != "'none'" {
		t.Errorf("default-src %v", d)
	}
	if d := directives["worker-src"]; len(d) != 1 || d[0] != "blob:" {
		t.Errorf("worker-src %v", d)
	}

	// The payloads decode to the files, by the format's statement and by unpack.js itself.
	for _, p := range []struct{ id, file string }{{"lipflow-engine-wasm", "engine.wasm"}, {"lipflow-view-wasm", "view.wasm"}} {
		attrs := ` data-codec="gzip"`
		if pk.name == "lzma" {
			attrs = ` data-codec="lzma" data-size="` + strconv.Itoa(len(site[p.file].Data)) + `" data-crc="` + crcHex(site[p.file].Data) + `"`
		}
		m := regexp.MustCompile(`<script type="application/octet-stream" id="` + p.id + `" data-enc="` + cs.enc + `" data-n="([0-9]+)"` + attrs + `>([^<]*)</script>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no payload %s", p.id)
		}
		n, _ := strconv.Atoi(m[1])
		var z []byte
		if cs.enc == "w8" {
			z = decode8(t, []byte(m[2]))
		} else {
			z = decode7(t, []byte(m[2]), n)
		}
		if len(z) != n {
			t.Errorf("%s: %d bytes, data-n says %d", p.file, len(z), n)
		}
		var got []byte
		if pk.name == "lzma" {
			got = unlzma(t, z)
		} else {
			zr, err := gzip.NewReader(bytes.NewReader(z))
			if err != nil {
				t.Fatal(err)
			}
			if got, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, site[p.file].Data) {
			t.Errorf("%s: the payload decodes to %d bytes unlike the file's %d", p.file, len(got), len(site[p.file].Data))
		}
		pay := payload{text: []byte(m[2]), n: n, codec: pk.name, size: len(site[p.file].Data), crc: crcHex(site[p.file].Data)}
		if js := unpackWithNode(t, pay, cs); js != nil && !bytes.Equal(js, site[p.file].Data) {
			t.Errorf("%s: unpack.js decodes the payload to %d bytes unlike the file's %d", p.file, len(js), len(site[p.file].Data))
		}
	}
}

// sameJS runs both scripts under Node and compares the JSON of expr after each (skipped
// without Node).
func sameJS(t *testing.T, got, want, expr string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("node missing: scripts not compared")
		return
	}
	in, _ := json.Marshal([]string{got, want})
	script := `const [a, b] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const run = (src) => { const window = {}; new Function('window', src)(window); return JSON.stringify(` + expr + `); };
const x = run(a), y = run(b);
if (x !== y) { console.error(x + ' != ' + y); process.exit(1); }`
	cmd := exec.Command(node, "-e", script)
	cmd.Stdin = bytes.NewReader(in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the inlined script differs from the file: %v %s", err, out)
	}
}

// unpackWithNode decodes the payload's bytes in the page's charset, as the page's parser does,
// and runs unpack.js's lipflowUnpack on the text under Node (nil when Node is missing).
func unpackWithNode(t *testing.T, p payload, cs charset) []byte {
	t.Helper()
	out, err := runUnpack(t, p, cs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// payload is a block's text and attributes.
type payload struct {
	text  []byte
	n     int
	codec string
	size  int
	crc   string
}

// unlzma undoes lzmaBest with the xz command.
func unlzma(t *testing.T, z []byte) []byte {
	t.Helper()
	cmd := exec.Command("xz", "--format=lzma", "--decompress", "--stdout")
	cmd.Stdin = bytes.NewReader(z)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xz --decompress: %v", err)
	}
	return out
}

// runUnpack is unpackWithNode that returns unpack.js's error (nil, nil when Node is missing).
func runUnpack(t *testing.T, p payload, cs charset) ([]byte, error) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("node missing: unpack.js not run")
		return nil, nil
	}
	dir := t.TempDir()
	in, _ := json.Marshal(map[string]any{"bytes": p.text, "n": p.n, "charset": cs.name, "enc": cs.enc, "codec": p.codec, "size": p.size, "crc": p.crc}) // bytes: base64
	if err := os.WriteFile(filepath.Join(dir, "in.json"), in, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "unpack.js"), []byte(unpackJS), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `globalThis.self = globalThis; require('./unpack.js');
const p = JSON.parse(require('fs').readFileSync('in.json', 'utf8'));
const text = new TextDecoder(p.charset).decode(Buffer.from(p.bytes, 'base64'));
self.lipflowUnpack({ text, n: p.n, enc: p.enc, codec: p.codec, size: p.size, crc: p.crc }).then((b) => process.stdout.write(Buffer.from(b)), (e) => { console.error(String(e)); process.exit(1); });`
	cmd := exec.Command(node, "-e", script)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node: %v\n%s", err, stderr.String())
	}
	return out, nil
}

func TestBuildRefuses(t *testing.T) {
	cases := []struct{ name, from, to, want string }{
		{"an image file", `<a href="#top">`, `<img src="logo.png"><a href="#top">`, "img"},
		{"a module script", `<script src="a.js">`, `<script type="module" src="a.js">`, "classic"},
		{"a deferred script", `<script src="a.js">`, `<script defer src="a.js">`, "defer"},
		{"a preload link", `<link rel="icon" href="data:,">`, `<link rel="preload" href="a.js">`, "stylesheet"},
		{"a missing script", `<script src="a.js">`, `<script src="gone.js">`, "gone.js"},
		{"a script from elsewhere", `<script src="a.js">`, `<script src="https://cdn.example/a.js">`, "not a file"},
	}
	for _, c := range cases {
		site := fakeSite()
		index := string(site["index.html"].Data)
		if !strings.Contains(index, c.from) {
			t.Fatalf("%s: the fake index has no %q", c.name, c.from)
		}
		site["index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(index, c.from, c.to, 1))}
		if _, err := build(site, charsets["windows-1252"], packers["gzip"]); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
}
