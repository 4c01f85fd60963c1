package metric

import (
	"math"
	"slices"
	"testing"
)

// costStats returns mean and max of the squared-distance cost matrix.
func costStats(p, q []float64, d int) (mean, max float64) {
	n, m := len(p)/d, len(q)/d
	for i := range n {
		for j := range m {
			var s float64
			for k := range d {
				s += (p[i*d+k] - q[j*d+k]) * (p[i*d+k] - q[j*d+k])
			}
			mean += s
			max = math.Max(max, s)
		}
	}
	return mean / float64(n*m), max
}

// checkSinkhorn asserts OT - slack <= <π, C> <= OT + ε·log(min(n, m)) + slack.
// Every Sinkhorn iterate is the exact entropic plan between its own marginals
// r (rows) and 1/m (columns), and optimality against the OT plan π* gives
// <π, C> - OT(r) <= ε (H(π) - H(π*)) <= ε·log(min(n, m)), since a coupling's
// entropy lies between the larger marginal entropy and their sum. OT(r)
// differs from OT by at most max C·|r - 1/n|_1/2, the slack. So the check is
// rigorous whether or not the tolerance was met; mustConverge also demands
// that it was.
func checkSinkhorn(t *testing.T, p, q []float64, d int, eps float64, maxIter int, ot float64, mustConverge bool) {
	t.Helper()
	n, m := len(p)/d, len(q)/d
	got, iters, merr := sinkhorn(p, q, d, eps, maxIter)
	if mustConverge && merr >= 2*sinkhornTol {
		t.Errorf("not converged after %d iterations: marginal error %v", iters, merr)
	}
	meanC, maxC := costStats(p, q, d)
	slack := merr*maxC/2 + 1e-12*maxC
	lo, hi := ot-slack, ot+eps*meanC*math.Log(float64(min(n, m)))+slack
	if !(got >= lo && got <= hi) {
		t.Errorf("eps=%v: got %v, want in [%v, %v] (OT %v, %d iterations, marginal error %v)",
			eps, got, lo, hi, ot, iters, merr)
	}
	if public := Sinkhorn(p, q, d, eps, maxIter); public != got {
		t.Errorf("Sinkhorn %v differs from the internal result %v", public, got)
	}
	t.Logf("eps=%v: %v vs OT %v, window [%v, %v], %d iterations, marginal error %.2g",
		eps, got, ot, lo, hi, iters, merr)
}

// For tiny eps, a permutation of the same points is ~0 apart: the window's
// upper end is ε·log n, about 4e-4 of the mean cost at eps = 1e-4. Larger
// eps converge slowly here (slow mass exchange between near clusters), so
// only the tiny one must meet the tolerance.
func TestSinkhornPermutation(t *testing.T) {
	for _, eps := range []float64{1e-2, 1e-3, 1e-4} {
		rng := newRNG(29)
		const n, d = 60, 2
		p := gaussian(rng, n, []float64{0, 0}, 1)
		q := make([]float64, 0, len(p))
		for _, i := range rng.Perm(n) {
			q = append(q, p[i*d:(i+1)*d]...)
		}
		checkSinkhorn(t, p, q, d, eps, 2000, 0, eps == 1e-4)
	}
}

// For squared cost, E|X - Y|² = E|X - X'|² + |t|² when Y = X' + t with X' ~ P,
// so moving every point by t is optimal and OT = |t|².
func TestSinkhornTranslation(t *testing.T) {
	tests := []struct {
		t   []float64
		eps float64
	}{
		{[]float64{0.5, -0.25}, 1e-2},
		{[]float64{0.5, -0.25}, 1e-3},
		{[]float64{3, 0}, 1e-3},
		{[]float64{0.5, -0.25}, 1e-4},
		{[]float64{0.1, 0.2, -0.3}, 1e-2},
	}
	for _, tc := range tests {
		d := len(tc.t)
		rng := newRNG(31)
		p := gaussian(rng, 50, make([]float64, d), 1)
		q := slices.Clone(p)
		var t2 float64
		for i := range q {
			q[i] += tc.t[i%d]
			t2 += tc.t[i%d] * tc.t[i%d]
		}
		checkSinkhorn(t, p, q, d, tc.eps, 3000, t2/50, false)
	}
}

// In 1D the sorted matching is optimal for any convex cost.
func TestSinkhorn1DSortedMatching(t *testing.T) {
	for _, eps := range []float64{1e-1, 1e-2, 1e-3} {
		rng := newRNG(37)
		p := gaussian(rng, 80, []float64{0}, 1)
		q := gaussian(rng, 80, []float64{1}, 2)
		xs, ys := slices.Clone(p), slices.Clone(q)
		slices.Sort(xs)
		slices.Sort(ys)
		var ot float64
		for i := range xs {
			ot += (xs[i] - ys[i]) * (xs[i] - ys[i])
		}
		checkSinkhorn(t, p, q, 1, eps, 3000, ot/80, false)
	}
}

// With n = m the OT plan is a permutation (Birkhoff), so the best of all 3!
// matchings is the exact optimum.
func TestSinkhornBruteForceThreePoints(t *testing.T) {
	rng := newRNG(41)
	for range 20 {
		const d = 2
		p := gaussian(rng, 3, []float64{0, 0}, 1)
		q := gaussian(rng, 3, []float64{0.5, 0}, 1)
		ot := math.Inf(1)
		permutations(3, func(s []int) {
			var c float64
			for i, j := range s {
				c += sqDist(p[i*d:(i+1)*d], q[j*d:(j+1)*d])
			}
			ot = math.Min(ot, c/3)
		})
		checkSinkhorn(t, p, q, d, 1e-4, 100000, ot, true)
	}
}

// kernelSinkhorn is the textbook Sinkhorn-Knopp matrix scaling of
// K = exp(-C/ε), a second implementation with no log domain, no ε-scaling and
// no shared helpers; it is only usable while K does not underflow.
func kernelSinkhorn(p, q []float64, d int, eps float64) float64 {
	n, m := len(p)/d, len(q)/d
	meanC, _ := costStats(p, q, d)
	e := eps * meanC
	c := make([][]float64, n)
	k := make([][]float64, n)
	for i := range n {
		c[i] = make([]float64, m)
		k[i] = make([]float64, m)
		for j := range m {
			for l := range d {
				c[i][j] += (p[i*d+l] - q[j*d+l]) * (p[i*d+l] - q[j*d+l])
			}
			k[i][j] = math.Exp(-c[i][j] / e)
		}
	}
	u := slices.Repeat([]float64{1}, n)
	v := slices.Repeat([]float64{1}, m)
	for range 200000 {
		for i := range n {
			var s float64
			for j := range m {
				s += k[i][j] * v[j]
			}
			u[i] = 1 / (float64(n) * s)
		}
		for j := range m {
			var s float64
			for i := range n {
				s += k[i][j] * u[i]
			}
			v[j] = 1 / (float64(m) * s)
		}
	}
	var cost float64
	for i := range n {
		for j := range m {
			cost += u[i] * k[i][j] * v[j] * c[i][j]
		}
	}
	return cost
}

// Moderate eps, where the plain kernel iteration is safe, pins the value
// itself rather than a window around OT.
func TestSinkhornMatchesKernelScaling(t *testing.T) {
	rng := newRNG(79)
	p := gaussian(rng, 7, []float64{0, 0}, 1)
	q := gaussian(rng, 5, []float64{1, -0.5}, 0.7)
	for _, eps := range []float64{1, 0.2, 0.05} {
		got, iters, merr := sinkhorn(p, q, 2, eps, 100000)
		want := kernelSinkhorn(p, q, 2, eps)
		t.Logf("eps=%v: %v vs %v, rel %.2g", eps, got, want, math.Abs(got-want)/want)
		if merr >= 2*sinkhornTol || !near(got, want, 1e-5*want) {
			t.Errorf("eps=%v: got %v, kernel scaling %v (%d iterations, marginal error %v)", eps, got, want, iters, merr)
		}
	}
}

// Unequal counts against the exact 1D W2² of the quantile functions.
func TestSinkhornUnequalCounts1D(t *testing.T) {
	rng := newRNG(43)
	p := gaussian(rng, 30, []float64{0}, 1)
	q := gaussian(rng, 45, []float64{-1}, 0.5)
	checkSinkhorn(t, p, q, 1, 1e-2, 3000, quantileW2Sq(p, q), false)
}

// eps is relative to the mean cost, so scaling the data by s scales the
// result by exactly s² (up to rounding).
func TestSinkhornScaleInvariance(t *testing.T) {
	rng := newRNG(47)
	p := gaussian(rng, 40, []float64{0, 0}, 1)
	q := gaussian(rng, 30, []float64{1, 1}, 1)
	base := Sinkhorn(p, q, 2, 0.05, 0)
	for _, s := range []float64{1e-3, 1e4} {
		ps, qs := slices.Clone(p), slices.Clone(q)
		for i := range ps {
			ps[i] *= s
		}
		for i := range qs {
			qs[i] *= s
		}
		if got := Sinkhorn(ps, qs, 2, 0.05, 0); !near(got, s*s*base, 1e-6*s*s*base) {
			t.Errorf("scale %v: got %v, want %v", s, got, s*s*base)
		}
	}
}

func TestSinkhornEdgeCases(t *testing.T) {
	if got := Sinkhorn(nil, []float64{1}, 1, 0.1, 10); !math.IsNaN(got) {
		t.Errorf("empty p: got %v, want NaN", got)
	}
	if got := Sinkhorn([]float64{1, 1, 1}, []float64{1, 1}, 1, 0.1, 10); got != 0 {
		t.Errorf("coincident: got %v, want 0", got)
	}
	for _, eps := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		mustPanic(t, "bad eps", func() { Sinkhorn([]float64{0}, []float64{1}, 1, eps, 10) })
	}
	// One iteration already has exact columns; it must not report the
	// stopping rule's error as met when it is not.
	rng := newRNG(53)
	p := gaussian(rng, 40, []float64{0}, 1)
	q := gaussian(rng, 40, []float64{2}, 1)
	if _, iters, merr := sinkhorn(p, q, 1, 1e-3, 1); iters != 1 || !(merr > 0) {
		t.Errorf("maxIter 1: %d iterations, marginal error %v", iters, merr)
	}
}
