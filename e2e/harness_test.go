// Package e2e drives the built site (www/) in headless Chromium: the tests of what a user sees;
// firefox_test.go opens the pages in headless Firefox ESR too, over WebDriver BiDi. Run them
// through ./build.sh test, which builds www/ first and sets LIPFLOW_E2E=1; without that variable
// the tests skip when www/ is not built or Chromium is missing. The Firefox tests skip whenever
// firefox-esr is missing (.ci/run installs it).
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// site serves www/ the way a static host would.
var site struct {
	once sync.Once
	url  string
	dir  string
	mu   sync.Mutex
	gets map[string]int // GET requests served, by path (workers' too, which the page's log misses)
}

// served returns how many GET requests for path (e.g. "/view.wasm") the site has answered so far.
func served(path string) int {
	site.mu.Lock()
	defer site.mu.Unlock()
	return site.gets[path]
}

func wwwDir(t *testing.T) string {
	t.Helper()
	dir := builtSite(t)
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("LIPFLOW_E2E") == "1" {
			t.Fatalf("%s missing: apt-get install chromium", chromium)
		}
		t.Skipf("%s not installed", chromium)
	}
	return dir
}

// builtSite returns the path of www/, skipping the test (failing it with LIPFLOW_E2E=1) when
// the site is not built.
func builtSite(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../www")
	if err != nil {
		t.Fatal(err)
	}
	required := os.Getenv("LIPFLOW_E2E") == "1"
	for _, f := range []string{"index.html", "engine.wasm", "view.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			if required {
				t.Fatalf("www/%s missing: ./build.sh builds it", f)
			}
			t.Skipf("www/%s not built: run ./build.sh test", f)
		}
	}
	return dir
}

func serveSite(t *testing.T) string {
	return startSite(wwwDir(t))
}

// startSite serves dir (www/) on 127.0.0.1, once for the whole test binary, and returns its URL.
func startSite(dir string) string {
	site.once.Do(func() {
		site.gets = map[string]int{}
		mux := http.NewServeMux()
		mux.Handle("/", http.FileServer(http.Dir(dir)))
		// Host pages that only the tests need (a course page with embeds, say).
		mux.HandleFunc("/_test/", func(w http.ResponseWriter, r *http.Request) {
			body, ok := testPages[strings.TrimPrefix(r.URL.Path, "/_test/")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		})
		// The TF.js comparison page (tfjs_test.go), bench only, cross-origin isolated so that
		// TF.js's threaded wasm may run.
		mux.Handle("/_tfjs/", isolated(http.StripPrefix("/_tfjs/", http.HandlerFunc(serveTFJS))))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				site.mu.Lock()
				site.gets[r.URL.Path]++
				site.mu.Unlock()
			}
			mux.ServeHTTP(w, r)
		}))
		site.url, site.dir = srv.URL, dir
		// The server lives as long as the test binary.
	})
	return site.url
}

// pageTimeout bounds a tab's life (the soak sets more).
var pageTimeout = 8 * time.Minute

// testPages are served under /_test/ beside the site.
var testPages = map[string]string{}

// page is one browser tab on the site, with what it logged.
type page struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	errors   []string // console errors, uncaught exceptions, failed loads
	requests []string // every URL the page asked for
	close    func()   // ends the browser now (it ends with the test otherwise)
}

// openPage starts a fresh headless Chromium (its own profile) and returns a tab, before any
// navigation, with the console and network recorded.
func openPage(t *testing.T, width, height int) *page {
	t.Helper()
	return openPageWith(t, width, height)
}

// openPageWith is openPage with more Chromium options (flags) after the usual ones.
func openPageWith(t *testing.T, width, height int, more ...chromedp.ExecAllocatorOption) *page {
	t.Helper()
	serveSite(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
		chromedp.Flag("headless", "new"),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("use-angle", "swiftshader"),
	)
	opts = append(opts, more...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, pageTimeout)
	end := func() { cancelTimeout(); cancelCtx(); cancelAlloc() }
	t.Cleanup(end)
	p := &page{t: t, ctx: ctx, close: end}
	// Opening the tab enables the runtime, log and network domains.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, p.record); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *page) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == "error" {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			p.errors = append(p.errors, "console.error: "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		p.errors = append(p.errors, "exception: "+msg)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			p.errors = append(p.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, e.Request.URL)
	}
}

// consoleErrors returns what the page reported as errors so far.
func (p *page) consoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// foreignRequests returns the requests that left the site's origin.
func (p *page) foreignRequests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, u := range p.requests {
		if !strings.HasPrefix(u, site.url+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			out = append(out, u)
		}
	}
	return out
}

// openPath navigates to path (relative to the site).
func (p *page) openPath(path string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(site.url+"/"+path)); err != nil {
		p.t.Fatal(err)
	}
}

// open navigates to path (relative to the site) and waits for window.lipflow.ready.
func (p *page) open(path string) {
	p.t.Helper()
	p.openPath(path)
	p.eval(`(async () => { for (let i = 0; i < 600 && !window.lipflow; i++) await new Promise(r => setTimeout(r, 50)); await window.lipflow.ready; return true })()`, nil)
}

// eval runs a JS expression (awaiting a Promise) and decodes its JSON value into out (if not nil).
func (p *page) eval(js string, out any) {
	p.t.Helper()
	if err := p.try(js, out); err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
}

// try is eval returning the error (a rejected Promise, an exception).
func (p *page) try(js string, out any) error {
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("decoding %s: %v", raw, err)
		}
	}
	return nil
}

func (p *page) screenshot(name string) []byte {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	dir := os.Getenv("LIPFLOW_SCREENSHOTS")
	if dir == "" {
		dir = p.t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return png
}
