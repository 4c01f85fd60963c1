package metric

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// bruteKS evaluates sup_t |F(t) - G(t)| at every sample value, straight from
// the definition, to check the merge-based gonum routine independently.
func bruteKS(x, y []float64) float64 {
	cdf := func(s []float64, t float64) float64 {
		var c int
		for _, v := range s {
			if v <= t {
				c++
			}
		}
		return float64(c) / float64(len(s))
	}
	var best float64
	for _, t := range slices.Concat(x, y) {
		best = math.Max(best, math.Abs(cdf(x, t)-cdf(y, t)))
	}
	return best
}

func TestLogKSHandComputed(t *testing.T) {
	tests := []struct {
		name string
		p, q []float64
		d    int
		want []float64
	}{
		// F-G at 1, 2, 2.5, 3, 4: 1/3, 2/3, 1/6, 1/2, 0.
		{"1D", []float64{1, 2, 3}, []float64{2.5, 4}, 1, []float64{2.0 / 3}},
		// Ties across the samples: at 0, 2/3 vs 1/3; at 1, 1 vs 1.
		{"ties", []float64{0, 0, 1}, []float64{0, 1, 1}, 1, []float64{1.0 / 3}},
		// Coordinate 0 as in "1D"; coordinate 1 is negative heavy-tailed,
		// F-G at -1e6, -5, -1, 7: 1/3, 2/3, 2/3 - 1/2, 0.
		{"2D", []float64{1, -1e6, 2, -5, 3, 7}, []float64{2.5, -1, 4, 7}, 2, []float64{2.0 / 3, 2.0 / 3}},
		{"identical", []float64{3, 1, 2}, []float64{2, 3, 1}, 1, []float64{0}},
		{"disjoint", []float64{-3, -2, -1}, []float64{1e-9, 5}, 1, []float64{1}},
		{"disjoint 2D", []float64{0, 10, 1, 11}, []float64{2, -1, 3, -2, 4, -3}, 2, []float64{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := LogKS(tc.p, tc.q, tc.d)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d values, want %d", len(got), len(tc.want))
			}
			for k := range got {
				if !near(got[k], tc.want[k], 1e-15) {
					t.Errorf("coordinate %d: got %v, want %v", k, got[k], tc.want[k])
				}
			}
		})
	}
}

// The transform is strictly increasing, so LogKS must equal the KS of the raw
// sorted coordinates, which gonum computes without any transform.
func TestLogKSMatchesGonumOnRawData(t *testing.T) {
	rng := newRNG(1)
	tests := []struct {
		name string
		n, m int
		d    int
		// draw makes heavy tails and ties that exercise the merge.
		draw func() float64
	}{
		{"cauchy", 300, 200, 3, func() float64 { return rng.NormFloat64() / rng.NormFloat64() }},
		{"integers with ties", 100, 157, 2, func() float64 { return float64(rng.IntN(7) - 3) }},
		{"one point each", 1, 1, 4, rng.NormFloat64},
		{"wide", 50, 60, 1, func() float64 { return 1e6 * rng.NormFloat64() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := make([]float64, tc.n*tc.d)
			q := make([]float64, tc.m*tc.d)
			for i := range p {
				p[i] = tc.draw()
			}
			for i := range q {
				q[i] = tc.draw() + 0.3
			}
			got := LogKS(p, q, tc.d)
			for k := range tc.d {
				x, y := column(p, tc.d, k), column(q, tc.d, k)
				slices.Sort(x)
				slices.Sort(y)
				want := stat.KolmogorovSmirnov(x, nil, y, nil)
				if !near(got[k], want, 1e-12) {
					t.Errorf("coordinate %d: got %v, gonum %v", k, got[k], want)
				}
				if b := bruteKS(x, y); !near(got[k], b, 1e-12) {
					t.Errorf("coordinate %d: got %v, brute force %v", k, got[k], b)
				}
			}
		})
	}
}

func TestLogKSEmpty(t *testing.T) {
	for _, v := range LogKS(nil, []float64{1, 2}, 2) {
		if !math.IsNaN(v) {
			t.Errorf("empty p: got %v, want NaN", v)
		}
	}
}

func TestSignedLog1p(t *testing.T) {
	tests := []struct{ v, want float64 }{
		{0, 0}, {math.E - 1, 1}, {-(math.E - 1), -1}, {1e6, math.Log(1e6 + 1)}, {-1e-20, -1e-20},
	}
	for _, tc := range tests {
		if got := signedLog1p(tc.v); !near(got, tc.want, 1e-15*math.Max(1, math.Abs(tc.want))) {
			t.Errorf("signedLog1p(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}
