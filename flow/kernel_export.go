package flow

// Exported entry points for the packages built on the engine (the digits experiment's dense
// networks and baselines), so that they share the engine's kernels and objective instead of
// copying them.

// GemmNN computes C += A*B for row-major A (n x k), B (k x m), C (n x m), with the engine's
// kernel (the SIMD one for float32 in the site's build).
func GemmNN[T Float](n, k, m int, a, b, c []T) { gemmNN(n, k, m, a, b, c) }

// GemmTN computes C += A^T*B for row-major A (n x k), B (n x m), C (k x m).
func GemmTN[T Float](n, k, m int, a, b, c []T) { gemmTN(n, k, m, a, b, c) }

// Objective returns the discriminator's objective
// J = mean phiY - mean f*(phiX - nu) - nu (or mean phiY - log mean exp phiX for kl-dv) and
// writes d(-J)/d phi to dY and dX; dnu is d(-J)/d nu (0 for kl-dv).
func Objective[T Float](d *Divergence, phiY, phiX []T, nu float64, dY, dX []T) (J, dnu float64) {
	return objective(d, phiY, phiX, nu, dY, dX)
}

// AddPenalty adds the weight gradient of the network's gradient penalty (Penalty, PenaltyRef or
// TwoSided, see Constraint) over the first rows rows of the last Forward to Grad and returns the
// penalty's value; 0 for a network without a penalty.
func (n *Net[T]) AddPenalty(rows int, labels []int32) float64 {
	if n.lip == nil || !n.lip.kind.soft() {
		return 0
	}
	return n.addPenalty(rows, labels)
}

// FinishGrad turns Grad into the gradient with respect to Params under spectral normalization
// (a no-op for the other constraints); call it after Backward and before the optimizer step.
func (n *Net[T]) FinishGrad() { n.finishGrad() }
