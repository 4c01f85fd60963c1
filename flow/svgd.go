package flow

import "math"

// svgd is Stein variational gradient descent (Liu and Wang 2016): the particles move along
//
//	phi*(y) = (1/n) sum_j [ k(y_j, y) grad log q(y_j) + grad_{y_j} k(y_j, y) ],
//
// the direction in the unit ball of the RBF kernel's RKHS that decreases KL(P||Q) fastest,
// with the kernel k(a, b) = exp(-|a - b|^2/h) and the median heuristic of the authors' code,
// h = med^2/log(n + 1), med^2 the median of the n x n matrix of squared pairwise distances (the
// zeros of the diagonal included, the two middle values averaged, as numpy's median),
// recomputed every step. The first term
// drives the particles up the target's score (targetScore), the second pushes them apart.
//
// The step is Y <- Y + dt phi*(Y), or with svgd_adagrad the authors' AdaGrad with momentum:
// G <- alpha G + (1 - alpha) phi*^2 (G = phi*^2 at the first step), Y <- Y + dt phi*/(1e-6 +
// sqrt(G)) coordinate-wise, alpha = 0.9.
//
// Its objective (Stats.Divergence) is the kernelized Stein discrepancy KSD^2 =
// (1/n^2) sum_ij u_q(y_i, y_j) (ksdSum), the rate at which a step of SVGD lowers KL(P||Q).
type svgd struct {
	p       *peer
	score   *targetScore
	s       []float64 // the score at each particle
	hist    []float64 // AdaGrad's G
	started bool
	h       float64   // the bandwidth of the last step
	med     []float64 // the pairs' squared distances, for the median
	fs      []float64 // the scores at the particles, for field
}

// The authors' AdaGrad: momentum and the guard against dividing by 0.
const (
	adagradAlpha = 0.9
	adagradFudge = 1e-6
)

// medianSubset bounds the particles the median heuristic looks at: the median of the
// distances among 1000 of them is within a few percent of the whole's and costs 5e5 distances
// instead of n^2/2.
const medianSubset = 1000

func newSVGD(p *peer) (*svgd, error) {
	ts, err := newTargetScore(p.s, p.x, p.fromTarget)
	if err != nil {
		return nil, err
	}
	return &svgd{p: p, score: ts, s: make([]float64, p.n*p.d), hist: make([]float64, p.n*p.d), fs: make([]float64, p.n*p.d)}, nil
}

func (m *svgd) label() string     { return "SVGD (" + m.score.desc + ")" }
func (m *svgd) objective() string { return "ksd2" }

func (m *svgd) advance(dt float64) (float64, error) {
	p := m.p
	n, d := p.n, p.d
	m.h = m.bandwidth(p.y)
	scores(m.score, p.y, m.s, d)
	v := p.v
	clear(v)
	// Each pair once: k is symmetric and grad_{y_j} k(y_j, y_i) = (2/h)(y_i - y_j) k.
	c := 2 / m.h
	for i := range n {
		yi, si, vi := p.y[i*d:i*d+d], m.s[i*d:i*d+d], v[i*d:i*d+d]
		for k := range d {
			vi[k] += si[k] // k(y_i, y_i) = 1, and no repulsion from itself
		}
		for j := i + 1; j < n; j++ {
			yj, sj, vj := p.y[j*d:j*d+d], m.s[j*d:j*d+d], v[j*d:j*d+d]
			kij := math.Exp(-sqDist(yi, yj) / m.h)
			if kij == 0 {
				continue
			}
			for k := range d {
				r := c * (yi[k] - yj[k]) * kij
				vi[k] += kij*sj[k] + r
				vj[k] += kij*si[k] - r
			}
		}
	}
	inv := 1 / float64(n)
	for i := range v {
		v[i] *= inv
	}
	ksd := ksdSum(p.y, m.s, d, m.h)
	if p.s.SVGDAdagrad {
		for i, g := range v {
			if m.started {
				m.hist[i] = adagradAlpha*m.hist[i] + (1-adagradAlpha)*g*g
			} else {
				m.hist[i] = g * g
			}
			v[i] = g / (adagradFudge + math.Sqrt(m.hist[i]))
		}
		m.started = true
	}
	for i, y := range p.y {
		p.next[i] = y + dt*v[i]
	}
	return ksd, nil
}

// field is phi*(z) at the rows of pts (the plain direction, without AdaGrad's per-particle
// scaling, which exists only at the particles).
func (m *svgd) field(pts, out []float64) {
	p := m.p
	d := p.d
	// The bandwidth and the scores of the particles as they are now (the last step's were
	// taken before it moved them).
	h := m.bandwidth(p.y)
	scores(m.score, p.y, m.fs, d)
	c := 2 / h
	clear(out)
	for i := 0; i < len(pts)/d; i++ {
		z, o := pts[i*d:i*d+d], out[i*d:i*d+d]
		for j := range p.n {
			yj, sj := p.y[j*d:j*d+d], m.fs[j*d:j*d+d]
			kz := math.Exp(-sqDist(z, yj) / h)
			if kz == 0 {
				continue
			}
			for k := range d {
				o[k] += kz*sj[k] + c*(z[k]-yj[k])*kz
			}
		}
		for k := range o {
			o[k] /= float64(p.n)
		}
	}
}

// bandwidth is the median heuristic over at most medianSubset particles (the first ones: the
// source's draws are in no order).
func (m *svgd) bandwidth(y []float64) float64 {
	k := min(m.p.n, medianSubset)
	return medianBandwidth(y[:k*m.p.d], m.p.d, m.p.n, &m.med)
}

// medianBandwidth is h = med^2/log(n + 1), med^2 the median squared distance among the rows of y; 1 when
// the median is 0 (over half the pairs coincide, so no scale can be read off them). buf keeps
// the pairs' squared distances between calls.
func medianBandwidth(y []float64, d, n int, buf *[]float64) float64 {
	k := len(y) / d
	pairs := (*buf)[:0]
	for i := range k {
		for j := i + 1; j < k; j++ {
			pairs = append(pairs, sqDist(y[i*d:i*d+d], y[j*d:j*d+d]))
		}
	}
	*buf = pairs
	h := medianWithZeros(pairs, k) / math.Log(float64(n)+1)
	if !(h > 0) || math.IsInf(h, 0) {
		return 1
	}
	return h
}

// medianWithZeros is the median of the k x k matrix of squared distances whose upper triangle
// is pairs: k zeros on the diagonal and every pair twice. For an even count it is the mean of
// the two middle values, as numpy's.
func medianWithZeros(pairs []float64, k int) float64 {
	total := k * k
	at := func(r int) float64 { // the r-th smallest entry of the matrix, 0-based
		if r < k {
			return 0
		}
		return nth(pairs, (r-k)/2)
	}
	if total%2 == 1 {
		return at(total / 2)
	}
	return (at(total/2-1) + at(total/2)) / 2
}

// nth returns the r-th smallest value of x (0-based), reordering x: quickselect, O(len(x)).
func nth(x []float64, r int) float64 {
	lo, hi := 0, len(x)-1
	for lo < hi {
		pivot := x[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case r <= j:
			hi = j
		case r >= i:
			lo = i
		default:
			return x[r]
		}
	}
	return x[r]
}

// scores writes the target's score at every row of y to s.
func scores(ts *targetScore, y, s []float64, d int) {
	for i := 0; i < len(y)/d; i++ {
		ts.at(y[i*d:i*d+d], s[i*d:i*d+d])
	}
}

// ksdSum is the V-statistic of the squared kernelized Stein discrepancy of the particles y
// (scores s) for the RBF kernel exp(-r^2/h) (Liu, Lee and Jordan 2016):
//
//	KSD^2 = (1/n^2) sum_ij k_ij [ s_i.s_j + (2/h)(y_i - y_j).(s_i - s_j) + 2d/h - 4|y_i - y_j|^2/h^2 ],
//
// the Stein kernel u_q(y_i, y_j). It is 0 when the particles' law is q and grows as they part.
func ksdSum(y, s []float64, d int, h float64) float64 {
	n := len(y) / d
	var sum float64
	for i := range n {
		yi, si := y[i*d:i*d+d], s[i*d:i*d+d]
		var ss float64
		for _, v := range si {
			ss += v * v
		}
		sum += ss + 2*float64(d)/h // the diagonal: k = 1, y_i - y_j = 0
		for j := i + 1; j < n; j++ {
			yj, sj := y[j*d:j*d+d], s[j*d:j*d+d]
			r2 := sqDist(yi, yj)
			kij := math.Exp(-r2 / h)
			if kij == 0 {
				continue
			}
			var dot, cross float64
			for k := range d {
				dot += si[k] * sj[k]
				cross += (yi[k] - yj[k]) * (si[k] - sj[k])
			}
			sum += 2 * kij * (dot + 2/h*cross + 2*float64(d)/h - 4*r2/(h*h))
		}
	}
	return sum / float64(n*n)
}
