package metric

import "math"

// sinkhornTol is the stopping threshold on the L1 error of the row marginal,
// Σ_i |Σ_j π_ij - 1/n|, i.e. the fraction of mass that is still misplaced.
const sinkhornTol = 1e-6

// sinkhornDefaultIter replaces a non-positive maxIter.
const sinkhornDefaultIter = 1000

// sinkhornAnneal is the factor by which ε shrinks per iteration on its way
// down from max C to the target. Plain Sinkhorn needs many iterations before
// its plan stops underestimating the cost at small ε (about 37% low after 30
// iterations at eps = 1e-3 in the translation test); halving ε per iteration
// warm-starts the potentials so that a small maxIter already gives a useful
// value, at the price of about log2(max C/ε) extra iterations.
const sinkhornAnneal = 0.5

// sinkhornMinEps floors the relative eps. C and the potentials are known only
// to about 1e-16·max C, so at eps = 1e-12 the exponents (f_i + g_j - C_ij)/ε
// already carry rounding noise near 1e-4·max C/mean C: smaller eps buys no
// accuracy, and near 1e-300 the exponents overflow to ±Inf and give NaN.
const sinkhornMinEps = 1e-12

// Sinkhorn is the entropic optimal-transport cost <π, C> between the uniform
// empirical measures of p and q, with C_ij = |x_i - y_j|² and π the plan
// minimising <π, C> + ε Σ π_ij (log π_ij - 1) under marginals 1/n and 1/m.
//
// eps is relative, ε = eps · mean(C), so one setting suits data of any
// scale; eps below 1e-12 is raised to 1e-12, beyond the precision of the
// potentials. The iterations update the dual potentials in the log domain, so
// tiny eps neither underflows nor overflows. They start at ε = max C and halve
// it each iteration until it reaches its target (ε-scaling), then continue at
// the target until the row-marginal error Σ_i |Σ_j π_ij - 1/n| is below 1e-6
// (the columns are exact after every iteration), or until maxIter iterations
// in all (1000 when maxIter <= 0). If maxIter runs out before the target is
// reached, the plan is the one for the last, larger ε.
//
// The returned value is <π, C>, not the regularised objective. At
// convergence it lies between the squared 2-Wasserstein distance W2² of the
// two empirical measures and W2² + ε·log(min(n, m)), and tends to W2² as
// eps -> 0. Convergence slows sharply as eps shrinks: at eps = 1e-2 the 1e-6
// tolerance took from a few hundred to over 3000 iterations on 30-80 point
// test sets, and more below, so there maxIter usually ends the loop; the plan
// then has exact columns and rows off by the remaining error.
//
// NaN if p or q has no rows; 0 if every cost is 0. It panics unless eps is
// positive and finite.
//
// Cost: per iteration 2·n·m exp and distance evaluations; memory O(n + m),
// since C is recomputed rather than stored (10^8 entries at n = m = 10^4).
func Sinkhorn(p, q []float64, d int, eps float64, maxIter int) float64 {
	c, _, _ := sinkhorn(p, q, d, eps, maxIter)
	return c
}

// sinkhorn also reports the iterations used and the row-marginal L1 error of
// the returned plan, so that tests can tell convergence from luck.
func sinkhorn(p, q []float64, d int, eps float64, maxIter int) (cost float64, iters int, merr float64) {
	n, m := rows(p, d), rows(q, d)
	if !(eps > 0) || math.IsInf(eps, 1) {
		panic("metric: Sinkhorn eps must be positive")
	}
	if maxIter <= 0 {
		maxIter = sinkhornDefaultIter
	}
	if n == 0 || m == 0 {
		return math.NaN(), 0, math.NaN()
	}
	var sum, maxC float64
	for i := 0; i < len(p); i += d {
		x := p[i : i+d]
		var s float64
		for j := 0; j < len(q); j += d {
			c := sqDist(x, q[j:j+d])
			s += c
			maxC = math.Max(maxC, c)
		}
		sum += s
	}
	if maxC == 0 {
		return 0, 0, 0
	}
	target := math.Max(eps, sinkhornMinEps) * (sum / (float64(n) * float64(m)))
	e := math.Max(target, maxC)
	// used is the ε of the last g update, the one that defines the plan;
	// atTarget says whether that was the target ε.
	used, atTarget := e, false
	f := make([]float64, n)
	fNew := make([]float64, n)
	g := make([]float64, m)
	logA, logB := -math.Log(float64(n)), -math.Log(float64(m))
	for iters < maxIter {
		inv := 1 / e
		for i := range f {
			x := p[i*d : (i+1)*d]
			fNew[i] = e * (logA - lseRow(x, q, d, g, inv))
		}
		// The row sums of the current plan come for free from the f update:
		// Σ_j π_ij = exp((f_i - fNew_i)/ε)/n. Stopping here keeps the old f, whose
		// plan has exact column sums as well. At an intermediate ε the error
		// would measure a plan that is not the one wanted.
		if atTarget {
			var rowErr float64
			for i := range f {
				rowErr += math.Abs(math.Expm1((f[i] - fNew[i]) * inv))
			}
			if rowErr/float64(n) < sinkhornTol {
				break
			}
		}
		f, fNew = fNew, f
		for j := range g {
			y := q[j*d : (j+1)*d]
			g[j] = e * (logB - lseRow(y, p, d, f, inv))
		}
		iters++
		used, atTarget = e, e == target
		e = math.Max(target, e*sinkhornAnneal)
	}
	inv := 1 / used
	a := 1 / float64(n)
	for i := range f {
		x := p[i*d : (i+1)*d]
		var s, mass float64
		for j := range g {
			c := sqDist(x, q[j*d:(j+1)*d])
			// Columns are exact, so π_ij <= 1/m and the exponent is <= 0.
			pij := expNeg((f[i] + g[j] - c) * inv)
			s += pij * c
			mass += pij
		}
		cost += s
		merr += math.Abs(mass - a)
	}
	return cost, iters, merr
}

// lseRow returns log Σ_j exp((h_j - |x - z_j|²)·inv) in one pass: the running
// maximum is rescaled on the fly, so the exponent never exceeds 0 and tiny ε
// cannot overflow, and C need not be computed twice.
func lseRow(x, z []float64, d int, h []float64, inv float64) float64 {
	mx, s := math.Inf(-1), 0.0
	for j, hj := range h {
		v := (hj - sqDist(x, z[j*d:(j+1)*d])) * inv
		if t := v - mx; t <= 0 {
			// Terms below e^-50 relative to the largest cannot move s by an
			// ulp even summed over 10^4 rows; at small ε they are most of the
			// row, and skipping their exp is the main saving.
			if t > lseCut {
				s += expNeg(t)
			}
		} else {
			s = s*expNeg(-t) + 1
			mx = v
		}
	}
	return mx + math.Log(s)
}

// lseCut is the relative size, in log terms, below which lseRow drops a term.
const lseCut = -50
