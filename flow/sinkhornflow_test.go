package flow

import (
	"math"
	"testing"

	"lipflow/flow/metric"
)

// The Sinkhorn flow's velocity at particle i is -n dS_ε/dy_i: checked by central differences of
// S_ε itself (metric.SinkhornDivergence run to convergence) in each coordinate of a few
// particles.
func TestSinkhornFlowGradient(t *testing.T) {
	s := Defaults()
	s.Method, s.Source, s.Target, s.N, s.M, s.Epsilon = MethodSinkhorn, "gaussian(mean=1;1)", "moons", 12, 15, 0.5
	p := peerOf(t, s)
	m := p.mv.(*sinkhornFlow)
	exact := metric.DivergenceOptions{Scaling: 0.9, Converge: 3000}
	m.opt = exact
	blur := math.Sqrt(s.Epsilon)
	v := make([]float64, len(p.y))
	p.Velocity(p.y, v)
	diam := metric.BoxDiagonal(p.y, p.x, 2) // one schedule for every perturbed cloud
	o := exact
	o.Diameter = diam
	for _, i := range []int{0, 5, 11} {
		for k := range 2 {
			S := func(yi []float64) float64 {
				y := append([]float64(nil), p.y...)
				copy(y[i*2:i*2+2], yi)
				return metric.SinkhornDivergence(y, p.x, 2, blur, o)
			}
			want := -float64(p.n) * fd(S, p.y[i*2:i*2+2], k, 1e-5)
			if got := v[i*2+k]; math.Abs(got-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("velocity of particle %d [%d] = %.9g, -n dS/dy = %.9g", i, k, got, want)
			}
		}
	}
}

// For a small step the Sinkhorn flow lowers S_ε at every step (measured by the metric, to
// convergence, not by the flow's own number), and by much over the run.
func TestSinkhornFlowDescent(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of steps: run without -short")
	}
	s := Defaults()
	s.Method, s.Source, s.Target, s.N, s.M, s.Epsilon, s.DT = MethodSinkhorn, "gaussian(mean=3;3)", "four-gaussians", 40, 40, 0.5, 0.2
	p := peerOf(t, s)
	o := metric.DivergenceOptions{Scaling: 0.9, Converge: 300}
	S := func() float64 { return metric.SinkhornDivergence(p.y, p.x, 2, math.Sqrt(s.Epsilon), o) }
	first := S()
	prev := first
	for k := range 40 {
		if err := p.Step(); err != nil {
			t.Fatal(err)
		}
		now := S()
		if now > prev {
			t.Fatalf("step %d: S_ε rose from %.10g to %.10g", k+1, prev, now)
		}
		prev = now
	}
	if prev > first/10 {
		t.Errorf("S_ε went from %g to %g in 40 steps, want a tenth", first, prev)
	}
}
