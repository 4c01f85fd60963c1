package metric

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestEnergyDistanceHandComputed(t *testing.T) {
	tests := []struct {
		name string
		p, q []float64
		d    int
		want float64
	}{
		// 2·(3+2)/2 - (0+1+1+0)/4 - 0.
		{"1D", []float64{0, 1}, []float64{3}, 1, 4.5},
		// 2·5 for a single 3-4-5 pair.
		{"2D single", []float64{0, 0}, []float64{3, 4}, 2, 10},
		// Cross 5,5,0,0 → 2·10/4; P within 0,5,5,0 → 10/4; Q within 0 → 2.5.
		{"2D half shared", []float64{0, 0, 3, 4}, []float64{3, 4, 3, 4}, 2, 2.5},
		{"coincident", []float64{1, 1, 1, 1}, []float64{1, 1}, 2, 0},
		{"same multiset", []float64{1, 2, 3}, []float64{3, 1, 2}, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := EnergyDistance(tc.p, tc.q, tc.d); !near(got, tc.want, 1e-12) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if got := EnergyDistance(nil, []float64{1}, 1); !math.IsNaN(got) {
		t.Errorf("empty p: got %v, want NaN", got)
	}
}

// cdfEnergy1D is a second implementation: in one dimension the V-statistic
// equals 2 ∫ (F_n - G_m)² dt, which is integrated exactly between the sorted
// pooled values where both empirical CDFs are constant.
func cdfEnergy1D(x, y []float64) float64 {
	xs, ys := slices.Clone(x), slices.Clone(y)
	slices.Sort(xs)
	slices.Sort(ys)
	z := slices.Concat(xs, ys)
	slices.Sort(z)
	var s float64
	i, j := 0, 0
	for k := 0; k+1 < len(z); k++ {
		for i < len(xs) && xs[i] <= z[k] {
			i++
		}
		for j < len(ys) && ys[j] <= z[k] {
			j++
		}
		diff := float64(i)/float64(len(xs)) - float64(j)/float64(len(ys))
		s += diff * diff * (z[k+1] - z[k])
	}
	return 2 * s
}

func TestEnergyDistanceMatchesCDFIntegral1D(t *testing.T) {
	rng := newRNG(3)
	tests := []struct {
		name string
		n, m int
		draw func() float64
	}{
		{"gaussians", 200, 150, rng.NormFloat64},
		{"ties", 90, 40, func() float64 { return float64(rng.IntN(5)) }},
		{"heavy tails", 120, 120, func() float64 { return rng.NormFloat64() / rng.NormFloat64() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := make([]float64, tc.n)
			q := make([]float64, tc.m)
			for i := range p {
				p[i] = tc.draw()
			}
			for i := range q {
				q[i] = 0.5 + tc.draw()
			}
			got, want := EnergyDistance(p, q, 1), cdfEnergy1D(p, q)
			if !near(got, want, 1e-9*math.Max(1, want)) {
				t.Errorf("got %v, CDF integral %v", got, want)
			}
		})
	}
}

// N(0,1) against N(mu,1) in 1D: X-Y ~ N(-mu, 2) gives
// E|X-Y| = sqrt2·sqrt(2/π)·exp(-mu²/4) + mu(1 - 2Φ(-mu/sqrt2)) and
// E|X-X'| = E|Y-Y'| = 2/sqrtπ. The V-statistic adds the bias
// (1/n + 1/m)·2/sqrtπ from its zero diagonal terms; the mean of independent
// replicates must match within four standard errors.
func TestEnergyDistanceGaussianClosedForm(t *testing.T) {
	const n, m, reps = 400, 300, 32
	closed := func(mu float64) float64 {
		exy := math.Sqrt2*math.Sqrt(2/math.Pi)*math.Exp(-mu*mu/4) +
			mu*(1-2*distuv.UnitNormal.CDF(-mu/math.Sqrt2))
		return 2*exy - 2*(2/math.Sqrt(math.Pi))
	}
	bias := (1.0/n + 1.0/m) * 2 / math.Sqrt(math.Pi)
	rng := newRNG(11)
	for _, mu := range []float64{0, 0.5, 1, 2} {
		vals := make([]float64, reps)
		for r := range vals {
			vals[r] = EnergyDistance(gaussian(rng, n, []float64{0}, 1), gaussian(rng, m, []float64{mu}, 1), 1)
		}
		mean, se := meanSE(vals)
		want := closed(mu) + bias
		if !near(mean, want, 4*se) {
			t.Errorf("mu=%v: mean %v ± %v, closed form %v", mu, mean, se, want)
		}
		// The check has power: mu off by 50% is rejected.
		if mu > 0 && near(mean, closed(1.5*mu)+bias, 4*se) {
			t.Errorf("mu=%v: cannot tell from mu=%v (se %v)", mu, 1.5*mu, se)
		}
	}
}

func TestEnergyDistanceSameVersusShifted2D(t *testing.T) {
	const n = 1500
	rng := newRNG(5)
	p := gaussian(rng, n, []float64{0, 0}, 1)
	same := EnergyDistance(p, gaussian(rng, n, []float64{0, 0}, 1), 2)
	shifted := EnergyDistance(p, gaussian(rng, n, []float64{1, 0}, 1), 2)
	// V bias is (2/n)·E|X-X'| = (2/n)·sqrtπ ≈ 0.0024 for 2D unit Gaussians.
	if same > 0.01 {
		t.Errorf("same law: %v, want ~0", same)
	}
	if shifted < 0.2 || shifted < 20*same {
		t.Errorf("shifted law: %v, want clearly above same-law %v", shifted, same)
	}
}

func TestEnergyToMatchesEnergyDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	q := make([]float64, 3*57)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	ref := NewEnergyTo(q, 3)
	for _, n := range []int{1, 5, 40} {
		p := make([]float64, 3*n)
		for i := range p {
			p[i] = rng.NormFloat64() + 0.5
		}
		got, want := ref.Distance(p), EnergyDistance(p, q, 3)
		if math.Abs(got-want) > 1e-12*math.Max(1, want) {
			t.Errorf("n=%d: EnergyTo %.15g, EnergyDistance %.15g", n, got, want)
		}
	}
}
