package flow

import (
	"math"
	"testing"
)

// TestAdamMinimises checks Adam on a convex quadratic whose minimum is known.
func TestAdamMinimises(t *testing.T) {
	p := []float64{3, -2}
	target := []float64{0.5, 1.5}
	o := NewAdam[float64](2, 0.05)
	g := make([]float64, 2)
	for range 2000 {
		for i := range p {
			g[i] = 2 * (p[i] - target[i])
		}
		o.Step(p, g)
	}
	for i := range p {
		if math.Abs(p[i]-target[i]) > 1e-3 {
			t.Fatalf("Adam reached %v, want %v", p, target)
		}
	}
}

// TestAdamFirstStep: with bias correction, Adam's first step is lr g / (|g| + eps) per
// parameter: about lr in the direction against g, whatever g's size.
func TestAdamFirstStep(t *testing.T) {
	for _, g0 := range []float64{1e-3, 0.5, 40} {
		p := []float64{1, 1}
		o := NewAdam[float64](2, 0.01)
		o.Step(p, []float64{g0, -g0})
		want := 0.01 * g0 / (g0 + 1e-8)
		if math.Abs((1-p[0])-want) > 1e-12 || math.Abs((p[1]-1)-want) > 1e-12 {
			t.Errorf("g = %g: moved %v, want %g each way", g0, []float64{1 - p[0], p[1] - 1}, want)
		}
		o.Reset()
		q := []float64{1}
		o.Step(q, []float64{g0})
		if math.Abs((1-q[0])-want) > 1e-12 {
			t.Errorf("g = %g: after Reset the step is %g, want the first step's %g", g0, 1-q[0], want)
		}
	}
}
