package dist

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestScoreFiniteDifferences checks every closed-form score against central differences of an
// independent log density (gonum's where it has one), at points near and far from the mode.
func TestScoreFiniteDifferences(t *testing.T) {
	normal2 := func(mean []float64, cov []float64) func([]float64) float64 {
		n, ok := distmv.NewNormal(mean, mat.NewSymDense(2, cov), nil)
		if !ok {
			t.Fatal("cov not positive definite")
		}
		return n.LogProb
	}
	stretched := func(beta float64) func([]float64) float64 {
		return func(x []float64) float64 {
			var s float64
			for _, v := range x {
				s += v * v
			}
			return -math.Pow(math.Sqrt(s), beta)
		}
	}
	cases := []struct {
		spec  string
		logq  func([]float64) float64
		point [][]float64
	}{
		{"gaussian(mean=1;-2,sd=0.5;3)", normal2([]float64{1, -2}, []float64{0.25, 0, 0, 9}), [][]float64{{0, 0}, {4, -7}}},
		{"gaussian(mean=1;2,cov=2;0.6;0.6;1)", normal2([]float64{1, 2}, []float64{2, 0.6, 0.6, 1}), [][]float64{{0, 0}, {-3, 5}}},
		{"gaussian(sd=2,loc=1;1,scale=3)", normal2([]float64{1, 1}, []float64{36, 0, 0, 36}), [][]float64{{2, -4}}},
		{"four-gaussians", func(x []float64) float64 {
			var terms []float64
			for _, c := range [][]float64{{0, 0}, {0, 4}, {4, 0}, {4, 4}} {
				terms = append(terms, normal2(c, []float64{0.25, 0, 0, 0.25})(x))
			}
			mx := math.Max(math.Max(terms[0], terms[1]), math.Max(terms[2], terms[3]))
			var s float64
			for _, v := range terms {
				s += math.Exp(v - mx)
			}
			return mx + math.Log(s)
		}, [][]float64{{1, 1}, {2, 2.1}, {3.7, 0.2}}},
		{"student-t(nu=0.5)", func(x []float64) float64 {
			t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 0.5}
			return t.LogProb(x[0]) + t.LogProb(x[1])
		}, [][]float64{{0.3, -2}, {40, 1e3}}},
		{"student-t(nu=3,scale=2,loc=1;0)", func(x []float64) float64 {
			t := distuv.StudentsT{Mu: 0, Sigma: 2, Nu: 3}
			return t.LogProb(x[0]-1) + t.LogProb(x[1])
		}, [][]float64{{0.3, -2}, {9, 4}}},
		{"stretched-exp(beta=0.4)", stretched(0.4), [][]float64{{0.3, -2}, {50, 20}}},
		{"stretched-exp(beta=2.5)", stretched(2.5), [][]float64{{0.3, -0.2}, {3, 2}}},
		{"stretched-exp(beta=0.7,form=product)", func(x []float64) float64 {
			return -math.Pow(math.Abs(x[0]), 0.7) - math.Pow(math.Abs(x[1]), 0.7)
		}, [][]float64{{0.3, -2}, {-5, 8}}},
	}
	for _, c := range cases {
		law, err := Parse(c.spec, 2)
		if err != nil {
			t.Fatal(err)
		}
		sc, ok := AsScorer(law)
		if !ok {
			t.Fatalf("%s: no score", c.spec)
		}
		for _, x := range c.point {
			got := make([]float64, 2)
			sc.Score(x, got)
			for k := range 2 {
				h := 1e-5 * math.Max(1, math.Abs(x[k]))
				xp, xm := append([]float64(nil), x...), append([]float64(nil), x...)
				xp[k] += h
				xm[k] -= h
				want := (c.logq(xp) - c.logq(xm)) / (2 * h)
				if math.Abs(got[k]-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Errorf("%s at %v: score[%d] = %.10g, finite differences %.10g", c.spec, x, k, got[k], want)
				}
			}
		}
	}
}

// The laws known only by their samples have no score.
func TestNoScore(t *testing.T) {
	for _, spec := range []string{"moons", "swiss-roll", "points(x=1;2)"} {
		law, err := Parse(spec, 2)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := AsScorer(law); ok {
			t.Errorf("%s has a score", spec)
		}
	}
}
