package metric

import "math"

// DivergenceOptions are SinkhornDivergence's settings beyond blur. The zero value is geomloss's
// SamplesLoss('sinkhorn', p=2) default: scaling 0.5, the diameter estimated from the points, and
// no iterations beyond the ε-scaling schedule.
type DivergenceOptions struct {
	// Scaling is the ratio of two successive blur values (ε^(1/2)) in the ε-scaling descent, in
	// (0, 1); 0 means 0.5. Closer to 1 is slower and more accurate.
	Scaling float64
	// Diameter is the blur the descent starts from (ε_0 = Diameter²). 0 means geomloss's
	// estimate: the length of the diagonal of the bounding box of p and q together, which depends
	// on the coordinates and not only on the distances (pass the value of the original
	// coordinates when p and q have been rotated or embedded).
	Diameter float64
	// Converge, when positive, adds up to Converge iterations at the target ε after the descent
	// (and before geomloss's last extrapolation), stopping once every marginal of the three plans
	// is within divergenceTol in L1: the value then is the divergence of the formula rather than
	// geomloss's estimate. This settles in tens to hundreds of iterations when ε is not far
	// below the costs; at a small blur plain iterations barely move, and a Scaling near 1 (0.9)
	// is what brings the plans to their marginals. 0: none, as geomloss.
	Converge int
}

// divergenceTol is the L1 marginal error at which the Converge iterations stop.
const divergenceTol = 1e-9

// SinkhornDivergence is the debiased Sinkhorn divergence of geomloss (Feydy et al. 2019,
// SamplesLoss('sinkhorn', p=2, blur=blur, debias=True), balanced) between the uniform empirical
// measures α of the rows of p and β of the rows of q:
//
//	S_ε(α, β) = OT_ε(α, β) - OT_ε(α, α)/2 - OT_ε(β, β)/2,   ε = blur²,
//	OT_ε(α, β) = min_π <π, C> + ε KL(π | α⊗β),   C_ij = |x_i - y_j|²/2,
//
// π ranging over the couplings of α and β, KL(π | α⊗β) = Σ_ij π_ij log(π_ij/(α_i β_j)). Note the
// halved cost and the entropy term inside OT_ε; unlike Sinkhorn's <π, C>, S_ε is 0 for equal
// measures and, as blur -> 0, tends to W2²/2, half the squared 2-Wasserstein distance; as
// blur -> ∞ it tends to |mean(p) - mean(q)|²/2.
//
// It follows geomloss 0.2.6's sinkhorn_tensorized and sinkhorn_loop step by step, in float64
// where geomloss (as the paper's code called it) works in float32. The dual potentials of the
// three problems (f_ba, g_ab for α↔β, f_aa for α↔α, g_bb for β↔β) start at the soft-min of the
// cost at ε_0 = Diameter² and take one symmetric (averaged) Sinkhorn update per ε of the schedule
//
//	ε_0, then exp(2 log Diameter + 2k log Scaling) for k = 0, 1, ... while above blur², then blur²
//
// (geomloss's epsilon_schedule: the first value twice), then one last plain update at blur²; the
// value is the dual formula
//
//	S = <α, f_ba - f_aa> + <β, g_ab - g_bb>,
//
// with the soft-min update f_i = -ε log Σ_j β_j exp((g_j - C_ij)/ε) computed in the log domain
// (lseRow, as Sinkhorn's, with C recomputed rather than stored). It agrees with geomloss 0.2.6 on
// float64 tensors to rounding (see the tests). The schedule is geomloss's whole loop: there is
// no convergence test, so the value is an estimate of S_ε. At the default Scaling 0.5 the plans'
// marginals can still be off by 10-30% when it ends, and on 7-point test clouds at small blur
// the value came out 4-8% below its limit W2²/2 (exact at Scaling 0.9); see
// DivergenceOptions.Converge for moderate blurs. NaN if p or q has no rows; 0 if every point
// coincides. It panics unless blur is positive and finite and Scaling in [0, 1).
//
// Cost: per iteration 2·n·m + n² + m² distance and exp evaluations; about
// log(Diameter/blur)/log(1/Scaling) + 3 iterations; memory O(n + m).
func SinkhornDivergence(p, q []float64, d int, blur float64, o DivergenceOptions) float64 {
	s, _, _ := sinkhornDivergence(p, q, d, blur, o)
	return s
}

// SinkhornDuals are SinkhornDivergence's dual potentials after its last update, at ε = Eps:
// F (f_ba, on the rows of p) and G (g_ab, on the rows of q) of the α↔β problem, FAA (f_aa, on
// p) of α↔α and GBB (g_bb, on q) of β↔β. Extended to any point z by the soft-min
//
//	f(z) = -ε log Σ_j β_j exp((G_j - |z - q_j|²/2)/ε),
//
// they give S_ε's gradient in the points of p: d S/d p_i = α_i (∇f(p_i) - ∇f_aa(p_i)), with
// ∇f(z) = z - Σ_j w_j(z) q_j, w(z) the soft-min's weights (Feydy et al. 2019, the envelope
// theorem at the optimal potentials; exact only as far as the iterations converged).
type SinkhornDuals struct {
	F, G, FAA, GBB []float64
	Eps            float64
}

// SinkhornDivergenceDuals is SinkhornDivergence that also returns its dual potentials.
func SinkhornDivergenceDuals(p, q []float64, d int, blur float64, o DivergenceOptions) (float64, SinkhornDuals) {
	var duals SinkhornDuals
	s, _, _ := sinkhornCore(p, q, d, blur, o, &duals)
	return s, duals
}

// sinkhornDivergence also reports the iterations (softmin rounds, the first and the last
// included) and the largest L1 marginal error of the three plans before the last update.
func sinkhornDivergence(p, q []float64, d int, blur float64, o DivergenceOptions) (s float64, iters int, merr float64) {
	return sinkhornCore(p, q, d, blur, o, nil)
}

// sinkhornCore is sinkhornDivergence keeping the potentials in duals when it is not nil.
func sinkhornCore(p, q []float64, d int, blur float64, o DivergenceOptions, duals *SinkhornDuals) (s float64, iters int, merr float64) {
	n, m := rows(p, d), rows(q, d)
	if !(blur > 0) || math.IsInf(blur, 1) {
		panic("metric: SinkhornDivergence blur must be positive and finite")
	}
	scaling := o.Scaling
	if scaling == 0 {
		scaling = 0.5
	}
	if !(scaling > 0 && scaling < 1) {
		panic("metric: SinkhornDivergence scaling must lie in (0, 1)")
	}
	if n == 0 || m == 0 {
		return math.NaN(), 0, math.NaN()
	}
	diam := o.Diameter
	if !(diam > 0) {
		diam = BoxDiagonal(p, q, d)
	}
	if diam == 0 {
		if duals != nil {
			*duals = SinkhornDuals{F: make([]float64, n), G: make([]float64, m), FAA: make([]float64, n), GBB: make([]float64, m), Eps: blur * blur}
		}
		return 0, 0, 0
	}
	schedule := epsilonSchedule(diam, blur, scaling)
	la, lb := -math.Log(float64(n)), -math.Log(float64(m))

	fba, faa, ft, fta := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	gab, gbb, gt, gtb := make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)
	buf := make([]float64, max(n, m))
	// softmin(out, x, z, lw, h, e): out_i = -e log Σ_j exp(lw + (h_j - |x_i - z_j|²/2)/e), lw the
	// log weight of every z_j. lseRow works with |x - z|² and one inverse temperature, so h and
	// the log weight are doubled into buf and the temperature is 2e.
	softmin := func(out, x, z []float64, lw float64, h []float64, e float64) {
		hh := buf[:len(h)]
		for j, v := range h {
			hh[j] = 2 * (v + e*lw)
		}
		inv := 1 / (2 * e)
		for i := range out {
			out[i] = -e * lseRow(x[i*d:(i+1)*d], z, d, hh, inv)
		}
	}
	// round computes the four updates from the current potentials at e and returns the largest
	// L1 marginal error of the three current plans: the row sums of the α↔β plan are
	// α_i exp((f_i - ft_i)/e), its column sums β_j exp((g_j - gt_j)/e), and likewise for the two
	// symmetric plans.
	round := func(e float64) float64 {
		softmin(ft, p, q, lb, gab, e)
		softmin(gt, q, p, la, fba, e)
		softmin(fta, p, p, la, faa, e)
		softmin(gtb, q, q, lb, gbb, e)
		iters++
		inv := 1 / e
		errOf := func(cur, next []float64) float64 {
			var s float64
			for i, v := range cur {
				s += math.Abs(math.Expm1((v - next[i]) * inv))
			}
			return s / float64(len(cur))
		}
		return max(errOf(fba, ft), errOf(gab, gt), errOf(faa, fta), errOf(gbb, gtb))
	}
	average := func() {
		for i := range fba {
			fba[i] = (fba[i] + ft[i]) / 2
			faa[i] = (faa[i] + fta[i]) / 2
		}
		for j := range gab {
			gab[j] = (gab[j] + gt[j]) / 2
			gbb[j] = (gbb[j] + gtb[j]) / 2
		}
	}

	// Initialisation at ε_0 from zero potentials (geomloss: softmin(eps, C, a_log)).
	zn, zm := make([]float64, n), make([]float64, m)
	e := schedule[0]
	softmin(gab, q, p, la, zn, e)
	softmin(fba, p, q, lb, zm, e)
	softmin(faa, p, p, la, zn, e)
	softmin(gbb, q, q, lb, zm, e)
	iters = 1
	for _, e = range schedule {
		round(e)
		average()
	}
	for k := 0; k < o.Converge; k++ {
		if round(e) < divergenceTol {
			break
		}
		average()
	}
	// The last extrapolation, at the last ε: a plain (not averaged) update of all four, the
	// cross pair in parallel.
	merr = round(e)
	copy(fba, ft)
	copy(gab, gt)
	copy(faa, fta)
	copy(gbb, gtb)
	if duals != nil {
		*duals = SinkhornDuals{F: fba, G: gab, FAA: faa, GBB: gbb, Eps: e}
	}
	for i := range fba {
		s += (fba[i] - faa[i]) / float64(n)
	}
	for j := range gab {
		s += (gab[j] - gbb[j]) / float64(m)
	}
	return s, iters, merr
}

// epsilonSchedule is geomloss's epsilon_schedule for p = 2: diam², then
// exp(2 log diam + 2k log scaling) for k = 0, 1, ... while the exponent is above 2 log blur
// (numpy.arange, its end excluded), then blur².
func epsilonSchedule(diam, blur, scaling float64) []float64 {
	start, stop, step := 2*math.Log(diam), 2*math.Log(blur), 2*math.Log(scaling)
	out := []float64{diam * diam}
	// numpy.arange holds ceil((stop - start)/step) values start + k·step.
	for k := range max(0, int(math.Ceil((stop-start)/step))) {
		out = append(out, math.Exp(start+float64(k)*step))
	}
	return append(out, blur*blur)
}

// BoxDiagonal is geomloss's max_diameter, SinkhornDivergence's default Diameter: the length of
// the diagonal of the smallest box, aligned with the axes, that holds every row of p and q.
func BoxDiagonal(p, q []float64, d int) float64 {
	lo, hi := make([]float64, d), make([]float64, d)
	for k := range d {
		lo[k], hi[k] = math.Inf(1), math.Inf(-1)
	}
	for _, x := range [][]float64{p, q} {
		for i, v := range x {
			k := i % d
			lo[k], hi[k] = math.Min(lo[k], v), math.Max(hi[k], v)
		}
	}
	var s float64
	for k := range d {
		s += (hi[k] - lo[k]) * (hi[k] - lo[k])
	}
	return math.Sqrt(s)
}
