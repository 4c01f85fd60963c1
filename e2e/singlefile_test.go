package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The single self-contained file (./build.sh dist's dist/lipflow.html, tools/singlefile) opened
// from disk, with no server: the lab loads, its view loads inside it, a flow runs and improves,
// both run under the file's Content-Security-Policy, and nothing is requested but the file
// itself and data:/blob: URLs.
func TestSingleFileOffline(t *testing.T) {
	file := singleFile(t)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(file) + "?viewer=full" // the full view, from its bundle

	p := openPage(t, 1280, 800)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	// Milliseconds from the start of the navigation (performance's time origin) to each event.
	var ready, view float64
	p.eval(`(async () => { for (let i = 0; i < 1200 && !window.lipflow; i++) await new Promise(r => setTimeout(r, 25)); await window.lipflow.ready; return performance.now() })()`, &ready)
	p.eval(`(async () => { for (let i = 0; i < 4800 && !window.lipflow.viewReady; i++) await new Promise(r => setTimeout(r, 25)); return window.lipflow.viewReady ? performance.now() : -1 })()`, &view)
	var times map[string]float64
	p.eval(`window.LIPFLOW_BUNDLE.times`, &times)
	t.Logf("%s: %d bytes; lipflow.ready %.0f ms and the view ready %.0f ms after the navigation started; the bundle's stages (ms): %v",
		filepath.Base(file), fi.Size(), ready, view, times)
	if view < 0 {
		var note string
		p.try(`(() => { const d = document.getElementById('view').contentDocument; const n = d && d.getElementById('loading'); return n ? n.textContent : 'no note' })()`, &note)
		t.Fatalf("the view did not load (lipflow.viewReady is not true): %s; errors: %v", note, p.consoleErrors())
	}
	var viewDoc string
	p.eval(`document.getElementById('view').contentWindow.location.href`, &viewDoc)
	if viewDoc != "about:srcdoc" {
		t.Errorf("the view is %q, want the iframe's srcdoc", viewDoc)
	}
	singleFileOnly(t, p, url)

	// The file is ASCII but for its payloads, every other character escaped: the page reads
	// the same as the served one (the title and a button of index.html, non-ASCII both).
	index, err := os.ReadFile(filepath.Join(wwwDir(t), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ js, re string }{
		{`document.title`, `<title>([^<]*)</title>`},
		{`document.getElementById('btn-play').textContent`, `<button id="btn-play"[^>]*>([^<]*)</button>`},
	} {
		m := regexp.MustCompile(c.re).FindSubmatch(index)
		if m == nil {
			t.Fatalf("www/index.html has no %s", c.re)
		}
		var got string
		p.eval(c.js, &got)
		if got != string(m[1]) {
			t.Errorf("%s is %q in the single file, %q in index.html", c.js, got, m[1])
		}
	}

	// The policy holds in the page and in the view's iframe (a srcdoc inherits it): a script
	// that is not one of the file's own blocks does not run, yet the wasm of both runs.
	for _, doc := range []string{"document", "document.getElementById('view').contentDocument"} {
		var inline string
		p.eval(`(() => { const d = `+doc+`, w = d.defaultView; const s = d.createElement('script'); s.textContent = 'window.__inline = 1'; d.head.appendChild(s); return w.__inline === 1 ? 'allowed' : 'blocked' })()`, &inline)
		if inline != "blocked" {
			t.Errorf("%s: an injected inline script is %s: the Content-Security-Policy does not hold there", doc, inline)
		}
	}
	p.mu.Lock()
	p.errors = nil // the blocked scripts were reported
	p.mu.Unlock()

	p.eval(`window.lipflow.configure({preset: 'swiss-roll'}).then(() => true)`, nil)
	p.eval(`window.lipflow.step(1).then(() => true)`, nil)
	first := p.status()
	p.eval(`window.lipflow.step(100).then(() => true)`, nil)
	last := p.status()
	t.Logf("swiss roll from the single file: %s %.4g at step %d -> %.4g at step %d", first.MetricName, first.Metric, first.Step, last.Metric, last.Step)
	if last.Step != 101 || last.Error != "" {
		t.Errorf("after step(1) and step(100): step %d, error %q", last.Step, last.Error)
	}
	if !(last.Metric < first.Metric/3) {
		t.Errorf("metric %.4g -> %.4g: want it to fall by 3x at least", first.Metric, last.Metric)
	}
	singleFileOnly(t, p, url)
	p.mu.Lock()
	t.Logf("requests: %d, of them blob: %d", len(p.requests), countPrefix(p.requests, "blob:"))
	p.mu.Unlock()
}

func countPrefix(xs []string, prefix string) int {
	n := 0
	for _, x := range xs {
		if strings.HasPrefix(x, prefix) {
			n++
		}
	}
	return n
}

// singleFileLimit is issue 11's bound on dist/lipflow.html: 3 MB.
const singleFileLimit = 3_000_000

// The single file as ./build.sh dist writes it (windows-1252, LZMA payloads: needs xz) is at
// most singleFileLimit bytes, measured on the file built from this www/.
func TestSingleFileSize(t *testing.T) {
	if _, err := exec.LookPath("xz"); err != nil {
		t.Fatal("xz missing (apt-get install xz-utils): tools/singlefile would write gzip payloads, a 4.1 MB file")
	}
	file := singleFile(t)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes (limit %d)", filepath.Base(file), fi.Size(), singleFileLimit)
	if fi.Size() > singleFileLimit {
		t.Errorf("the single file is %d bytes, over the %d of issue 11", fi.Size(), singleFileLimit)
	}
}

// singleFile writes the single file from the built www/ with tools/singlefile.
func singleFile(t *testing.T, flags ...string) string {
	t.Helper()
	www := wwwDir(t)
	file := filepath.Join(t.TempDir(), "lipflow.html")
	gen := exec.Command("go", append([]string{"run", "../tools/singlefile", "-www", www, "-o", file}, flags...)...)
	out, err := gen.CombinedOutput()
	if err != nil {
		t.Fatalf("tools/singlefile: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	return file
}

// A server that sends the single file as UTF-8 garbles its windows-1252 payloads: the page
// says so, in the lab and in the view, instead of failing somewhere in the decoding. The file
// written with -charset utf-8 runs there.
func TestSingleFileServedAsUTF8(t *testing.T) {
	for _, c := range []struct{ name, charset string }{{"lipflow-1252.html", "windows-1252"}, {"lipflow-utf8.html", "utf-8"}} {
		b, err := os.ReadFile(singleFile(t, "-charset", c.charset))
		if err != nil {
			t.Fatal(err)
		}
		testPages[c.name] = string(b) // served with charset=utf-8
		p := openPage(t, 1024, 700)
		p.openPath("_test/" + c.name + "?viewer=full")
		if c.charset == "utf-8" {
			p.eval(`(async () => { for (let i = 0; i < 1200 && !window.lipflow; i++) await new Promise(r => setTimeout(r, 25)); await window.lipflow.ready; for (let i = 0; i < 4800 && !window.lipflow.viewReady; i++) await new Promise(r => setTimeout(r, 25)); return true })()`, nil)
			var viewReady bool
			p.eval(`window.lipflow.viewReady`, &viewReady)
			p.eval(`window.lipflow.configure({preset: 'moons'}).then(() => window.lipflow.step(5)).then(() => true)`, nil)
			if s := p.status(); !viewReady || s.Step != 5 || s.Error != "" {
				t.Errorf("-charset utf-8, served as UTF-8: view ready %v, step %d, error %q", viewReady, s.Step, s.Error)
			}
			p.noErrors()
			continue
		}
		var said struct{ Lab, View string }
		p.eval(`(async () => {
		  const view = () => { const d = document.getElementById('view').contentDocument; const n = d && d.getElementById('loading'); return n ? n.textContent : '' };
		  for (let i = 0; i < 1200 && !(document.getElementById('messages').textContent.includes('windows-1252') && view().includes('windows-1252')); i++) await new Promise(r => setTimeout(r, 25));
		  return { lab: document.getElementById('messages').textContent, view: view() } })()`, &said)
		for where, text := range map[string]string{"the lab's messages": said.Lab, "the view's note": said.View} {
			if !strings.Contains(text, "read as UTF-8, not windows-1252") {
				t.Errorf("%s do not say why the engine cannot load: %q", where, text)
			}
		}
	}
}

// singleFileOnly fails the test on any console error and on any request for something else
// than the file itself, a data: or a blob: URL.
func singleFileOnly(t *testing.T, p *page, url string) {
	t.Helper()
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("the page reported errors:\n%s", strings.Join(errs, "\n"))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := false // the file itself: the recording works
	for _, u := range p.requests {
		seen = seen || u == url
		if u != url && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the single file requested %s", u)
		}
	}
	if !seen {
		t.Errorf("the requests recorded do not include the file itself: %v", p.requests)
	}
}
