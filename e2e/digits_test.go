package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// digitsBuilt skips (or with LIPFLOW_E2E=1 fails) when the digits engine or its data are not
// in www/ (./build.sh builds them from wasm/digits and assets/mnist).
func digitsBuilt(t *testing.T) {
	t.Helper()
	dir := wwwDir(t)
	for _, f := range []string{"digits.wasm", "data/mnist/train.bin.gz", "data/mnist/heldout.bin.gz"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			if os.Getenv("LIPFLOW_E2E") == "1" {
				t.Fatalf("www/%s missing: ./build.sh builds it", f)
			}
			t.Skipf("www/%s not built: run ./build.sh", f)
		}
	}
}

// digitsStatus is the part of window.lipflow.status() on digits.html that the tests read.
type digitsStatus struct {
	Step       int                `json:"step"`
	Running    bool               `json:"running"`
	Error      *string            `json:"error"`
	Scores     map[string]float64 `json:"scores"`
	Classifier map[string]any     `json:"classifier"`
	N          int                `json:"n"`
	Latent     int                `json:"latent"`
	LastError  *string            `json:"lastError"`
	AE         struct {
		Trained     bool    `json:"trained"`
		Phase       string  `json:"phase"`
		Epoch       int     `json:"epoch"`
		Epochs      int     `json:"epochs"`
		Loss        float64 `json:"loss"`
		HeldoutLoss float64 `json:"heldout_loss"`
		Source      *string `json:"source"`
		TrainMs     float64 `json:"train_ms"`
		Config      any     `json:"config"`
	} `json:"ae"`
	Data struct {
		Progress float64 `json:"progress"`
		Loaded   bool    `json:"loaded"`
		Train    int     `json:"train"`
		Heldout  int     `json:"heldout"`
	} `json:"data"`
	Runs []struct {
		Label  string  `json:"label"`
		Method string  `json:"method"`
		Step   int     `json:"step"`
		Steps  int     `json:"steps"`
		Error  *string `json:"error"`
		// null: not measured yet (agreement: the classifier not ready), or not finite.
		Scores map[string]*float64 `json:"scores"`
	} `json:"runs"`
}

func (p *page) digitsStatus() digitsStatus {
	p.t.Helper()
	var s digitsStatus
	p.eval(`window.lipflow.status()`, &s)
	return s
}

func digitsStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// messages returns the text of the page's message box.
func (p *page) digitsMessages() string {
	p.t.Helper()
	var msg string
	p.eval(`document.getElementById('messages').innerText`, &msg)
	return msg
}

// digitsSampleSummary checks, inside the page, run 1's decoded particles, labels and latent particles.
const digitsSampleSummary = `(() => {
  const s = window.lipflow.samples(), l = window.lipflow.labels(), z = window.lipflow.particles();
  let min = Infinity, max = -Infinity, bad = 0, mean = 0;
  for (const v of s) { if (!Number.isFinite(v)) bad++; else { min = Math.min(min, v); max = Math.max(max, v); mean += v; } }
  let lmin = 99, lmax = -99; const per = new Array(10).fill(0);
  for (const c of l) { lmin = Math.min(lmin, c); lmax = Math.max(lmax, c); if (c >= 0 && c < 10) per[c]++; }
  let zbad = 0; for (const v of z) if (!Number.isFinite(v)) zbad++;
  return { samples: s.length, labels: l.length, latent: z.length, min, max, bad, mean: mean / Math.max(1, s.length), lmin, lmax, per, zbad };
})()`

type digitsSamples struct {
	Samples, Labels, Latent int
	Min, Max, Mean          float64
	Bad, Zbad               int
	Lmin, Lmax              int
	Per                     []int
}

// targetsPicture is a digest of the targets' grid as drawn: a hash of its pixels and the count
// of inked (dark) ones, once some are inked or wait has passed.
type targetsDigest struct{ Hash, Ink int }

func (p *page) targetsPicture(wait time.Duration) targetsDigest {
	p.t.Helper()
	var d targetsDigest
	for deadline := time.Now().Add(wait); ; time.Sleep(100 * time.Millisecond) {
		p.eval(`(() => { const c = document.getElementById('targets-canvas');
			const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			let hash = 0, ink = 0;
			for (let i = 0; i < px.length; i += 4) { hash = (Math.imul(hash, 31) + px[i]) | 0; if (px[i] < 100) ink++; }
			return { hash, ink } })()`, &d)
		if d.Ink > 0 || time.Now().After(deadline) {
			return d
		}
	}
}

// digitsWaitAgreement polls status() until run 1 has a classifier agreement (the engine scores at
// most about once a second).
func (p *page) digitsWaitAgreement(d time.Duration) digitsStatus {
	p.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := p.digitsStatus()
		if _, ok := s.Scores["agreement"]; ok || time.Now().After(deadline) {
			return s
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestDigitsPage drives digits.html as a user would: the data load with a progress bar, a
// short autoencoder schedule (with the main thread watched for long tasks), latent GPA whose
// decoded grid must be digits of the requested classes, a reload that uses the stored
// autoencoder, and weights files that must be refused.
func TestDigitsPage(t *testing.T) {
	digitsBuilt(t)
	p := openPage(t, 1400, 1000)
	// Two bad values: an unknown method and a dt that is not a number fall back with a message.
	const query = "digits.html?ae_epochs=1&play=0&train=0&method=gpa,bogus&dt=abc&steps=100000"
	p.open(query)
	p.eval(longTaskObserver+`(window)`, nil)
	p.eval(`window.lipflow.perf(true), true`, nil)
	s := p.digitsStatus()
	if !s.Data.Loaded || s.Data.Progress != 1 {
		t.Fatalf("data: loaded %v, progress %v, want loaded at 100%%", s.Data.Loaded, s.Data.Progress)
	}
	var bar float64
	p.eval(`document.getElementById('data-progress').value`, &bar)
	if bar != 1 {
		t.Errorf("the data progress bar stands at %v, want 1", bar)
	}
	t.Logf("data: %d training and %d held-out digits", s.Data.Train, s.Data.Heldout)
	if s.AE.Trained || s.AE.Phase != "none" {
		t.Fatalf("train=0 with an empty browser: the autoencoder is %q, trained %v", s.AE.Phase, s.AE.Trained)
	}
	// The targets are on show before any autoencoder (the data's reply brings them); the runs'
	// configuration, once the autoencoder is trained, must draw the same digits.
	early := p.targetsPicture(5 * time.Second)
	if early.Ink == 0 {
		t.Fatalf("no target digits drawn before the autoencoder: %+v", early)
	}

	// The autoencoder: one epoch, the page watched for long tasks meanwhile. Each long task is
	// matched with the page's own work inside it (its log of message handlers and drawings):
	// the page's when that work alone exceeds 50 ms. The others are reported: on this shared
	// 2-core machine the worker, Chromium's other processes and other tests compete for the
	// cores, and a starved moment stretches a few-millisecond task past 50 ms.
	load, _ := os.ReadFile("/proc/loadavg")
	start := time.Now()
	p.eval(`window.lipflow.trainAE().then(() => true)`, nil)
	trainTime := time.Since(start)
	time.Sleep(500 * time.Millisecond) // the observer delivers its entries a little later
	long := p.digitsLongTasks()
	var perf struct {
		MaxMessageMs float64  `json:"maxMessageMs"`
		MaxDrawMs    float64  `json:"maxDrawMs"`
		Messages     int      `json:"messages"`
		Draws        int      `json:"draws"`
		Slow         []string `json:"slow"`
	}
	p.eval(`window.lipflow.perf()`, &perf)
	s = p.digitsStatus()
	t.Logf("autoencoder, 1 epoch: %.1f s in the page (%v by the test), loss %.4g, held-out %.4g; page: %d messages (max %.1f ms), %d draws (max %.1f ms), over 20 ms: %v; load average before: %s",
		s.AE.TrainMs/1000, trainTime.Round(100*time.Millisecond), s.AE.Loss, s.AE.HeldoutLoss, perf.Messages, perf.MaxMessageMs, perf.Draws, perf.MaxDrawMs, perf.Slow, strings.TrimSpace(string(load)))
	if !s.AE.Trained || digitsStr(s.AE.Source) != "trained" || s.AE.Epoch != 1 {
		t.Fatalf("after trainAE(): trained %v, source %q, epoch %d", s.AE.Trained, digitsStr(s.AE.Source), s.AE.Epoch)
	}
	// A page that decoded or drew too much per message would have such a task at every one of
	// the ~5 progress messages a second; a starved moment (the machine's load average reaches
	// 10 with the suite running) can stretch one now and then, so two are let pass.
	ours := 0
	for _, x := range long {
		t.Logf("long task during training: %.0f ms at %.0f ms, the page's own work inside %.1f ms (%s)", x.Ms, x.Start, x.Own, x.Parts)
		if x.Own > 50 {
			ours++
		}
	}
	if ours > 2 {
		t.Errorf("%d long tasks during the training held over 50 ms of the page's own work each", ours)
	}

	// Latent GPA, timed, in batches of 10 steps until the classifier agrees with the requested
	// class on half of the digits, 100 steps at most; above chance (10 %) by a margin, 20 %, is
	// required (the autoencoder had one epoch; the engine's own tests hold the real bound). The first step
	// request waits for the runs the page configures once the autoencoder is trained.
	p.eval(`window.lipflow.step(1).then(() => true)`, nil)
	if late := p.targetsPicture(5 * time.Second); late != early {
		t.Errorf("the targets drawn before the autoencoder (%+v) are not those of the configured runs (%+v)", early, late)
	}
	// The bad URL values were refused with a message naming them, and fell back.
	msg := p.digitsMessages()
	for _, want := range []string{`"bogus"`, `dt = "abc"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("bad URL values: messages %q, want one naming %s", msg, want)
		}
	}
	var settings map[string]any
	p.eval(`window.lipflow.settings()`, &settings)
	if settings["method"] != "gpa" || settings["dt"] == "abc" {
		t.Errorf("after the bad URL values: method %v, dt %v: want gpa and the default dt", settings["method"], settings["dt"])
	}
	start = time.Now()
	steps := 1
	var agreement float64
	for steps < 100 {
		p.eval(`window.lipflow.step(10).then(() => true)`, nil)
		steps += 10
		s = p.digitsWaitAgreement(30 * time.Second)
		agreement = s.Scores["agreement"]
		if agreement >= 0.5 {
			break
		}
	}
	perStep := time.Since(start) / time.Duration(steps-1)
	t.Logf("latent GPA: %d steps, %.1f steps/s (%v a step, N = %d, latent %d, scoring included); scores %v; classifier %v",
		steps, float64(time.Second)/float64(perStep), perStep.Round(time.Millisecond), s.N, s.Latent, s.Scores, s.Classifier)
	if s.Step != steps || s.Error != nil && *s.Error != "" {
		t.Errorf("after %d steps requested: step %d, error %q", steps, s.Step, digitsStr(s.Error))
	}
	if len(s.Runs) != 1 || s.Runs[0].Method != "gpa" {
		t.Errorf("runs %+v, want the one GPA run (method=gpa,bogus falls back)", s.Runs)
	}
	if !(agreement > 0.2) {
		t.Errorf("classifier agreement %v after %d steps: want above chance (0.1) by a margin, 0.2", agreement, steps)
	}
	if d := s.Scores["nn_distance"]; !(d > 0) {
		t.Errorf("nearest-neighbour distance %v, want > 0", d)
	}
	var sm digitsSamples
	p.eval(digitsSampleSummary, &sm)
	if sm.Labels != s.N || sm.Samples != 784*s.N || sm.Latent != s.Latent*s.N || s.N == 0 {
		t.Errorf("samples %d, labels %d, particles %d for N = %d, latent %d", sm.Samples, sm.Labels, sm.Latent, s.N, s.Latent)
	}
	if sm.Bad > 0 || sm.Zbad > 0 || sm.Min < 0 || sm.Max > 1 {
		t.Errorf("samples in [%v, %v] with %d non-finite (particles: %d), want [0, 1]", sm.Min, sm.Max, sm.Bad, sm.Zbad)
	}
	if sm.Lmin < 0 || sm.Lmax > 9 {
		t.Errorf("labels in %d..%d, want 0..9", sm.Lmin, sm.Lmax)
	}
	for c, k := range sm.Per {
		if k == 0 {
			t.Errorf("no particle of class %d: %v", c, sm.Per)
		}
	}
	// The picture: the grids scrolled into view, saved, and looked at (see the report).
	p.eval(`document.getElementById('flow-panel').scrollIntoView(), true`, nil)
	time.Sleep(300 * time.Millisecond)
	p.screenshot("digits.png")

	// A reload takes the stored autoencoder: no training.
	p.open(query)
	s = p.digitsStatus()
	if !s.AE.Trained || digitsStr(s.AE.Source) != "stored" {
		t.Fatalf("after a reload: autoencoder trained %v, source %q, want the stored one", s.AE.Trained, digitsStr(s.AE.Source))
	}
	stored := s.AE.HeldoutLoss
	p.eval(`window.lipflow.step(2).then(() => true)`, nil)
	if s = p.digitsStatus(); digitsStr(s.AE.Source) != "stored" || s.Step != 2 || s.AE.TrainMs != 0 {
		t.Errorf("after a reload and step(2): source %q, step %d, training %v ms", digitsStr(s.AE.Source), s.Step, s.AE.TrainMs)
	}

	// Weights files: a malformed one dropped on the page, an oversized one picked.
	p.eval(`(() => { const dt = new DataTransfer(); dt.items.add(new File(['{"format": "lipflow-autoencoder", "version": 1, "weights": [[1, "two"]]'], 'broken.json', {type: 'application/json'}));
	  document.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true})); return true })()`, nil)
	digitsWaitMessage(p, "broken.json")
	big := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(big, bytes.Repeat([]byte(" "), 65<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("ae-file"), []string{big})); err != nil {
		t.Fatal(err)
	}
	digitsWaitMessage(p, "huge.json")
	msg = p.digitsMessages()
	for _, want := range []string{"broken.json", "huge.json", "MB", "the current autoencoder stays"} {
		if !strings.Contains(msg, want) {
			t.Errorf("after the bad weights files: messages %q, want %q", msg, want)
		}
	}
	s = p.digitsStatus()
	if !s.AE.Trained || digitsStr(s.AE.Source) != "stored" || s.AE.HeldoutLoss != stored {
		t.Errorf("after the bad weights files: trained %v, source %q, held-out loss %v (was %v): the autoencoder must stay", s.AE.Trained, digitsStr(s.AE.Source), s.AE.HeldoutLoss, stored)
	}
	p.eval(`window.lipflow.step(1).then(() => true)`, nil)
	if s = p.digitsStatus(); s.Step != 3 {
		t.Errorf("a step after the refused files: step %d, want 3", s.Step)
	}

	// The page's own export (the button's download, and the file through the API) read back
	// through the file picker: the same autoencoder, now 'imported'.
	var exported string
	p.eval(`document.getElementById('ae-export').click(), window.lipflow.exportAE()`, &exported)
	good := filepath.Join(t.TempDir(), "weights.json")
	if err := os.WriteFile(good, []byte(exported), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("ae-file"), []string{good})); err != nil {
		t.Fatal(err)
	}
	digitsWaitMessage(p, "weights.json: autoencoder imported")
	p.eval(`window.lipflow.step(1).then(() => true)`, nil)
	if s = p.digitsStatus(); digitsStr(s.AE.Source) != "imported" || s.AE.HeldoutLoss != stored || s.Step != 1 {
		t.Errorf("after importing the exported file: source %q, held-out loss %v (want %v), step %d (want 1: new runs)", digitsStr(s.AE.Source), s.AE.HeldoutLoss, stored, s.Step)
	}
	p.noErrors()
}

// digitsLongTask is a long task seen by the observer, with the page's own work inside it.
type digitsLongTask struct {
	longTask
	Own   float64 `json:"own"`   // ms of the page's message handlers and drawings inside the task
	Parts string  `json:"parts"` // those pieces of work
}

// digitsLongTasks matches the observer's long tasks with the page's log of its own work.
func (p *page) digitsLongTasks() []digitsLongTask {
	p.t.Helper()
	var long []digitsLongTask
	p.eval(`(() => { const log = window.lipflow.perf().log; return window.__longtasks.map(t => {
	  const inside = log.filter(([t0]) => t0 >= t.start - 1 && t0 < t.start + t.ms);
	  return {...t, own: inside.reduce((a, [, ms]) => a + ms, 0), parts: inside.map(([, ms, w]) => Math.round(ms) + ' ' + w).join(', ')} }) })()`, &long)
	return long
}

// digitsWorkStats sums up the page's log of its own work by kind (a message type, or draw):
// how many, the median, the 95th percentile and the longest, in ms.
const digitsWorkStats = `(() => { const by = {}; for (const [, ms, w] of window.lipflow.perf().log) (by[w] = by[w] || []).push(ms);
  const out = {}; for (const [w, xs] of Object.entries(by)) { xs.sort((a, b) => a - b); const q = (f) => Math.round(10 * xs[Math.min(xs.length - 1, Math.floor(f * xs.length))]) / 10;
  out[w] = {n: xs.length, median: q(0.5), p95: q(0.95), max: q(1)} } return out })()`

// digitsWaitMessage waits (at most 10 s) for the page's messages to name want.
func digitsWaitMessage(p *page, want string) {
	p.t.Helper()
	for i := 0; i < 40 && !strings.Contains(p.digitsMessages(), want); i++ {
		time.Sleep(250 * time.Millisecond)
	}
}

// digitsScoreNames are the scores the page shows for each run.
var digitsScoreNames = []string{"agreement", "nn_distance", "nn_train_distance", "nn_decoded", "nn_decoded_ref", "copies"}

// digitsMaxDistance bounds every nearest-neighbour distance: two digits with pixels in [0, 1]
// are at most sqrt(784) = 28 apart.
const digitsMaxDistance = 28

// digitsCheckScores checks a run's scores: each present and finite (agreement may be missing
// only while the classifier is not ready), shares in [0, 1], distances in [0, 28] and the
// distances to real digits above 0.
func digitsCheckScores(t *testing.T, what string, scores map[string]*float64, classifierReady bool) {
	t.Helper()
	for _, name := range digitsScoreNames {
		v := scores[name]
		if v == nil {
			if name != "agreement" || classifierReady {
				t.Errorf("%s: %s missing or not finite (scores %v)", what, name, digitsFormat(scores))
			}
			continue
		}
		lo, hi := 0.0, 1.0
		if strings.HasPrefix(name, "nn_") {
			hi = digitsMaxDistance
		}
		if !(*v >= lo && *v <= hi) || (name == "nn_distance" || name == "nn_train_distance") && !(*v > 0) {
			t.Errorf("%s: %s = %v, want in [%v, %v] (scores %v)", what, name, *v, lo, hi, digitsFormat(scores))
		}
	}
}

func digitsFormat(scores map[string]*float64) string {
	var parts []string
	for _, name := range digitsScoreNames {
		if v := scores[name]; v != nil {
			parts = append(parts, name+" "+strconv.FormatFloat(*v, 'g', 4, 64))
		} else {
			parts = append(parts, name+" null")
		}
	}
	return strings.Join(parts, ", ")
}

// The bounds TestDigitsBench holds the comparison to at its end (800 steps, the default
// settings, the default autoencoder): latent GPA as the engine's own test asks natively
// (agreement >= 0.90, copies <= 0.10) less a margin for the page's autoencoder, trained in the
// browser; WGAN-GP well above chance (the native runner's mean over 8 seeds: see the README).
// The (f_KL, Lip_1)-GAN is held to the sane ranges only: it collapses rows onto other digits.
const (
	digitsBenchGPAAgreement  = 0.85
	digitsBenchGPACopies     = 0.10
	digitsBenchWGANAgreement = 0.5
)

// TestDigitsBench configures each of the presets gpa-latent, gpa-decoder and
// gpa-vs-gan-vs-wgan on the digits page and steps it, and fails when a preset does not
// configure, its runs are not the preset's, a run stops or does not take its steps, or a
// score is missing, not finite or outside its range (digitsCheckScores). Cheap by default (a
// one-epoch autoencoder, 5 steps a preset).
//
// With LIPFLOW_BENCH=1 it measures, in headless Chromium, the README's figures: the
// autoencoder's training time for the default schedule, the speed of each preset (timed once
// the classifier, which trains in the worker's spare time, is ready; the steps include the
// scores, measured at most once a second), the main thread while the three runs play for 15 s,
// and the comparison run to its end, whose scores must meet the digitsBench bounds.
func TestDigitsBench(t *testing.T) {
	digitsBuilt(t)
	bench := os.Getenv("LIPFLOW_BENCH") == "1"
	query, k := "digits.html?play=0&train=0", 30
	if !bench {
		query, k = query+"&ae_epochs=1", 5
	}
	p := openPage(t, 1400, 1000)
	p.open(query)
	load, _ := os.ReadFile("/proc/loadavg")
	p.eval(longTaskObserver+`(window)`, nil)
	p.eval(`window.lipflow.perf(true), true`, nil)
	p.eval(`window.lipflow.trainAE().then(() => true)`, nil)
	time.Sleep(500 * time.Millisecond)
	s := p.digitsStatus()
	// The best constant output scores 206 nats per digit; the default schedule reaches 90,
	// one epoch about 110.
	maxLoss := 150.0
	if bench {
		maxLoss = 110
	}
	if !s.AE.Trained || !(s.AE.HeldoutLoss > 0 && s.AE.HeldoutLoss < maxLoss) {
		t.Fatalf("autoencoder: trained %v, held-out loss %v, want below %v", s.AE.Trained, s.AE.HeldoutLoss, maxLoss)
	}
	long := p.digitsLongTasks()
	maxOwn, maxLong := 0.0, 0.0
	for _, x := range long {
		maxOwn, maxLong = max(maxOwn, x.Own), max(maxLong, x.Ms)
	}
	var perf any
	p.eval(digitsWorkStats, &perf)
	res := map[string]any{"ae_config": s.AE, "ae_train_s": s.AE.TrainMs / 1000, "load_before": strings.TrimSpace(string(load)),
		"training_long_tasks": len(long), "training_longest_task_ms": maxLong, "training_most_own_work_in_a_long_task_ms": maxOwn,
		"training_page_work": perf}
	configured := 0
	for _, preset := range []string{"gpa-latent", "gpa-decoder", "gpa-vs-gan-vs-wgan"} {
		var want []string
		p.eval(`window.lipflow.presetInfo('`+preset+`').runs.map((r) => r.method)`, &want)
		if err := p.try(`window.lipflow.configure({preset: '`+preset+`'}).then(() => window.lipflow.step(1)).then(() => true)`, nil); err != nil {
			t.Errorf("preset %s: configure and step(1): %v", preset, err)
			continue
		}
		configured++
		ready := false
		for i := 0; i < 120 && bench; i++ {
			if p.eval(`!!(window.lipflow.status().classifier || {}).ready`, &ready); ready {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		start := time.Now()
		p.eval(`window.lipflow.step(`+strconv.Itoa(k)+`).then(() => true)`, nil)
		sec := time.Since(start).Seconds()
		if bench {
			s = p.digitsWaitAgreement(5 * time.Second)
		} else {
			s = p.digitsStatus()
		}
		p.eval(`!!(window.lipflow.status().classifier || {}).ready`, &ready)
		var got []string
		for _, r := range s.Runs {
			got = append(got, r.Method)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("preset %s: runs %v, want the preset's %v", preset, got, want)
		}
		if s.Step != 1+k {
			t.Errorf("preset %s: step %d after step(1) and step(%d)", preset, s.Step, k)
		}
		for i, r := range s.Runs {
			what := fmt.Sprintf("preset %s, run %d (%s)", preset, i+1, r.Method)
			if r.Step != 1+k || digitsStr(r.Error) != "" {
				t.Errorf("%s: step %d, error %q; want step %d and no error", what, r.Step, digitsStr(r.Error), 1+k)
			}
			digitsCheckScores(t, what, r.Scores, ready)
		}
		if !(sec > 0) {
			t.Errorf("preset %s: %d steps in %v s", preset, k, sec)
		}
		res[preset] = map[string]any{"runs": len(s.Runs), "steps_per_s": float64(k) / sec, "scores_run1": s.Scores, "classifier_ready": ready}
	}
	if !bench || configured < 3 {
		out, _ := json.Marshal(res)
		t.Logf("digits page, headless Chromium (short; LIPFLOW_BENCH=1 measures): %s", out)
		return
	}
	// The three runs playing for 15 s, the page watched for long tasks.
	p.eval(`window.__longtasks = [], window.lipflow.perf(true), window.lipflow.run().then(() => true)`, nil)
	time.Sleep(15 * time.Second)
	p.eval(`window.lipflow.pause(), true`, nil)
	time.Sleep(500 * time.Millisecond)
	long = p.digitsLongTasks()
	maxOwn, maxLong = 0, 0
	for _, x := range long {
		maxOwn, maxLong = max(maxOwn, x.Own), max(maxLong, x.Ms)
	}
	p.eval(digitsWorkStats, &perf)
	res["playing_15s"] = map[string]any{"long_tasks": len(long), "longest_task_ms": maxLong, "most_own_work_in_a_long_task_ms": maxOwn, "page_work": perf}
	// The comparison to its end (the steps setting, 800 by default), scored: the page's own
	// figures beside the native runner's.
	var k2 int
	p.eval(`window.lipflow.status().runs[0].steps - window.lipflow.status().step`, &k2)
	if k2 > 0 {
		p.eval(`window.lipflow.step(`+strconv.Itoa(k2)+`).then(() => true)`, nil)
	}
	final := p.digitsStatus() // scored at the end: the steps took over the second between scores
	scores := map[string]any{"step": final.Step}
	for i, r := range final.Runs {
		scores[r.Label] = r.Scores
		what := fmt.Sprintf("the comparison's end, run %d (%s)", i+1, r.Method)
		if r.Step != r.Steps || r.Steps == 0 || digitsStr(r.Error) != "" {
			t.Errorf("%s: step %d of %d, error %q", what, r.Step, r.Steps, digitsStr(r.Error))
		}
		digitsCheckScores(t, what, r.Scores, true)
		agreement, copies := r.Scores["agreement"], r.Scores["copies"]
		if agreement == nil || copies == nil {
			continue
		}
		switch r.Method {
		case "gpa":
			if *agreement < digitsBenchGPAAgreement || *copies > digitsBenchGPACopies {
				t.Errorf("%s: agreement %.3f, copies %.3f; want >= %v and <= %v", what, *agreement, *copies, digitsBenchGPAAgreement, digitsBenchGPACopies)
			}
		case "wgan-gp":
			if *agreement < digitsBenchWGANAgreement {
				t.Errorf("%s: agreement %.3f, want >= %v", what, *agreement, digitsBenchWGANAgreement)
			}
		}
	}
	res["gpa-vs-gan-vs-wgan_end"] = scores
	out, _ := json.Marshal(res)
	t.Logf("digits page, headless Chromium: %s", out)
}

// TestDigitsCSP: digits.html carries the lab's Content-Security-Policy, word for word, and no
// inline script or style.
func TestDigitsCSP(t *testing.T) {
	csp := func(name string) (string, string) {
		b, err := os.ReadFile(filepath.Join("..", "www", name))
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		i := strings.Index(html, `<meta http-equiv="Content-Security-Policy"`)
		if i < 0 {
			t.Fatalf("www/%s has no Content-Security-Policy meta", name)
		}
		return html[i : i+strings.Index(html[i:], ">")+1], html
	}
	want, _ := csp("index.html")
	got, html := csp("digits.html")
	if got != want {
		t.Errorf("digits.html's policy differs from index.html's:\n%s\n%s", got, want)
	}
	for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload="} {
		if strings.Contains(html, bad) {
			t.Errorf("digits.html holds %q: the policy forbids inline scripts and styles", bad)
		}
	}
}
