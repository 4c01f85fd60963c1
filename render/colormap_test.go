package render

import "testing"

func TestViridis(t *testing.T) {
	if r, g, b := Viridis(0); r != 0x44 || g != 0x01 || b != 0x54 {
		t.Fatalf("Viridis(0) = %d,%d,%d", r, g, b)
	}
	if r, g, b := Viridis(1); r != 0xfd || g != 0xe7 || b != 0x25 {
		t.Fatalf("Viridis(1) = %d,%d,%d", r, g, b)
	}
	if a, b := [3]uint8{}, [3]uint8{}; true {
		a[0], a[1], a[2] = Viridis(-3)
		b[0], b[1], b[2] = Viridis(0)
		if a != b {
			t.Fatal("t < 0 must clamp")
		}
	}
	prev := -1.0
	for i := 0; i <= 100; i++ {
		l := Luminance(Viridis(float64(i) / 100))
		if !(l > prev) {
			t.Fatalf("luminance not increasing at t=%g", float64(i)/100)
		}
		prev = l
	}
	prev = -1
	for i, c := range HeatLUT {
		l := Luminance(c[0], c[1], c[2])
		// 8-bit rounding may dip by a hair between neighbours, never more.
		if l < prev-1e-3 {
			t.Fatalf("heat LUT luminance decreases at %d", i)
		}
		if i >= 16 {
			c0 := HeatLUT[i-16]
			if l <= Luminance(c0[0], c0[1], c0[2]) {
				t.Fatalf("heat LUT luminance not increasing from %d to %d", i-16, i)
			}
		}
		prev = l
	}
	if Luminance(0, 0, 0) != 0 || Luminance(255, 255, 255) < 0.999 {
		t.Fatal("luminance endpoints")
	}
}

func TestPaletteDistinct(t *testing.T) {
	seen := map[[3]uint8]bool{}
	for k := 0; k < MaxRuns; k++ {
		if seen[RunColor(k)] {
			t.Fatal("palette colours must differ")
		}
		seen[RunColor(k)] = true
	}
}
