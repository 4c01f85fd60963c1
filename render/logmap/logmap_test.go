package logmap

import (
	"math"
	"testing"
)

func TestFwdInv(t *testing.T) {
	if Fwd(0) != 0 || Inv(0) != 0 {
		t.Fatal("0 must map to 0")
	}
	if !math.Signbit(Fwd(math.Copysign(0, -1))) || !math.Signbit(Inv(math.Copysign(0, -1))) {
		t.Fatal("-0 must map to -0")
	}
	if got := Fwd(math.E - 1); math.Abs(got-1) > 1e-15 {
		t.Fatalf("Fwd(e-1) = %g, want 1", got)
	}
	if !math.IsInf(Fwd(math.Inf(-1)), -1) || !math.IsInf(Inv(math.Inf(1)), 1) || !math.IsNaN(Fwd(math.NaN())) {
		t.Fatal("infinities and NaN")
	}
	prev := math.Inf(-1)
	for _, v := range []float64{-1e300, -1e6, -3, -1, -1e-9, 0, 1e-300, 1e-9, 0.5, 1, 3, 1e6, 1e300} {
		u := Fwd(v)
		if u != -Fwd(-v) {
			t.Fatalf("Fwd not odd at %g", v)
		}
		// The form the engine used before this package: the same to the bit.
		if c := math.Copysign(math.Log1p(math.Abs(v)), v); u != c {
			t.Fatalf("Fwd(%g) = %v, want %v", v, u, c)
		}
		if c := math.Copysign(math.Expm1(math.Abs(u)), u); Inv(u) != c {
			t.Fatalf("Inv(%g) = %v, want %v", u, Inv(u), c)
		}
		if !(u > prev) {
			t.Fatalf("Fwd not increasing at %g", v)
		}
		prev = u
		if back := Inv(u); math.Abs(back-v) > 1e-9*math.Max(1, math.Abs(v)) {
			t.Fatalf("Inv(Fwd(%g)) = %g", v, back)
		}
		if h := 1e-6 * math.Max(1, math.Abs(v)); math.Abs(v) < 1e6 {
			d := (Fwd(v+h) - Fwd(v-h)) / (2 * h)
			if s := Slope(v); math.Abs(d-s) > 1e-6*s {
				t.Fatalf("Slope(%g) = %g, numerical %g", v, s, d)
			}
		}
	}
}
