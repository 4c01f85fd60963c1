package render

import "testing"

func TestViridis(t *testing.T) {
	if r, g, b := viridis(0); r != 0x44 || g != 0x01 || b != 0x54 {
		t.Fatalf("viridis(0) = %d,%d,%d", r, g, b)
	}
	if r, g, b := viridis(1); r != 0xfd || g != 0xe7 || b != 0x25 {
		t.Fatalf("viridis(1) = %d,%d,%d", r, g, b)
	}
	if a, b := [3]uint8{}, [3]uint8{}; true {
		a[0], a[1], a[2] = viridis(-3)
		b[0], b[1], b[2] = viridis(0)
		if a != b {
			t.Fatal("t < 0 must clamp")
		}
	}
	prev := -1.0
	for i := 0; i <= 100; i++ {
		l := luminance(viridis(float64(i) / 100))
		if !(l > prev) {
			t.Fatalf("luminance not increasing at t=%g", float64(i)/100)
		}
		prev = l
	}
	prev = -1
	for i, c := range HeatLUT {
		l := luminance(c[0], c[1], c[2])
		// 8-bit rounding may dip by a hair between neighbours, never more.
		if l < prev-1e-3 {
			t.Fatalf("heat LUT luminance decreases at %d", i)
		}
		if i >= 16 {
			c0 := HeatLUT[i-16]
			if l <= luminance(c0[0], c0[1], c0[2]) {
				t.Fatalf("heat LUT luminance not increasing from %d to %d", i-16, i)
			}
		}
		prev = l
	}
	if luminance(0, 0, 0) != 0 || luminance(255, 255, 255) < 0.999 {
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
