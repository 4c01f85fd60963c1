package flow

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"lipflow/flow/dist"
	"lipflow/flow/metric"
)

func mustFlow(t *testing.T, s Settings) *Flow {
	t.Helper()
	fl, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	return fl
}

func TestSameSeedSameParticles(t *testing.T) {
	for _, integ := range integratorNames {
		s := Defaults()
		s.Integrator = integ
		s.Optimizer = "adam"
		a, b := mustFlow(t, s), mustFlow(t, s)
		if err := a.Run(20); err != nil {
			t.Fatal(err)
		}
		if err := b.Run(20); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Particles(), b.Particles()) {
			t.Errorf("%s: same seed, different particles", integ)
		}
		s.Seed++
		c := mustFlow(t, s)
		if err := c.Run(20); err != nil {
			t.Fatal(err)
		}
		if slices.Equal(a.Particles(), c.Particles()) {
			t.Errorf("%s: different seeds, same particles", integ)
		}
	}
}

// Each particle moves at most dt*L per Euler step when phi is L-Lipschitz.
func TestSpeedLimit(t *testing.T) {
	for _, kind := range []string{"frobenius", "spectral"} {
		s := Defaults()
		s.Lipschitz, s.L, s.DT, s.Steps = kind, 0.5, 0.3, 30
		fl := mustFlow(t, s)
		prev := slices.Clone(fl.Particles())
		for range s.Steps {
			if err := fl.Step(); err != nil {
				t.Fatal(err)
			}
			y := fl.Particles()
			for i := 0; i < len(y); i += 2 {
				if d := math.Hypot(y[i]-prev[i], y[i+1]-prev[i+1]); d > s.DT*s.L*(1+1e-4) {
					t.Fatalf("%s: particle %d moved %g > dt*L = %g", kind, i/2, d, s.DT*s.L)
				}
			}
			copy(prev, y)
		}
	}
}

// The largest |grad phi| over many random points stays below L for the hard constraints,
// during training, not only at initialization.
func TestLipschitzBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	pts := make([]float64, 20000*2)
	for i := range pts {
		pts[i] = rng.NormFloat64() * 20
	}
	g := make([]float64, len(pts))
	for _, kind := range []string{"frobenius", "spectral"} {
		for _, act := range []string{"relu", "tanh", "softplus"} {
			s := Defaults()
			s.Lipschitz, s.L, s.Activation, s.F, s.LR = kind, 3, act, "kl-dv", 0.05
			fl := mustFlow(t, s)
			for k := range 4 {
				fl.Gradient(pts, 0, g)
				var worst float64
				for i := 0; i < len(g); i += 2 {
					worst = math.Max(worst, math.Hypot(g[i], g[i+1]))
				}
				if worst > s.L*(1+1e-3) {
					t.Errorf("%s/%s after %d steps: max |grad phi| = %g > L = %g", kind, act, k*25, worst, s.L)
				}
				if err := fl.Run(25); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// No divergence gives a NaN or Inf with particles 1e6 away, with or without the constraint:
// a run either goes on with finite values or stops with ErrDiverged.
func TestFarParticlesStayFinite(t *testing.T) {
	for _, f := range []struct {
		name  string
		alpha float64
	}{{"kl", 0}, {"kl-dv", 0}, {"alpha", 2}, {"alpha", 0.5}, {"alpha", 10}, {"reverse-kl", 0}, {"js", 0}, {"chi2", 0}, {"hellinger", 0}} {
		for _, L := range []float64{1, 0} {
			for _, kind := range []string{"frobenius", "spectral", "penalty"} {
				if L == 0 && kind != "frobenius" {
					continue
				}
				s := Defaults()
				s.Source, s.Target = "gaussian(mean=1e6;-1e6,sd=1e3)", "gaussian"
				s.F, s.Alpha, s.L, s.Lipschitz, s.DT = f.name, f.alpha, L, kind, 1
				fl := mustFlow(t, s)
				err := fl.Run(30)
				if err != nil && !errors.Is(err, ErrDiverged) {
					t.Fatalf("%s L=%g %s: %v", f.name, L, kind, err)
				}
				st := fl.Stats()
				for _, v := range append(slices.Clone(fl.Particles()), st.Divergence, st.KE, st.Speed) {
					if !isFinite(v) {
						t.Fatalf("%s alpha=%g L=%g %s: non-finite value after %d steps (err %v)", f.name, f.alpha, L, kind, st.Step, err)
					}
				}
			}
		}
	}
}

func freshSample(t *testing.T, target string, n int) []float64 {
	t.Helper()
	smp, err := dist.Parse(target, 2)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, 2*n)
	smp.Sample(x, rand.New(rand.NewPCG(777, 1)))
	return x
}

// The paper's light-tailed experiments, as the lab's presets run them (the reference code's
// configurations): a Gaussian from N((10,10), 0.25 I) (L = 1 and 10, Adam, 500 steps) and four
// wells from N(0, 0.25 I) (L = 1 and inf, Adam lr 0.001, dt 0.5, 500 steps). "Close" is judged
// against the sampling floor: the energy distance from the run's own M = 200 target samples to
// the same fresh sample. The figure is the median over the last tenth of the run, since the
// particles keep jostling around the target.
func TestConvergesToGaussianAndFourWells(t *testing.T) {
	cases := []struct {
		source, target string
		L, lr, dt      float64
		within         float64 // times the floor
	}{
		{"gaussian(mean=10;10,sd=0.5)", "gaussian", 1, 0.05, 1, 5},
		{"gaussian(mean=10;10,sd=0.5)", "gaussian", 10, 0.05, 1, 15},
		{"gaussian(sd=0.5)", "four-gaussians", 1, 0.001, 0.5, 3},
		// Unconstrained (the reference code's own setting), phi is steep between the wells and
		// the particles overshoot: 10 to 60 times the floor over seeds 1-4 (docs/science.md).
		{"gaussian(sd=0.5)", "four-gaussians", 0, 0.001, 0.5, 30},
	}
	for _, c := range cases {
		s := Defaults()
		s.Source, s.Target, s.F, s.L, s.LR, s.DT, s.Steps = c.source, c.target, "kl-dv", c.L, c.lr, c.dt, 500
		s.Optimizer, s.Inner, s.AdamReset = "adam", 3, true
		fl := mustFlow(t, s)
		fresh := freshSample(t, c.target, 1000)
		floor := metric.EnergyDistance(fl.Targets(), fresh, 2)
		before := metric.EnergyDistance(fl.Particles(), fresh, 2)
		var tail []float64
		for k := range s.Steps {
			if err := fl.Step(); err != nil {
				t.Fatal(err)
			}
			if k >= s.Steps*9/10 && k%5 == 0 {
				tail = append(tail, metric.EnergyDistance(fl.Particles(), fresh, 2))
			}
		}
		slices.Sort(tail)
		after := tail[len(tail)/2]
		t.Logf("%s L=%g: energy distance to fresh targets %.4g -> %.4g (median of the last %d steps; floor %.4g)", c.target, c.L, before, after, s.Steps/10, floor)
		if after > c.within*floor {
			t.Errorf("%s L=%g: energy distance %.4g, want within %gx of the sampling floor %.4g", c.target, c.L, after, c.within, floor)
		}
	}
}

// The paper's heavy-tail experiment with alpha = 2: Student-t(0.5) from N((10,10), I),
// N = M = 200, 5000 steps. The reference code reaches a per-coordinate log-KS distance of about
// 0.2 to 0.3.
func TestHeavyTailAlpha2(t *testing.T) {
	if testing.Short() {
		t.Skip("5000 steps: run without -short")
	}
	s := Defaults()
	fl := mustFlow(t, s)
	if err := fl.Run(s.Steps); err != nil {
		t.Fatal(err)
	}
	smp, _ := dist.Parse(s.Target, 2)
	fresh := make([]float64, 2*5000)
	smp.Sample(fresh, rand.New(rand.NewPCG(4242, 1)))
	ks := metric.LogKS(fl.Particles(), fresh, 2)
	t.Logf("log-KS per coordinate after %d steps: %.3f", s.Steps, ks)
	for i, v := range ks {
		if v > 0.3 {
			t.Errorf("coordinate %d: log-KS %.3f, want <= 0.3 as the reference reaches", i, v)
		}
	}
}

func TestSettingsRefused(t *testing.T) {
	cases := []struct {
		set  func(*Settings)
		want string
	}{
		{func(s *Settings) { s.L = -1 }, "L = -1"},
		{func(s *Settings) { s.F, s.Alpha = "alpha", 1 }, "alpha = 1"},
		{func(s *Settings) { s.Width = 0 }, "width = 0"},
		{func(s *Settings) { s.N = 900000; s.Width = 1024 }, "MB"},
		{func(s *Settings) { s.LR = math.NaN() }, "lr = NaN"},
		{func(s *Settings) { s.DT = 0 }, "dt = 0"},
		{func(s *Settings) { s.Inner = 0 }, "inner = 0"},
		{func(s *Settings) { s.Optimizer = "rmsprop" }, "optimizer"},
		{func(s *Settings) { s.Integrator = "rk4" }, "integrator"},
		{func(s *Settings) { s.Lipschitz = "clip" }, "lipschitz"},
		{func(s *Settings) { s.Activation = "gelu" }, "activation"},
		{func(s *Settings) { s.Target = "student-t(nu=-1)" }, "nu"},
		{func(s *Settings) { s.Source = "nonsense" }, "source"},
	}
	for _, c := range cases {
		s := Defaults()
		c.set(&s)
		_, err := New(s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got error %v, want one naming %q", err, c.want)
		}
	}
	// NaN in a user's target.
	s := Defaults()
	if _, err := NewWithTarget(s, []float64{1, 2, math.NaN(), 4}, nil, 1); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Errorf("NaN target: got %v, want an error naming row 2", err)
	}
}

func TestSetGetRoundTrip(t *testing.T) {
	s := Defaults()
	s.L, s.AdamReset, s.Seed = 0, true, 1<<63+5
	var r Settings
	for _, name := range SettingNames() {
		if err := r.Set(name, s.Get(name)); err != nil {
			t.Fatal(err)
		}
	}
	if r != s {
		t.Errorf("round trip through Get/Set: %+v, want %+v", r, s)
	}
	if err := r.Set("L", "inf"); err != nil || r.L != 0 {
		t.Errorf("L = inf: %v, L = %g", err, r.L)
	}
	if err := r.Set("n", "ten"); err == nil {
		t.Error("n = ten accepted")
	}
	if err := r.Set("bogus", "1"); err == nil {
		t.Error("unknown setting accepted")
	}
}

// A flow given its particles' start begins exactly there, keeps their classes, and refuses
// samples that do not fit.
func TestNewWithData(t *testing.T) {
	s := Defaults()
	s.Steps = 1
	x := []float64{0, 0, 1, 1, 2, 2, 3, 3}
	y := []float64{10, 10, 11, 11, 12, 12}
	fl, err := NewWithData(s, Data{X: x, XLabels: []int32{0, 1, 0, 1}, Y: y, YLabels: []int32{1, 1, 0}, Classes: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := fl.Particles(); len(got) != len(y) || got[0] != 10 || got[5] != 12 {
		t.Fatalf("particles %v, want a copy of %v", got, y)
	}
	if l := fl.Labels(); len(l) != 3 || l[0] != 1 || l[2] != 0 {
		t.Fatalf("labels %v, want [1 1 0]", l)
	}
	if err := fl.Step(); err != nil {
		t.Fatal(err)
	}
	if y[0] != 10 {
		t.Error("the flow moved the caller's slice")
	}
	moved := 0.0
	for i, v := range fl.Particles() {
		moved += math.Abs(v - y[i])
	}
	if moved == 0 || moved > float64(len(y))*s.DT*s.L {
		t.Errorf("particles moved %g in total, want in (0, %g]", moved, float64(len(y))*s.DT*s.L)
	}
	bad := []struct {
		data Data
		want string
	}{
		{Data{X: x, Y: []float64{1, 2, 3}}, "source"},
		{Data{X: x, Y: []float64{1, math.Inf(1)}}, "source: row 1"},
		{Data{X: x, XLabels: []int32{0, 1, 0, 1}, Y: y, YLabels: []int32{0, 2, 0}, Classes: 2}, "label 2 of row 2"},
		{Data{X: x, Y: y, YLabels: []int32{0, 0, 0}, Classes: 1}, "target has none"},
	}
	for _, c := range bad {
		if _, err := NewWithData(s, c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error naming %q", c.data, err, c.want)
		}
	}
}
