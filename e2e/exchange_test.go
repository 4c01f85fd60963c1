package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

type runData struct {
	Step      int         `json:"step"`
	Dim       int         `json:"dim"`
	Targets   []float64   `json:"targets"`
	Particles [][]float64 `json:"particles"`
}

func (p *page) data() runData {
	p.t.Helper()
	var d runData
	p.eval(`lipflow.data().then(d => ({step: d.step, dim: d.dim, targets: Array.from(d.targets), particles: d.particles.map(x => Array.from(x))}))`, &d)
	return d
}

func (p *page) text(js string) string {
	p.t.Helper()
	var s string
	p.eval(js, &s)
	return s
}

// upload hands a file to a file input, as a user picking it would.
func (p *page) upload(input, name string, data []byte) {
	p.t.Helper()
	path := filepath.Join(p.t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		p.t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID(input), []string{path})); err != nil {
		p.t.Fatal(err)
	}
}

// messages are the texts of the page's message area, newest first.
func (p *page) messages() string {
	return p.text(`Array.from(document.querySelectorAll('#messages .msg span')).map(s => s.textContent).join(' | ')`)
}

func params(t *testing.T, weights string) []float64 {
	t.Helper()
	var w struct {
		Params []float64 `json:"params"`
	}
	if err := json.Unmarshal([]byte(weights), &w); err != nil || len(w.Params) == 0 {
		t.Fatalf("weights file: %v, %d params", err, len(w.Params))
	}
	return w.Params
}

// Every export reads back to the state it was taken from; malformed and oversized files are
// refused with a message while the run goes on.
func TestExportsReimport(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.open("index.html?play=0")
	p.eval(`lipflow.configure({preset: 'swiss-roll', n: 150, m: 130}).then(() => lipflow.step(25)).then(() => true)`, nil)
	before := p.data()
	run := p.text(`lipflow.exportText('run')`)
	weights := p.text(`lipflow.exportText('weights')`)
	targetsCSV := p.text(`lipflow.exportText('targets')`)
	particlesCSV := p.text(`lipflow.exportText('particles')`)

	// The view as PNG: a picture with the view's colours.
	var pngBytes []byte
	p.eval(`lipflow.viewPNG().then(b => Array.from(b))`, &pngBytes)
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatalf("view PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 200 || colours(img) < 20 {
		t.Errorf("view PNG: %dx%d with %d colours, want a picture", b.Dx(), b.Dy(), colours(img))
	}

	// Run JSON: another configuration, then the file brings the run back, step for step.
	p.eval(`lipflow.configure({preset: 'moons'}).then(() => lipflow.step(3)).then(() => true)`, nil)
	msg := p.text(`lipflow.importText(` + jsString(run) + `, 'run.json')`)
	if !strings.Contains(msg, "match the file exactly") {
		t.Errorf("run import: %q", msg)
	}
	after := p.data()
	if after.Step != 25 || !slices.Equal(after.Targets, before.Targets) || !slices.Equal(after.Particles[0], before.Particles[0]) {
		t.Errorf("after the run import: step %d (want 25), targets equal %v, particles equal %v", after.Step,
			slices.Equal(after.Targets, before.Targets), slices.Equal(after.Particles[0], before.Particles[0]))
	}

	// Weights JSON: trained further the weights change; the file puts them back.
	p.eval(`lipflow.step(10).then(() => true)`, nil)
	moved := p.text(`lipflow.exportText('weights')`)
	if slices.Equal(params(t, moved), params(t, weights)) {
		t.Fatal("10 more steps did not change the weights")
	}
	p.text(`lipflow.importText(` + jsString(weights) + `, 'weights.json')`)
	if again := p.text(`lipflow.exportText('weights')`); !slices.Equal(params(t, again), params(t, weights)) {
		t.Error("the weights read back differ from the file")
	}

	// Targets and particles CSV read back as the target points, to the last bit.
	p.upload("csv", "targets.csv", []byte(targetsCSV))
	waitData := func(want []float64) runData {
		var d runData
		for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(200 * time.Millisecond) {
			if d = p.data(); slices.Equal(d.Targets, want) {
				break
			}
		}
		return d
	}
	if d := waitData(before.Targets); !slices.Equal(d.Targets, before.Targets) {
		t.Errorf("targets CSV read back: %d values, equal %v", len(d.Targets), slices.Equal(d.Targets, before.Targets))
	}
	p.upload("csv", "particles.csv", []byte(particlesCSV))
	if d := waitData(before.Particles[0]); !slices.Equal(d.Targets, before.Particles[0]) {
		t.Errorf("particles CSV read back as targets: %d values, want the %d of run 1's particles", len(d.Targets), len(before.Particles[0]))
	}

	// Refused files.
	p.eval(`lipflow.configure({preset: 'swiss-roll', steps: 0}).then(() => { lipflow.run(); return true })`, nil)
	bad := []struct{ file, want string }{
		{`nope`, "not JSON"},
		{`{"format":"lipflow-run","version":1,"settings":{"L":1},"step":-3}`, "step = -3"},
		{`{"format":"lipflow-run","version":1,"settings":{"L":1},"step":2,"particles":[[1,"x"]]}`, "entry 2"},
		{`{"format":"lipflow-run","version":1,"settings":{"L":{"a":1}},"step":2}`, "settings.L"},
		{`{"format":"spreadsheet"}`, "format"},
		{strings.Replace(weights, `"width":32`, `"width":7`, 1), "width 7"},
	}
	for _, b := range bad {
		err := p.try(`lipflow.importText(`+jsString(b.file)+`, 'bad.json')`, nil)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%.50s: got %v, want a refusal naming %q", b.file, err, b.want)
		}
	}
	big := bytes.Repeat([]byte(" "), 65<<20)
	p.upload("import-file", "huge.json", big)
	time.Sleep(time.Second)
	if m := p.messages(); !strings.Contains(m, "huge.json") || !strings.Contains(m, "larger than the 64 MB limit") {
		t.Errorf("a 65 MB import: messages %q", m)
	}
	p.upload("import-file", "garbage.json", []byte(`{"format":"lipflow-weights","version":1,"params":[1,2]}`))
	time.Sleep(time.Second)
	if m := p.messages(); !strings.Contains(m, "garbage.json") {
		t.Errorf("a malformed weights file: messages %q", m)
	}
	s0 := p.status()
	time.Sleep(time.Second)
	if s1 := p.status(); !s1.Running || s1.Step <= s0.Step {
		t.Errorf("after the refused files the run is at step %d -> %d, running %v: want it going on", s0.Step, s1.Step, s1.Running)
	}
	p.noErrors()
}

func colours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

// The history keeps a bounded, thinned record of the flow; a snapshot shown by the slider is
// exactly the state a replay to its step gives.
func TestHistoryScrub(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.open("index.html?play=0")
	p.eval(`lipflow.setHistoryLimit(30), lipflow.configure({preset: 'swiss-roll'}).then(() => lipflow.step(300)).then(() => true)`, nil)
	var h struct {
		Count   int   `json:"count"`
		Stride  int   `json:"stride"`
		Steps   []int `json:"steps"`
		Showing *int  `json:"showing"`
	}
	p.eval(`lipflow.history()`, &h)
	t.Logf("history after 300 steps: %d snapshots, stride %d, steps %v", h.Count, h.Stride, h.Steps)
	if h.Count > 30 || h.Count < 5 || h.Steps[len(h.Steps)-1] != 300 || !slices.IsSorted(h.Steps) {
		t.Fatalf("history: %+v, want at most 30 sorted snapshots ending at step 300", h)
	}
	// Thinned about evenly: the history spans the run with no hole of more than a quarter of
	// it. (Gaps also depend on when the frames came, so no tighter bound holds.)
	if h.Steps[0] > 20 {
		t.Errorf("the history starts at step %d, want the start of the run", h.Steps[0])
	}
	for j := 1; j < len(h.Steps); j++ {
		if gap := h.Steps[j] - h.Steps[j-1]; gap > 75 {
			t.Errorf("history gap %d between steps %d and %d, stride %d", gap, h.Steps[j-1], h.Steps[j], h.Stride)
		}
	}
	i := h.Count / 2
	k := h.Steps[i]
	p.eval(`lipflow.scrub(`+jsInt(i)+`)`, &h)
	if h.Showing == nil || *h.Showing != k {
		t.Fatalf("scrub(%d) shows %v, want step %d", i, h.Showing, k)
	}
	var label string
	p.eval(`document.getElementById('hist-label').textContent`, &label)
	if !strings.Contains(label, "step "+jsInt(k)) {
		t.Errorf("history label %q", label)
	}
	p.screenshot("history-scrub.png")
	var snap []float64
	p.eval(`Array.from(lipflow.snapshot(`+jsInt(i)+`).runs[0])`, &snap)
	p.eval(`(async () => { await lipflow.reset(); if (`+jsInt(k)+` > 0) await lipflow.step(`+jsInt(k)+`); return true })()`, nil)
	if got := p.particles(); !slices.Equal(got, snap) {
		t.Errorf("snapshot at step %d differs from the replayed run's particles", k)
	}
	// "run from here" replays to the step shown, then plays on.
	p.eval(`lipflow.step(50).then(() => lipflow.scrub(`+jsInt(i)+`)).then(() => { document.getElementById('hist-resume').click(); return true })`, nil)
	for start := time.Now(); ; time.Sleep(200 * time.Millisecond) {
		s := p.status()
		if s.Running && s.Step > k {
			break
		}
		if time.Since(start) > 60*time.Second {
			t.Fatalf("run from here: status %+v, want running past step %d", s, k)
		}
	}
	p.eval(`lipflow.pause(), true`, nil)
	p.noErrors()
}

func jsInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
