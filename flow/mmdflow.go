package flow

import "math"

// mmdFlow is the MMD gradient flow of Arbel, Korba, Salim and Gretton (2019): the particles
// descend the witness function of the maximum mean discrepancy between their law P and the
// targets' Q,
//
//	f(z) = (1/n) sum_j k(z, y_j) - (1/m) sum_j k(z, x_j),   k(a, b) = exp(-|a - b|^2/(2 sigma^2)),
//
// by Y_i <- Y_i - dt grad f(Y_i + beta U_i), U_i ~ N(0, I) fresh at every step: the paper's
// noise injection at the level beta = mmd_noise (0: the plain flow, which it shows can stall
// at a local optimum). Like GPA it needs only the targets' samples. Its objective is
// MMD^2(P, Q) = (1/n^2) sum k(y, y') - (2/(nm)) sum k(y, x) + (1/m^2) sum k(x, x'), which the
// noiseless flow lowers at every small enough step (a gradient flow of MMD^2/2 in W2).
type mmdFlow struct {
	p   *peer
	kxx float64 // (1/m^2) sum k(x_j, x_l), fixed
	z   []float64
}

func newMMDFlow(p *peer) *mmdFlow {
	m := &mmdFlow{p: p}
	m.kxx = m.meanKernel(p.x, p.x)
	if p.s.MMDNoise > 0 {
		m.z = make([]float64, len(p.y))
	}
	return m
}

func (m *mmdFlow) label() string {
	if m.p.s.MMDNoise > 0 {
		return "MMD flow (noise β=" + m.p.s.Get("mmd_noise") + ")"
	}
	return "MMD flow"
}
func (m *mmdFlow) objective() string { return "mmd2" }

// kernel is k(a, b).
func (m *mmdFlow) kernel(a, b []float64) float64 {
	s := m.p.s.MMDSigma
	return math.Exp(-sqDist(a, b) / (2 * s * s))
}

// meanKernel is (1/(|a||b|)) sum k over the rows of a and b.
func (m *mmdFlow) meanKernel(a, b []float64) float64 {
	d := m.p.d
	var sum float64
	for i := 0; i < len(a)/d; i++ {
		for j := 0; j < len(b)/d; j++ {
			sum += m.kernel(a[i*d:i*d+d], b[j*d:j*d+d])
		}
	}
	return sum / float64(len(a)/d*(len(b)/d))
}

func (m *mmdFlow) advance(dt float64) (float64, error) {
	p := m.p
	var mmd2 float64
	if m.z != nil {
		mmd2 = m.meanKernel(p.y, p.y) - 2*m.meanKernel(p.y, p.x) + m.kxx
		beta := p.s.MMDNoise
		for i, y := range p.y {
			m.z[i] = y + beta*p.noise.NormFloat64()
		}
		m.sums(m.z, p.v)
	} else {
		// Without noise the gradient is taken at the particles themselves: its kernel values are
		// MMD^2's, summed in the same pass.
		ky, kx := m.sums(p.y, p.v)
		mmd2 = ky/float64(p.n*p.n) - 2*kx/float64(p.n*p.m) + m.kxx
	}
	for i, y := range p.y {
		p.next[i] = y + dt*p.v[i]
	}
	// MMD^2 >= 0; a rounding below 0 is reported as 0.
	return math.Max(mmd2, 0), nil
}

// field is -grad f at the rows of pts.
func (m *mmdFlow) field(pts, out []float64) { m.sums(pts, out) }

// sums writes -grad f at the rows of pts to out, using grad_z k(z, w) = -(z - w) k(z, w)/sigma^2,
// and returns the sums of k(z, y_j) and of k(z, x_j) over the rows z of pts.
func (m *mmdFlow) sums(pts, out []float64) (ky, kx float64) {
	p := m.p
	d := p.d
	s2 := p.s.MMDSigma * p.s.MMDSigma
	clear(out)
	pull := func(z, o, w []float64, weight float64) (sum float64) {
		for j := 0; j < len(w)/d; j++ {
			wj := w[j*d : j*d+d]
			k := math.Exp(-sqDist(z, wj) / (2 * s2))
			if k == 0 {
				continue
			}
			sum += k
			for c := range d {
				o[c] += weight * (z[c] - wj[c]) * k / s2
			}
		}
		return sum
	}
	for i := 0; i < len(pts)/d; i++ {
		z, o := pts[i*d:i*d+d], out[i*d:i*d+d]
		// -grad f = (1/n) sum (z - y_j) k/sigma^2 - (1/m) sum (z - x_j) k/sigma^2: away from
		// the particles, towards the targets.
		ky += pull(z, o, p.y, 1/float64(p.n))
		kx += pull(z, o, p.x, -1/float64(p.m))
	}
	return ky, kx
}
