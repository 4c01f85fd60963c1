package dist

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat"
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
		// The product form: exp(-Σ|x_i|) has i.i.d. Laplace(0, 1)
		// coordinates in every d, and at beta = 2 the two forms agree.
		{"stretched-exp(beta=1,form=product)", 3,
			func(int) func(float64) float64 { return distuv.Laplace{Mu: 0, Scale: 1}.CDF },
			func(int) func(float64) float64 { return distuv.Laplace{Mu: 0, Scale: 1.1}.CDF }},
		{"stretched-exp(beta=2,form=product)", 2,
			normalCDF([]float64{0, 0}, []float64{math.Sqrt(0.5), math.Sqrt(0.5)}),
			normalCDF([]float64{0, 0}, []float64{0.75, 0.75})},
	})
}

// productCDF is the CDF of one coordinate of stretched-exp(form=product),
// density beta/(2Γ(1/beta)) exp(-|x|^beta):
// F(x) = 1/2 + sign(x) P(1/beta, |x|^beta)/2 with P the regularized lower
// incomplete gamma function. Where |x|^beta underflows (large beta) it uses
// P(a, y) = y^a/Γ(1+a) (1 + O(y)) with y^a = |x|.
func productCDF(beta float64) func(int) func(float64) float64 {
	a := 1 / beta
	cdf := func(x float64) float64 {
		t := math.Abs(x)
		p := t / math.Gamma(1+a)
		if y := math.Pow(t, beta); y > 1e-300 {
			p = mathext.GammaIncReg(a, y)
		}
		return 0.5 + math.Copysign(p, x)/2
	}
	return func(int) func(float64) float64 { return cdf }
}

func TestStretchedExpProductKS(t *testing.T) {
	// Every coordinate against the exact 1-d law. beta = 1000 is nearly
	// U(-1, 1); drawing |x_i| as Gamma(1/beta)^(1/beta) would put about half
	// of the points at exactly 0 there.
	runKS(t, []ksCase{
		{"stretched-exp(beta=0.4,form=product)", 3, productCDF(0.4), productCDF(0.42)},
		{"stretched-exp(beta=0.05,form=product)", 2, productCDF(0.05), productCDF(0.0525)},
		{"stretched-exp(beta=0.7,form=product)", 1, productCDF(0.7), productCDF(0.77)},
		{"stretched-exp(beta=5,form=product)", 2, productCDF(5), productCDF(2.5)},
		{"stretched-exp(beta=1000,form=product)", 2, productCDF(1000), productCDF(5)},
	})
	// The forms differ: a coordinate of the radial law is not the product
	// marginal, so these tests would notice form being ignored.
	const n = 20000
	x := column(sample(t, "stretched-exp(beta=0.4)", 2, n, 7), 2, 0)
	if D := ksStat(x, productCDF(0.4)(0)); D < ksCrit(n) {
		t.Errorf("radial coordinate accepted as the product marginal: D = %.4f < %.4f", D, ksCrit(n))
	}
}

// powBeta returns |x_j|^beta for every row of x, and the row sums of
// |x_i|^beta.
func powBeta(x []float64, d int, beta float64) (cols [][]float64, sum []float64) {
	n := len(x) / d
	cols = make([][]float64, d)
	for j := range cols {
		cols[j] = make([]float64, n)
	}
	sum = make([]float64, n)
	for i := range n {
		for j := range d {
			v := math.Pow(math.Abs(x[i*d+j]), beta)
			cols[j][i] = v
			sum[i] += v
		}
	}
	return cols, sum
}

func TestStretchedExpProductIndependent(t *testing.T) {
	// Independent coordinates: |x_1|^beta and |x_2|^beta (each Gamma(1/beta, 1),
	// all moments finite) have sample correlation about N(0, 1/n), so
	// |r| < 5/sqrt(n) = 0.025; the signs agree half the time; and
	// Σ|x_i|^beta ~ Gamma(d/beta, 1) as the sum of independent Gamma(1/beta, 1).
	// The radial law, whose coordinates share one radius, must fail the
	// correlation test, else it proves nothing.
	const n, beta = 40000, 0.4
	tol := 5 / math.Sqrt(n)
	for _, c := range []struct {
		form string
		d    int
	}{{"product", 2}, {"product", 3}, {"radial", 2}} {
		spec := fmt.Sprintf("stretched-exp(beta=%g,form=%s)", beta, c.form)
		t.Run(fmt.Sprintf("%s/d=%d", spec, c.d), func(t *testing.T) {
			x := sample(t, spec, c.d, n, 11)
			cols, sum := powBeta(x, c.d, beta)
			r := stat.Correlation(cols[0], cols[1], nil)
			t.Logf("corr(|x_1|^beta, |x_2|^beta) = %.4f (tolerance %.4f)", r, tol)
			if c.form == "radial" {
				if math.Abs(r) < tol {
					t.Errorf("radial coordinates look independent: r = %.4f", r)
				}
				return
			}
			for j := range c.d {
				for k := j + 1; k < c.d; k++ {
					if r := stat.Correlation(cols[j], cols[k], nil); math.Abs(r) > tol {
						t.Errorf("corr(|x_%d|^beta, |x_%d|^beta) = %.4f, want |r| < %.4f", j+1, k+1, r, tol)
					}
				}
			}
			same := 0
			for i := 0; i < len(x); i += c.d {
				if x[i]*x[i+1] > 0 {
					same++
				}
			}
			checkFrac(t, "x_1, x_2 same sign", same, n, 0.5)
			alpha := float64(c.d) / beta
			if D := ksStat(sum, distuv.Gamma{Alpha: alpha, Beta: 1}.CDF); D > ksCrit(n) {
				t.Errorf("Σ|x_i|^beta vs Gamma(%g, 1): D = %.4f > %.4f", alpha, D, ksCrit(n))
			}
		})
	}
}

func TestStretchedExpFormRoundTrip(t *testing.T) {
	// The spec String prints back names the form and parses to the same law,
	// draw for draw; the default stays radial, so an old link keeps its law.
	for _, c := range []struct{ spec, want string }{
		{"stretched-exp", "stretched-exp(beta=0.4,form=radial)"},
		{"stretched-exp(beta=0.4)", "stretched-exp(beta=0.4,form=radial)"},
		{"stretched-exp(form=product)", "stretched-exp(beta=0.4,form=product)"},
		{" Stretched-Exp ( FORM = Product , beta=1.5, scale=2 )", "stretched-exp(beta=1.5,form=product,scale=2)"},
	} {
		s, err := Parse(c.spec, 3)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.spec, err)
		}
		if got := s.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.spec, got, c.want)
		}
		a := sample(t, c.spec, 3, 50, 4)
		if b := sample(t, s.String(), 3, 50, 4); !bitsEqual(a, b) {
			t.Errorf("%q and its String %q draw differently", c.spec, s.String())
		}
	}
	radial := sample(t, "stretched-exp(beta=0.4,form=radial)", 3, 50, 4)
	if bitsEqual(radial, sample(t, "stretched-exp(beta=0.4,form=product)", 3, 50, 4)) {
		t.Error("form=product draws the radial law")
	}
	if !bitsEqual(radial, sample(t, "stretched-exp(beta=0.4)", 3, 50, 4)) {
		t.Error("form=radial is not the default")
	}
}

func TestStretchedExpSmallBetaFinite(t *testing.T) {
	for _, spec := range []string{"stretched-exp(beta=0.05)", "stretched-exp(beta=0.05,form=product)"} {
		x := sample(t, spec, 50, 2000, 9)
		for i, v := range x {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				t.Fatalf("%s: x[%d] = %v", spec, i, v)
			}
		}
	}
}
