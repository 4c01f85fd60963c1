package metric

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// RadiusQuantiles returns, for each level in qs, the quantile of the radii
// |x_i| over the rows of x, in the order of qs (for example 0.5, 0.9, 0.99 to
// watch the bulk and the tail of the particle cloud separately).
//
// The quantile is the inverse of the empirical CDF with no interpolation
// (stat.Empirical): the smallest radius r with #{|x_i| <= r} >= q·n, so every
// result is the radius of an actual point. With no levels it returns an empty
// slice; with no rows every entry is NaN. It panics if a level is outside [0, 1].
// Cost: O(n d + n log n).
func RadiusQuantiles(x []float64, d int, qs ...float64) []float64 {
	n := rows(x, d)
	for _, q := range qs {
		if !(q >= 0 && q <= 1) {
			panic("metric: quantile level outside [0, 1]")
		}
	}
	out := make([]float64, len(qs))
	if n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	r := make([]float64, n)
	for i := range r {
		// floats.Norm scales before squaring, so huge coordinates cannot overflow.
		r[i] = floats.Norm(x[i*d:(i+1)*d], 2)
	}
	slices.Sort(r)
	for i, q := range qs {
		out[i] = stat.Quantile(q, stat.Empirical, r, nil)
	}
	return out
}
