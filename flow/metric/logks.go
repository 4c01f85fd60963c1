package metric

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// LogKS is the two-sample Kolmogorov-Smirnov distance of each coordinate
// after the map v -> sign(v) log(1+|v|). It returns d values in [0, 1].
//
// The KS distance is invariant under any strictly increasing map, so the
// transform cannot change the result (except through ties created by rounding
// between values that differ only in their last few bits); it is applied only
// for parity with the paper's figures, whose axes use it to keep heavy tails
// readable.
//
// A coordinate is NaN when p or q has no rows or that coordinate holds a NaN.
// Cost: O((n+m) log(n+m)) per coordinate.
func LogKS(p, q []float64, d int) []float64 {
	n, m := rows(p, d), rows(q, d)
	out := make([]float64, d)
	if n == 0 || m == 0 {
		for k := range out {
			out[k] = math.NaN()
		}
		return out
	}
	xs := make([]float64, n)
	ys := make([]float64, m)
	for k := range d {
		for i := range xs {
			xs[i] = signedLog1p(p[i*d+k])
		}
		for j := range ys {
			ys[j] = signedLog1p(q[j*d+k])
		}
		// stat.KolmogorovSmirnov requires sorted input (and reports NaN itself).
		slices.Sort(xs)
		slices.Sort(ys)
		out[k] = stat.KolmogorovSmirnov(xs, nil, ys, nil)
	}
	return out
}

// signedLog1p compresses heavy tails symmetrically while staying strictly
// increasing, so order-based statistics see the same ranks.
func signedLog1p(v float64) float64 {
	return math.Copysign(math.Log1p(math.Abs(v)), v)
}
