package metric

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// SlicedWasserstein is the sliced 2-Wasserstein distance
//
//	SW2 = ( E_θ W2²(θ·P, θ·Q) )^{1/2},
//
// estimated with k directions θ drawn uniformly on the unit sphere from rng
// (normalised standard Gaussian vectors). Each slice's W2² is exact for the
// projected empirical measures: with equal counts the sorted projections are
// matched one to one; with unequal counts the two step quantile functions are
// compared on the common grid of their breakpoints {i/n} ∪ {j/m}, which
// integrates ∫_0^1 (F^{-1}(u) - G^{-1}(u))² du exactly rather than on an
// arbitrary grid. In one dimension every θ is ±1, so the result is the exact W2.
//
// NaN if p or q has no rows. It panics if k <= 0 or rng is nil.
// Cost: O(k (n + m)(d + log(n + m))).
func SlicedWasserstein(p, q []float64, d, k int, rng *rand.Rand) float64 {
	n, m := rows(p, d), rows(q, d)
	if k <= 0 {
		panic("metric: SlicedWasserstein needs k > 0 directions")
	}
	if rng == nil {
		panic("metric: nil rng")
	}
	if n == 0 || m == 0 {
		return math.NaN()
	}
	theta := make([]float64, d)
	xs := make([]float64, n)
	ys := make([]float64, m)
	var total float64
	for range k {
		randomDirection(theta, rng)
		project(xs, p, theta)
		project(ys, q, theta)
		slices.Sort(xs)
		slices.Sort(ys)
		total += sortedW2Sq(xs, ys)
	}
	return math.Sqrt(total / float64(k))
}

// randomDirection normalises a standard Gaussian vector, whose law is
// rotation invariant, so the direction is uniform on the sphere.
func randomDirection(theta []float64, rng *rand.Rand) {
	for {
		for i := range theta {
			theta[i] = rng.NormFloat64()
		}
		// A zero vector has probability zero but would divide by zero.
		if nrm := floats.Norm(theta, 2); nrm > 0 {
			floats.Scale(1/nrm, theta)
			return
		}
	}
}

func project(dst, x, theta []float64) {
	d := len(theta)
	for i := range dst {
		dst[i] = floats.Dot(x[i*d:(i+1)*d], theta)
	}
}

// sortedW2Sq is the exact squared W2 between the uniform measures on sorted
// xs and ys. Walking the merged breakpoints of both quantile functions
// integrates their squared difference piece by piece; with equal counts every
// piece has width 1/n and this is the sorted matching.
func sortedW2Sq(xs, ys []float64) float64 {
	n, m := len(xs), len(ys)
	if n == m {
		var s float64
		for i, x := range xs {
			t := x - ys[i]
			s += t * t
		}
		return s / float64(n)
	}
	// Breakpoints i/n and j/m are compared as i·m and j·n in integers so that
	// coinciding breakpoints are recognised exactly.
	var s float64
	i, j := 0, 0
	var at int // current position on the grid, in units of 1/(n·m)
	for i < n && j < m {
		nextX, nextY := (i+1)*m, (j+1)*n
		next := min(nextX, nextY)
		t := xs[i] - ys[j]
		s += float64(next-at) * t * t
		at = next
		if nextX == next {
			i++
		}
		if nextY == next {
			j++
		}
	}
	return s / (float64(n) * float64(m))
}
