package dense

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Every gradient here is checked against central finite differences in float64.

const (
	fdEps = 1e-6
	fdTol = 1e-6 // |analytic - numeric| <= fdTol * max(1, |numeric|)
)

func near(a, b float64) bool { return math.Abs(a-b) <= fdTol*math.Max(1, math.Abs(b)) }

func randSlice(n int, rng *rand.Rand) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

func TestLossGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	rows, cols := 4, 5
	z := randSlice(rows*cols, rng)
	for i := range z {
		z[i] *= 4
	}
	x := make([]float64, len(z))
	for i := range x {
		x[i] = rng.Float64()
	}
	labels := []int32{0, 4, 2, 2}
	cases := []struct {
		name string
		f    func(grad []float64) float64
	}{
		{"BCEWithLogits", func(g []float64) float64 { return BCEWithLogits(z, x, rows, g) }},
		{"SoftmaxCE", func(g []float64) float64 { return SoftmaxCE(z, labels, cols, g) }},
	}
	for _, c := range cases {
		g := make([]float64, len(z))
		c.f(g)
		for i := range z {
			v := z[i]
			z[i] = v + fdEps
			up := c.f(nil)
			z[i] = v - fdEps
			down := c.f(nil)
			z[i] = v
			if num := (up - down) / (2 * fdEps); !near(g[i], num) {
				t.Fatalf("%s: d loss / d z_%d = %g, finite differences %g", c.name, i, g[i], num)
			}
		}
	}
}

// TestLossValues checks the losses against their textbook forms, and that extreme logits
// stay finite.
func TestLossValues(t *testing.T) {
	z := []float64{-3, 0.5, 2}
	x := []float64{0.2, 1, 0}
	var want float64
	for i := range z {
		p := 1 / (1 + math.Exp(-z[i]))
		want -= x[i]*math.Log(p) + (1-x[i])*math.Log(1-p)
	}
	if got := BCEWithLogits(z, x, 1, nil); math.Abs(got-want) > 1e-12 {
		t.Fatalf("BCE %v, want %v", got, want)
	}
	e := []float64{math.Exp(-3), math.Exp(0.5), math.Exp(2)}
	wantCE := -math.Log(e[1] / (e[0] + e[1] + e[2]))
	if got := SoftmaxCE(z, []int32{1}, 3, nil); math.Abs(got-wantCE) > 1e-12 {
		t.Fatalf("softmax CE %v, want %v", got, wantCE)
	}
	big := []float32{1e30, -1e30, 3e38}
	g := make([]float32, 3)
	for _, v := range []float64{BCEWithLogits(big, []float32{0, 1, 0.5}, 1, g), SoftmaxCE(big, []int32{1}, 3, g)} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("extreme logits give %v", v)
		}
	}
	for _, v := range g {
		if v != v || math.IsInf(float64(v), 0) {
			t.Fatalf("extreme logits give gradient %v", g)
		}
	}
}
