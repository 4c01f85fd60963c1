package e2e

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// viewStatus is lipflow.status().view.
type viewStatus struct {
	Viewer    string  `json:"viewer"`
	Shown     string  `json:"shown"`
	Why       *string `json:"why"`
	Startable bool    `json:"startable"`
	Starting  bool    `json:"starting"`
}

func (p *page) viewStatus() viewStatus {
	p.t.Helper()
	var v viewStatus
	p.eval(`window.lipflow.status().view`, &v)
	return v
}

// viewMarks are the lab's lipflow:view-* marks (docs/performance.md#loading).
func (p *page) viewMarks() []string {
	p.t.Helper()
	var m []string
	p.eval(`performance.getEntriesByType('mark').map(m => m.name).filter(n => n.startsWith('lipflow:view-')).map(n => n.slice(8))`, &m)
	return m
}

// waitFullView waits up to 2 minutes for the full view to run and to have drawn.
func (p *page) waitFullView() bool {
	p.t.Helper()
	var ok bool
	p.eval(`(async () => { for (let i = 0; i < 4800; i++) { const w = document.getElementById('view').contentWindow; if (window.lipflow.viewReady && w.lipflowView && w.lipflowView.debug().draws > 0) return true; await new Promise(r => setTimeout(r, 25)); } return false })()`, &ok)
	return ok
}

// viewer=auto, the default, on this machine's software GL (headless Chromium, SwiftShader): the
// lab shows its reduced view with a button, starts nothing of the full view (view.wasm is not
// even fetched), and the button, pressed from the keyboard, starts it: the page hands over.
func TestViewerAutoDeclinesSoftwareGL(t *testing.T) {
	p := openPage(t, 1280, 800)
	wasm := served("/view.wasm")
	p.open("index.html?preset=moons")
	v := p.viewStatus()
	if v.Viewer != "auto" || v.Shown != "reduced" || v.Why == nil || *v.Why != "software WebGL" || !v.Startable {
		t.Fatalf("viewer=auto on software GL: status().view %+v, want the reduced view for software WebGL, startable", v)
	}
	var notice struct {
		Text, Button, Title string
		Focusable           bool
	}
	p.eval(`(() => { const n = document.getElementById('view-notice'), b = document.getElementById('btn-full-view');
	  return {Text: n ? n.textContent : '', Button: b ? b.textContent : '', Title: b ? b.title : '', Focusable: !!b && b.tabIndex >= 0 && !b.disabled} })()`, &notice)
	t.Logf("the notice: %q; its button %q", notice.Text, notice.Button)
	if !strings.Contains(notice.Text, "software") || !strings.Contains(notice.Text, "without a GPU") || notice.Button != "Start the full view" || !notice.Focusable {
		t.Errorf("the notice %q with button %q (focusable %v): want the reason (software, without a GPU) and a focusable \"Start the full view\"", notice.Text, notice.Button, notice.Focusable)
	}
	// The run goes on in the reduced view while the full view is not started.
	time.Sleep(3 * time.Second)
	if s := p.status(); s.Step == 0 || s.Error != "" {
		t.Errorf("the run in the reduced view: step %d, error %q", s.Step, s.Error)
	}
	marks := p.viewMarks()
	var started bool
	p.eval(`!!document.getElementById('view').contentWindow.lipflowView`, &started)
	t.Logf("the view's marks: %v", marks)
	for _, m := range []string{"view-start", "view-compiled", "view-instantiated", "view-ready"} {
		if slices.Contains(marks, m) {
			t.Errorf("mark lipflow:%s under viewer=auto without a click: the full view was started", m)
		}
	}
	if n := served("/view.wasm") - wasm; !slices.Contains(marks, "view-reduced") || started || n > 0 {
		t.Errorf("viewer=auto: marks %v, the view's Go running %v, view.wasm served %d times: want view-reduced, no Go program, no fetch", marks, started, n)
	}
	p.noErrors()

	// The button, from the keyboard.
	if err := chromedp.Do(p.ctx, chromedp.Focus("#btn-full-view"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if !p.waitFullView() {
		t.Fatalf("the full view did not start after the button: status().view %+v, marks %v, errors %v", p.viewStatus(), p.viewMarks(), p.consoleErrors())
	}
	v = p.viewStatus()
	var left struct {
		Notice, Reduced bool
	}
	p.eval(`({Notice: !!document.getElementById('view-notice'), Reduced: document.getElementById('viewbox').classList.contains('fallback')})`, &left)
	marks = p.viewMarks()
	t.Logf("after the button: status().view %+v, marks %v", v, marks)
	if v.Shown != "full" || v.Why != nil || v.Starting || left.Notice || left.Reduced || !slices.Contains(marks, "view-ready") || served("/view.wasm") == wasm {
		t.Errorf("after the button: status().view %+v, notice still there %v, canvas view shown %v, marks %v: want the full view alone", v, left.Notice, left.Reduced, marks)
	}
	p.noErrors()
}

// viewer=full starts the full view whatever the GL, without a click (as the lab did before
// viewer=auto); viewer=reduced never does, and the button is not there.
func TestViewerFullAndReduced(t *testing.T) {
	t.Run("full", func(t *testing.T) {
		p := openPage(t, 1024, 700)
		wasm := served("/view.wasm")
		p.open("index.html?preset=moons&viewer=full")
		if !p.waitFullView() {
			t.Fatalf("viewer=full: the full view did not start: status().view %+v, marks %v", p.viewStatus(), p.viewMarks())
		}
		if v, n := p.viewStatus(), served("/view.wasm")-wasm; v.Viewer != "full" || v.Shown != "full" || v.Why != nil || n == 0 {
			t.Errorf("viewer=full: status().view %+v, view.wasm served %d times", v, n)
		}
		p.noErrors()
	})
	t.Run("reduced", func(t *testing.T) {
		p := openPage(t, 1024, 700)
		wasm := served("/view.wasm")
		p.open("index.html?preset=moons&viewer=reduced")
		time.Sleep(3 * time.Second)
		var button, startable bool
		p.eval(`!!document.getElementById('btn-full-view')`, &button)
		p.eval(`window.lipflow.startFullView()`, &startable)
		time.Sleep(time.Second)
		v := p.viewStatus()
		if v.Viewer != "reduced" || v.Shown != "reduced" || v.Why == nil || *v.Why != "viewer=reduced" || v.Startable || button || startable {
			t.Errorf("viewer=reduced: status().view %+v, button %v, startFullView() %v: want the reduced view, nothing to start", v, button, startable)
		}
		if n := served("/view.wasm") - wasm; n > 0 || slices.Contains(p.viewMarks(), "view-ready") {
			t.Errorf("viewer=reduced: view.wasm served %d times, marks %v", n, p.viewMarks())
		}
		// A page setting, as workers: kept in the page's URL, dropped from a shared link.
		var urls struct{ Page, Link string }
		p.eval(`({Page: location.href, Link: window.lipflow.link()})`, &urls)
		if !strings.Contains(urls.Page, "viewer=reduced") || strings.Contains(urls.Link, "viewer") {
			t.Errorf("the page's URL %s, its shared link %s: want viewer kept in the first, dropped from the second", urls.Page, urls.Link)
		}
		p.noErrors()
	})
	t.Run("bogus", func(t *testing.T) {
		p := openPage(t, 1024, 700)
		p.open("index.html?preset=moons&viewer=bogus")
		time.Sleep(2 * time.Second)
		msgs := p.messages()
		v := p.viewStatus()
		s := p.status()
		if !strings.Contains(msgs, `viewer = "bogus"`) || !strings.Contains(msgs, "auto, full, reduced") || v.Viewer != "auto" || s.Step == 0 || s.Error != "" {
			t.Errorf("viewer=bogus: messages %q, status().view %+v, step %d, error %q: want a message naming the values, auto, the run going", msgs, v, s.Step, s.Error)
		}
		if errs := p.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})
}

// chartTrace reads the simple view's charts (their canvas, #fallback-charts, over the strip
// under the plot): in the first chart (the divergence estimate, the left third), for each pixel
// column, the mean height of run 1's coloured pixels (#0072b2), from the left of the curve to
// its right; and which runs' colours appear in each of the three charts.
const chartTraceJS = `(() => {
  const c = document.getElementById('fallback-charts'), g = c.getContext('2d'), W = c.width, H = c.height;
  const top = 0, d = g.getImageData(0, 0, W, H).data;
  const colours = [[0x00, 0x72, 0xb2], [0xd5, 0x5e, 0x00], [0x00, 0x9e, 0x73]];
  const is = (i, k) => Math.abs(d[i] - colours[k][0]) < 40 && Math.abs(d[i + 1] - colours[k][1]) < 40 && Math.abs(d[i + 2] - colours[k][2]) < 40;
  const cols = [], seen = [[false, false, false], [false, false, false], [false, false, false]];
  for (let x = 0; x < W; x++) {
    let sum = 0, n = 0;
    for (let y = 0; y < H - top; y++) {
      const i = 4 * (y * W + x);
      for (let k = 0; k < 3; k++) if (is(i, k)) seen[Math.min(2, Math.floor(3 * x / W))][k] = true;
      if (x < W / 3 && is(i, 0)) { sum += y; n++; }
    }
    if (n) cols.push([x, sum / n]);
  }
  return {cols, seen};
})()`

type chartTrace struct {
	Cols [][2]float64 `json:"cols"`
	Seen [3][3]bool   `json:"seen"`
}

// spearman is the rank correlation of a and b.
func spearman(a, b []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(i, j int) int { return cmpFloat(v[i], v[j]) })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	ra, rb := rank(a), rank(b)
	n := float64(len(a))
	var ma, mb float64
	for i := range ra {
		ma += ra[i] / n
		mb += rb[i] / n
	}
	var sab, saa, sbb float64
	for i := range ra {
		sab += (ra[i] - ma) * (rb[i] - mb)
		saa += (ra[i] - ma) * (ra[i] - ma)
		sbb += (rb[i] - mb) * (rb[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// The reduced view draws the charts under its plot from the history the page keeps: run 1's
// divergence curve, read back from the canvas's pixels, has the shape of lipflow.curves()'s
// (rank correlation of its heights with the values at the same steps), it follows the steps
// added, and a comparison's every run is drawn in its colour in each chart.
func TestReducedViewCharts(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.open("index.html?preset=four-wells-L1&view=charts&play=0&viewer=reduced")
	check := func(steps int) []float64 {
		t.Helper()
		p.eval(`window.lipflow.step(`+strconv.Itoa(steps)+`).then(() => new Promise(r => setTimeout(r, 500))).then(() => true)`, nil)
		var tr chartTrace
		p.eval(chartTraceJS, &tr)
		var curves []struct {
			Step       []float64 `json:"step"`
			Divergence []float64 `json:"divergence"`
		}
		p.eval(`window.lipflow.curves()`, &curves)
		if len(tr.Cols) < 50 || len(curves) != 1 || len(curves[0].Step) < 2 {
			t.Fatalf("after %d steps: %d columns of run 1's colour in the first chart, %d runs of curves", steps, len(tr.Cols), len(curves))
		}
		// The curve spans the chart from the first step recorded to the last.
		c := curves[0]
		x0, x1 := tr.Cols[0][0], tr.Cols[len(tr.Cols)-1][0]
		s0, s1 := c.Step[0], c.Step[len(c.Step)-1]
		var heights, values []float64
		for _, col := range tr.Cols {
			st := s0 + (col[0]-x0)/(x1-x0)*(s1-s0)
			j := min(max(1, sortSearch(c.Step, st)), len(c.Step)-1)
			f := (st - c.Step[j-1]) / (c.Step[j] - c.Step[j-1])
			values = append(values, c.Divergence[j-1]+f*(c.Divergence[j]-c.Divergence[j-1]))
			heights = append(heights, -col[1]) // canvas y grows downwards
		}
		r := spearman(heights, values)
		t.Logf("after %d steps (%d recorded): run 1's divergence in %d pixel columns; rank correlation with lipflow.curves() %.3f", steps, len(c.Step), len(tr.Cols), r)
		if r < 0.9 {
			t.Errorf("after %d steps: the drawn divergence curve's rank correlation with the history is %.3f, want >= 0.9", steps, r)
		}
		return heights
	}
	a := check(30)
	b := check(60)
	if slices.Equal(a, b) {
		t.Error("the chart did not change when 60 steps were added")
	}

	p.eval(`window.lipflow.configure({preset: 'four-wells-compare'}).then(() => window.lipflow.setView({charts: true})).then(() => window.lipflow.step(20)).then(() => new Promise(r => setTimeout(r, 500))).then(() => true)`, nil)
	var tr chartTrace
	p.eval(chartTraceJS, &tr)
	t.Logf("a comparison of 3 runs: colours seen per chart %v", tr.Seen)
	for c, seen := range tr.Seen {
		for k, ok := range seen {
			if !ok {
				t.Errorf("chart %d has no pixel of run %d's colour", c+1, k+1)
			}
		}
	}
	p.screenshot("reduced-charts.png")
	p.noErrors()
}

func sortSearch(xs []float64, v float64) int {
	i, _ := slices.BinarySearch(xs, v)
	return i
}
