// Command engine is lipflow's in-browser engine: built with GOOS=js GOARCH=wasm to www/engine.wasm,
// it runs inside a Web Worker (www/worker.js) and holds up to three flows ("runs") that share their
// target data and seed but differ in a few settings, so that the page can compare them side by
// side. The message protocol is in js.go; this file is the platform-independent core, tested
// natively.
package main

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"lipflow/flow"
	"lipflow/flow/dist"
	"lipflow/flow/metric"
	"lipflow/render/logmap"
)

// MaxRuns is the most flows compared at once.
const MaxRuns = 3

// Sizes of the metric's samples: the particles are subsampled (the same rows every time) and
// compared with a fresh target sample drawn once per configuration.
const (
	metricParticles = 1000
	metricTargets   = 1000
)

// Seed streams of the engine's own draws (the flow package uses 1..3 for target, source, net).
const (
	streamFresh  = 101
	streamSubset = 102
)

// RunSpec is one run's settings and the label the page shows for it.
type RunSpec struct {
	Settings flow.Settings
	Label    string
}

// ConfigError is a refused configuration: Run is the run's index (0 for the base run) and
// Setting the vocabulary name at fault when known.
type ConfigError struct {
	Run     int
	Setting string
	Err     error
}

func (e *ConfigError) Error() string {
	if e.Run > 0 {
		return fmt.Sprintf("run %d: %v", e.Run+1, e.Err)
	}
	return e.Err.Error()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// Curves are the per-step records appended since the last frame. Metric is NaN at the steps
// where the metric was not measured.
type Curves struct {
	Step, Divergence, KE, Speed, Metric []float64
}

func (c *Curves) reset() {
	c.Step, c.Divergence, c.KE, c.Speed, c.Metric = c.Step[:0], c.Divergence[:0], c.KE[:0], c.Speed[:0], c.Metric[:0]
}

// run is one flow of the comparison.
type run struct {
	spec        RunSpec
	fl          flow.ParticleFlow // GPA's run (*flow.Flow) or a peer's
	err         error
	metric      float64
	metricStep  int
	metricCost  time.Duration // time of the last measurement
	sinceMetric time.Duration // stepping time since the last measurement
	curves      Curves
	health      *flow.Health // the run's silent failures (a stall, an untrained phi)
}

// Engine holds the runs of one configuration and everything the frames need.
type Engine struct {
	runs        []*run
	specs       []RunSpec
	points      []float64 // the user's own targets (nil: drawn from the target spec)
	dim         int
	heavy       bool
	fresh       []float64        // the metric's target sample
	energyTo    *metric.EnergyTo // the energy distance to fresh
	floor       float64          // the metric of the targets themselves: the best a run can reach
	proj        projection
	step        int // lockstep ticks done
	cursor      int // the next run to step in the current tick
	tickStepped bool
	targets     bool // the next frame carries the targets
	Config      int  // configurations applied so far
	MetricFn    string
}

// Configure replaces the runs by new ones built from specs (1..MaxRuns), all sharing run 0's
// data: its source, target, dim, m and seed. points, when not nil, are the user's targets
// (rows of pdim values): they replace the target spec and m. On error the engine is unchanged.
func (e *Engine) Configure(specs []RunSpec, points []float64, pdim int) error {
	if len(specs) < 1 || len(specs) > MaxRuns {
		return &ConfigError{Err: fmt.Errorf("runs: %d given, want 1..%d", len(specs), MaxRuns)}
	}
	specs = slices.Clone(specs)
	base := &specs[0].Settings
	if points != nil {
		if pdim < 1 || len(points) == 0 || len(points)%pdim != 0 {
			return &ConfigError{Setting: "target", Err: fmt.Errorf("target: %d values do not form rows of %d", len(points), pdim)}
		}
		base.Dim = pdim
		base.M = len(points) / pdim
	}
	for i := range specs[1:] {
		s := &specs[i+1].Settings
		s.Source, s.Target, s.Dim, s.M, s.Seed = base.Source, base.Target, base.Dim, base.M, base.Seed
	}
	runs := make([]*run, len(specs))
	var x []float64
	for i, sp := range specs {
		if err := sp.Settings.Validate(); err != nil {
			return &ConfigError{Run: i, Setting: flow.SettingOf(err), Err: err}
		}
		var fl flow.ParticleFlow
		var err error
		switch {
		case points != nil:
			fl, err = flow.NewParticleFlowWithData(sp.Settings, flow.Data{X: slices.Clone(points)})
		case i == 0:
			fl, err = flow.NewParticleFlow(sp.Settings)
			if err == nil {
				x = fl.Targets()
			}
		default:
			// Run 0's targets are draws of the target spec every run shares: a method that
			// follows the score may take the law's closed form.
			fl, err = flow.NewParticleFlowWithData(sp.Settings, flow.Data{X: slices.Clone(x), FromTarget: true})
		}
		if err != nil {
			return &ConfigError{Run: i, Setting: flow.SettingOf(err), Err: err}
		}
		if sp.Label == "" {
			specs[i].Label = flow.Label(fl)
		}
		runs[i] = &run{spec: specs[i], fl: fl, health: flow.NewHealth(fl)}
	}
	s := *base
	targets := runs[0].fl.Targets()
	fresh, err := freshSample(s, targets, points != nil)
	if err != nil {
		return &ConfigError{Setting: "target", Err: err}
	}
	*e = Engine{
		runs: runs, specs: specs, points: points, dim: s.Dim, heavy: isHeavy(s.Target) && points == nil,
		fresh: fresh, proj: newProjection(targets, s.Dim), targets: true, Config: e.Config + 1,
	}
	if e.heavy {
		e.MetricFn = "log-KS"
	} else {
		e.MetricFn = "energy"
		e.energyTo = metric.NewEnergyTo(fresh, e.dim)
	}
	e.floor = e.metricOf(targets)
	for _, r := range e.runs {
		e.measure(r)
	}
	return nil
}

// Reset rebuilds the runs from the current configuration: step 0 again.
func (e *Engine) Reset() error {
	if len(e.specs) == 0 {
		return errors.New("reset: nothing configured")
	}
	return e.Configure(e.specs, e.points, e.dim)
}

// GPA returns the runs that are GPA's (*flow.Flow): those that the pool of Web Workers may
// share (the peers compute alone).
func (e *Engine) GPA() []*flow.Flow {
	var out []*flow.Flow
	for _, r := range e.runs {
		if fl, ok := r.fl.(*flow.Flow); ok {
			out = append(out, fl)
		}
	}
	return out
}

// Specs returns the current runs' settings.
func (e *Engine) Specs() []RunSpec { return e.specs }

// Dim is the particles' dimension.
func (e *Engine) Dim() int { return e.dim }

// Heavy reports a heavy-tailed target (the metric is then the mean log-KS).
func (e *Engine) Heavy() bool { return e.heavy }

// Step is the number of lockstep ticks done.
func (e *Engine) Step() int { return e.step }

// Runs is the number of runs.
func (e *Engine) Runs() int { return len(e.runs) }

func isHeavy(target string) bool {
	t := strings.ToLower(strings.TrimSpace(target))
	return strings.HasPrefix(t, "student-t") || strings.HasPrefix(t, "stretched-exp")
}

// freshSample is the metric's target sample: ~1000 new draws from the target law, or (for the
// user's own points and for a points spec) a seeded subsample of the targets themselves.
func freshSample(s flow.Settings, targets []float64, own bool) ([]float64, error) {
	rng := rand.New(rand.NewPCG(s.Seed, streamFresh))
	if own || strings.HasPrefix(strings.ToLower(strings.TrimSpace(s.Target)), "points") {
		return metric.Subsample(targets, s.Dim, metricTargets, rng), nil
	}
	tgt, err := dist.Parse(s.Target, s.Dim)
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	fresh := make([]float64, metricTargets*s.Dim)
	tgt.Sample(fresh, rng)
	return fresh, nil
}

// Active reports whether some run can step on its own (no error, below its steps limit).
func (e *Engine) Active() bool {
	for _, r := range e.runs {
		if r.canStep(false) {
			return true
		}
	}
	return false
}

func (r *run) canStep(force bool) bool {
	if r.err != nil {
		return false
	}
	lim := r.spec.Settings.Steps
	return force || lim <= 0 || r.fl.Stats().Step < lim
}

// StepOne does the next run's step of the current tick, so that a caller can stop between runs
// when steps are slow. done reports that the tick is complete (the runs step in lockstep: Step
// counts complete ticks), stepped that some run stepped in it.
func (e *Engine) StepOne(force bool) (done, stepped bool) {
	for e.cursor < len(e.runs) {
		r := e.runs[e.cursor]
		e.cursor++
		if !r.canStep(force) {
			continue
		}
		if e.stepRun(r) {
			e.tickStepped = true
		}
		if e.cursor < len(e.runs) {
			return false, e.tickStepped
		}
	}
	stepped = e.tickStepped
	e.cursor, e.tickStepped = 0, false
	if stepped {
		e.step++
	}
	return true, stepped
}

// MidTick reports whether some runs have stepped in the current tick and others not yet.
func (e *Engine) MidTick() bool { return e.cursor > 0 }

func (e *Engine) stepRun(r *run) bool {
	t0 := time.Now()
	err := r.fl.Step()
	r.sinceMetric += time.Since(t0)
	if err != nil {
		r.err = err
		return false
	}
	st := r.fl.Stats()
	c := &r.curves
	c.Step = append(c.Step, float64(st.Step))
	c.Divergence = append(c.Divergence, st.Divergence)
	c.KE = append(c.KE, st.KE)
	c.Speed = append(c.Speed, st.Speed)
	c.Metric = append(c.Metric, math.NaN())
	if r.sinceMetric >= 3*r.metricCost || !r.canStep(false) {
		e.measure(r)
	}
	r.health.Observe(r.metric, e.floor)
	return true
}

// MeasureAll brings every run's metric up to its current step.
func (e *Engine) MeasureAll() {
	for _, r := range e.runs {
		if r.metricStep != r.fl.Stats().Step || math.IsNaN(r.metric) {
			e.measure(r)
		}
	}
}

// measure computes the run's metric: the energy distance between a fixed subsample of at most
// 1000 particles and the fresh target sample, or for heavy tails the mean per-coordinate log-KS.
func (e *Engine) measure(r *run) {
	t0 := time.Now()
	v := e.metricOf(r.fl.Particles())
	r.metric, r.metricStep = v, r.fl.Stats().Step
	r.metricCost, r.sinceMetric = time.Since(t0), 0
	if n := len(r.curves.Metric); n > 0 && r.curves.Step[n-1] == float64(r.metricStep) {
		r.curves.Metric[n-1] = v
	}
}

// metricOf is the metric of points x (rows of dim): the energy distance between a fixed
// subsample of at most 1000 of them and the fresh target sample, or for heavy tails the mean
// per-coordinate log-KS.
func (e *Engine) metricOf(x []float64) float64 {
	d := e.dim
	p := metric.Subsample(x, d, metricParticles, rand.New(rand.NewPCG(e.specs[0].Settings.Seed, streamSubset)))
	if !e.heavy {
		return e.energyTo.Distance(p)
	}
	var v float64
	ks := metric.LogKS(p, e.fresh, d)
	for _, k := range ks {
		v += k
	}
	return v / float64(len(ks))
}

// Floor is the metric of the targets themselves against the fresh sample: what a run that put
// its particles on the targets would show.
func (e *Engine) Floor() float64 { return e.floor }

// RunFrame is one run's part of a frame.
type RunFrame struct {
	Label      string
	Particles  []float32 // n x 2: the first two coordinates, or the projection for dim > 2
	Full       []float32 // n x dim, when asked
	Stats      flow.Stats
	Metric     float64
	MetricStep int
	Err        string
	Warning    string // a silent failure flow.Health found; "" while the run is healthy
	Curves     Curves // since the last frame; valid until the next Frame call
}

// Frame is what the page is sent.
type Frame struct {
	Config  int
	Step    int
	Dim     int
	Heavy   bool
	Targets []float32 // m x 2, only in the first frame after a configuration
	Target  string    // the target's spec ("" for the user's own points)
	Runs    []RunFrame
}

// Frame collects the runs' state and the curves since the last frame (which it clears). full
// asks for run 0's full particles.
func (e *Engine) Frame(full bool) *Frame {
	f := &Frame{Config: e.Config, Step: e.step, Dim: e.dim, Heavy: e.heavy}
	if e.targets {
		f.Targets = e.proj.project(e.runs[0].fl.Targets(), nil)
		if e.points == nil {
			f.Target = e.specs[0].Settings.Target
		}
		e.targets = false
	}
	for i, r := range e.runs {
		rf := RunFrame{
			Label: r.spec.Label, Stats: r.fl.Stats(), Metric: r.metric, MetricStep: r.metricStep,
			Particles: e.proj.project(r.fl.Particles(), nil),
			Curves: Curves{
				Step: slices.Clone(r.curves.Step), Divergence: slices.Clone(r.curves.Divergence),
				KE: slices.Clone(r.curves.KE), Speed: slices.Clone(r.curves.Speed), Metric: slices.Clone(r.curves.Metric),
			},
		}
		if r.err != nil {
			rf.Err = r.err.Error()
		}
		rf.Warning = r.health.Warning()
		if i == 0 && full {
			rf.Full = toFloat32(r.fl.Particles(), nil)
		}
		r.curves.reset()
		f.Runs = append(f.Runs, rf)
	}
	return f
}

// FullParticles returns run 0's particles, n x dim.
func (e *Engine) FullParticles() []float32 {
	if len(e.runs) == 0 {
		return nil
	}
	return toFloat32(e.runs[0].fl.Particles(), nil)
}

func toFloat32(x []float64, out []float32) []float32 {
	out = slices.Grow(out[:0], len(x))[:len(x)]
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// FieldRequest is the grid of the heat map and arrows: NX x NY nodes spanning the region
// [X0,X1] x [Y0,Y1] of the view's plane (for dim > 2 the plane of the projection), node (i, j) at
// (X0 + i (X1-X0)/(NX-1), Y0 + j (Y1-Y0)/(NY-1)). With Log the nodes are uniform in the
// coordinates sign(v) log(1+|v|) instead (X0..Y1 are still data coordinates): logmap's, the
// view's map, so that the nodes fall where the view draws them.
type FieldRequest struct {
	X0, X1, Y0, Y1 float64
	NX, NY         int
	Log            bool
}

// MaxFieldCells bounds nx and ny.
const MaxFieldCells = 256

// Field is phi and -grad phi of run 0 at the grid's nodes, row-major with row 0 at Y0: the value
// at node (i, j) is at index j*NX + i. When run 0 is one of GPA's peers, which have no potential,
// Phi is nil (no heat map) and GX, GY are the peer's velocity field.
type Field struct {
	FieldRequest
	Phi, GX, GY []float32
}

// Field computes run 0's potential and velocity field on the request's grid.
func (e *Engine) Field(q FieldRequest) *Field {
	if len(e.runs) == 0 || q.NX < 2 || q.NY < 2 {
		return nil
	}
	q.NX, q.NY = min(q.NX, MaxFieldCells), min(q.NY, MaxFieldCells)
	k, d := q.NX*q.NY, e.dim
	pts := make([]float64, k*d)
	axis := func(a, b float64, n int) []float64 {
		out := make([]float64, n)
		if q.Log {
			a, b = logmap.Fwd(a), logmap.Fwd(b)
		}
		for i := range out {
			out[i] = a + float64(i)*(b-a)/float64(n-1)
			if q.Log {
				out[i] = logmap.Inv(out[i])
			}
		}
		return out
	}
	xs, ys := axis(q.X0, q.X1, q.NX), axis(q.Y0, q.Y1, q.NY)
	for j, y := range ys {
		for i, x := range xs {
			e.proj.lift(x, y, pts[(j*q.NX+i)*d:][:d])
		}
	}
	g := make([]float64, k*d)
	f := &Field{FieldRequest: q, GX: make([]float32, k), GY: make([]float32, k)}
	fl, ok := e.runs[0].fl.(*flow.Flow)
	if !ok {
		e.runs[0].fl.Velocity(pts, g)
		for i := range k {
			vx, vy := e.proj.flatten(g[i*d : i*d+d])
			f.GX[i], f.GY[i] = finite32(vx), finite32(vy)
		}
		return f
	}
	phi := make([]float64, k)
	fl.Potential(pts, 0, phi)
	fl.Gradient(pts, 0, g)
	f.Phi = make([]float32, k)
	for i := range k {
		gx, gy := e.proj.flatten(g[i*d : i*d+d])
		f.Phi[i], f.GX[i], f.GY[i] = finite32(phi[i]), finite32(-gx), finite32(-gy)
	}
	return f
}

func finite32(v float64) float32 {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
		return 0
	}
	return float32(v)
}

// Bench times steps particle steps of s after one warm-up step; a GPA run shares its steps
// with remote (nil: alone) from minRows samples (0: flow.RemoteMinRows).
func Bench(s flow.Settings, steps int, remote flow.Remote, minRows int) (msPerStep, totalMS float64, err error) {
	fl, err := flow.NewParticleFlow(s)
	if err != nil {
		return 0, 0, err
	}
	if g, ok := fl.(*flow.Flow); ok && remote != nil {
		g.SetRemote(remote)
		if minRows > 0 {
			g.SetRemoteMinRows(minRows)
		}
	}
	if err := fl.Step(); err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	for range steps {
		if err := fl.Step(); err != nil {
			return 0, 0, err
		}
	}
	total := float64(time.Since(t0).Microseconds()) / 1000
	return total / float64(max(steps, 1)), total, nil
}
