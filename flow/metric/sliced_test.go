package metric

import (
	"math"
	"slices"
	"testing"
)

// In 1D every direction is ±1, so SW2 is the exact W2, computed here from
// sorted samples (equal counts) or the quantile-function grid (unequal).
func TestSlicedWasserstein1DExact(t *testing.T) {
	rng := newRNG(61)
	tests := []struct {
		name string
		n, m int
	}{
		{"equal", 100, 100},
		{"unequal", 30, 47},
		{"one vs many", 1, 9},
		{"divisible", 20, 60},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := gaussian(rng, tc.n, []float64{0}, 1)
			q := gaussian(rng, tc.m, []float64{2}, 0.5)
			want := math.Sqrt(quantileW2Sq(p, q))
			if tc.n == tc.m {
				xs, ys := slices.Clone(p), slices.Clone(q)
				slices.Sort(xs)
				slices.Sort(ys)
				var s float64
				for i := range xs {
					s += (xs[i] - ys[i]) * (xs[i] - ys[i])
				}
				if sorted := math.Sqrt(s / float64(tc.n)); !near(sorted, want, 1e-12) {
					t.Fatalf("test oracles disagree: %v vs %v", sorted, want)
				}
			}
			if got := SlicedWasserstein(p, q, 1, 5, newRNG(1)); !near(got, want, 1e-12*want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestSlicedWassersteinHandComputedUnequal(t *testing.T) {
	// F^{-1} of {0, 1} is 0 on (0, 1/2], 1 after; of {0, 3, 6} it is 0, 3, 6
	// on thirds. Squared gaps: 0 on (0, 1/3], 9 on (1/3, 1/2], 4 on (1/2, 2/3],
	// 25 on (2/3, 1]: W2² = 9/6 + 4/6 + 25/3 = 10.5.
	got := SlicedWasserstein([]float64{1, 0}, []float64{6, 0, 3}, 1, 1, newRNG(1))
	if want := math.Sqrt(10.5); !near(got, want, 1e-14) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Q = P + t moves every projection by θ·t, so each slice's W2² is (θ·t)² and
// SW2² = E(θ·t)² = |t|²/d. The k-direction estimate of SW2² is a mean of
// |t|² u² with u² ~ Beta(1/2, (d-1)/2), variance 2(d-1)/(d²(d+2)), which sets
// a four-standard-error tolerance.
func TestSlicedWassersteinTranslation(t *testing.T) {
	const k = 4000
	tests := []struct {
		name string
		t    []float64
	}{
		{"2D", []float64{3, -4}},
		{"3D", []float64{1, 1, 1}},
		{"5D", []float64{0, 0, 2, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := len(tc.t)
			rng := newRNG(67)
			p := gaussian(rng, 200, make([]float64, d), 1)
			q := slices.Clone(p)
			var t2 float64
			for i := range q {
				q[i] += tc.t[i%d]
			}
			for _, v := range tc.t {
				t2 += v * v
			}
			got := SlicedWasserstein(p, q, d, k, rng)
			df := float64(d)
			se := t2 * math.Sqrt(2*(df-1)/(df*df*(df+2))/k)
			if want := t2 / df; !near(got*got, want, 4*se) {
				t.Errorf("SW2² = %v, want %v ± %v (SW2 = %v vs |t|/sqrt(d) = %v)",
					got*got, want, 4*se, got, math.Sqrt(want))
			}
		})
	}
}

func TestSlicedWassersteinEdgeCases(t *testing.T) {
	if got := SlicedWasserstein(nil, []float64{1, 2}, 2, 3, newRNG(1)); !math.IsNaN(got) {
		t.Errorf("empty p: got %v, want NaN", got)
	}
	p := []float64{1, 2, 3, 4}
	if got := SlicedWasserstein(p, []float64{3, 4, 1, 2}, 2, 10, newRNG(1)); got != 0 {
		t.Errorf("same rows reordered: got %v, want 0", got)
	}
	mustPanic(t, "k = 0", func() { SlicedWasserstein(p, p, 2, 0, newRNG(1)) })
	mustPanic(t, "nil rng", func() { SlicedWasserstein(p, p, 2, 1, nil) })
	// Same seed, same directions, same value.
	a := SlicedWasserstein(p, []float64{0, 0, 5, 5}, 2, 7, newRNG(3))
	b := SlicedWasserstein(p, []float64{0, 0, 5, 5}, 2, 7, newRNG(3))
	if a != b {
		t.Errorf("not reproducible: %v vs %v", a, b)
	}
}
