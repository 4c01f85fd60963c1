package e2e

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// openPhone is openPage as a phone: a width x height CSS px touch screen of 3 device pixels per
// CSS pixel, with the mobile viewport (the page's meta viewport applies) and up to 5 fingers.
func openPhone(t *testing.T, width, height int) *page {
	t.Helper()
	p := openPage(t, width, height)
	if _, err := chromedp.Call(p.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(width), Height: int64(height), DeviceScaleFactor: 3, Mobile: true,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}); err != nil {
		t.Fatal(err)
	}
	return p
}

// finger is a touch point: its id and where it is (CSS px of the page's viewport).
type finger struct {
	ID   int
	X, Y float64
}

// touch dispatches a touch event with the fingers on the screen (none for touchEnd). A finger
// that was down and is missing is lifted.
func (p *page) touch(typ input.DispatchTouchEventType, fingers ...finger) {
	p.t.Helper()
	tp := make([]*input.TouchPoint, len(fingers))
	for i, f := range fingers {
		id := float64(f.ID)
		tp[i] = &input.TouchPoint{X: f.X, Y: f.Y, ID: &id}
	}
	if _, err := chromedp.Call(p.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: tp}); err != nil {
		p.t.Fatal(err)
	}
}

// tap taps the element's centre with one finger.
func (p *page) tap(id string) {
	p.t.Helper()
	var c [2]float64
	p.eval(`(() => { const b = document.getElementById('`+id+`').getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2] })()`, &c)
	p.touch(input.DispatchTouchEventTypeTouchStart, finger{0, c[0], c[1]})
	p.touch(input.DispatchTouchEventTypeTouchEnd)
}

type box struct{ X, Y, W, H float64 }

type phoneLayout struct {
	InnerW, InnerH float64
	ScrollW        int
	View           box
	Panel          box
	PanelShown     bool
	Expanded       string
	// Reachable lists, for each of play, pause, step, reset, whether the button is inside the
	// viewport and is what a tap on its centre hits.
	Reachable []bool
}

const phoneLayoutJS = `(() => {
  const r = (el) => { const b = el.getBoundingClientRect(); return {X: b.x, Y: b.y, W: b.width, H: b.height} };
  const more = document.getElementById('controls-more');
  const reach = ['btn-play', 'btn-pause', 'btn-step', 'btn-reset'].map((id) => {
    const el = document.getElementById(id), b = el.getBoundingClientRect();
    if (!b.width || b.left < 0 || b.top < 0 || b.right > innerWidth || b.bottom > innerHeight) return false;
    return el.contains(document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2));
  });
  return {InnerW: innerWidth, InnerH: innerHeight, ScrollW: document.documentElement.scrollWidth, View: r(document.getElementById('viewbox')),
    Panel: r(more), PanelShown: getComputedStyle(more).display !== 'none', Expanded: document.getElementById('btn-controls').getAttribute('aria-expanded'), Reachable: reach};
})()`

func (p *page) phoneLayout() phoneLayout {
	p.t.Helper()
	var l phoneLayout
	p.eval(phoneLayoutJS, &l)
	return l
}

// waitView waits for the full view to run and to have drawn the targets.
func (p *page) waitView() {
	p.t.Helper()
	var ok bool
	p.eval(`(async () => { for (let i = 0; i < 4800; i++) { const w = document.getElementById('view').contentWindow; if (window.lipflow.viewReady && w.lipflowView && w.lipflowView.debug().targets > 0 && w.lipflowView.debug().draws > 0) return true; await new Promise(r => setTimeout(r, 25)); } return false })()`, &ok)
	if !ok {
		var st string
		p.eval(`(() => { const w = document.getElementById('view').contentWindow; return JSON.stringify({ready: window.lipflow.viewReady, reduced: window.lipflow.reducedView, viewbox: document.getElementById('viewbox').className, messages: document.getElementById('messages').innerText, debug: w.lipflowView ? w.lipflowView.debug() : null, note: w.document.body.innerText.slice(0, 200)}) })()`, &st)
		p.t.Fatalf("the view did not start: %s; errors: %v", st, p.consoleErrors())
	}
	time.Sleep(500 * time.Millisecond) // the first fit and viewChanged
}

type region struct{ X0, X1, Y0, Y1 float64 }

func (p *page) viewRegion() region {
	p.t.Helper()
	var r region
	p.eval(`(() => { const v = document.getElementById('view').contentWindow.lipflowView.getView(); return {X0: v.x0, X1: v.x1, Y0: v.y0, Y1: v.y1} })()`, &r)
	return r
}

// On a 390 x 844 phone the lab is one column: a bar with the run's buttons and a Settings button
// over the full-width view. Nothing overflows sideways, the settings unfold as a panel and fold
// again, the run steps, and in the view one finger pans, two fingers pinch-zoom and a double tap
// fits.
func TestPhoneLayoutAndTouch(t *testing.T) {
	p := openPhone(t, 390, 844)
	p.open("index.html?preset=swiss-roll&play=0&viewer=full")
	p.waitView()

	l := p.phoneLayout()
	t.Logf("folded: viewport %gx%g, scrollWidth %d, view %+v, buttons reachable %v", l.InnerW, l.InnerH, l.ScrollW, l.View, l.Reachable)
	if l.InnerW != 390 {
		t.Errorf("innerWidth %g, want 390: the page's layout is wider than the phone", l.InnerW)
	}
	if float64(l.ScrollW) > l.InnerW {
		t.Errorf("horizontal overflow: scrollWidth %d > innerWidth %g", l.ScrollW, l.InnerW)
	}
	if l.View.W < 0.97*l.InnerW || l.View.X < 0 || l.View.X+l.View.W > l.InnerW+0.5 {
		t.Errorf("the view is %+v: it should take the phone's width %g", l.View, l.InnerW)
	}
	if l.View.H < 0.6*l.InnerH {
		t.Errorf("the view is %g px high on a %g px screen", l.View.H, l.InnerH)
	}
	for i, ok := range l.Reachable {
		if !ok {
			t.Errorf("the run's button %d (play, pause, step, reset) is not reachable", i)
		}
	}
	if l.PanelShown || l.Expanded != "false" {
		t.Errorf("the settings should start folded: shown %v, aria-expanded %q", l.PanelShown, l.Expanded)
	}
	var touchAction string
	p.eval(`(() => { const d = document.getElementById('view').contentDocument; return getComputedStyle(d.querySelector('canvas')).touchAction })()`, &touchAction)
	if touchAction != "none" {
		t.Errorf("the view's canvas has touch-action %q, want none", touchAction)
	}
	p.screenshot("phone-folded.png")

	// The settings unfold over the view, inside the screen, and fold again.
	p.tap("btn-controls")
	l = p.phoneLayout()
	t.Logf("unfolded: panel %+v, aria-expanded %s, scrollWidth %d", l.Panel, l.Expanded, l.ScrollW)
	if !l.PanelShown || l.Expanded != "true" {
		t.Errorf("a tap on Settings should unfold them: shown %v, aria-expanded %q", l.PanelShown, l.Expanded)
	}
	if l.Panel.H < 200 || l.Panel.X < 0 || l.Panel.X+l.Panel.W > l.InnerW+0.5 || l.Panel.Y+l.Panel.H > l.InnerH+0.5 {
		t.Errorf("the settings panel %+v should be inside the %gx%g screen", l.Panel, l.InnerW, l.InnerH)
	}
	if float64(l.ScrollW) > l.InnerW {
		t.Errorf("horizontal overflow with the settings open: scrollWidth %d", l.ScrollW)
	}
	var inPanel bool
	p.eval(`(() => { const el = document.getElementById('s-L'), b = el.getBoundingClientRect(); document.getElementById('controls-more').scrollTop = 0; el.scrollIntoView({block: 'nearest'}); const c = el.getBoundingClientRect(); return document.elementFromPoint(c.x + c.width / 2, c.y + c.height / 2) === el })()`, &inPanel)
	if !inPanel {
		t.Errorf("the setting L cannot be reached in the unfolded panel")
	}
	p.eval(`document.getElementById('controls-more').scrollTop = 0, true`, nil)
	p.screenshot("phone-settings.png")
	p.tap("btn-controls")
	if l = p.phoneLayout(); l.PanelShown || l.Expanded != "false" {
		t.Errorf("a second tap should fold the settings: shown %v, aria-expanded %q", l.PanelShown, l.Expanded)
	}

	// The run steps, from the API and from the Step button.
	p.eval(`window.lipflow.step(5).then(() => true)`, nil)
	if s := p.status(); s.Step != 5 {
		t.Errorf("after step(5) the run is at step %d", s.Step)
	}
	p.tap("btn-step")
	var step int
	p.eval(`(async () => { for (let i = 0; i < 200 && window.lipflow.status().step < 6; i++) await new Promise(r => setTimeout(r, 25)); return window.lipflow.status().step })()`, &step)
	if step != 6 {
		t.Errorf("a tap on Step: the run is at step %d, want 6", step)
	}

	// One finger drags the data 100 px to the right: the region shown moves left, same size.
	const start, move, end = input.DispatchTouchEventTypeTouchStart, input.DispatchTouchEventTypeTouchMove, input.DispatchTouchEventTypeTouchEnd
	cx, cy := l.View.X+l.View.W/2, l.View.Y+l.View.H*0.4
	before := p.viewRegion()
	p.touch(start, finger{0, cx - 50, cy})
	for i := 1; i <= 5; i++ {
		p.touch(move, finger{0, cx - 50 + 20*float64(i), cy})
	}
	p.touch(end)
	after := p.viewRegion()
	span := before.X1 - before.X0
	shift := (before.X0 - after.X0) / span // the fraction of the width shown
	plotW := 100 / shift                   // the plot's width in CSS px
	t.Logf("one-finger drag of 100 px: x %.4g..%.4g -> %.4g..%.4g (%.3f of the width: a plot %.0f px wide), y %.4g..%.4g -> %.4g..%.4g", before.X0, before.X1, after.X0, after.X1, shift, plotW, before.Y0, before.Y1, after.Y0, after.Y1)
	if plotW < 0.75*l.View.W || plotW > l.View.W {
		t.Errorf("a drag of 100 px over a %g px view moved the region by %.3f of its width, as if the plot were %.0f px wide", l.View.W, shift, plotW)
	}
	if d := math.Abs((after.X1-after.X0)/span - 1); d > 1e-6 {
		t.Errorf("a one-finger drag changed the width shown by %.3g", d)
	}
	if d := math.Abs(after.Y0-before.Y0) / (before.Y1 - before.Y0); d > 1e-6 {
		t.Errorf("a horizontal drag moved the region vertically by %.3g of its height", d)
	}

	// Two fingers 80 px apart spread to 200 px about a point left of the centre: the view zooms
	// in 2.5 times about that point. The data under it stay there: from the regions before and
	// after, the fixed point is at a fraction a of the width shown, so a plotW px right of the
	// plot's left edge, which is between the view's edge and the axis labels' width from it.
	sx := l.View.X + 0.3*l.View.W
	before = after
	p.touch(start, finger{0, sx - 40, cy}, finger{1, sx + 40, cy})
	for i := 1; i <= 6; i++ {
		d := 40 + 10*float64(i)
		p.touch(move, finger{0, sx - d, cy}, finger{1, sx + d, cy})
	}
	p.touch(end)
	after = p.viewRegion()
	ratio := (after.X1 - after.X0) / (before.X1 - before.X0)
	yRatio := (after.Y1 - after.Y0) / (before.Y1 - before.Y0)
	a := (before.X0 - after.X0) / ((after.X1 - after.X0) - (before.X1 - before.X0))
	left := sx - a*plotW
	t.Logf("pinch 80 -> 200 px at x = %.0f px: x %.4g..%.4g -> %.4g..%.4g: width x %.3f, height x %.3f; fixed point at %.3f of the width: the plot's left edge at %.0f px", sx, before.X0, before.X1, after.X0, after.X1, ratio, yRatio, a, left)
	if math.Abs(ratio-0.4) > 0.02 || math.Abs(yRatio-ratio) > 1e-6 {
		t.Errorf("a pinch from 80 to 200 px scaled the region by %.3f (height %.3f), want 0.4", ratio, yRatio)
	}
	if left < l.View.X-2 || left > l.View.X+80 {
		t.Errorf("the pinch's fixed point is at %.3f of the width shown: not the fingers' midpoint at %.0f px", a, sx)
	}

	// Fingers pinching in zoom out; when one lifts, the other pans. Input.dispatchTouchEvent
	// lifts all fingers at once, so the first finger's pointerup is the page's own event.
	before = after
	p.eval(`(() => { const w = document.getElementById('view').contentWindow; window.__downs = []; w.document.addEventListener('pointerdown', (e) => window.__downs.push(e.pointerId)); return true })()`, nil)
	p.touch(start, finger{0, sx - 100, cy}, finger{1, sx + 100, cy})
	p.touch(move, finger{0, sx - 50, cy}, finger{1, sx + 50, cy})
	mid := p.viewRegion()
	p.eval(`(() => { const w = document.getElementById('view').contentWindow, b = document.getElementById('view').getBoundingClientRect();
	  w.document.querySelector('canvas').dispatchEvent(new w.PointerEvent('pointerup', {pointerId: window.__downs[0], pointerType: 'touch', isPrimary: true, clientX: `+fmt.Sprint(sx-50)+` - b.x, clientY: `+fmt.Sprint(cy)+` - b.y, bubbles: true}));
	  return window.__downs.length === 2 })()`, nil)
	p.touch(move, finger{0, sx - 50, cy}, finger{1, sx + 110, cy})
	p.touch(end)
	after = p.viewRegion()
	r := (mid.X1 - mid.X0) / (before.X1 - before.X0)
	panned := (mid.X0 - after.X0) / (mid.X1 - mid.X0)
	t.Logf("pinch 200 -> 100 px: width x %.3f; then one finger 60 px: %.3f of the width", r, panned)
	if math.Abs(r-2) > 0.1 {
		t.Errorf("a pinch from 200 to 100 px scaled the region by %.3f, want 2", r)
	}
	if want := 60 / plotW; math.Abs(panned-want) > 0.1*want || math.Abs((after.X1-after.X0)/(mid.X1-mid.X0)-1) > 1e-6 {
		t.Errorf("the finger left after a pinch moved the region by %.3f of its width (want %.3f), width x %.4g", panned, want, (after.X1-after.X0)/(mid.X1-mid.X0))
	}

	// A double tap fits the view, as resetView() does. The taps are the page's own pointer
	// events: Input.dispatchTouchEvent waits for the renderer's frames, which under load puts
	// seconds between two taps.
	p.eval(`(() => { const v = document.getElementById('view'), w = v.contentWindow, b = v.getBoundingClientRect(), c = w.document.querySelector('canvas');
	  for (const [type, id] of [['pointerdown', 901], ['pointerup', 901], ['pointerdown', 902], ['pointerup', 902]])
	    c.dispatchEvent(new w.PointerEvent(type, {pointerId: id, pointerType: 'touch', isPrimary: true, button: 0, clientX: `+fmt.Sprint(cx)+` - b.x, clientY: `+fmt.Sprint(cy)+` - b.y, bubbles: true}));
	  return true })()`, nil)
	tapped := p.viewRegion()
	p.eval(`document.getElementById('view').contentWindow.lipflowView.resetView(), true`, nil)
	fit := p.viewRegion()
	t.Logf("double tap: x %.4g..%.4g -> %.4g..%.4g; resetView: %.4g..%.4g", after.X0, after.X1, tapped.X0, tapped.X1, fit.X0, fit.X1)
	if tapped != fit || tapped == after {
		t.Errorf("a double tap should fit the view: %+v, the fit is %+v", tapped, fit)
	}
	p.noErrors()
}

// A course page's embed 360 px wide on a phone: no sideways overflow, the view as wide as the
// frame, the run's buttons reachable, and it runs.
func TestPhoneEmbed(t *testing.T) {
	p := openPhone(t, 360, 640)
	p.open("index.html?embed=1&controls=L,speed&caption=Try%20a%20smaller%20L&preset=moons&viewer=full")
	p.waitView()
	l := p.phoneLayout()
	t.Logf("embed: viewport %gx%g, scrollWidth %d, view %+v, buttons reachable %v", l.InnerW, l.InnerH, l.ScrollW, l.View, l.Reachable)
	if l.InnerW != 360 || float64(l.ScrollW) > l.InnerW {
		t.Errorf("horizontal overflow: innerWidth %g, scrollWidth %d", l.InnerW, l.ScrollW)
	}
	if l.View.W < 0.97*l.InnerW || l.View.H < 0.45*l.InnerH {
		t.Errorf("the view is %+v in a %gx%g embed", l.View, l.InnerW, l.InnerH)
	}
	for i, ok := range l.Reachable {
		if i != 2 && !ok { // an embed has no Step button
			t.Errorf("the run's button %d (play, pause, -, reset) is not reachable", i)
		}
	}
	p.eval(`window.lipflow.step(5).then(() => true)`, nil)
	if s := p.status(); s.Step != 5 {
		t.Errorf("after step(5) the embed is at step %d", s.Step)
	}
	p.tap("btn-play")
	var step int
	p.eval(`(async () => { for (let i = 0; i < 400 && window.lipflow.status().step < 20; i++) await new Promise(r => setTimeout(r, 25)); return window.lipflow.status().step })()`, &step)
	if step < 20 {
		t.Errorf("a tap on play: the embed is at step %d after 10 s", step)
	}
	p.tap("btn-pause")
	p.screenshot("phone-embed.png")
	p.noErrors()
}

// chartGapsJS counts, on the simple view's charts (their canvas over the strip under the
// plot), the coloured pixels in the gaps between the three charts (render.ComputeLayout's
// strip: 8 px margins, 10 px gaps) along their title rows: a title wider than its chart runs
// into the gap. It also returns the charts' width in CSS px and whether the view is tall enough
// for them.
const chartGapsJS = `(() => {
  const v = document.getElementById('fallback'), c = document.getElementById('fallback-charts');
  if (!c) return { inked: -1, cw: 0, charts: false };
  const g = c.getContext('2d'), w = v.clientWidth, h = v.clientHeight, k = c.width / w;
  const ch = Math.max(110, Math.round(0.25 * h)), gap = 10, cw = (w - 8 - 2 * gap - 8) / 3, top = h - ch;
  let inked = 0;
  for (let i = 0; i < 2; i++) {
    const x0 = Math.ceil((8 + i * (cw + gap) + cw + 1) * k), x1 = Math.floor((8 + (i + 1) * (cw + gap) - 1) * k);
    const y0 = Math.floor((6 + 2) * k), y1 = Math.ceil((6 + 15) * k); // from the strip's top
    const d = g.getImageData(x0, y0, x1 - x0, y1 - y0).data;
    for (let j = 0; j < d.length; j += 4) if (d[j + 3] > 55) inked++; // drawn on (the rest is clear)
  }
  return { inked, cw, charts: h > 260 };
})()`

// TestPhoneReducedView runs the heavy-tail comparison (whose kinetic energy spans decades, so
// its chart is titled "kinetic energy  (symlog)") in the reduced view on a 390 px phone, where
// a chart is about 118 px wide, and checks that no title runs into the gap beside its chart
// and that the view's notice leaves the plot alone.
func TestPhoneReducedView(t *testing.T) {
	p := openPhone(t, 390, 844)
	p.open("index.html?preset=heavy-tails-compare&viewer=reduced&play=0")
	// At step 160 the kinetic energy spans decades (symlog); later, it may not.
	p.eval(`lipflow.step(160).then(() => true)`, nil)
	time.Sleep(500 * time.Millisecond) // the charts' picture is redrawn once the run stops
	var r struct {
		Inked  int     `json:"inked"`
		CW     float64 `json:"cw"`
		Charts bool    `json:"charts"`
	}
	p.eval(chartGapsJS, &r)
	// The canvas has at most 1.5 pixels per CSS pixel (MAX_DPR in lipflow.js) on this 3x screen.
	var scale float64
	p.eval(`(() => { const c = document.getElementById('fallback'); return c.width / c.clientWidth })()`, &scale)
	if scale > 1.51 || scale < 1.49 {
		t.Errorf("the reduced view's canvas has %.2f pixels per CSS pixel on a 3x screen, want 1.5", scale)
	}
	if !r.Charts {
		t.Fatalf("no charts on the phone's reduced view (%+v)", r)
	}
	t.Logf("charts %.0f px wide; coloured pixels in the gaps at the titles: %d", r.CW, r.Inked)
	if r.Inked > 0 {
		t.Errorf("%d coloured pixels in the gaps between the charts along their titles: a title runs past its chart", r.Inked)
	}
	// The reduced view's notice says only why on a phone (the rest is in its title): it covered
	// a fifth of the plot.
	var n struct {
		Notice, View float64
		Text, Title  string
	}
	p.eval(`(() => { const n = document.getElementById('view-notice');
	  return { Notice: n ? n.offsetHeight : -1, View: document.getElementById('viewbox').clientHeight,
	    Text: n ? n.innerText : '', Title: n ? n.title : '' } })()`, &n)
	t.Logf("the notice: %.0f px of the view's %.0f: %q", n.Notice, n.View, n.Text)
	if n.Notice < 0 || n.Notice > 0.1*n.View {
		t.Errorf("the reduced view's notice is %.0f px high in a view of %.0f px, want at most a tenth", n.Notice, n.View)
	}
	if !strings.Contains(n.Title, "zooming, trails and drawing targets need the full view") {
		t.Errorf("the notice's title %q lacks what the full view adds", n.Title)
	}
}
