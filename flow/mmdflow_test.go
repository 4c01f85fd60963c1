package flow

import (
	"math"
	"testing"
)

// The noiseless MMD flow is a gradient flow of MMD^2/2: for a small step, MMD^2 falls at every
// step. It is checked against MMD^2 computed from its definition, not the flow's own number.
func TestMMDFlowMonotone(t *testing.T) {
	s := Defaults()
	s.Method, s.Source, s.Target = MethodMMD, "gaussian(mean=2;2)", "four-gaussians"
	s.N, s.M, s.DT, s.MMDSigma = 60, 80, 0.5, 1.5
	p := peerOf(t, s)
	mmd2 := func(y []float64) float64 {
		k := func(a, b []float64) float64 { return math.Exp(-sqDist(a, b) / (2 * s.MMDSigma * s.MMDSigma)) }
		mean := func(a, b []float64) float64 {
			var sum float64
			for i := 0; i < len(a)/2; i++ {
				for j := 0; j < len(b)/2; j++ {
					sum += k(a[i*2:i*2+2], b[j*2:j*2+2])
				}
			}
			return sum / float64(len(a)/2*len(b)/2)
		}
		return mean(y, y) - 2*mean(y, p.x) + mean(p.x, p.x)
	}
	prev := mmd2(p.y)
	first := prev
	for k := range 200 {
		before := mmd2(p.y)
		if err := p.Step(); err != nil {
			t.Fatal(err)
		}
		if got := p.Stats().Divergence; math.Abs(got-before) > 1e-12 {
			t.Fatalf("step %d reports MMD² %g, want %g (the particles' before the step)", k+1, got, before)
		}
		now := mmd2(p.y)
		if now > prev {
			t.Fatalf("step %d: MMD² rose from %.12g to %.12g", k+1, prev, now)
		}
		prev = now
	}
	if prev > first/2 {
		t.Errorf("MMD² went from %g to %g in 200 steps, want at least halved", first, prev)
	}
}

// The MMD flow's velocity is -grad f of the witness f = mean_j k(., y_j) - mean_j k(., x_j):
// checked by finite differences of f.
func TestMMDFlowWitnessGradient(t *testing.T) {
	s := Defaults()
	s.Method, s.N, s.M, s.MMDSigma = MethodMMD, 20, 30, 0.8
	p := peerOf(t, s)
	witness := func(z []float64) float64 {
		var f float64
		for j := range p.n {
			f += math.Exp(-sqDist(z, p.y[j*2:j*2+2])/(2*0.64)) / float64(p.n)
		}
		for j := range p.m {
			f -= math.Exp(-sqDist(z, p.x[j*2:j*2+2])/(2*0.64)) / float64(p.m)
		}
		return f
	}
	pts := []float64{9.5, 10.2, 0.1, 0.3, 5, 5}
	got := make([]float64, len(pts))
	p.Velocity(pts, got)
	for i := range 3 {
		for k := range 2 {
			want := -fd(witness, pts[i*2:i*2+2], k, 1e-6)
			if math.Abs(got[i*2+k]-want) > 1e-8 {
				t.Errorf("velocity at %v [%d] = %.10g, want -df/dz = %.10g", pts[i*2:i*2+2], k, got[i*2+k], want)
			}
		}
	}
}

// With noise injection the flow still moves down, and its noise comes from its own seeded
// stream: two runs with one seed agree to the bit.
func TestMMDFlowNoise(t *testing.T) {
	s := Defaults()
	s.Method, s.Source, s.Target, s.N, s.M, s.MMDNoise = MethodMMD, "gaussian(mean=3;3)", "gaussian", 50, 50, 0.5
	s.DT = 0.5
	a, b := peerOf(t, s), peerOf(t, s)
	first := -1.0
	for range 200 {
		if err := a.Step(); err != nil {
			t.Fatal(err)
		}
		if err := b.Step(); err != nil {
			t.Fatal(err)
		}
		if first < 0 {
			first = a.Stats().Divergence
		}
	}
	for i := range a.y {
		if a.y[i] != b.y[i] {
			t.Fatal("two runs with one seed differ")
		}
	}
	if last := a.Stats().Divergence; !(last < first/2) {
		t.Errorf("MMD² with noise went from %g to %g, want at least halved", first, last)
	}
}
