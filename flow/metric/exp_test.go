package metric

import (
	"math"
	"testing"
)

func TestExpNegAccuracy(t *testing.T) {
	rng := newRNG(59)
	var worst, worstX float64
	check := func(x float64) {
		want, got := math.Exp(x), expNeg(x)
		if rel := math.Abs(got-want) / want; rel > worst {
			worst, worstX = rel, x
		}
	}
	// Log-uniform magnitudes cover both r-reduction extremes and the tiny
	// arguments that dominate the Sinkhorn sums.
	for range 2000000 {
		check(-math.Pow(10, rng.Float64()*9.8-7))
	}
	for x := -706.0; x <= 0; x += 1.0 / 512 {
		check(x)
	}
	if worst > 1e-15 {
		t.Errorf("relative error %v at x = %v", worst, worstX)
	}
	tests := []struct{ x, want float64 }{
		{0, 1}, {math.Copysign(0, -1), 1}, {-1e-300, 1}, {1e-17, 1},
		{-707, 0}, {-800, 0}, {math.Inf(-1), 0},
		{-math.Ln2, 0.5}, {-10 * math.Ln2, 1.0 / 1024},
	}
	for _, tc := range tests {
		if got := expNeg(tc.x); !near(got, tc.want, 1e-16*tc.want) {
			t.Errorf("expNeg(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
	if got := expNeg(math.NaN()); !math.IsNaN(got) {
		t.Errorf("expNeg(NaN) = %v", got)
	}
}

var expSink float64

func BenchmarkExpNeg(b *testing.B) {
	x, s := -0.5, 0.0
	for b.Loop() {
		s += expNeg(x)
		x -= 1e-9
	}
	expSink = s
}

func BenchmarkMathExp(b *testing.B) {
	x, s := -0.5, 0.0
	for b.Loop() {
		s += math.Exp(x)
		x -= 1e-9
	}
	expSink = s
}
