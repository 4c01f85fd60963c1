package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func init() {
	// An empty course page: the tests write embed snippets and host scripts into it.
	testPages["blank.html"] = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body style="margin:0"></body></html>`
}

// The link that "copy link" writes reproduces the run step for step in a fresh browser.
func TestCopiedLinkReproduces(t *testing.T) {
	p := openPage(t, 1200, 800)
	p.open("index.html?play=0")
	p.eval(`lipflow.configure({preset: 'moons', seed: 7, L: 5, lr: 0.02, n: 150, m: 120}).then(() => true)`, nil)
	var link string
	p.eval(`(async () => { document.getElementById('btn-copy-link').click(); for (let i = 0; i < 100 && !document.getElementById('share-link'); i++) await new Promise(r => setTimeout(r, 20)); return document.getElementById('share-link').href })()`, &link)
	for _, want := range []string{"seed=7", "L=5", "lr=0.02", "n=150", "m=120", "target=moons"} {
		if !strings.Contains(link, want) {
			t.Errorf("the copied link %s lacks %s", link, want)
		}
	}
	p.eval(`lipflow.step(40).then(() => true)`, nil)
	want := p.particles()

	q := openPage(t, 1200, 800)
	q.open(strings.TrimPrefix(link, site.url+"/"))
	q.eval(`(async () => { lipflow.pause(); await lipflow.reset(); await lipflow.step(40); return true })()`, nil)
	got := q.particles()
	if len(got) != 300 || len(got) != len(want) {
		t.Fatalf("%d and %d particle coordinates, want 300", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("coordinate %d: %v from the link, %v in the original run", i, got[i], want[i])
		}
	}
	p.noErrors()
	q.noErrors()
}

type embedState struct {
	Loaded   bool     `json:"loaded"`
	Step     int      `json:"step"`
	Held     bool     `json:"held"`
	Running  bool     `json:"running"`
	Controls []string `json:"controls"` // the settings' rows shown
	Sidebar  string   `json:"sidebar"`  // display of the full page's controls
	Caption  string   `json:"caption"`
}

// The embed code, put twice into a course page: both embeds are compact (the view, play, pause,
// reset and the controls named), both run when seen, and the one out of view holds.
func TestEmbedSnippetTwice(t *testing.T) {
	p := openPage(t, 1200, 800)
	p.open("index.html?preset=four-wells-L1&play=0")
	var code string
	p.eval(`lipflow.embedCode({controls: 'L,f', caption: 'Try a smaller L', autoplay: true, size: '900x500'})`, &code)
	if !strings.HasPrefix(code, "<iframe ") || !strings.Contains(code, "embed=1") || !strings.Contains(code, "controls=L,f") || !strings.Contains(code, "autoplay=1") {
		t.Fatalf("embed code %s", code)
	}
	p.openPath("_test/blank.html")
	p.eval(`document.body.innerHTML = `+jsString(code)+` + '<div style="height:4000px"></div>' + `+jsString(code)+`; true`, nil)
	state := func(i int) embedState {
		var s embedState
		p.eval(`(() => { const w = document.querySelectorAll('iframe')[`+strconv.Itoa(i)+`].contentWindow; const d = w.document;
			if (!w.lipflow || !d.getElementById('embedbar')) return {loaded: false};
			const st = w.lipflow.status();
			const shown = Array.from(d.querySelectorAll('.row')).filter(r => r.offsetParent !== null && r.querySelector('[id^=s-]')).map(r => r.querySelector('[id^=s-]').id.slice(2));
			return {loaded: true, step: st.step, held: st.held, running: st.running, controls: shown,
				sidebar: w.getComputedStyle(d.getElementById('controls')).display, caption: d.getElementById('caption').textContent} })()`, &s)
		return s
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for start := time.Now(); !ok(); time.Sleep(200 * time.Millisecond) {
			if time.Since(start) > 90*time.Second {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	waitFor("the first embed to run", func() bool { s := state(0); return s.Loaded && s.Step > 20 })
	a := state(0)
	if a.Sidebar != "none" || strings.Join(a.Controls, ",") != "L,f" || a.Caption != "Try a smaller L" {
		t.Errorf("the embed shows sidebar display %q, controls %v, caption %q; want none, [L f], the caption", a.Sidebar, a.Controls, a.Caption)
	}
	p.screenshot("embed-compact.png")
	b0 := state(1)
	time.Sleep(2 * time.Second)
	b1 := state(1)
	if b1.Loaded && (b1.Step != b0.Step || !b1.Held) {
		t.Errorf("the embed out of view went from step %d to %d (held %v), want it held", b0.Step, b1.Step, b1.Held)
	}
	p.eval(`document.querySelectorAll('iframe')[1].scrollIntoView(); true`, nil)
	waitFor("the second embed to run once seen", func() bool { s := state(1); return s.Loaded && s.Step > 20 })
	a1 := state(0)
	time.Sleep(2 * time.Second)
	a2 := state(0)
	if a2.Step != a1.Step || !a2.Held {
		t.Errorf("the first embed, scrolled out of view, went from step %d to %d (held %v)", a1.Step, a2.Step, a2.Held)
	}
	t.Logf("embeds: first ran to %d steps then held; second held out of view, then ran to %d", a2.Step, state(1).Step)
	p.noErrors()
}

// Classroom flags: hidden controls are hidden, locked ones disabled, the caption shown.
func TestClassroomFlags(t *testing.T) {
	p := openPage(t, 1200, 800)
	p.open("index.html?preset=gaussian-L10&play=0&hide=speed,lr,export&lock=f,L&caption=" + "Only%20the%20step%20size%20is%20yours")
	var got struct {
		Hidden   []bool `json:"hidden"`
		Shown    []bool `json:"shown"`
		Disabled []bool `json:"disabled"`
		Caption  string `json:"caption"`
		Runs     bool   `json:"runs"`
		URL      string `json:"url"`
	}
	p.eval(`(() => { const vis = (el) => el.offsetParent !== null; const $ = (id) => document.getElementById(id);
		return {hidden: [vis($('speed')), vis($('s-lr')), vis($('sec-export'))], shown: [vis($('s-dt')), vis($('s-f')), vis($('s-L'))],
			disabled: [$('s-f').disabled, $('s-L').disabled, $('s-dt').disabled], caption: $('caption').textContent,
			runs: vis($('sec-runs')), url: location.search} })()`, &got)
	if got.Hidden[0] || got.Hidden[1] || got.Hidden[2] {
		t.Errorf("hidden controls visible (speed, lr, export): %v", got.Hidden)
	}
	if !got.Shown[0] || !got.Shown[1] || !got.Shown[2] {
		t.Errorf("dt, f, L visible: %v, want all", got.Shown)
	}
	if !got.Disabled[0] || !got.Disabled[1] || got.Disabled[2] {
		t.Errorf("disabled f, L, dt: %v, want true true false", got.Disabled)
	}
	if got.Caption != "Only the step size is yours" || got.Runs {
		t.Errorf("caption %q, comparison panel visible %v", got.Caption, got.Runs)
	}
	// A change of a free setting keeps the flags in the URL.
	p.eval(`(() => { const el = document.getElementById('s-dt'); el.value = '0.5'; el.dispatchEvent(new Event('change')); return true })()`, nil)
	time.Sleep(500 * time.Millisecond)
	p.eval(`location.search`, &got.URL)
	for _, want := range []string{"dt=0.5", "lock=f,L", "hide=speed,lr,export", "caption="} {
		if !strings.Contains(got.URL, want) {
			t.Errorf("URL %s lacks %s", got.URL, want)
		}
	}
	var bad []string
	p.open("index.html?play=0&hide=nonsense")
	p.eval(`Array.from(document.querySelectorAll('#messages .msg span')).map(s => s.textContent)`, &bad)
	if len(bad) == 0 || !strings.Contains(strings.Join(bad, "|"), `"nonsense" is not a control`) {
		t.Errorf("hide=nonsense: messages %v", bad)
	}
}

// The postMessage API: messages of the wrong shape are ignored; the documented ones work, and
// a locked setting cannot be changed through them.
func TestHostMessages(t *testing.T) {
	p := openPage(t, 1200, 800)
	p.openPath("_test/blank.html")
	p.eval(`(async () => {
		window.replies = [];
		window.addEventListener('message', (e) => { if (e.data && e.data.lipflow === 1) replies.push(e.data); });
		const f = document.createElement('iframe');
		f.src = '/index.html?embed=1&lock=f&preset=gaussian-L10';
		f.width = 900; f.height = 500;
		document.body.append(f);
		for (let i = 0; i < 600 && !(f.contentWindow.lipflow && f.contentWindow.lipflow.hostStats); i++) await new Promise(r => setTimeout(r, 50));
		await f.contentWindow.lipflow.ready;
		return true })()`, nil)
	send := func(js string) {
		p.eval(`document.querySelector('iframe').contentWindow.postMessage(`+js+`, '*'), true`, nil)
	}
	bad := []string{
		`"run"`,
		`{type: 'run'}`,
		`{lipflow: 2, type: 'run'}`,
		`{lipflow: 1, type: 'eval', code: 'parent.pwned = 1'}`,
		`{lipflow: 1, type: 'run', extra: 1}`,
		`{lipflow: 1, type: 'step', k: 'alert(1)'}`,
		`{lipflow: 1, type: 'step', k: 1e9}`,
		`{lipflow: 1, type: 'configure', settings: {L: {toString: 1}}}`,
		`{lipflow: 1, type: 'configure', settings: 'L=1'}`,
		`{lipflow: 1, type: 'configure', settings: {L: 1}, id: 'x'}`,
		`[1, 2]`,
	}
	for _, m := range bad {
		send(m)
	}
	time.Sleep(time.Second)
	var st struct {
		Accepted int  `json:"accepted"`
		Ignored  int  `json:"ignored"`
		Step     int  `json:"step"`
		Running  bool `json:"running"`
		Replies  int  `json:"replies"`
		Pwned    bool `json:"pwned"`
	}
	read := func() {
		p.eval(`(() => { const w = document.querySelector('iframe').contentWindow; const h = w.lipflow.hostStats(); const s = w.lipflow.status();
			return {accepted: h.accepted, ignored: h.ignored, step: s.step, running: s.running, replies: replies.length, pwned: !!window.pwned} })()`, &st)
	}
	read()
	if st.Ignored != len(bad) || st.Accepted != 0 || st.Step != 0 || st.Running || st.Replies != 0 || st.Pwned {
		t.Fatalf("after %d malformed messages: %+v, want all ignored, nothing run", len(bad), st)
	}
	send(`{lipflow: 1, type: 'step', id: 1, k: 5}`)
	// A configure cancels the steps in flight: wait for the step's reply first.
	p.eval(`(async () => { for (let i = 0; i < 400 && !replies.some(r => r.id === 1); i++) await new Promise(r => setTimeout(r, 50)); return true })()`, nil)
	send(`{lipflow: 1, type: 'configure', id: 2, settings: {preset: 'gaussian-L10', f: 'kl'}}`)
	send(`{lipflow: 1, type: 'configure', id: 3, settings: {target: 'moons', L: 3, f: 'kl-dv'}}`)
	send(`{lipflow: 1, type: 'subscribe', id: 4, on: true}`)
	var replies []struct {
		ID     float64 `json:"id"`
		Type   string  `json:"type"`
		OK     bool    `json:"ok"`
		Error  string  `json:"error"`
		Status struct {
			Step int `json:"step"`
		} `json:"status"`
	}
	p.eval(`(async () => { for (let i = 0; i < 200 && replies.filter(r => r.type === 'reply').length < 4; i++) await new Promise(r => setTimeout(r, 50)); return replies })()`, &replies)
	byID := map[float64]int{}
	for i, r := range replies {
		if r.Type == "reply" {
			byID[r.ID] = i
		}
	}
	if i, ok := byID[1]; !ok || !replies[i].OK || replies[i].Status.Step != 5 {
		t.Errorf("step 5: reply %+v", replies)
	}
	if i, ok := byID[2]; !ok || replies[i].OK || !strings.Contains(replies[i].Error, "locked") {
		t.Errorf("a configure changing the locked f: reply %+v, want refused", replies)
	}
	if i, ok := byID[3]; !ok || !replies[i].OK {
		t.Errorf("configure target=moons, L=3 (f as locked): reply %+v", replies)
	}
	var s map[string]any
	p.eval(`document.querySelector('iframe').contentWindow.lipflow.settings()`, &s)
	if s["target"] != "moons" || s["L"] != 3.0 || s["f"] != "kl-dv" {
		t.Errorf("settings after the host's configure: %v", s)
	}
	var events int
	p.eval(`replies.filter(r => r.type === 'status').length`, &events)
	if events < 1 {
		t.Error("subscribe: no status event")
	}
	p.noErrors()
}

func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
