package dist

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Scorer is a law with a density q in closed form: Score writes its score grad log q(x) at the
// point x (one row of Dim values) to out. The particle methods that follow the target's score
// (Stein variational gradient descent, Langevin dynamics) use it; the laws known only by their
// samples (swiss-roll, moons, ...) are not Scorers.
//
// Gaussian, four-gaussians, student-t and stretched-exp (both forms) are Scorers. For the
// affine image x = loc + scale z of a law with score s_z, the score is s_z((x - loc)/scale)/scale.
type Scorer interface {
	Sampler
	Score(x, out []float64)
}

// scorer is a shape whose own law (before loc and scale) has a score. z and out may be the same
// slice: each coordinate of z is read before out's is written.
type scorer interface {
	score(z, out []float64)
}

// AsScorer returns s as a Scorer when its law has a closed-form score.
func AsScorer(s Sampler) (Scorer, bool) {
	sh, ok := s.(*shape)
	if !ok {
		return nil, false
	}
	if _, ok := sh.d.(scorer); !ok {
		return nil, false
	}
	return scoredShape{sh}, true
}

type scoredShape struct{ *shape }

func (s scoredShape) Score(x, out []float64) {
	z := out // the standardised point, then overwritten by its score
	for i, v := range x {
		if s.loc != nil {
			v -= s.loc[i]
		}
		z[i] = v / s.scale
	}
	s.d.(scorer).score(z, out)
	if s.scale != 1 {
		for i := range out {
			out[i] /= s.scale
		}
	}
}

// score of N(mean, diag(sd²)) is -(z - mean)/sd², of N(mean, cov) -cov⁻¹(z - mean).
func (g *gaussian) score(z, out []float64) {
	if g.cov == nil {
		for i, v := range z {
			out[i] = -(v - g.mean[i]) / (g.sd[i] * g.sd[i])
		}
		return
	}
	r := make([]float64, len(z))
	for i, v := range z {
		r[i] = v - g.mean[i]
	}
	dst := mat.NewVecDense(len(z), out)
	if err := g.chol.SolveVecTo(dst, mat.NewVecDense(len(z), r)); err != nil {
		// The factorisation succeeded at Parse, so a failure here is a singular matrix that
		// passed it; no score is better than a wrong one.
		clear(out)
		return
	}
	for i := range out {
		out[i] = -out[i]
	}
}

// score of the mixture sum_k N(c_k, sd² I)/4 is sum_k w_k(z) (c_k - z)/sd² with the posterior
// weights w_k(z) ∝ exp(-|z - c_k|²/(2 sd²)), computed shifted by their largest exponent so that
// a point far from every centre still gets weights that sum to 1.
func (f *fourGaussians) score(z, out []float64) {
	var e [4]float64
	mx := math.Inf(-1)
	for k := range 4 {
		c0, c1 := f.gap*float64(k>>1), f.gap*float64(k&1)
		d0, d1 := z[0]-c0, z[1]-c1
		e[k] = -(d0*d0 + d1*d1) / (2 * f.sd * f.sd)
		mx = math.Max(mx, e[k])
	}
	var sum, m0, m1 float64
	for k := range 4 {
		w := math.Exp(e[k] - mx)
		sum += w
		m0 += w * f.gap * float64(k>>1)
		m1 += w * f.gap * float64(k&1)
	}
	s2 := f.sd * f.sd
	for i, v := range z {
		mu := 0.0
		switch i {
		case 0:
			mu = m0 / sum
		case 1:
			mu = m1 / sum
		}
		out[i] = (mu - v) / s2
	}
}

// score of independent Student-t(nu) coordinates: -(nu + 1) z_i/(nu + z_i²). It is bounded
// by (nu + 1)/(2 sqrt(nu)) and tends to 0 in the tails.
func (s *studentT) score(z, out []float64) {
	for i, v := range z {
		out[i] = -(s.nu + 1) * v / (s.nu + v*v)
	}
}

// score of exp(-|z|^beta): -beta |z|^(beta-2) z, written as -beta |z|^(beta-1) z/|z| so that
// neither factor overflows for a huge |z|. At z = 0 (a cusp for beta <= 1) it is 0, the
// symmetric subgradient.
func (e *stretchedExp) score(z, out []float64) {
	var ss float64
	for _, v := range z {
		ss += v * v
	}
	r := math.Sqrt(ss)
	if r == 0 || math.IsInf(r, 0) {
		// r overflowed (|z| beyond 1e154): the unit vector is then taken from the largest
		// coordinate's scale.
		if r == 0 {
			clear(out)
			return
		}
		var mx float64
		for _, v := range z {
			mx = math.Max(mx, math.Abs(v))
		}
		r = 0
		for _, v := range z {
			r += (v / mx) * (v / mx)
		}
		r = mx * math.Sqrt(r)
	}
	g := e.beta * math.Pow(r, e.beta-1)
	for i, v := range z {
		out[i] = -g * (v / r)
	}
}

// score of exp(-sum_i |z_i|^beta): -beta |z_i|^(beta-1) sign(z_i) per coordinate, 0 at z_i = 0.
func (e *stretchedExpProduct) score(z, out []float64) {
	for i, v := range z {
		if v == 0 {
			out[i] = 0
			continue
		}
		out[i] = -e.beta * math.Pow(math.Abs(v), e.beta-1) * math.Copysign(1, v)
	}
}
