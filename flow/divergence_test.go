package flow

import (
	"math"
	"testing"
)

// generator returns f and the lower end of its domain, to check each conjugate against a
// numerical sup_x { x y - f(x) } that does not use the closed form.
func generator(d *Divergence) (f func(x float64) float64, lo float64) {
	a := d.Alpha
	switch d.Name {
	case "kl":
		return func(x float64) float64 { return x * math.Log(x) }, 0
	case "alpha":
		return func(x float64) float64 { return (math.Pow(x, a) - 1) / (a * (a - 1)) }, 0
	case "reverse-kl":
		return func(x float64) float64 { return -math.Log(x) }, 0
	case "js":
		return func(x float64) float64 { return x*math.Log(x) - (x+1)*math.Log((x+1)/2) }, 0
	case "chi2":
		return func(x float64) float64 { return (x - 1) * (x - 1) }, 0
	case "hellinger":
		return func(x float64) float64 { return (math.Sqrt(x) - 1) * (math.Sqrt(x) - 1) }, 0
	}
	return nil, 0
}

// numericConj maximizes x y - f(x) by golden-section search: on log x for x > 0 (the maximizer
// may lie anywhere from 1e-15 to 1e8), on x itself for f on the whole line.
func numericConj(f func(float64) float64, lo, y float64) float64 {
	g := func(t float64) float64 {
		x := t
		if lo == 0 {
			x = math.Exp(t)
		}
		return x*y - f(x)
	}
	a, b := -35.0, 20.0
	if lo != 0 {
		a, b = -1e3, 1e3
	}
	r := (math.Sqrt(5) - 1) / 2
	for range 300 {
		c, d := b-r*(b-a), a+r*(b-a)
		if g(c) > g(d) {
			b = d
		} else {
			a = c
		}
	}
	best := g((a + b) / 2)
	if lo == 0 {
		best = math.Max(best, -f(0)) // the sup may sit at x = 0
	}
	return best
}

var conjCases = []struct {
	name  string
	alpha float64
	ys    []float64
}{
	{"kl", 0, []float64{-3, 0, 1.5, 4}},
	{"alpha", 2, []float64{-1, 0.5, 3}},
	{"alpha", 10, []float64{-1, 0.5, 3}},
	{"alpha", 1.5, []float64{0.2, 2}},
	{"alpha", 0.5, []float64{-5, -1, -0.2}},
	{"alpha", 0.2, []float64{-3, -0.5}},
	{"reverse-kl", 0, []float64{-3, -0.5}},
	{"js", 0, []float64{-2, 0, 0.5}},
	{"chi2", 0, []float64{-3, -1.5, 0.5, 3}},
	{"hellinger", 0, []float64{-2, 0, 0.6}},
}

func TestConjugateIsLegendreTransform(t *testing.T) {
	for _, c := range conjCases {
		d, err := ParseDivergence(c.name, c.alpha)
		if err != nil {
			t.Fatal(err)
		}
		f, lo := generator(d)
		for _, y := range c.ys {
			got, _ := d.Conj(y)
			want := numericConj(f, lo, y)
			if math.Abs(got-want) > 1e-7*math.Max(1, math.Abs(want)) {
				t.Errorf("%v: f*(%g) = %.12g, sup_x {xy - f(x)} = %.12g", d, y, got, want)
			}
		}
	}
}

func TestConjugateSlope(t *testing.T) {
	for _, c := range conjCases {
		d, _ := ParseDivergence(c.name, c.alpha)
		// Interior points, the points around the start of the linear continuation, and beyond.
		ys := append([]float64{d.y0 - 1e-3*math.Max(1, math.Abs(d.y0)), d.y0 + 1e-3*math.Max(1, math.Abs(d.y0)), d.y0 + 10}, c.ys...)
		for _, y := range ys {
			_, slope := d.Conj(y)
			h := fdStep * math.Max(1, math.Abs(y))
			up, _ := d.Conj(y + h)
			down, _ := d.Conj(y - h)
			if num := (up - down) / (2 * h); math.Abs(slope-num) > 1e-5*math.Max(1, math.Abs(slope)) {
				t.Errorf("%v: f*'(%g) = %.10g, finite difference %.10g", d, y, slope, num)
			}
		}
	}
}

func TestConjugateFiniteEverywhere(t *testing.T) {
	ys := []float64{-math.MaxFloat64, -1e300, -3.4e38, -1e6, -1, -1e-300, 0, 1e-300, 0.693, 0.6931471805599453, 1, 1e6, 3.4e38, 1e300, math.MaxFloat64}
	for _, c := range conjCases {
		d, _ := ParseDivergence(c.name, c.alpha)
		for _, y := range ys {
			if v, s := d.Conj(y); !isFinite(v) || !isFinite(s) {
				t.Errorf("%v: f*(%g) = %g, f*' = %g", d, y, v, s)
			}
		}
	}
}

func TestDivergenceRefusesBadAlpha(t *testing.T) {
	for _, a := range []float64{1, 0, -2, math.NaN(), math.Inf(1), 1e9} {
		if _, err := ParseDivergence("alpha", a); err == nil {
			t.Errorf("alpha = %v accepted", a)
		}
	}
	if _, err := ParseDivergence("tv", 0); err == nil {
		t.Error("unknown f accepted")
	}
}
