package gene

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// varFloor keeps a probe that is constant within a batch (after quantisation) from dividing by
// zero: log2 expression varies by far more than 1e-6 between arrays.
const varFloor = 1e-12

// ComBat adjusts the source rows xs (ns x p, classes ls) towards the target rows xt (nt x p,
// classes lt) with ComBat's location/scale model (Johnson, Li and Rabinovic 2007) in its
// reference-batch form (the target is the reference and stays as it is). Per probe g:
//
//	y_ig = alpha_g + x_i beta_g + gamma_bg + delta_bg eps_ig
//
// with x_i the class indicators (classes 2..C), b the batch. alpha, beta and the batch means
// come from one least-squares fit over both batches; the pooled variance sigma_g^2 is that of the
// target's residuals (1/nt). The standardised data s_ig = (y_ig - alpha_g - x_i beta_g)/sigma_g give
// the source's location gamma_g (its mean) and scale delta_g^2 (its variance, 1/(ns-1)), and
//
//	y*_ig = sigma_g (s_ig - gamma*_g) / delta*_g + alpha_g + x_i beta_g.
//
// Without eb, gamma* = gamma and delta* = delta. With eb, both are shrunk across probes by
// ComBat's parametric empirical Bayes: gamma ~ N(gamma_bar, tau^2), delta^2 ~ InvGamma(a, b) from the
// moments over probes, and the posterior means solved by fixed-point iteration to a relative
// change of 1e-4. Labels are class indices; every class must occur in the target.
func ComBat(xs []float64, ls []int32, xt []float64, lt []int32, p int, eb bool) ([]float64, error) {
	ns, nt := len(xs)/p, len(xt)/p
	if ns < 2 || nt < 2 || len(ls) != ns || len(lt) != nt {
		return nil, errors.New("combat: each batch needs at least 2 samples and one label per sample")
	}
	classes := 0
	for _, c := range append(append([]int32(nil), ls...), lt...) {
		classes = max(classes, int(c)+1)
	}
	n := ns + nt
	// Design: [target, source, class 2..C indicators].
	q := 2 + classes - 1
	design := mat.NewDense(n, q, nil)
	label := func(i int) int32 {
		if i < nt {
			return lt[i]
		}
		return ls[i-nt]
	}
	for i := range n {
		if i < nt {
			design.Set(i, 0, 1)
		} else {
			design.Set(i, 1, 1)
		}
		if c := label(i); c > 0 {
			design.Set(i, 1+int(c), 1)
		}
	}
	// B = (X^T X)^-1 X^T Y, applied to every probe at once through H = (X^T X)^-1 X^T (q x n).
	var xtx, inv, h mat.Dense
	xtx.Mul(design.T(), design)
	if err := inv.Inverse(&xtx); err != nil {
		return nil, errors.New("combat: the design is singular (a class missing from one batch?)")
	}
	h.Mul(&inv, design.T())
	row := func(i int) []float64 {
		if i < nt {
			return xt[i*p : (i+1)*p]
		}
		return xs[(i-nt)*p : (i-nt+1)*p]
	}
	beta := make([]float64, q*p) // q x p
	for k := range q {
		bk := beta[k*p : (k+1)*p]
		for i := range n {
			w := h.At(k, i)
			for j, v := range row(i) {
				bk[j] += w * v
			}
		}
	}
	// fitted mean without the batch term except the reference's: alpha_g + x_i beta_g.
	stand := func(i, j int) float64 {
		m := beta[j] // the target's intercept is the reference location
		if c := label(i); c > 0 {
			m += beta[(1+int(c))*p+j]
		}
		return m
	}
	sigma2 := make([]float64, p)
	for i := range nt {
		for j, v := range row(i) {
			r := v - stand(i, j)
			sigma2[j] += r * r / float64(nt)
		}
	}
	for j := range sigma2 {
		sigma2[j] = max(sigma2[j], varFloor)
	}
	s := make([]float64, ns*p)
	gamma := make([]float64, p)
	delta := make([]float64, p)
	for i := range ns {
		for j, v := range row(nt + i) {
			z := (v - stand(nt+i, j)) / math.Sqrt(sigma2[j])
			s[i*p+j] = z
			gamma[j] += z / float64(ns)
		}
	}
	for i := range ns {
		for j := range p {
			r := s[i*p+j] - gamma[j]
			delta[j] += r * r / float64(ns-1)
		}
	}
	for j := range delta {
		delta[j] = max(delta[j], varFloor)
	}
	if eb {
		gamma, delta = shrink(s, ns, p, gamma, delta)
	}
	out := make([]float64, ns*p)
	for i := range ns {
		for j := range p {
			out[i*p+j] = math.Sqrt(sigma2[j])*(s[i*p+j]-gamma[j])/math.Sqrt(delta[j]) + stand(nt+i, j)
		}
	}
	return out, nil
}

// shrink returns ComBat's parametric empirical-Bayes estimates of one batch's location and
// scale (its function it.sol): the prior N(gbar, t2) on gamma and InvGamma(a, b) on delta^2 from
// the moments of the per-probe estimates, then the posterior means by fixed-point iteration.
func shrink(s []float64, n, p int, g, d []float64) (gs, ds []float64) {
	gbar, t2 := meanVar(g)
	m, s2 := meanVar(d)
	if t2 <= 0 || s2 <= 0 {
		// No spread across probes: the prior is a point mass and the estimates stay as they are.
		return g, d
	}
	a := (2*s2 + m*m) / s2
	b := (m*s2 + m*m*m) / s2
	gOld := append([]float64(nil), g...)
	dOld := append([]float64(nil), d...)
	gNew := make([]float64, p)
	dNew := make([]float64, p)
	nf := float64(n)
	for range 1000 {
		change := 0.0
		for j := range p {
			gNew[j] = (nf*t2*g[j] + dOld[j]*gbar) / (nf*t2 + dOld[j])
			sum2 := 0.0
			for i := range n {
				r := s[i*p+j] - gNew[j]
				sum2 += r * r
			}
			dNew[j] = max((0.5*sum2+b)/(nf/2+a-1), varFloor)
			change = math.Max(change, relChange(gNew[j], gOld[j]))
			change = math.Max(change, relChange(dNew[j], dOld[j]))
		}
		copy(gOld, gNew)
		copy(dOld, dNew)
		if change < 1e-4 {
			break
		}
	}
	return gOld, dOld
}

func relChange(x, old float64) float64 {
	if old == 0 {
		return math.Abs(x)
	}
	return math.Abs(x-old) / math.Abs(old)
}

// meanVar is the mean and the sample variance (1/(n-1)) of x.
func meanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	return mean, variance / float64(len(x)-1)
}
