package main

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"lipflow/flow"
	"lipflow/flow/metric"
)

func settings(t *testing.T, kv ...string) flow.Settings {
	t.Helper()
	s := flow.Defaults()
	s.Steps = 0
	for i := 0; i < len(kv); i += 2 {
		if err := s.Set(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestConfigureSharesDataAndSteps(t *testing.T) {
	base := settings(t, "f", "kl-dv", "n", "100", "m", "100")
	alpha := base
	alpha.F, alpha.Alpha = "alpha", 2
	other := alpha
	other.Target, other.Seed = "gaussian", 99 // data settings follow run 0
	var e Engine
	if err := e.Configure([]RunSpec{{Settings: base}, {Settings: alpha}, {Settings: other, Label: "mine"}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	x0 := e.runs[0].fl.Targets()
	for i, r := range e.runs[1:] {
		if !slices.Equal(r.fl.Targets(), x0) {
			t.Errorf("run %d: targets differ from run 0's", i+2)
		}
		if !slices.Equal(r.fl.Particles(), e.runs[0].fl.Particles()) {
			t.Errorf("run %d: initial particles differ from run 0's", i+2)
		}
	}
	if got := e.runs[1].spec.Label; got != "α=2, L=1" {
		t.Errorf("auto label %q", got)
	}
	if got := e.runs[2].spec.Label; got != "mine" {
		t.Errorf("label %q", got)
	}
	if !e.heavy || e.MetricFn != "log-KS" {
		t.Errorf("student-t target: heavy %v, metric %q", e.heavy, e.MetricFn)
	}
	for range 5 {
		if !tick(&e, false) {
			t.Fatal("no run stepped")
		}
	}
	f := e.Frame(true)
	if f.Step != 5 || len(f.Runs) != 3 || len(f.Targets) != 200 || len(f.Runs[0].Full) != 200 || f.Runs[1].Full != nil {
		t.Fatalf("frame: step %d, %d runs, %d target values, full %d/%d", f.Step, len(f.Runs), len(f.Targets), len(f.Runs[0].Full), len(f.Runs[1].Full))
	}
	for _, r := range f.Runs {
		if r.Stats.Step != 5 || len(r.Curves.Step) != 5 || len(r.Particles) != 200 || r.Err != "" {
			t.Errorf("%s: step %d, %d curve points, %d particle values, err %q", r.Label, r.Stats.Step, len(r.Curves.Step), len(r.Particles), r.Err)
		}
		if math.IsNaN(r.Metric) || r.Metric <= 0 || r.Metric > 1 {
			t.Errorf("%s: metric %v", r.Label, r.Metric)
		}
	}
	if f2 := e.Frame(false); f2.Targets != nil || len(f2.Runs[0].Curves.Step) != 0 {
		t.Errorf("second frame: targets resent or curves not cleared")
	}
}

func TestConfigureErrorLeavesRunsIntact(t *testing.T) {
	var e Engine
	if err := e.Configure([]RunSpec{{Settings: settings(t, "n", "50", "m", "50")}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	tick(&e, false)
	bad := settings(t, "f", "alpha", "alpha", "1")
	err := e.Configure([]RunSpec{{Settings: settings(t)}, {Settings: bad}}, nil, 0)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Run != 1 || ce.Setting != "alpha" {
		t.Fatalf("got %v (%+v), want a ConfigError for run 2's alpha", err, ce)
	}
	if e.Step() != 1 || e.Runs() != 1 || e.Config != 1 {
		t.Errorf("engine changed: step %d, %d runs, config %d", e.Step(), e.Runs(), e.Config)
	}
	for _, tc := range []struct{ k, v, want string }{
		{"target", "nonsense", "target"}, {"n", "0", "n"}, {"lr", "0", "lr"}, {"source", "gaussian(mean=1;2;3)", "source"},
	} {
		err := e.Configure([]RunSpec{{Settings: settings(t, tc.k, tc.v)}}, nil, 0)
		if !errors.As(err, &ce) || ce.Setting != tc.want {
			t.Errorf("%s=%s: got %v, setting %q", tc.k, tc.v, err, ce.Setting)
		}
	}
}

func TestStepsLimitAndDivergence(t *testing.T) {
	var e Engine
	s := settings(t, "n", "30", "m", "30", "steps", "3", "target", "gaussian")
	if err := e.Configure([]RunSpec{{Settings: s}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	for e.Active() {
		tick(&e, false)
	}
	if e.Step() != 3 {
		t.Errorf("stopped at %d, want 3", e.Step())
	}
	tick(&e, true) // step requests go past the limit
	if e.Step() != 4 || e.heavy || e.MetricFn != "energy" {
		t.Errorf("step %d heavy %v metric %s", e.Step(), e.heavy, e.MetricFn)
	}
	// An unconstrained KL flow with a huge learning rate diverges; the other run goes on.
	wild := settings(t, "n", "30", "m", "30", "f", "kl", "L", "inf", "lr", "10", "dt", "1000")
	calm := wild
	calm.F, calm.L, calm.LR, calm.DT = "alpha", 1, 0.01, 0.1
	if err := e.Configure([]RunSpec{{Settings: wild}, {Settings: calm}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	for range 200 {
		tick(&e, false)
	}
	f := e.Frame(false)
	if f.Runs[0].Err == "" {
		t.Skip("the wild run did not diverge in 200 steps")
	}
	if f.Runs[1].Err != "" || f.Runs[1].Stats.Step != 200 {
		t.Errorf("calm run: step %d, err %q", f.Runs[1].Stats.Step, f.Runs[1].Err)
	}
}

func TestMetricImproves(t *testing.T) {
	var e Engine
	s := settings(t, "source", "gaussian(mean=3;3)", "target", "swiss-roll", "f", "kl-dv", "lr", "0.05", "dt", "0.5", "n", "300", "m", "300")
	if err := e.Configure([]RunSpec{{Settings: s}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	m0 := e.runs[0].metric
	want := metric.EnergyDistance(metric.Subsample(e.runs[0].fl.Particles(), 2, metricParticles, rand.New(rand.NewPCG(s.Seed, streamSubset))), e.fresh, 2)
	if math.Abs(m0-want) > 1e-9*want {
		t.Fatalf("cached energy %v, metric.EnergyDistance %v", m0, want)
	}
	for range 60 {
		tick(&e, false)
	}
	e.MeasureAll()
	if m := e.runs[0].metric; !(m < m0/2) {
		t.Errorf("energy distance %v after 60 steps, %v at the start", m, m0)
	}
}

func TestUserPointsAndProjection(t *testing.T) {
	// Targets on a tilted plane in 5D: the projection must find the plane.
	rng := rand.New(rand.NewPCG(1, 2))
	const m, d = 400, 5
	u := []float64{1, 1, 0, 0, 0}
	v := []float64{0, 0, 1, -1, 1}
	normalize(u)
	normalize(v)
	x := make([]float64, m*d)
	for i := range m {
		a, b := 5*rng.NormFloat64(), 2*rng.NormFloat64()
		for k := range d {
			x[i*d+k] = 3 + a*u[k] + b*v[k] + 0.01*rng.NormFloat64()
		}
	}
	var e Engine
	s := settings(t, "source", "gaussian", "n", "64")
	if err := e.Configure([]RunSpec{{Settings: s}}, x, d); err != nil {
		t.Fatal(err)
	}
	if e.Dim() != d || e.runs[0].fl.Settings().M != m || e.heavy {
		t.Fatalf("dim %d, m %d, heavy %v", e.Dim(), e.runs[0].fl.Settings().M, e.heavy)
	}
	dot := func(a, b []float64) float64 {
		var s float64
		for k := range a {
			s += a[k] * b[k]
		}
		return s
	}
	if c := math.Abs(dot(e.proj.v1, u)); c < 0.999 {
		t.Errorf("first axis %v, |cos| with u = %v", e.proj.v1, c)
	}
	if c := math.Abs(dot(e.proj.v2, v)); c < 0.99 {
		t.Errorf("second axis %v, |cos| with v = %v", e.proj.v2, c)
	}
	f := e.Frame(true)
	if len(f.Targets) != 2*m || len(f.Runs[0].Particles) != 2*64 || len(f.Runs[0].Full) != 64*d || f.Target != "" {
		t.Errorf("frame sizes %d %d %d, target %q", len(f.Targets), len(f.Runs[0].Particles), len(f.Runs[0].Full), f.Target)
	}
	fd := e.Field(FieldRequest{X0: -10, X1: 10, Y0: -5, Y1: 5, NX: 8, NY: 4})
	if len(fd.Phi) != 32 || len(fd.GX) != 32 {
		t.Fatalf("field sizes %d %d", len(fd.Phi), len(fd.GX))
	}
}

func TestField2D(t *testing.T) {
	var e Engine
	s := settings(t, "source", "gaussian(mean=5;0)", "target", "gaussian", "n", "100", "m", "100", "lr", "0.05", "f", "kl-dv")
	if err := e.Configure([]RunSpec{{Settings: s}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		tick(&e, false)
	}
	f := e.Field(FieldRequest{X0: -2, X1: 8, Y0: -3, Y1: 3, NX: 20, NY: 12})
	// The particles (right) flow left, towards the targets: -grad phi points to -x there.
	var gx float64
	for i := range f.NY {
		for j := f.NX / 2; j < f.NX; j++ {
			gx += float64(f.GX[i*f.NX+j])
		}
	}
	if gx >= 0 {
		t.Errorf("mean -dphi/dx on the particles' side %v, want < 0", gx)
	}
	// Nodes include the region's corners; with Log they are uniform in sign(v) log(1+|v|).
	lf := e.Field(FieldRequest{X0: -100, X1: 100, Y0: -100, Y1: 100, NX: 3, NY: 3, Log: true})
	if len(lf.Phi) != 9 {
		t.Fatal(len(lf.Phi))
	}
	pts := []float64{-100, -100}
	phi := make([]float64, 1)
	e.runs[0].fl.(*flow.Flow).Potential(pts, 0, phi)
	if math.Abs(float64(lf.Phi[0])-phi[0]) > 1e-5 {
		t.Errorf("log field phi %v, direct %v", lf.Phi[0], phi[0])
	}
	pts = []float64{0, 0}
	e.runs[0].fl.(*flow.Flow).Potential(pts, 0, phi)
	if math.Abs(float64(lf.Phi[4])-phi[0]) > 1e-5 {
		t.Errorf("log field centre phi %v, direct %v", lf.Phi[4], phi[0])
	}
}

// TestConfigErrorNamesTheSetting: a refused configuration names its setting as data (the page
// marks that control), whatever the message says.
func TestConfigErrorNamesTheSetting(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"f", "alpha", "alpha", "1"}, "alpha"},
		{[]string{"target", "nonsense(3)"}, "target"},
		{[]string{"L", "-1"}, "L"},
		{[]string{"n", "900000", "width", "1024"}, "n"},
		{[]string{"lipschitz", "clip"}, "lipschitz"},
	} {
		s := settings(t, c.set...)
		var e Engine
		err := e.Configure([]RunSpec{{Settings: s}}, nil, 0)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Setting != c.want {
			t.Errorf("%v: error %v, want a ConfigError naming %q", c.set, err, c.want)
		}
	}
}

func TestBench(t *testing.T) {
	s := settings(t, "n", "50", "m", "50", "f", "kl-dv")
	per, total, err := Bench(s, 3, nil, 0)
	if err != nil || per <= 0 || total < per {
		t.Errorf("bench: %v ms/step, %v ms, %v", per, total, err)
	}
}

func TestStepOneInterleaves(t *testing.T) {
	var e Engine
	s := settings(t, "n", "20", "m", "20")
	s2 := s
	s2.F, s2.Alpha = "alpha", 10
	if err := e.Configure([]RunSpec{{Settings: s}, {Settings: s2}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	if done, _ := e.StepOne(false); done || !e.MidTick() || e.Step() != 0 {
		t.Fatalf("after one run's step: done %v, mid %v, step %d", done, e.MidTick(), e.Step())
	}
	if e.runs[0].fl.Stats().Step != 1 || e.runs[1].fl.Stats().Step != 0 {
		t.Fatal("the first run did not step alone")
	}
	if done, stepped := e.StepOne(false); !done || !stepped || e.MidTick() || e.Step() != 1 {
		t.Fatalf("after the tick: done %v, stepped %v, mid %v, step %d", done, stepped, e.MidTick(), e.Step())
	}
}

// tick does one step of every run that can step (force: past the steps limit too), records the
// curves and measures the metric when its cost is small against the stepping time since the last
// measurement. It reports whether any run stepped.
func tick(e *Engine, force bool) bool {
	for {
		if done, stepped := e.StepOne(force); done {
			return stepped
		}
	}
}
