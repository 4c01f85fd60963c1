package dist

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestStretchedExpRadius(t *testing.T) {
	// |x|^beta ~ Gamma(d/beta, 1), and the direction is uniform: the first
	// coordinate of the unit vector u has (u+1)/2 ~ Beta((d-1)/2, (d-1)/2).
	const n = 20000
	for _, beta := range []float64{0.4, 1, 2} {
		for _, d := range []int{1, 2, 5} {
			spec := fmt.Sprintf("stretched-exp(beta=%g)", beta)
			t.Run(fmt.Sprintf("%s/d=%d", spec, d), func(t *testing.T) {
				x := sample(t, spec, d, n, 5)
				s := make([]float64, n)
				u := make([]float64, n)
				pos := 0
				for i := range n {
					row := x[i*d : (i+1)*d]
					r := floats.Norm(row, 2)
					s[i] = math.Pow(r, beta)
					u[i] = (row[0]/r + 1) / 2
					if row[0] > 0 {
						pos++
					}
				}
				alpha := float64(d) / beta
				if D := ksStat(s, distuv.Gamma{Alpha: alpha, Beta: 1}.CDF); D > ksCrit(n) {
					t.Errorf("|x|^beta vs Gamma(%g,1): D = %.4f > %.4f", alpha, D, ksCrit(n))
				}
				if D := ksStat(s, distuv.Gamma{Alpha: alpha * 1.05, Beta: 1}.CDF); D < ksCrit(n) {
					t.Errorf("wrong Gamma shape accepted: D = %.4f", D)
				}
				if d == 1 {
					checkFrac(t, "positive", pos, n, 0.5)
					return
				}
				h := float64(d-1) / 2
				if D := ksStat(u, distuv.Beta{Alpha: h, Beta: h}.CDF); D > ksCrit(n) {
					t.Errorf("direction: D = %.4f > %.4f", D, ksCrit(n))
				}
			})
		}
	}
}

func TestStretchedExpKnownCases(t *testing.T) {
	// Facts independent of the polar construction: exp(-|x|²) is
	// N(0, 1/2) per coordinate, and in d = 1 exp(-|x|) is Laplace(0, 1).
	runKS(t, []ksCase{
		{"stretched-exp(beta=2)", 3,
			normalCDF([]float64{0, 0, 0}, []float64{math.Sqrt(0.5), math.Sqrt(0.5), math.Sqrt(0.5)}),
			normalCDF([]float64{0, 0, 0}, []float64{0.75, 0.75, 0.75})},
		{"stretched-exp(beta=1)", 1,
			func(int) func(float64) float64 { return distuv.Laplace{Mu: 0, Scale: 1}.CDF },
			func(int) func(float64) float64 { return distuv.Laplace{Mu: 0, Scale: 1.1}.CDF }},
	})
}

func TestStretchedExpSmallBetaFinite(t *testing.T) {
	x := sample(t, "stretched-exp(beta=0.05)", 50, 2000, 9)
	for i, v := range x {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			t.Fatalf("x[%d] = %v", i, v)
		}
	}
}
