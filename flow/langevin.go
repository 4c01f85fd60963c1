package flow

import "math"

// langevin is the unadjusted Langevin algorithm: the Euler-Maruyama step of the overdamped
// Langevin diffusion dY = grad log q(Y) dt + sqrt(2) dW, whose law follows the Wasserstein
// gradient flow of KL(P||Q), the flow GPA's (KL, Lip_L) approaches as L grows:
//
//	Y <- Y + dt grad log q(Y) + sqrt(2 dt) xi,   xi ~ N(0, I),
//
// each particle on its own, with no interaction; q's score is targetScore's. Its stationary law
// is q up to a bias of order dt (no Metropolis correction). The objective it reports is the
// KSD^2 (as SVGD's, with the median-heuristic RBF kernel) of the first ksdSubset particles, a
// score-based discrepancy that needs no density of P, estimated on a subset so that the
// diagnostic does not turn the O(n) step into an O(n^2) one.
//
// ksdSubset is that subset's size.
const ksdSubset = 200

// langevin is one run of the unadjusted Langevin algorithm.
type langevin struct {
	p     *peer
	score *targetScore
	s     []float64
	pairs []float64 // for the median heuristic
}

func newLangevin(p *peer) (*langevin, error) {
	ts, err := newTargetScore(p.s, p.x, p.fromTarget)
	if err != nil {
		return nil, err
	}
	return &langevin{p: p, score: ts, s: make([]float64, p.n*p.d)}, nil
}

func (m *langevin) label() string     { return "Langevin (" + m.score.desc + ")" }
func (m *langevin) objective() string { return "ksd2" }

func (m *langevin) advance(dt float64) (float64, error) {
	p := m.p
	scores(m.score, p.y, m.s, p.d)
	copy(p.v, m.s)
	sd := math.Sqrt(2 * dt)
	for i, y := range p.y {
		p.next[i] = y + dt*m.s[i] + sd*p.noise.NormFloat64()
	}
	k := min(p.n, ksdSubset)
	y, s := p.y[:k*p.d], m.s[:k*p.d]
	return ksdSum(y, s, p.d, medianBandwidth(y, p.d, k, &m.pairs)), nil
}

// field is the drift, the score.
func (m *langevin) field(pts, out []float64) {
	d := m.p.d
	for i := 0; i < len(pts)/d; i++ {
		m.score.at(pts[i*d:i*d+d], out[i*d:i*d+d])
	}
}
