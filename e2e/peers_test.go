package e2e

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"
)

type runState struct {
	Label      string  `json:"label"`
	Step       int     `json:"step"`
	Divergence float64 `json:"divergence"`
	Metric     float64 `json:"metric"`
	MetricStep int     `json:"metricStep"`
	Error      string  `json:"error"`
}

// TestPeersComparison runs the heavy-tail preset of GPA against SVGD and the MMD flow: each run
// steps, is measured by the metric and drawn in its colour, the peers' labels say what they are,
// and the page's main thread stays free while they run (their steps are in the worker).
func TestPeersComparison(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.open("index.html?preset=heavy-tails-peers&view=arrows,log,charts&play=0")
	p.eval(longTaskObserver+`(window)`, nil)
	var start struct {
		Runs []runState `json:"runs"`
	}
	p.eval(`window.lipflow.status()`, &start)
	p.eval(`window.lipflow.step(40).then(() => true)`, nil)
	var st struct {
		Step       int        `json:"step"`
		MetricName string     `json:"metricName"`
		Runs       []runState `json:"runs"`
	}
	p.eval(`window.lipflow.status()`, &st)
	if st.Step != 40 || len(st.Runs) != 3 || len(start.Runs) != 3 {
		t.Fatalf("after step(40): %+v", st)
	}
	for i, want := range []string{"α=2", "SVGD (closed-form score)", "MMD flow"} {
		r := st.Runs[i]
		t.Logf("run %d %q: %s %.4g (at step 0: %.4g), step %d", i+1, r.Label, st.MetricName, r.Metric, start.Runs[i].Metric, r.Step)
		if !strings.Contains(r.Label, want) {
			t.Errorf("run %d label %q, want %q in it", i+1, r.Label, want)
		}
		if r.Error != "" || r.Step != 40 || math.IsNaN(r.Metric) || math.IsInf(r.Metric, 0) {
			t.Errorf("run %d: %+v", i+1, r)
		}
		if !(r.Metric < start.Runs[i].Metric) {
			t.Errorf("run %d (%s): metric %.4g after 40 steps, %.4g at the start", i+1, r.Label, r.Metric, start.Runs[i].Metric)
		}
	}
	if st.MetricName != "log-KS" {
		t.Errorf("metric %q on heavy tails, want log-KS", st.MetricName)
	}
	p.eval(`window.lipflow.run(), true`, nil)
	time.Sleep(6 * time.Second)
	p.eval(`window.lipflow.pause(), true`, nil)
	img, err := png.Decode(bytes.NewReader(p.screenshot("heavy-tails-peers.png")))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range [][3]uint8{{0x00, 0x72, 0xB2}, {0xD5, 0x5E, 0x00}, {0x00, 0x9E, 0x73}} {
		if !hasColour(img, c[0], c[1], c[2]) {
			t.Errorf("no pixel of run %d's colour #%02X%02X%02X: its particles are not drawn", i+1, c[0], c[1], c[2])
		}
	}
	var tasks []longTask
	p.eval(`window.__longtasks`, &tasks)
	var perf pagePerf
	p.eval(`window.lipflow.perf()`, &perf)
	t.Logf("page long tasks: %d; page's own max message %.1f ms, max frame %.1f ms", len(tasks), perf.MaxMessageMs, perf.MaxFrameMs)
	if slow := slowMessages(perf); slow > 2 {
		t.Errorf("%d worker messages took over 50 ms to handle (of %d): %v", slow, perf.Messages, perf.Slow)
	}
	p.noErrors()
}
