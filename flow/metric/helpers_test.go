package metric

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func newRNG(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// gaussian returns n rows of N(mean, sd² I) in dimension len(mean).
func gaussian(rng *rand.Rand, n int, mean []float64, sd float64) []float64 {
	d := len(mean)
	x := make([]float64, n*d)
	for i := range x {
		x[i] = mean[i%d] + sd*rng.NormFloat64()
	}
	return x
}

// meanSE returns the mean of v and the standard error of that mean.
func meanSE(v []float64) (mean, se float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(v)-1) / float64(len(v)))
}

// column extracts coordinate k of every row.
func column(x []float64, d, k int) []float64 {
	c := make([]float64, len(x)/d)
	for i := range c {
		c[i] = x[i*d+k]
	}
	return c
}

// quantileW2Sq is an independent W2² between two 1D samples: the quantile
// functions are step functions with breakpoints on multiples of 1/(n·m), so
// the midpoint rule on that grid integrates (F^{-1} - G^{-1})² exactly.
func quantileW2Sq(x, y []float64) float64 {
	xs, ys := slices.Clone(x), slices.Clone(y)
	slices.Sort(xs)
	slices.Sort(ys)
	n, m := len(xs), len(ys)
	cells := n * m
	var s float64
	for k := range cells {
		u := (float64(k) + 0.5) / float64(cells)
		t := xs[int(u*float64(n))] - ys[int(u*float64(m))]
		s += t * t
	}
	return s / float64(cells)
}

// permutations calls fn with every permutation of 0..n-1.
func permutations(n int, fn func([]int)) {
	a := make([]int, n)
	for i := range a {
		a[i] = i
	}
	var rec func(k int)
	rec = func(k int) {
		if k == n {
			fn(a)
			return
		}
		for i := k; i < n; i++ {
			a[k], a[i] = a[i], a[k]
			rec(k + 1)
			a[k], a[i] = a[i], a[k]
		}
	}
	rec(0)
}

func mustPanic(t *testing.T, name string, fn func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: expected a panic", name)
		}
	}()
	fn()
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol
}
