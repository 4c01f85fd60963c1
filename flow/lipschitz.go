package flow

import (
	"fmt"
	"math"
	"math/rand/v2"

	"lipflow/flow/pmath"
)

// Constraint is how the discriminator is kept L-Lipschitz. With 1-Lipschitz activations, the
// network's Lipschitz constant is at most the product of its D weight matrices' spectral norms,
// so each matrix is held at norm c = L^(1/D).
type Constraint int

const (
	// Frobenius rescales each weight matrix to Frobenius norm c after every optimizer step, as
	// the reference code does. The Frobenius norm bounds the spectral norm, so the bound is
	// conservative: the network is often much flatter than L.
	Frobenius Constraint = iota
	// Spectral is spectral normalization (Miyato et al. 2018): the forward pass uses
	// c W / sigma(W), where sigma is tracked by one power iteration per optimizer step and the
	// gradient flows through the normalization.
	Spectral
	// Penalty adds lambda * mean_i relu(|grad phi(x_i)|^2 / L^2 - 1) over the batch (particles
	// and targets) to the discriminator's loss: a soft constraint, enforced only where the
	// samples are.
	Penalty
	// PenaltyRef is the reference code's soft constraint: lambda * mean_{i,k} relu(
	// (d phi(y_i)/d x_k)^2 / L^2 - 1) over the particles only, coordinate by coordinate. It
	// bounds each partial derivative by L, so |grad phi| may reach L sqrt(d).
	PenaltyRef
	// Unconstrained is L = infinity.
	Unconstrained
	// TwoSided is Gulrajani et al.'s WGAN-GP penalty lambda * mean_i (|grad phi(x_i)| / L - 1)^2
	// over the rows it is given, which pulls the gradient's norm to L from both sides. The
	// digits page's WGAN-GP baseline uses it; the lab does not offer it (GPA's phi need not have
	// |grad phi| = L anywhere).
	TwoSided
)

var constraintNames = []string{"frobenius", "spectral", "penalty", "penalty-ref", "none", "two-sided"}

// ConstraintNames lists the constraints a run's lipschitz setting may name.
func ConstraintNames() []string { return constraintNames[:4] }

func (c Constraint) String() string {
	if c < 0 || int(c) >= len(constraintNames) {
		return fmt.Sprintf("Constraint(%d)", int(c))
	}
	return constraintNames[c]
}

// ParseConstraint returns the constraint a run's lipschitz setting names (one of
// ConstraintNames; "none" is L = 0 or inf).
func ParseConstraint(name string) (Constraint, error) {
	for i, n := range constraintNames[:int(Unconstrained)+1] {
		if n == name {
			return Constraint(i), nil
		}
	}
	return 0, fmt.Errorf("lipschitz = %q, want one of %v", name, ConstraintNames())
}

// soft reports a constraint that is a penalty in the loss.
func (c Constraint) soft() bool { return c == Penalty || c == PenaltyRef || c == TwoSided }

// lipschitz is the state of a network's constraint.
type lipschitz[T Float] struct {
	kind   Constraint
	L      float64
	c      float64 // L^(1/D)
	lambda float64
	u, v   [][]float64 // power-iteration vectors per layer (spectral)
	sigma  []float64
}

// SetConstraint chooses how the network is held L-Lipschitz (L > 0 finite, except for
// Unconstrained) and applies it to the current weights.
func (n *Net[T]) SetConstraint(kind Constraint, L, lambda float64, rng *rand.Rand) error {
	if kind != Unconstrained && !(L > 0 && L < math.Inf(1)) {
		//lint:ignore ST1005 the setting is called L
		return fmt.Errorf("L = %v, want 0 < L < inf for lipschitz = %v", L, kind)
	}
	if kind.soft() && !(lambda >= 0 && lambda < math.Inf(1)) {
		return fmt.Errorf("lambda = %v, want 0 <= lambda < inf", lambda)
	}
	D := len(n.w)
	p := &lipschitz[T]{kind: kind, L: L, c: pmath.Pow(L, 1/float64(D)), lambda: lambda}
	n.lip = p
	n.eff = n.w
	if kind == Spectral {
		n.eff = make([][]T, D)
		for l := range D {
			in, out := n.Sizes[l], n.Sizes[l+1]
			n.eff[l] = make([]T, in*out)
			u := make([]float64, in)
			for i := range u {
				u[i] = rng.NormFloat64()
			}
			normalize(u)
			p.u = append(p.u, u)
			p.v = append(p.v, make([]float64, out))
		}
		p.sigma = make([]float64, D)
		// Converge the singular vectors of the initial weights; afterwards one iteration per
		// step tracks them, since each step changes the weights little.
		for range 30 {
			n.powerIteration()
		}
	}
	if kind == Penalty || kind == PenaltyRef {
		// Start inside the constraint: the penalty is quadratic in |grad phi|, so from a
		// network far steeper than L its first gradient steps are large enough to throw SGD
		// out of range. Frobenius norms of at most L^(1/D) make the start L-Lipschitz.
		n.shrinkFrobenius(p.c)
	}
	n.Constrain()
	return nil
}

// shrinkFrobenius scales down each weight matrix whose Frobenius norm exceeds c to norm c.
func (n *Net[T]) shrinkFrobenius(c float64) {
	for _, w := range n.w {
		var ss float64
		for _, x := range w {
			ss += float64(x) * float64(x)
		}
		if r := math.Sqrt(ss); r > c {
			for i := range w {
				w[i] *= T(c / r)
			}
		}
	}
}

// Constrain re-imposes the constraint after the weights change (after every optimizer step).
func (n *Net[T]) Constrain() {
	if n.lip == nil {
		n.Refresh()
		return
	}
	switch n.lip.kind {
	case Frobenius:
		for _, w := range n.w {
			var ss float64
			for _, x := range w {
				ss += float64(x) * float64(x)
			}
			if ss > 0 {
				s := T(n.lip.c / math.Sqrt(ss))
				for i := range w {
					w[i] *= s
				}
			}
		}
	case Spectral:
		n.powerIteration()
		n.spectralEff()
	}
	n.Refresh()
}

// spectralEff sets sigma = u^T W v for the current singular-vector estimates and the forward
// pass's weights to c W / sigma.
func (n *Net[T]) spectralEff() {
	p := n.lip
	for l, w := range n.w {
		in, out := n.Sizes[l], n.Sizes[l+1]
		u, v := p.u[l], p.v[l]
		var sigma float64
		for i := range in {
			for j := range out {
				sigma += u[i] * float64(w[i*out+j]) * v[j]
			}
		}
		if !(sigma > 0) {
			sigma = 1 // an all-zero matrix: nothing to normalize
		}
		p.sigma[l] = sigma
		s := T(p.c / sigma)
		for i, x := range w {
			n.eff[l][i] = x * s
		}
	}
}

// powerIteration advances each layer's singular-vector estimates u, v once.
func (n *Net[T]) powerIteration() {
	p := n.lip
	for l, w := range n.w {
		in, out := n.Sizes[l], n.Sizes[l+1]
		u, v := p.u[l], p.v[l]
		clear(v)
		for i := range in {
			for j := range out {
				v[j] += float64(w[i*out+j]) * u[i]
			}
		}
		normalize(v)
		for i := range in {
			var s float64
			for j := range out {
				s += float64(w[i*out+j]) * v[j]
			}
			u[i] = s
		}
		normalize(u)
	}
}

// finishGrad turns the gradient with respect to the weights the forward pass used into the
// gradient with respect to Params. Only spectral normalization needs it: with
// W_eff = c W / sigma(W) and d sigma / dW = u v^T (u, v held fixed, as Miyato et al. do),
// dLoss/dW = (c / sigma) (G - (<G, W> / sigma) u v^T) for G = dLoss/dW_eff.
func (n *Net[T]) finishGrad() {
	if n.lip == nil || n.lip.kind != Spectral {
		return
	}
	p := n.lip
	for l, g := range n.gw {
		w := n.w[l]
		in, out := n.Sizes[l], n.Sizes[l+1]
		var gw float64
		for i, x := range w {
			gw += float64(g[i]) * float64(x)
		}
		sigma := p.sigma[l]
		k := gw / sigma
		s := p.c / sigma
		u, v := p.u[l], p.v[l]
		for i := range in {
			for j := range out {
				g[i*out+j] = T(s * (float64(g[i*out+j]) - k*u[i]*v[j]))
			}
		}
	}
}

// normalize scales x to unit length.
func normalize(x []float64) {
	var ss float64
	for _, v := range x {
		ss += v * v
	}
	r := math.Sqrt(ss)
	if r > 0 {
		for i := range x {
			x[i] /= r
		}
	}
}
