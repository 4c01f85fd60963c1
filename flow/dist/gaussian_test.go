package dist

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ksCase checks every coordinate of spec against an independent CDF, and
// that a slightly wrong CDF is rejected on the same draws (the test's power).
type ksCase struct {
	spec  string
	d     int
	cdf   func(j int) func(float64) float64
	wrong func(j int) func(float64) float64
}

func runKS(t *testing.T, cases []ksCase) {
	const n = 20000
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			x := sample(t, c.spec, c.d, n, 7)
			for j := range c.d {
				col := column(x, c.d, j)
				if D := ksStat(col, c.cdf(j)); D > ksCrit(n) {
					t.Errorf("coordinate %d: KS D = %.4f > %.4f", j, D, ksCrit(n))
				}
				if D := ksStat(col, c.wrong(j)); D < ksCrit(n) {
					t.Errorf("coordinate %d: wrong law accepted, KS D = %.4f < %.4f", j, D, ksCrit(n))
				}
			}
		})
	}
}

func normalCDF(mu, sd []float64) func(int) func(float64) float64 {
	return func(j int) func(float64) float64 { return distuv.Normal{Mu: mu[j], Sigma: sd[j]}.CDF }
}

func TestGaussianKS(t *testing.T) {
	runKS(t, []ksCase{
		{"gaussian", 3, normalCDF([]float64{0, 0, 0}, []float64{1, 1, 1}),
			normalCDF([]float64{0.1, 0.1, 0.1}, []float64{1, 1, 1})},
		{"gaussian(mean=10;-5,sd=1;3)", 2, normalCDF([]float64{10, -5}, []float64{1, 3}),
			normalCDF([]float64{10, -5}, []float64{1.1, 3.3})},
		// x -> loc + scale*x: N(1, 2²) becomes N(3 + 0.5, 1).
		{"gaussian(mean=1,sd=2,loc=3,scale=0.5)", 2, normalCDF([]float64{3.5, 3.5}, []float64{1, 1}),
			normalCDF([]float64{3, 3}, []float64{1, 1})},
		{"gaussian(mean=1;2;3,cov=4;1.2;0;1.2;1;-0.3;0;-0.3;2)", 3,
			normalCDF([]float64{1, 2, 3}, []float64{2, 1, math.Sqrt2}),
			normalCDF([]float64{1, 2, 3}, []float64{2.2, 1.1, 1.1 * math.Sqrt2})},
	})
}

func TestGaussianCovMoments(t *testing.T) {
	cases := []struct {
		spec string
		mean []float64
		cov  []float64
	}{
		{"gaussian(mean=1;2;3,cov=4;1.2;0;1.2;1;-0.3;0;-0.3;2)",
			[]float64{1, 2, 3}, []float64{4, 1.2, 0, 1.2, 1, -0.3, 0, -0.3, 2}},
		// cov scales by scale², mean moves to loc + scale*mean.
		{"gaussian(mean=1;-1,cov=1;0.9;0.9;1,loc=10;0,scale=3)",
			[]float64{13, -3}, []float64{9, 8.1, 8.1, 9}},
		{"gaussian(mean=0;0,sd=2;0.5)", []float64{0, 0}, []float64{4, 0, 0, 0.25}},
	}
	const n = 50000
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			d := len(c.mean)
			x := sample(t, c.spec, d, n, 11)
			got := mat.NewSymDense(d, nil)
			stat.CovarianceMatrix(got, mat.NewDense(n, d, x), nil)
			for i := range d {
				m := stat.Mean(column(x, d, i), nil)
				if se := math.Sqrt(c.cov[i*d+i] / n); math.Abs(m-c.mean[i]) > 5*se {
					t.Errorf("mean[%d] = %.4f, want %.4f ± %.4f", i, m, c.mean[i], 5*se)
				}
				for j := range d {
					// Var of the sample covariance of a Gaussian pair:
					// (σii σjj + σij²)/n.
					want := c.cov[i*d+j]
					se := math.Sqrt((c.cov[i*d+i]*c.cov[j*d+j] + want*want) / n)
					if g := got.At(i, j); math.Abs(g-want) > 5*se {
						t.Errorf("cov[%d][%d] = %.4f, want %.4f ± %.4f", i, j, g, want, 5*se)
					}
				}
			}
		})
	}
}
