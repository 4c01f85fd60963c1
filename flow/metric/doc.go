// Package metric measures how far the flowing particles P are from the target
// samples Q.
//
// Every point set is a row-major []float64 holding n = len(x)/d points of
// dimension d. Below, x_1..x_n are the rows of P, y_1..y_m the rows of Q and
// |.| the Euclidean norm; every measure is uniform over its rows.
//
// # Formulas
//
// LogKS, per coordinate k, with T(v) = sign(v) log(1+|v|) and F_n, G_m the
// empirical CDFs of T(x_ik) and T(y_jk):
//
//	KS_k = sup_t |F_n(t) - G_m(t)|
//
// RadiusQuantiles, for each requested level q in [0, 1], with r_(1) <= ... <= r_(n)
// the sorted radii |x_i| (the inverse of the empirical CDF, no interpolation):
//
//	R(q) = r_(i), i = max(1, ceil(q n))
//
// EnergyDistance, the V-statistic (the i = i' and j = j' terms are included as
// zeros; the value is >= 0 and equals 2 ∫ (F_n - G_m)^2 dt in one dimension):
//
//	E = 2/(nm) Σ_ij |x_i - y_j| - 1/n² Σ_ii' |x_i - x_i'| - 1/m² Σ_jj' |y_j - y_j'|
//
// MMD2, the unbiased U-statistic with k(a, b) = exp(-|a - b|² / (2h²)); it
// may be slightly negative when P and Q have the same law:
//
//	MMD² = 1/(n(n-1)) Σ_{i≠i'} k(x_i, x_i') + 1/(m(m-1)) Σ_{j≠j'} k(y_j, y_j')
//	       - 2/(nm) Σ_ij k(x_i, y_j)
//
// and, for h <= 0, the median heuristic on the pooled sample z = (x, y)
// (see MMD2 for the subset used above 1000 points and the zero fallback):
//
//	h = median{ |z_a - z_b| : a < b }
//
// Sinkhorn, with C_ij = |x_i - y_j|², ε = eps · mean(C), and π the entropic
// optimal plan with marginals 1/n and 1/m:
//
//	π = argmin_{π ∈ Π(1/n, 1/m)} <π, C> + ε Σ_ij π_ij (log π_ij - 1),  returns <π, C>
//
// computed with the log-domain Sinkhorn updates of the dual potentials
//
//	f_i = -ε log n - ε log Σ_j exp((g_j - C_ij)/ε)
//	g_j = -ε log m - ε log Σ_i exp((f_i - C_ij)/ε)
//	π_ij = exp((f_i + g_j - C_ij)/ε)
//
// SlicedWasserstein, with θ uniform on the unit sphere S^{d-1} and W2 the
// one-dimensional 2-Wasserstein distance between the projected samples:
//
//	SW2 = ( E_θ W2²(θ·P, θ·Q) )^{1/2},  W2²(μ, ν) = ∫_0^1 (F_μ^{-1}(u) - F_ν^{-1}(u))² du
//
// estimated with k directions.
//
// # Cost
//
// EnergyDistance, MMD2 and every Sinkhorn iteration touch all n·m cross pairs
// (and the n²/2 + m²/2 within pairs for the first two): at n = m = 10,000
// that is about 10^8 distance (and, for MMD2 and Sinkhorn, exp) evaluations
// per call or iteration, seconds in a browser. Memory stays O(n + m): no
// pairwise matrix is ever stored, so the inner loops allocate nothing. Use
// Subsample to bound the cost from an interactive page.
//
// # Errors
//
// A non-positive d, a slice whose length is not a multiple of d, or a
// parameter outside its documented domain is a programming error and panics.
// Too few points for a statistic to be defined gives NaN.
package metric
