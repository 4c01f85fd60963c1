package e2e

// The pages in Firefox ESR (Debian's firefox-esr), driven over WebDriver BiDi: Firefox speaks it
// natively when started with --remote-debugging-port, so the tests need no geckodriver. The
// client below is the few commands the tests use (session.new, session.subscribe,
// browsingContext.create/setViewport/navigate/captureScreenshot/close, script.evaluate,
// browser.close) over a WebSocket (github.com/coder/websocket), with the log.entryAdded and
// network events recorded as the Chromium tests record theirs: console errors, uncaught
// exceptions and unhandled rejections of the page, its iframes and its workers, failed loads,
// and every request. Headless Firefox here has no WebGL2: the lab shows its reduced view.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

const firefox = "/usr/bin/firefox-esr"

// firefoxPrefs go into the fresh profile's user.js: no updates, telemetry, studies, safe-browsing
// lists, captive-portal or connectivity checks, and a proxy that refuses everything but loopback,
// so that the browser reaches nothing beyond the test's server.
var firefoxPrefs = map[string]any{
	"app.update.disabledForTesting":                              true,
	"app.update.auto":                                            false,
	"app.normandy.enabled":                                       false,
	"app.normandy.api_url":                                       "",
	"app.shield.optoutstudies.enabled":                           false,
	"messaging-system.rsexperimentloader.enabled":                false,
	"browser.shell.checkDefaultBrowser":                          false,
	"browser.startup.page":                                       0,
	"browser.startup.homepage":                                   "about:blank",
	"browser.startup.homepage_override.mstone":                   "ignore",
	"startup.homepage_welcome_url":                               "about:blank",
	"startup.homepage_welcome_url.additional":                    "",
	"browser.aboutwelcome.enabled":                               false,
	"browser.newtabpage.enabled":                                 false,
	"browser.newtabpage.activity-stream.feeds.system.topstories": false,
	"browser.newtabpage.activity-stream.feeds.topsites":          false,
	"browser.topsites.contile.enabled":                           false,
	"browser.ping-centre.telemetry":                              false,
	"browser.search.update":                                      false,
	"browser.region.update.enabled":                              false,
	"browser.region.network.url":                                 "",
	"browser.safebrowsing.malware.enabled":                       false,
	"browser.safebrowsing.phishing.enabled":                      false,
	"browser.safebrowsing.downloads.enabled":                     false,
	"browser.safebrowsing.blockedURIs.enabled":                   false,
	"browser.safebrowsing.update.enabled":                        false,
	"browser.sessionstore.resume_from_crash":                     false,
	"browser.urlbar.speculativeConnect.enabled":                  false,
	"datareporting.policy.dataSubmissionEnabled":                 false,
	"datareporting.healthreport.uploadEnabled":                   false,
	"toolkit.telemetry.enabled":                                  false,
	"toolkit.telemetry.unified":                                  false,
	"toolkit.telemetry.archive.enabled":                          false,
	"toolkit.telemetry.server":                                   "data:,",
	"toolkit.telemetry.shutdownPingSender.enabled":               false,
	"toolkit.telemetry.newProfilePing.enabled":                   false,
	"toolkit.telemetry.firstShutdownPing.enabled":                false,
	"toolkit.startup.max_resumed_crashes":                        -1,
	"extensions.update.enabled":                                  false,
	"extensions.getAddons.cache.enabled":                         false,
	"extensions.blocklist.enabled":                               false,
	"extensions.systemAddon.update.enabled":                      false,
	"geo.provider.network.url":                                   "",
	"media.gmp-manager.url":                                      "",
	"media.gmp-gmpopenh264.enabled":                              false,
	"media.gmp-widevinecdm.enabled":                              false,
	"network.captive-portal-service.enabled":                     false,
	"network.connectivity-service.enabled":                       false,
	"network.dns.disablePrefetch":                                true,
	"network.prefetch-next":                                      false,
	"network.predictor.enabled":                                  false,
	"network.http.speculative-parallel-limit":                    0,
	"network.trr.mode":                                           5,
	"security.OCSP.enabled":                                      0,
	"services.settings.server":                                   "data:,#remote-settings-dummy/v1",
	// Every connection but to loopback goes to a proxy on the discard port, which refuses it.
	"network.proxy.type":                      1,
	"network.proxy.http":                      "127.0.0.1",
	"network.proxy.http_port":                 9,
	"network.proxy.ssl":                       "127.0.0.1",
	"network.proxy.ssl_port":                  9,
	"network.proxy.share_proxy_settings":      true,
	"network.proxy.no_proxies_on":             "localhost, 127.0.0.1",
	"network.proxy.allow_hijacking_localhost": false,
}

// firefoxBrowser is one headless Firefox driven over WebDriver BiDi; its events go to the tab
// being tested (tabs are tested one after the other).
type firefoxBrowser struct {
	bidi *bidiConn
	mu   sync.Mutex
	cur  *ffPage
}

// ffPage is one tab of the browser, and what it logged.
type ffPage struct {
	t        *testing.T
	b        *firefoxBrowser
	context  string // the tab's browsing context
	mu       sync.Mutex
	errors   []string // console errors, uncaught exceptions, failed loads
	warnings []string // console warnings, for the log
	requests []string // every URL the pages asked for
}

// stderrLines keeps Firefox's stderr (its first 300 lines) and hands over the WebSocket URL of
// its "WebDriver BiDi listening on" line.
type stderrLines struct {
	mu        sync.Mutex
	partial   []byte
	lines     []string
	listening chan string
}

var listeningRE = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

func (w *stderrLines) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, b...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		line := string(w.partial[:i])
		w.partial = w.partial[i+1:]
		if m := listeningRE.FindStringSubmatch(line); m != nil {
			select {
			case w.listening <- m[1]:
			default:
			}
		}
		if len(w.lines) < 300 {
			w.lines = append(w.lines, line)
		}
	}
}

func (w *stderrLines) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}

// firefoxPresent skips the test when Firefox ESR is not installed (with LIPFLOW_E2E=1 too: the
// Chromium tests are the suite's gate; .ci/run installs firefox-esr).
func firefoxPresent(t *testing.T) string {
	t.Helper()
	dir := builtSite(t)
	if _, err := os.Stat(firefox); err != nil {
		t.Skipf("%s not installed: the Firefox tests need Debian's firefox-esr (apt-get install firefox-esr)", firefox)
	}
	return dir
}

// startFirefox starts a fresh headless Firefox with its own profile, ended with the test.
func startFirefox(t *testing.T) *firefoxBrowser {
	t.Helper()
	startSite(firefoxPresent(t))
	profile := t.TempDir()
	var prefs strings.Builder
	for k, v := range firefoxPrefs {
		b, _ := json.Marshal(v)
		fmt.Fprintf(&prefs, "user_pref(%q, %s);\n", k, b)
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(prefs.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(firefox, "--headless", "--no-remote", "--remote-debugging-port", "0", "-profile", profile, "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1", "HOME="+profile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Firefox and its content processes, ended together
	// Firefox says on stderr where it listens; the rest of stderr is kept for a failure's report
	// (or LIPFLOW_FIREFOX_STDERR=1).
	errLog := &stderrLines{listening: make(chan string, 1)}
	cmd.Stdout, cmd.Stderr = io.Discard, errLog
	cmd.WaitDelay = 10 * time.Second // content processes that outlive Firefox keep stderr open
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		case <-time.After(5 * time.Second): // after browser.close
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what is left of the process group
		<-exited
		if t.Failed() || os.Getenv("LIPFLOW_FIREFOX_STDERR") == "1" {
			t.Logf("firefox's stderr:\n%s", errLog.String())
		}
	})
	var wsURL string
	select {
	case wsURL = <-errLog.listening:
	case <-exited:
		t.Fatalf("firefox exited before listening")
	case <-time.After(60 * time.Second):
		t.Fatalf("firefox did not start listening in 60 s")
	}

	fb := &firefoxBrowser{}
	b, err := dialBiDi(wsURL+"/session", fb.record)
	if err != nil {
		t.Fatal(err)
	}
	fb.bidi = b
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.call(ctx, "browser.close", map[string]any{}, nil)
		b.close()
	})
	var sess struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	fb.call(t, "session.new", map[string]any{"capabilities": map[string]any{}}, &sess)
	fb.call(t, "session.subscribe", map[string]any{"events": []string{"log.entryAdded", "network.beforeRequestSent", "network.responseCompleted", "network.fetchError"}}, nil)
	t.Logf("%s %s ready in %v", sess.Capabilities.BrowserName, sess.Capabilities.BrowserVersion, time.Since(start).Round(time.Millisecond))
	return fb
}

// tab opens a new tab of width x height CSS pixels for t (closed at its end), before any
// navigation, with its console and network recorded.
func (fb *firefoxBrowser) tab(t *testing.T, width, height int) *ffPage {
	t.Helper()
	var c struct {
		Context string `json:"context"`
	}
	fb.call(t, "browsingContext.create", map[string]any{"type": "tab"}, &c)
	p := &ffPage{t: t, b: fb, context: c.Context}
	fb.mu.Lock()
	fb.cur = p
	fb.mu.Unlock()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		fb.bidi.call(ctx, "browsingContext.close", map[string]any{"context": c.Context}, nil)
		fb.mu.Lock()
		fb.cur = nil
		fb.mu.Unlock()
	})
	p.call("browsingContext.setViewport", map[string]any{"context": p.context, "viewport": map[string]int{"width": width, "height": height}}, nil)
	return p
}

func (fb *firefoxBrowser) call(t *testing.T, method string, params, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	if err := fb.bidi.call(ctx, method, params, out); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

func (fb *firefoxBrowser) record(method string, params json.RawMessage) {
	fb.mu.Lock()
	p := fb.cur
	fb.mu.Unlock()
	if p != nil {
		p.record(method, params)
	}
}

// call sends a BiDi command and decodes its result into out (if not nil), failing the test on an error.
func (p *ffPage) call(method string, params, out any) {
	p.t.Helper()
	p.b.call(p.t, method, params, out)
}

// record keeps the events that tell of errors, and the requests.
func (p *ffPage) record(method string, params json.RawMessage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch method {
	case "log.entryAdded":
		var e struct {
			Type  string `json:"type"`
			Level string `json:"level"`
			Text  string `json:"text"`
		}
		json.Unmarshal(params, &e)
		switch e.Level {
		case "error":
			p.errors = append(p.errors, e.Type+": "+e.Text)
		case "warn":
			p.warnings = append(p.warnings, e.Type+": "+e.Text)
		}
	case "network.beforeRequestSent", "network.responseCompleted", "network.fetchError":
		var e struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
			Response struct {
				Status int `json:"status"`
			} `json:"response"`
			ErrorText string `json:"errorText"`
		}
		json.Unmarshal(params, &e)
		switch method {
		case "network.beforeRequestSent":
			p.requests = append(p.requests, e.Request.URL)
		case "network.responseCompleted":
			if e.Response.Status >= 400 {
				p.errors = append(p.errors, fmt.Sprintf("load: HTTP %d %s", e.Response.Status, e.Request.URL))
			}
		case "network.fetchError":
			p.errors = append(p.errors, "load: "+e.ErrorText+" "+e.Request.URL)
		}
	}
}

// noErrors fails the test on any error the page reported and on any request that left the
// site's origin (or, for a file: page, that was not the file, data: or blob:); it logs the
// console's warnings.
func (p *ffPage) noErrors(origin string) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.errors) > 0 {
		p.t.Errorf("the page reported errors in Firefox:\n%s", strings.Join(p.errors, "\n"))
	}
	for _, u := range p.requests {
		if !strings.HasPrefix(u, origin) && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") && u != "about:blank" {
			p.t.Errorf("a request left %s: %s", origin, u)
		}
	}
	if len(p.requests) == 0 {
		p.t.Errorf("no request was recorded: the network events are not arriving")
	}
	if len(p.warnings) > 0 {
		p.t.Logf("console warnings in Firefox:\n%s", strings.Join(p.warnings, "\n"))
	}
}

// navigate loads url in the tab and waits for its load event.
func (p *ffPage) navigate(url string) {
	p.t.Helper()
	p.call("browsingContext.navigate", map[string]any{"context": p.context, "url": url, "wait": "complete"}, nil)
}

// open navigates to path (relative to the site) and waits for window.lipflow.ready.
func (p *ffPage) open(path string) {
	p.t.Helper()
	p.navigate(site.url + "/" + path)
	p.eval(`(async () => { for (let i = 0; i < 600 && !window.lipflow; i++) await new Promise(r => setTimeout(r, 50)); await window.lipflow.ready; return true })()`, nil)
}

// eval runs a JS expression in the tab (awaiting a Promise) and decodes its JSON value into out
// (if not nil).
func (p *ffPage) eval(js string, out any) {
	p.t.Helper()
	if err := p.try(js, out); err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
}

// try is eval returning the error (a rejected Promise, an exception).
func (p *ffPage) try(js string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var r struct {
		Type   string `json:"type"`
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	// The value comes back as JSON text, like chromedp's Evaluate gives it.
	err := p.b.bidi.call(ctx, "script.evaluate", map[string]any{
		"expression":      "(async () => JSON.stringify(await (" + js + "\n)))()",
		"target":          map[string]string{"context": p.context},
		"awaitPromise":    true,
		"resultOwnership": "none",
	}, &r)
	if err != nil {
		return err
	}
	if r.Type == "exception" {
		return errors.New(r.ExceptionDetails.Text)
	}
	if r.Result.Type != "string" || out == nil {
		return nil
	}
	var text string
	if err := json.Unmarshal(r.Result.Value, &text); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(text), out); err != nil {
		return fmt.Errorf("decoding %s: %v", text, err)
	}
	return nil
}

// screenshot saves the tab's picture as name (in LIPFLOW_SCREENSHOTS, or the test's temporary folder).
func (p *ffPage) screenshot(name string) {
	p.t.Helper()
	var r struct {
		Data string `json:"data"`
	}
	p.call("browsingContext.captureScreenshot", map[string]any{"context": p.context}, &r)
	png, err := base64.StdEncoding.DecodeString(r.Data)
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
}

// bidiConn is a WebDriver BiDi connection: commands matched with their answers by id, events
// handed to a callback in the order they came.
type bidiConn struct {
	ws      *websocket.Conn
	onEvent func(method string, params json.RawMessage)
	mu      sync.Mutex
	next    int
	waiting map[int]chan bidiMessage
	err     error // why the connection ended
	done    chan struct{}
	cancel  context.CancelFunc
}

type bidiMessage struct {
	Type    string          `json:"type"` // success, error, event
	ID      *int            `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

func dialBiDi(url string, onEvent func(string, json.RawMessage)) (*bidiConn, error) {
	ctx, cancel := context.WithCancel(context.Background())
	dctx, dcancel := context.WithTimeout(ctx, 30*time.Second)
	defer dcancel()
	ws, _, err := websocket.Dial(dctx, url, nil)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("connecting to %s: %v", url, err)
	}
	ws.SetReadLimit(256 << 20) // screenshots and long results
	b := &bidiConn{ws: ws, onEvent: onEvent, waiting: map[int]chan bidiMessage{}, done: make(chan struct{}), cancel: cancel}
	go b.read(ctx)
	return b, nil
}

func (b *bidiConn) read(ctx context.Context) {
	defer close(b.done)
	for {
		_, data, err := b.ws.Read(ctx)
		if err != nil {
			b.mu.Lock()
			b.err = err
			b.mu.Unlock()
			return
		}
		var m bidiMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		if m.Type == "event" {
			b.onEvent(m.Method, m.Params)
			continue
		}
		if m.ID == nil {
			continue
		}
		b.mu.Lock()
		ch := b.waiting[*m.ID]
		delete(b.waiting, *m.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// call sends method with params and decodes the result into out (if not nil).
func (b *bidiConn) call(ctx context.Context, method string, params, out any) error {
	ch := make(chan bidiMessage, 1)
	b.mu.Lock()
	if b.err != nil {
		err := b.err
		b.mu.Unlock()
		return fmt.Errorf("the connection has ended: %v", err)
	}
	b.next++
	id := b.next
	b.waiting[id] = ch
	b.mu.Unlock()
	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	if err := b.ws.Write(ctx, websocket.MessageText, msg); err != nil {
		return err
	}
	select {
	case m := <-ch:
		if m.Type == "error" {
			return fmt.Errorf("%s: %s", m.Error, m.Message)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-b.done:
		return fmt.Errorf("the connection ended: %v", b.err)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *bidiConn) close() {
	b.ws.Close(websocket.StatusNormalClosure, "")
	b.cancel()
	<-b.done
}

// ---------- the tests ----------

func init() {
	// An embed of the lab, as a course page has it.
	testPages["firefox-embed.html"] = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body style="margin:0">
<iframe id="a" src="/index.html?embed=1&preset=gaussian-L10&steps=100000" width="900" height="560"></iframe>
</body></html>`
}

// TestFirefox opens each page in one headless Firefox ESR, runs a few steps through the page's
// API and wants no console error: the lab, the digits page (its smallest settings), the merge
// page, an embed, and the single file from disk.
func TestFirefox(t *testing.T) {
	fb := startFirefox(t)
	t.Run("lab", func(t *testing.T) { firefoxLab(t, fb) })
	t.Run("digits", func(t *testing.T) { firefoxDigits(t, fb) })
	t.Run("merge", func(t *testing.T) { firefoxMerge(t, fb) })
	t.Run("embed", func(t *testing.T) { firefoxEmbed(t, fb) })
	t.Run("singlefile", func(t *testing.T) { firefoxSingleFile(t, fb) })
}

// The lab: a preset improves over 150 steps.
func firefoxLab(t *testing.T, fb *firefoxBrowser) {
	p := fb.tab(t, 1280, 800)
	p.open("index.html?play=0&view=heat")
	var v viewState
	p.eval(viewStateJS+`(window)`, &v)
	checkReducedView(t, "Firefox", v)
	// Where this browser has no WebGL2 at all (asked here, on a canvas of its own), nothing
	// can start the full view: the notice must not offer to.
	var gl struct {
		None      bool   `json:"none"`
		Why       string `json:"why"`
		Startable bool   `json:"startable"`
		Button    bool   `json:"button"`
	}
	p.eval(`(() => { const v = window.lipflow.status().view; return {none: !document.createElement('canvas').getContext('webgl2'),
		why: v.why || '', startable: v.startable, button: !!document.getElementById('btn-full-view')} })()`, &gl)
	if gl.None && (gl.Why != "no WebGL2" || gl.Startable || gl.Button) {
		t.Errorf("Firefox without WebGL2: the reduced view's reason %q, startable %v, a start button %v; want \"no WebGL2\", neither", gl.Why, gl.Startable, gl.Button)
	}
	p.eval(`window.lipflow.configure({preset: 'swiss-roll'}).then(() => true)`, nil)
	var first, last status
	p.eval(`window.lipflow.step(1).then(() => window.lipflow.status())`, &first)
	p.eval(`window.lipflow.step(150).then(() => window.lipflow.status())`, &last)
	t.Logf("swiss roll in Firefox: %s %.4g at step %d -> %.4g at step %d", first.MetricName, first.Metric, first.Step, last.Metric, last.Step)
	if last.Step != 151 || last.Error != "" {
		t.Errorf("after step(1) and step(150): step %d, error %q", last.Step, last.Error)
	}
	if !(last.Metric < first.Metric/3) {
		t.Errorf("metric %.4g -> %.4g: want it to fall by 3x at least", first.Metric, last.Metric)
	}
	if !v.Ready {
		var cover float64
		p.eval(heatCoverJS, &cover)
		t.Logf("the simple view's canvas is %.0f%% coloured", 100*cover)
		if cover < 0.5 {
			t.Errorf("the reduced view's canvas is %.0f%% coloured: want the heat map under most of it", 100*cover)
		}
	}
	p.screenshot("firefox-lab.png")
	p.noErrors(site.url + "/")
}

// The digits page with its smallest autoencoder: one epoch of width 16, then two steps of latent GPA.
func firefoxDigits(t *testing.T, fb *firefoxBrowser) {
	for _, f := range []string{"digits.wasm", "data/mnist/train.bin.gz", "data/mnist/heldout.bin.gz"} {
		if _, err := os.Stat(filepath.Join(site.dir, f)); err != nil {
			t.Fatalf("www/%s missing: ./build.sh builds it", f)
		}
	}
	p := fb.tab(t, 1400, 1000)
	p.open("digits.html?ae_epochs=1&ae_width=16&play=0&train=0")
	start := time.Now()
	p.eval(`window.lipflow.trainAE().then(() => true)`, nil)
	train := time.Since(start)
	var s struct {
		Step  int     `json:"step"`
		Error *string `json:"error"`
		N     int     `json:"n"`
		AE    struct {
			Trained bool    `json:"trained"`
			Loss    float64 `json:"loss"`
		} `json:"ae"`
	}
	p.eval(`window.lipflow.step(2).then(() => window.lipflow.status())`, &s)
	var finite bool
	p.eval(`(() => { const x = window.lipflow.samples(); return x.length > 0 && x.every(Number.isFinite) })()`, &finite)
	t.Logf("digits in Firefox: autoencoder trained in %v (loss %.4g); step %d, N = %d", train.Round(100*time.Millisecond), s.AE.Loss, s.Step, s.N)
	if !s.AE.Trained || s.Step != 2 || s.Error != nil && *s.Error != "" || !finite {
		t.Errorf("after trainAE() and step(2): trained %v, step %d, error %v, samples finite %v", s.AE.Trained, s.Step, s.Error, finite)
	}
	p.noErrors(site.url + "/")
}

// The merge page: 100 steps of the default merge bring the batches closer.
func firefoxMerge(t *testing.T, fb *firefoxBrowser) {
	p := fb.tab(t, 1100, 1250)
	p.open("merge.html?play=0")
	var st mergeStatus
	p.eval(`window.lipflow.step(100).then(() => window.lipflow.status())`, &st)
	if st.Step != 100 || st.Error != nil || st.Before == nil || st.After == nil {
		t.Fatalf("after step(100): %+v", st)
	}
	t.Logf("merge in Firefox, step %d (figures of step %d): Sinkhorn %.0f -> %.0f, MMD² %.4f -> %.4f", st.Step, st.FigureStep, st.Before.Sinkhorn, st.After.Sinkhorn, st.Before.MMD, st.After.MMD)
	if st.FigureStep != 100 || !(st.After.Sinkhorn < st.Before.Sinkhorn/2) {
		t.Errorf("figures of step %d, Sinkhorn %.0f -> %.0f: want step 100's and at least halved", st.FigureStep, st.Before.Sinkhorn, st.After.Sinkhorn)
	}
	p.noErrors(site.url + "/")
}

// An embed of the lab on a course page runs.
func firefoxEmbed(t *testing.T, fb *firefoxBrowser) {
	p := fb.tab(t, 1000, 700)
	p.navigate(site.url + "/_test/firefox-embed.html")
	p.eval(`(async () => { const w = document.getElementById('a').contentWindow; for (let i = 0; i < 600 && !w.lipflow; i++) await new Promise(r => setTimeout(r, 50)); await w.lipflow.ready; return true })()`, nil)
	var v viewState
	p.eval(viewStateJS+`(document.getElementById('a').contentWindow)`, &v)
	checkReducedView(t, "Firefox, embed", v)
	var s0, s1 embedStatus
	p.eval(`document.getElementById('a').contentWindow.lipflow.step(20).then(s => s)`, &s0)
	p.eval(`(async () => { const l = document.getElementById('a').contentWindow.lipflow; l.run(); await new Promise(r => setTimeout(r, 2000)); l.pause(); return l.status() })()`, &s1)
	t.Logf("embed in Firefox: step(20) -> step %d; run() for 2 s -> step %d (held %v)", s0.Step, s1.Step, s1.Held)
	if s0.Step != 20 || s1.Step <= s0.Step || s1.Held {
		t.Errorf("embed: step(20) gave step %d, running 2 s step %d (held %v)", s0.Step, s1.Step, s1.Held)
	}
	p.screenshot("firefox-embed.png")
	p.noErrors(site.url + "/")
}

// The single file, opened from disk: it loads and a flow improves, nothing is requested but the
// file and data:/blob: URLs.
func firefoxSingleFile(t *testing.T, fb *firefoxBrowser) {
	file := filepath.Join(t.TempDir(), "lipflow.html")
	gen := exec.Command("go", "run", "../tools/singlefile", "-www", site.dir, "-o", file)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("tools/singlefile: %v\n%s", err, out)
	}
	url := "file://" + filepath.ToSlash(file)
	p := fb.tab(t, 1280, 800)
	p.navigate(url)
	p.eval(`(async () => { for (let i = 0; i < 1200 && !window.lipflow; i++) await new Promise(r => setTimeout(r, 25)); await window.lipflow.ready; return true })()`, nil)
	var v viewState
	p.eval(viewStateJS+`(window)`, &v)
	checkReducedView(t, "Firefox, single file", v)
	var first, last status
	p.eval(`window.lipflow.configure({preset: 'swiss-roll'}).then(() => window.lipflow.step(1)).then(() => window.lipflow.status())`, &first)
	p.eval(`window.lipflow.step(100).then(() => window.lipflow.status())`, &last)
	t.Logf("swiss roll from the single file in Firefox: %s %.4g at step %d -> %.4g at step %d", first.MetricName, first.Metric, first.Step, last.Metric, last.Step)
	if last.Step != 101 || last.Error != "" || !(last.Metric < first.Metric/3) {
		t.Errorf("after step(1) and step(100): step %d, error %q, metric %.4g -> %.4g", last.Step, last.Error, first.Metric, last.Metric)
	}
	p.noErrors(url)
}
