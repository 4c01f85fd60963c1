package metric

import "math"

// EnergyDistance is the energy distance between the empirical measures of p
// and q with Euclidean norm, as the V-statistic
//
//	2/(nm) Σ_ij |x_i - y_j| - 1/n² Σ_ii' |x_i - x_i'| - 1/m² Σ_jj' |y_j - y_j'|.
//
// The V-statistic is chosen over the U-statistic because it is the exact energy
// distance between the two empirical measures, hence never negative and
// zero only when they coincide; its bias (about E|X-X'|/n + E|Y-Y'|/m) is
// positive. Rounding can push it a few ulps below zero, so it is clamped at 0.
// NaN if p or q has no rows.
//
// Cost: n·m + n(n-1)/2 + m(m-1)/2 distance evaluations, no allocation.
func EnergyDistance(p, q []float64, d int) float64 {
	n, m := rows(p, d), rows(q, d)
	if n == 0 || m == 0 {
		return math.NaN()
	}
	cross := crossDistSum(p, q, d)
	within := func(x []float64, k int) float64 {
		// Each unordered pair appears twice in the full double sum.
		return 2 * halfDistSum(x, d) / (float64(k) * float64(k))
	}
	e := 2*cross/(float64(n)*float64(m)) - within(p, n) - within(q, m)
	return math.Max(e, 0)
}

// crossDistSum sums row by row so that each partial sum holds at most m terms,
// which keeps the rounding error of a 10^8-term sum near that of a 10^4-term one.
func crossDistSum(p, q []float64, d int) float64 {
	var total float64
	for i := 0; i < len(p); i += d {
		x := p[i : i+d]
		var s float64
		for j := 0; j < len(q); j += d {
			s += dist(x, q[j:j+d])
		}
		total += s
	}
	return total
}

// halfDistSum visits each unordered pair once, halving the work of the
// within-sample terms.
func halfDistSum(x []float64, d int) float64 {
	var total float64
	for i := 0; i < len(x); i += d {
		a := x[i : i+d]
		var s float64
		for j := i + d; j < len(x); j += d {
			s += dist(a, x[j:j+d])
		}
		total += s
	}
	return total
}

// EnergyTo is the energy distance to a fixed reference sample q, for repeated measurements
// against the same q (a live page's metric): q's own term, a third of the cost, is computed once.
type EnergyTo struct {
	q      []float64
	d      int
	within float64 // 1/m² Σ_jj' |y_j - y_j'|
}

// NewEnergyTo prepares EnergyDistance(·, q, d). q is kept, not copied.
func NewEnergyTo(q []float64, d int) *EnergyTo {
	m := float64(rows(q, d))
	return &EnergyTo{q: q, d: d, within: 2 * halfDistSum(q, d) / (m * m)}
}

// Distance equals EnergyDistance(p, q, d).
func (e *EnergyTo) Distance(p []float64) float64 {
	n, m := rows(p, e.d), rows(e.q, e.d)
	if n == 0 || m == 0 {
		return math.NaN()
	}
	cross := crossDistSum(p, e.q, e.d)
	v := 2*cross/(float64(n)*float64(m)) - 2*halfDistSum(p, e.d)/(float64(n)*float64(n)) - e.within
	return math.Max(v, 0)
}
