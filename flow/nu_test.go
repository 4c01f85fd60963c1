package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// nuCases are the divergences whose nu is solved for, at the alphas the page offers.
func nuCases(t *testing.T) []*Divergence {
	var ds []*Divergence
	for _, c := range []struct {
		name  string
		alpha float64
	}{{"kl", 0}, {"alpha", 0.5}, {"alpha", 2}, {"alpha", 10}, {"reverse-kl", 0}, {"js", 0}, {"chi2", 0}, {"hellinger", 0}} {
		d, err := ParseDivergence(c.name, c.alpha)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	return ds
}

// TestConjugateSlopeOneAtYstar checks the bracket's anchor: f*'(f'(1)) = 1.
func TestConjugateSlopeOneAtYstar(t *testing.T) {
	for _, d := range nuCases(t) {
		if _, s := d.Conj(d.ystar); math.Abs(s-1) > 1e-12 {
			t.Errorf("%v: f*'(%g) = %g, want 1", d, d.ystar, s)
		}
	}
}

// TestSolveNuMaximizesJ checks the solved nu against the optimality condition
// mean f*'(phiX - nu) = 1 and against J at nearby nu, for spreads of phi from tiny to huge
// (where the linear continuation is in play) and one far outlier.
func TestSolveNuMaximizesJ(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, d := range nuCases(t) {
		for _, spread := range []float64{1e-6, 0.3, 3, 30, 1e4} {
			for _, outlier := range []float64{0, 1e5} {
				t.Run(fmt.Sprintf("%v/%g/%g", d, spread, outlier), func(t *testing.T) {
					phiY, phiX := randomRows(rng, 7, 1), randomRows(rng, 40, 1)
					for i := range phiX {
						phiX[i] = spread*phiX[i] + 5
					}
					phiX[3] += outlier
					nu := SolveNu(d, phiX)
					var s float64
					for _, v := range phiX {
						_, sl := d.Conj(v - nu)
						s += sl
					}
					// d J/d nu = mean f*' - 1; f*' is flat in places (alpha > 1, chi2), where a
					// root is any point of a flat stretch, so check the sign change around nu.
					if m := s / float64(len(phiX)); math.Abs(m-1) > 1e-9 {
						h := 1e-9 * (1 + math.Abs(nu))
						if !(meanSlope(d, phiX, nu-h) >= 1 && meanSlope(d, phiX, nu+h) <= 1) {
							t.Fatalf("nu = %g: mean f*'(phiX - nu) = %.15g, want 1", nu, m)
						}
					}
					dY, dX := make([]float64, 7), make([]float64, 40)
					J, _ := objective(d, phiY, phiX, nu, dY, dX)
					for _, k := range []float64{1e-3, 1e-1, 1, 10} {
						h := k * math.Max(spread, 1e-3)
						for _, other := range []float64{nu - h, nu + h} {
							if j, _ := objective(d, phiY, phiX, other, dY, dX); j > J+1e-12*(1+math.Abs(J)) {
								t.Errorf("J(nu = %g) = %.15g above J(solved nu = %g) = %.15g", other, j, nu, J)
							}
						}
					}
				})
			}
		}
	}
}

func meanSlope(d *Divergence, phiX []float64, nu float64) float64 {
	var s float64
	for _, v := range phiX {
		_, sl := d.Conj(v - nu)
		s += sl
	}
	return s / float64(len(phiX))
}

// TestKLWithSolvedNuIsDonskerVaradhan: sup over nu of the Legendre form of KL is the
// Donsker-Varadhan form, a second implementation of the same number.
func TestKLWithSolvedNuIsDonskerVaradhan(t *testing.T) {
	kl, _ := ParseDivergence("kl", 0)
	dv, _ := ParseDivergence("kl-dv", 0)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, spread := range []float64{0.01, 1, 20} {
		phiY, phiX := randomRows(rng, 9, 1), randomRows(rng, 30, 1)
		for i := range phiX {
			phiX[i] *= spread
		}
		dY1, dX1 := make([]float64, 9), make([]float64, 30)
		dY2, dX2 := make([]float64, 9), make([]float64, 30)
		j1, _ := objective(kl, phiY, phiX, SolveNu(kl, phiX), dY1, dX1)
		j2, _ := objective(dv, phiY, phiX, 0, dY2, dX2)
		if math.Abs(j1-j2) > 1e-12*(1+math.Abs(j2)) {
			t.Errorf("spread %g: J(kl, solved nu) = %.15g, J(kl-dv) = %.15g", spread, j1, j2)
		}
		for i := range dX1 {
			if math.Abs(dX1[i]-dX2[i]) > 1e-12 {
				t.Errorf("spread %g: dJ/dphiX[%d] = %g (kl) and %g (kl-dv)", spread, i, dX1[i], dX2[i])
			}
		}
	}
}

// TestProfiledObjectiveGradient: with nu solved, the discriminator climbs J(phi, nu*(phi)); by
// the envelope theorem its gradient is the partial one at nu*, checked here against finite
// differences of the profiled J (nu solved again at each point). The target weights are also
// checked to be a probability vector.
func TestProfiledObjectiveGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, d := range nuCases(t) {
		t.Run(d.String(), func(t *testing.T) {
			phiY, phiX := randomRows(rng, 6, 1), randomRows(rng, 8, 1)
			dY, dX := make([]float64, 6), make([]float64, 8)
			objective(d, phiY, phiX, SolveNu(d, phiX), dY, dX)
			var sum float64
			for j, w := range dX {
				if w < 0 {
					t.Errorf("target weight %d = %g < 0", j, w)
				}
				sum += w
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("target weights sum to %.12g, want 1", sum)
			}
			profiled := func() float64 {
				j, _ := objective(d, phiY, phiX, SolveNu(d, phiX), make([]float64, 6), make([]float64, 8))
				return -j
			}
			for j := range phiX {
				v := phiX[j]
				phiX[j] = v + fdStep
				up := profiled()
				phiX[j] = v - fdStep
				down := profiled()
				phiX[j] = v
				if num := (up - down) / (2 * fdStep); !fdClose(dX[j], num, 1) {
					t.Errorf("d(-J)/dphiX[%d] = %.10g, finite difference of the profiled J %.10g", j, dX[j], num)
				}
			}
		})
	}
}
