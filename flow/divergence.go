package flow

import (
	"fmt"
	"math"

	"lipflow/flow/pmath"
)

// Divergence is an f-divergence through its Legendre conjugate f*(y) = sup_x { x y - f(x) }:
//
//	kl          f(x) = x log x                 f*(y) = exp(y - 1)
//	kl-dv       KL in Donsker-Varadhan form:   J = E_P[phi] - log E_Q[exp phi]   (no nu)
//	alpha > 1   f(x) = (x^a - 1)/(a(a-1))      f*(y) = (1/a) (1/(a-1) + ((a-1) max(y,0))^(a/(a-1)))
//	0 < a < 1   same f                          f*(y) = (1/a) ((1-a)(-y))^(-a/(1-a)) - 1/(a(1-a)),  y < 0
//	reverse-kl  f(x) = -log x                  f*(y) = -1 - log(-y),  y < 0
//	js          Jensen-Shannon                 f*(y) = -log(2 - exp y),  y < log 2
//	chi2        f(x) = (x-1)^2, x >= 0         f*(y) = y^2/4 + y for y >= -2, -1 below
//	hellinger   f(x) = (sqrt x - 1)^2          f*(y) = y/(1-y),  y < 1
//
// f is taken on x >= 0 (x is the density ratio dP/dQ), so f* is non-decreasing and f*' >= 0.
//
// Where f* leaves its domain or grows without bound, it is continued linearly past the point
// y0 where f*'(y0) = maxSlope: the continuation is convex and C^1, so the discriminator is still
// pushed back towards the domain, and every finite input gives a finite value and slope. In the
// f-divergence this is the bound dP/dQ <= maxSlope on the density ratio.
//
// nu is not trained by the optimizer: J is concave in nu, and its maximizer solves
// mean_j f*'(phi(X_j) - nu) = 1 (see SolveNu), which is found exactly at every inner step. The
// discriminator's gradient then weighs target j by f*'(phi(X_j) - nu)/M: weights that are
// non-negative and sum to 1, whatever phi, so no sample can throw the optimizer far.
type Divergence struct {
	Name  string
	Alpha float64 // for "alpha" only
	dv    bool
	conj  func(y float64) (v, dv float64) // f* and f*' on its domain
	y0    float64                         // start of the linear continuation
	ystar float64                         // f'(1): f*'(ystar) = 1
}

// maxSlope is the conjugate's largest slope; beyond it f* is linear. At the solved nu every
// f*'(phi(X_j) - nu) is at most M (they are non-negative with mean 1), so for M <= maxSlope the
// continuation is never in use where the gradient is taken.
const maxSlope = 1e6

// DivergenceNames lists the names ParseDivergence accepts.
func DivergenceNames() []string {
	return []string{"kl", "kl-dv", "alpha", "reverse-kl", "js", "chi2", "hellinger"}
}

// ParseDivergence returns the divergence named name; alpha is read only for "alpha".
func ParseDivergence(name string, alpha float64) (*Divergence, error) {
	d := &Divergence{Name: name}
	switch name {
	case "kl":
		d.conj = func(y float64) (float64, float64) { e := pmath.Exp(y - 1); return e, e }
		d.y0 = 1 + pmath.Log(maxSlope)
		d.ystar = 1
	case "kl-dv":
		d.dv = true
	case "alpha":
		a := alpha
		switch {
		case math.IsNaN(a) || a <= 0 || math.IsInf(a, 0) || a > 1000:
			return nil, fmt.Errorf("alpha = %v, want 0 < alpha < 1 or 1 < alpha <= 1000", alpha)
		case a == 1:
			return nil, fmt.Errorf("alpha = 1, want alpha != 1 (alpha -> 1 is KL: use f = kl or kl-dv)")
		}
		d.Alpha = a
		if a > 1 {
			// f*'(y) = ((a-1) y)^(1/(a-1)) for y > 0, else 0.
			d.conj = func(y float64) (float64, float64) {
				if y <= 0 {
					return 1 / (a * (a - 1)), 0
				}
				t := (a - 1) * y
				s := pmath.Pow(t, 1/(a-1))
				return (1/(a-1) + t*s) / a, s
			}
			d.y0 = math.Min(pmath.Pow(maxSlope, a-1)/(a-1), 1e100)
			d.ystar = 1 / (a - 1)
		} else {
			// f*'(y) = ((1-a)(-y))^(-1/(1-a)) for y < 0.
			d.conj = func(y float64) (float64, float64) {
				t := (1 - a) * -y
				s := pmath.Pow(t, -1/(1-a))
				return t*s/a - 1/(a*(1-a)), s
			}
			d.y0 = -pmath.Pow(maxSlope, -(1-a)) / (1 - a)
			d.ystar = -1 / (1 - a)
		}
	case "reverse-kl":
		d.conj = func(y float64) (float64, float64) { return -1 - pmath.Log(-y), -1 / y }
		d.y0 = -1 / maxSlope
		d.ystar = -1
	case "js":
		d.conj = func(y float64) (float64, float64) {
			e := pmath.Exp(y)
			return -pmath.Log(2 - e), e / (2 - e)
		}
		d.y0 = pmath.Log(2 * maxSlope / (1 + maxSlope))
		d.ystar = 0
	case "chi2":
		d.conj = func(y float64) (float64, float64) {
			if y < -2 {
				return -1, 0
			}
			return y*y/4 + y, y/2 + 1
		}
		d.y0 = 2 * (maxSlope - 1)
		d.ystar = 0
	case "hellinger":
		d.conj = func(y float64) (float64, float64) { return y / (1 - y), 1 / ((1 - y) * (1 - y)) }
		d.y0 = 1 - 1/math.Sqrt(maxSlope)
		d.ystar = 0
	default:
		return nil, fmt.Errorf("f = %q, want one of %v", name, DivergenceNames())
	}
	return d, nil
}

// DV reports whether the divergence is KL in Donsker-Varadhan form (no nu).
func (d *Divergence) DV() bool { return d.dv }

func (d *Divergence) String() string {
	if d.Name == "alpha" {
		return fmt.Sprintf("alpha=%g", d.Alpha)
	}
	return d.Name
}

// Conj returns f*(y) and f*'(y), finite for every finite y. It is not defined for kl-dv.
func (d *Divergence) Conj(y float64) (v, slope float64) {
	// Past 1e290 even a linear continuation with slope maxSlope would overflow.
	y = math.Max(-1e290, math.Min(y, 1e290))
	if y > d.y0 {
		v0, s0 := d.conj(d.y0)
		return v0 + s0*(y-d.y0), s0
	}
	return d.conj(y)
}

// SolveNu returns the nu that maximizes J for the discriminator's values phiX at the targets:
// the root of
//
//	h(nu) = log mean_j f*'(phiX_j - nu) = 0.
//
// f*' is non-decreasing, so h is non-increasing in nu, and since f*'(ystar) = 1 the root lies
// in [min phiX - ystar, max phiX - ystar]; on that bracket the largest phiX_j - nu is at least
// ystar, so the mean is at least 1/M and h is finite. For KL, h is linear in nu, and the root
// (nu = log mean exp phiX - 1) turns J into the Donsker-Varadhan form. The root is found by the
// Illinois variant of regula falsi, which keeps the bracket and converges superlinearly.
//
// Its sums over the targets follow the shard rule (shard.go), so that any number of workers
// gives the same nu.
func SolveNu[T Float](d *Divergence, phiX []T) float64 { return solveNu(d, phiX, nil) }

// solveNu is SolveNu with the sums of each evaluation shared among w's goroutines (nil: the
// caller's only).
func solveNu[T Float](d *Divergence, phiX []T, w *workers) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range phiX {
		lo = math.Min(lo, float64(v))
		hi = math.Max(hi, float64(v))
	}
	lo, hi = lo-d.ystar, hi-d.ystar
	if !(hi > lo) {
		return lo
	}
	h := func(nu float64) float64 {
		s := w.sum(len(phiX), func(j int) float64 {
			_, sl := d.Conj(float64(phiX[j]) - nu)
			return sl
		})
		return pmath.Log(s / float64(len(phiX)))
	}
	hlo, hhi := h(lo), h(hi) // hlo >= 0 >= hhi
	side := 0
	for range 100 {
		if hlo <= 0 {
			return lo
		}
		if hhi >= 0 {
			return hi
		}
		nu := hi - hhi*(hi-lo)/(hhi-hlo)
		if !(nu > lo && nu < hi) { // the bracket is as narrow as float64 allows
			return nu
		}
		hn := h(nu)
		switch {
		case hn > 0:
			lo, hlo = nu, hn
			if side == -1 {
				hhi /= 2
			}
			side = -1
		case hn < 0:
			hi, hhi = nu, hn
			if side == 1 {
				hlo /= 2
			}
			side = 1
		default:
			return nu
		}
		if hi-lo <= 1e-13*(1+math.Abs(lo)+math.Abs(hi)) {
			break
		}
	}
	return lo + (hi-lo)/2
}

// objective returns the variational objective
//
//	J = mean_i phiY_i - mean_j f*(phiX_j - nu) - nu    (or mean phiY - log mean exp phiX for kl-dv)
//
// and writes the gradient of the discriminator's loss -J with respect to each phi to dY and dX;
// dnu is d(-J)/d nu (0 for kl-dv).
func objective[T Float](d *Divergence, phiY, phiX []T, nu float64, dY, dX []T) (J, dnu float64) {
	N, M := len(phiY), len(phiX)
	// Every sum over samples follows the shard rule (shard.go).
	sumY := foldShards(N, func(i int) float64 { return float64(phiY[i]) })
	gy := T(-1 / float64(N))
	for i := range dY[:N] {
		dY[i] = gy
	}
	if d.dv {
		// log mean exp, shifted by the max so that no exp overflows.
		m := math.Inf(-1)
		for _, v := range phiX {
			m = math.Max(m, float64(v))
		}
		s := foldShards(M, func(j int) float64 { return pmath.Exp(float64(phiX[j]) - m) })
		for j, v := range phiX {
			dX[j] = T(pmath.Exp(float64(v)-m) / s)
		}
		return sumY/float64(N) - (m + pmath.Log(s/float64(M))), 0
	}
	sumF, sumS := foldShards2(M, func(j int) (float64, float64) {
		f, s := d.Conj(float64(phiX[j]) - nu)
		dX[j] = T(s / float64(M))
		return f, s
	})
	return sumY/float64(N) - sumF/float64(M) - nu, 1 - sumS/float64(M)
}
