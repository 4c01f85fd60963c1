package pmath

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// On js/wasm math computes these functions in the pure-Go code pmath copies, so the two must
// agree to the bit there; elsewhere math may use assembly and the two agree within a few ulps.
// Both checks fail on a wrong copy: a changed constant or operation moves many results by far
// more than an ulp.
func TestAgainstMath(t *testing.T) {
	exact := runtime.GOARCH == "wasm"
	rng := rand.New(rand.NewPCG(1, 2))
	fns := []struct {
		name    string
		p, m    func(float64) float64
		lo, hi  float64
		special []float64
	}{
		{"Exp", Exp, math.Exp, -750, 720, []float64{0, math.Copysign(0, -1), 1e-300, -1e-9, 709.7, 709.78, -745.1, math.Inf(1), math.Inf(-1), math.NaN()}},
		{"Log", Log, math.Log, 0, 1e6, []float64{0, 1, -1, 1e-310, math.MaxFloat64, math.Inf(1), math.NaN()}},
		{"Tanh", Tanh, math.Tanh, -50, 50, []float64{0, math.Copysign(0, -1), 0.625, -0.625, 44.1, -44.1, math.Inf(1), math.NaN()}},
		{"Pow(x, 1.37)", func(x float64) float64 { return Pow(x, 1.37) }, func(x float64) float64 { return math.Pow(x, 1.37) }, 0, 100, []float64{0, 1, -1, math.Inf(1)}},
		{"Pow(0.999, x)", func(y float64) float64 { return Pow(0.999, y) }, func(y float64) float64 { return math.Pow(0.999, y) }, -5000, 5000, []float64{0, 1, 0.5, -0.5, 1e300, math.Inf(-1), math.NaN()}},
	}
	for _, f := range fns {
		xs := append([]float64(nil), f.special...)
		for range 100000 {
			xs = append(xs, f.lo+(f.hi-f.lo)*rng.Float64())
		}
		for _, x := range xs {
			got, want := f.p(x), f.m(x)
			if math.IsNaN(want) {
				if !math.IsNaN(got) {
					t.Fatalf("%s(%v) = %v, want NaN", f.name, x, got)
				}
				continue
			}
			if !exact && math.IsInf(want, 1) && got > 1e307 {
				continue // amd64's assembly Exp overflows from about 709.1, below e**709.78
			}
			if !exact && f.name == "Log" && x > 0 && x < 0x1p-1022 {
				continue // amd64's assembly Log is wrong for subnormal x (log(1e-310) = -709.1)
			}
			if exact && math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%s(%v) = %v, want math's %v to the bit", f.name, x, got, want)
			}
			if d := math.Abs(got - want); !(got == want || d <= 4*ulp(want)) {
				t.Fatalf("%s(%v) = %v, want math's %v within 4 ulp", f.name, x, got, want)
			}
		}
	}
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}
