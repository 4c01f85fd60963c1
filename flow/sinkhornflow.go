package flow

import (
	"math"

	"lipflow/flow/metric"
)

// sinkhornFlow moves the particles down the gradient of the debiased Sinkhorn divergence
// (Feydy et al. 2019) between their law α and the targets' β,
//
//	S_ε(α, β) = OT_ε(α, β) - OT_ε(α, α)/2 - OT_ε(β, β)/2,   cost |y - x|²/2,   ε = epsilon,
//
// computed in the log domain by metric.SinkhornDivergenceDuals. At the optimal potentials
// (f, g) of α↔β and p of α↔α, the envelope theorem gives d S/d y_i = (1/n)(∇f(y_i) - ∇p(y_i))
// with ∇f(z) = z - T_β(z), ∇p(z) = z - T_α(z), where
//
//	T_β(z) = Σ_j w_j(z) x_j,   w_j(z) ∝ exp((g_j - |z - x_j|²/2)/ε),
//
// is the entropic barycentric projection onto the targets (T_α likewise onto the particles, with
// p). The step is the W2 gradient flow's Euler step Y_i <- Y_i + dt (T_β(Y_i) - T_α(Y_i)), that
// is Y_i - n dt d S/d Y_i. T_β pulls each particle towards the targets it is coupled with; T_α,
// the debiasing, holds the particles apart, so that they do not collapse onto the
// targets' barycentres as a plain OT_ε flow's would. The objective reported is S_ε.
type sinkhornFlow struct {
	p     *peer
	blur  float64
	duals metric.SinkhornDuals
	at    []float64 // the particles the duals belong to
	w     []float64
	opt   metric.DivergenceOptions
}

// The Sinkhorn iterations of a step: geomloss's ε-scaling schedule at scaling 0.5, then up to
// sinkhornConverge plain iterations at ε (fewer once every marginal is within 1e-9), which
// bring the potentials, and with them the gradient, close to those of S_ε itself where ε is not
// far below the costs; more would cost a step more than the whole of GPA's.
const sinkhornConverge = 20

func newSinkhornFlow(p *peer) *sinkhornFlow {
	return &sinkhornFlow{p: p, blur: math.Sqrt(p.s.Epsilon), w: make([]float64, max(p.n, p.m)),
		opt: metric.DivergenceOptions{Converge: sinkhornConverge}}
}

func (m *sinkhornFlow) label() string     { return "Sinkhorn flow (ε=" + m.p.s.Get("epsilon") + ")" }
func (m *sinkhornFlow) objective() string { return "sinkhorn" }

// solve computes the potentials for the current particles and returns S_ε.
func (m *sinkhornFlow) solve() float64 {
	p := m.p
	s, duals := metric.SinkhornDivergenceDuals(p.y, p.x, p.d, m.blur, m.opt)
	m.duals = duals
	m.at = append(m.at[:0], p.y...)
	return s
}

func (m *sinkhornFlow) advance(dt float64) (float64, error) {
	p := m.p
	s := m.solve()
	m.field(p.y, p.v)
	for i, y := range p.y {
		p.next[i] = y + dt*p.v[i]
	}
	return s, nil
}

// field is T_β(z) - T_α(z) at the rows of pts, with the potentials of the current particles.
func (m *sinkhornFlow) field(pts, out []float64) {
	p := m.p
	if len(m.at) != len(p.y) || !equal(m.at, p.y) {
		m.solve()
	}
	d := p.d
	for i := 0; i < len(pts)/d; i++ {
		z, o := pts[i*d:i*d+d], out[i*d:i*d+d]
		clear(o)
		m.barycentre(z, o, p.x, m.duals.G, 1)
		m.barycentre(z, o, m.at, m.duals.FAA, -1)
	}
}

// barycentre adds sign times the soft-min barycentre Σ_j w_j pts_j of the rows of pts with
// potentials h, seen from z, to out: the weights' exponents (h_j - |z - pts_j|²/2)/ε are
// shifted by their largest, so that no ε underflows every weight.
func (m *sinkhornFlow) barycentre(z, out, pts, h []float64, sign float64) {
	d := m.p.d
	k := len(h)
	w := m.w[:k]
	eps := m.duals.Eps
	mx := math.Inf(-1)
	for j := range k {
		w[j] = (h[j] - sqDist(z, pts[j*d:j*d+d])/2) / eps
		mx = math.Max(mx, w[j])
	}
	var sum float64
	for j := range w {
		w[j] = math.Exp(w[j] - mx)
		sum += w[j]
	}
	for j, wj := range w {
		if wj == 0 {
			continue
		}
		for c, v := range pts[j*d : j*d+d] {
			out[c] += sign * wj / sum * v
		}
	}
}

func equal(a, b []float64) bool {
	for i, v := range a {
		if b[i] != v {
			return false
		}
	}
	return true
}
