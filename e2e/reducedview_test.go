package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// viewState tells whether the lab in a window shows the full view, or the reduced one
// with its notice, and how long after the navigation it knew.
type viewState struct {
	Ready   bool    `json:"ready"`
	Reduced bool    `json:"reduced"` // the viewbox's class
	Why     *string `json:"why"`     // lipflow.reducedView
	Notice  string  `json:"notice"`
	Settled float64 `json:"settled"` // ms after the navigation started
}

// viewStateJS reads viewState from the lab in window w.
const viewStateJS = `(w => ({ready: w.lipflow.viewReady, reduced: w.document.getElementById('viewbox').classList.contains('reduced'), why: w.lipflow.reducedView,
  notice: (w.document.querySelector('#view-notice span') || {}).textContent || '', settled: w.performance.now()}))`

// checkReducedView wants the lab either to show its full view, or to say that it shows the reduced
// one, soon after it loaded.
func checkReducedView(t *testing.T, browser string, v viewState) {
	t.Helper()
	why := "<nil>"
	if v.Why != nil {
		why = *v.Why
	}
	t.Logf("%s: the full view ready %v; reduced %v (%s), notice %q; settled within %.0f ms of the navigation's start", browser, v.Ready, v.Reduced, why, v.Notice, v.Settled)
	if v.Ready == (v.Why != nil) || !v.Ready && (!v.Reduced || !strings.Contains(strings.ToLower(v.Notice), "reduced view")) {
		t.Errorf("%s: neither the full view nor the reduced view with its notice (ready %v, reduced %v (%s), notice %q)", browser, v.Ready, v.Reduced, why, v.Notice)
	}
	if v.Settled > 10000 {
		t.Errorf("%s: the page settled on its view %.0f ms after the navigation started, want it within 10 s", browser, v.Settled)
	}
}

// heatCoverJS waits up to 10 s for the simple view's canvas to be mostly coloured (the heat map
// under the plot: white elsewhere) and returns the fraction of its pixels that are not white.
const heatCoverJS = `(async () => {
  const cover = () => { const c = document.getElementById('fallback'); if (!c.width) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0, k = 0;
    for (let i = 0; i < d.length; i += 4 * 7) { k++; if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) n++; }
    return n / k };
  for (let i = 0; i < 200 && cover() < 0.5; i++) await new Promise(r => setTimeout(r, 50));
  return cover() })()`

// Chromium without WebGL (--disable-3d-apis), as a browser without WebGL2 is: asked for the full
// view (viewer=full: viewer=auto would not try it here, see viewer_test.go), the lab does not
// start it, says at once that it shows the reduced view, draws the heat map there, runs, and
// reports no error.
func TestReducedViewWithoutWebGL(t *testing.T) {
	p := openPageWith(t, 1280, 800, chromedp.Flag("disable-3d-apis", true))
	p.open("index.html?play=0&view=heat,arrows&viewer=full")
	var v viewState
	p.eval(viewStateJS+`(window)`, &v)
	checkReducedView(t, "Chromium without WebGL", v)
	if v.Ready || v.Why == nil || *v.Why != "no WebGL2" {
		t.Errorf("without WebGL: the full view ready %v, lipflow.reducedView %v: want the reduced view, for want of WebGL2", v.Ready, v.Why)
	}
	var started bool
	p.eval(`!!document.getElementById('view').contentWindow.lipflowView`, &started)
	if started {
		t.Error("the view's Go program started without WebGL2")
	}
	p.eval(`window.lipflow.configure({preset: 'four-wells-L1'}).then(() => window.lipflow.step(20)).then(() => true)`, nil)
	if s := p.status(); s.Step != 20 || s.Error != "" {
		t.Errorf("step(20) in the reduced view: step %d, error %q", s.Step, s.Error)
	}
	var cover float64
	p.eval(heatCoverJS, &cover)
	t.Logf("the simple view's canvas is %.0f%% coloured", 100*cover)
	if cover < 0.5 {
		t.Errorf("the reduced view's canvas is %.0f%% coloured: want the heat map under most of it", 100*cover)
	}
	p.screenshot("reduced-view.png")
	p.noErrors()
}
