package flow

import (
	"fmt"
	"math"
)

// Divergence is an f-divergence through its Legendre conjugate f*(y) = sup_x { x y - f(x) }:
//
//	kl          f(x) = x log x                 f*(y) = exp(y - 1)
//	kl-dv       KL in Donsker-Varadhan form:   J = E_P[phi] - log E_Q[exp phi]   (no nu)
//	alpha > 1   f(x) = (x^a - 1)/(a(a-1))      f*(y) = (1/a) (1/(a-1) + ((a-1) max(y,0))^(a/(a-1)))
//	0 < a < 1   same f                          f*(y) = (1/a) ((1-a)(-y))^(-a/(1-a)) - 1/(a(1-a)),  y < 0
//	reverse-kl  f(x) = -log x                  f*(y) = -1 - log(-y),  y < 0
//	js          Jensen-Shannon                 f*(y) = -log(2 - exp y),  y < log 2
//	chi2        f(x) = (x-1)^2                 f*(y) = y^2/4 + y
//	hellinger   f(x) = (sqrt x - 1)^2          f*(y) = y/(1-y),  y < 1
//
// Where f* leaves its domain or grows without bound, it is continued linearly past the point
// y0 where f*'(y0) = maxSlope: the continuation is convex and C^1, so the discriminator is still
// pushed back towards the domain, and every finite input gives a finite value and slope.
type Divergence struct {
	Name  string
	Alpha float64 // for "alpha" only
	dv    bool
	conj  func(y float64) (v, dv float64) // f* and f*' on its domain
	y0    float64                         // start of the linear continuation
	y1    float64                         // end of the lower linear continuation (chi2 only)
}

// maxSlope is the conjugate's largest slope; beyond it f* is linear.
const maxSlope = 1e8

// DivergenceNames lists the names ParseDivergence accepts.
func DivergenceNames() []string {
	return []string{"kl", "kl-dv", "alpha", "reverse-kl", "js", "chi2", "hellinger"}
}

// ParseDivergence returns the divergence named name; alpha is read only for "alpha".
func ParseDivergence(name string, alpha float64) (*Divergence, error) {
	d := &Divergence{Name: name, y1: math.Inf(-1)}
	switch name {
	case "kl":
		d.conj = func(y float64) (float64, float64) { e := math.Exp(y - 1); return e, e }
		d.y0 = 1 + math.Log(maxSlope)
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
				s := math.Pow(t, 1/(a-1))
				return (1/(a-1) + t*s) / a, s
			}
			d.y0 = math.Min(math.Pow(maxSlope, a-1)/(a-1), 1e100)
		} else {
			// f*'(y) = ((1-a)(-y))^(-1/(1-a)) for y < 0.
			d.conj = func(y float64) (float64, float64) {
				t := (1 - a) * -y
				s := math.Pow(t, -1/(1-a))
				return t*s/a - 1/(a*(1-a)), s
			}
			d.y0 = -math.Pow(maxSlope, -(1-a)) / (1 - a)
		}
	case "reverse-kl":
		d.conj = func(y float64) (float64, float64) { return -1 - math.Log(-y), -1 / y }
		d.y0 = -1 / maxSlope
	case "js":
		d.conj = func(y float64) (float64, float64) {
			e := math.Exp(y)
			return -math.Log(2 - e), e / (2 - e)
		}
		d.y0 = math.Log(2 * maxSlope / (1 + maxSlope))
	case "chi2":
		d.conj = func(y float64) (float64, float64) { return y*y/4 + y, y/2 + 1 }
		d.y0 = 2 * (maxSlope - 1)
		d.y1 = -2 * (maxSlope + 1)
	case "hellinger":
		d.conj = func(y float64) (float64, float64) { return y / (1 - y), 1 / ((1 - y) * (1 - y)) }
		d.y0 = 1 - 1/math.Sqrt(maxSlope)
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
	switch {
	case y > d.y0:
		v0, s0 := d.conj(d.y0)
		return v0 + s0*(y-d.y0), s0
	case y < d.y1:
		v1, s1 := d.conj(d.y1)
		return v1 + s1*(y-d.y1), s1
	}
	return d.conj(y)
}

// objective returns the variational objective
//
//	J = mean_i phiY_i - mean_j f*(phiX_j - nu) - nu    (or mean phiY - log mean exp phiX for kl-dv)
//
// and writes the gradient of the discriminator's loss -J with respect to each phi to dY and dX;
// dnu is d(-J)/d nu (0 for kl-dv).
func objective[T Float](d *Divergence, phiY, phiX []T, nu float64, dY, dX []T) (J, dnu float64) {
	N, M := len(phiY), len(phiX)
	var sumY float64
	for _, v := range phiY {
		sumY += float64(v)
	}
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
		var s float64
		for _, v := range phiX {
			s += math.Exp(float64(v) - m)
		}
		for j, v := range phiX {
			dX[j] = T(math.Exp(float64(v)-m) / s)
		}
		return sumY/float64(N) - (m + math.Log(s/float64(M))), 0
	}
	var sumF, sumS float64
	for j, v := range phiX {
		f, s := d.Conj(float64(v) - nu)
		sumF += f
		sumS += s
		dX[j] = T(s / float64(M))
	}
	return sumY/float64(N) - sumF/float64(M) - nu, 1 - sumS/float64(M)
}
