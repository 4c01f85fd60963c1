package metric

import (
	"math"
	"math/rand/v2"
	"slices"
)

// medianPoints caps the pooled points used by the median heuristic: the
// median of all (n+m)²/2 pairwise distances would need 1.6 GB at n = m =
// 10^4, while the half million pairs of 1000 points pin it to a few percent,
// a change of bandwidth that MMD2 barely notices.
const medianPoints = 1000

// medianSeed makes the subset used by the median heuristic reproducible, so
// repeated calls on the same data give the same bandwidth and value.
const medianSeed = 0x6c6970666c6f77

// MMD2 is the squared maximum mean discrepancy between p and q with the
// Gaussian kernel k(a, b) = exp(-|a-b|²/(2h²)), as the unbiased U-statistic
//
//	1/(n(n-1)) Σ_{i≠i'} k(x_i,x_i') + 1/(m(m-1)) Σ_{j≠j'} k(y_j,y_j') - 2/(nm) Σ_ij k(x_i,y_j).
//
// Being unbiased, it averages to 0 when P and Q have the same law and so is
// slightly negative about half the time; it is not clamped.
//
// When h <= 0 the median heuristic sets h to the median of the Euclidean
// distances |z_a - z_b|, a < b, over all distinct pairs of the pooled sample
// z = (x_1..x_n, y_1..y_m), the mean of the two middle values when their count
// is even. If the pooled sample has more than 1000 points, the pairs are those
// of 1000 pooled points drawn without replacement with a fixed seed. If that
// median is 0 (at least half of the pairs coincide), the median of the nonzero
// distances is used instead; if every distance is 0, all kernel values are 1
// and the result is 0.
//
// NaN if p or q has fewer than two rows. It panics if h is NaN.
//
// Cost: n·m + n(n-1)/2 + m(m-1)/2 kernel evaluations (one exp each); the
// only allocation is the median heuristic's, about 4 MB at most, and its sort
// of up to 499,500 distances.
func MMD2(p, q []float64, d int, h float64) float64 {
	n, m := rows(p, d), rows(q, d)
	if math.IsNaN(h) {
		panic("metric: NaN bandwidth")
	}
	if n < 2 || m < 2 {
		return math.NaN()
	}
	if h <= 0 {
		h = medianHeuristic(p, q, d)
		if h == 0 {
			return 0
		}
	}
	// Multiplying by -1/(2h²) once avoids a division per pair.
	g := -1 / (2 * h * h)
	var kxy float64
	for i := 0; i < len(p); i += d {
		x := p[i : i+d]
		var s float64
		for j := 0; j < len(q); j += d {
			s += expNeg(g * sqDist(x, q[j:j+d]))
		}
		kxy += s
	}
	nf, mf := float64(n), float64(m)
	// halfKernelSum counts each unordered pair once; the i≠i' sum counts it twice.
	kxx := 2 * halfKernelSum(p, d, g) / (nf * (nf - 1))
	kyy := 2 * halfKernelSum(q, d, g) / (mf * (mf - 1))
	return kxx + kyy - 2*kxy/(nf*mf)
}

func halfKernelSum(x []float64, d int, g float64) float64 {
	var total float64
	for i := 0; i < len(x); i += d {
		a := x[i : i+d]
		var s float64
		for j := i + d; j < len(x); j += d {
			s += expNeg(g * sqDist(a, x[j:j+d]))
		}
		total += s
	}
	return total
}

// medianHeuristic returns the bandwidth described in the MMD2 documentation,
// or 0 when every pooled point coincides.
func medianHeuristic(p, q []float64, d int) float64 {
	n, m := len(p)/d, len(q)/d
	total := n + m
	// at hides the pooling so that no pooled copy of the data is made.
	at := func(a int) []float64 {
		if a < n {
			return p[a*d : (a+1)*d]
		}
		a -= n
		return q[a*d : (a+1)*d]
	}
	var idx []int
	if total > medianPoints {
		rng := rand.New(rand.NewPCG(medianSeed, medianSeed))
		idx = rng.Perm(total)[:medianPoints]
	} else {
		idx = make([]int, total)
		for a := range idx {
			idx[a] = a
		}
	}
	ds := make([]float64, 0, len(idx)*(len(idx)-1)/2)
	for a, ia := range idx {
		za := at(ia)
		for _, ib := range idx[a+1:] {
			ds = append(ds, dist(za, at(ib)))
		}
	}
	slices.Sort(ds)
	if ds[len(ds)-1] == 0 {
		return 0
	}
	// Zeros sort first, so dropping them keeps the rest sorted.
	if med := median(ds); med > 0 {
		return med
	}
	nz := slices.IndexFunc(ds, func(v float64) bool { return v > 0 })
	return median(ds[nz:])
}

// median of sorted, non-empty s, averaging the two middle values of an even count.
func median(s []float64) float64 {
	k := len(s) / 2
	if len(s)%2 == 1 {
		return s[k]
	}
	return (s[k-1] + s[k]) / 2
}
