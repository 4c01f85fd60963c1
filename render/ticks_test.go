package render

import (
	"math"
	"math/rand/v2"
	"testing"
)

func isNice(step float64) bool {
	e := math.Floor(math.Log10(step))
	m := step / math.Pow(10, e)
	for _, n := range []float64{1, 2, 5, 10} {
		if math.Abs(m-n) < 1e-9 {
			return true
		}
	}
	return false
}

func TestNiceTicks(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 5000; trial++ {
		c := rng.NormFloat64() * math.Pow(10, rng.Float64()*8-4)
		w := math.Pow(10, rng.Float64()*12-6)
		lo, hi := c-w*rng.Float64(), c+w*rng.Float64()+1e-300
		if hi-lo < 1e-9*math.Abs(c) {
			continue
		}
		maxTicks := 8 + rng.IntN(3)
		ticks, step := NiceTicks(nil, lo, hi, maxTicks)
		if len(ticks) < 3 || len(ticks) > 10 || len(ticks) > maxTicks {
			t.Fatalf("[%g,%g] max %d: %d ticks %v", lo, hi, maxTicks, len(ticks), ticks)
		}
		if !isNice(step) {
			t.Fatalf("step %g is not 1, 2 or 5 times a power of ten", step)
		}
		for i, v := range ticks {
			if v < lo-1e-9*step || v > hi+1e-9*step {
				t.Fatalf("tick %g outside [%g,%g]", v, lo, hi)
			}
			if q := v / step; math.Abs(q-math.Round(q)) > 1e-6 {
				t.Fatalf("tick %g not a multiple of %g", v, step)
			}
			if i > 0 && math.Abs(v-ticks[i-1]-step) > 1e-6*step {
				t.Fatalf("uneven ticks %v", ticks)
			}
		}
		// They cover the range: no gap of a whole step at either end.
		if ticks[0]-lo > step*(1+1e-9) || hi-ticks[len(ticks)-1] > step*(1+1e-9) {
			t.Fatalf("ticks %v do not cover [%g,%g]", ticks, lo, hi)
		}
	}
}

func TestFormatTick(t *testing.T) {
	cases := []struct {
		v, step float64
		want    string
	}{
		{0, 0.5, "0"}, {1.5, 0.5, "1.5"}, {-2, 1, "-2"}, {0.25, 0.05, "0.25"}, {100, 50, "100"},
		{2e6, 1e6, "2e6"}, {3e-5, 1e-5, "3e-5"}, {-1.5e7, 5e6, "-1.5e7"}, {1e-17, 0.2, "0"},
	}
	for _, c := range cases {
		if got := FormatTick(c.v, c.step); got != c.want {
			t.Errorf("FormatTick(%g, %g) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
	logCases := map[float64]string{0: "0", 1: "1", 10: "10", 100: "100", 1000: "1e3", 1e4: "1e4", -1e6: "-1e6", 2000: "2e3", 5: "5", -50: "-50"}
	for v, want := range logCases {
		if got := FormatLogTick(v); got != want {
			t.Errorf("FormatLogTick(%g) = %q, want %q", v, got, want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	// A wide symmetric range: 0, ±1, ±10, ±100, ±1000 (9 ticks), in order, with minor ticks.
	ticks, minor, dec, _ := LogTicks(nil, nil, Warp(-2000, true), Warp(2000, true), 10)
	want := []float64{-1000, -100, -10, -1, 0, 1, 10, 100, 1000}
	if !dec || len(ticks) != len(want) {
		t.Fatalf("got %v (decades %v), want %v", ticks, dec, want)
	}
	for i := range want {
		if ticks[i] != want[i] {
			t.Fatalf("got %v, want %v", ticks, want)
		}
	}
	if len(minor) == 0 {
		t.Fatal("expected minor ticks")
	}
	// Very wide: thinned to at most maxTicks, still decades and 0.
	ticks, _, dec, _ = LogTicks(nil, nil, Warp(-1e30, true), Warp(1e30, true), 8)
	if !dec || len(ticks) > 8 || len(ticks) < 3 {
		t.Fatalf("wide: %v", ticks)
	}
	for _, v := range ticks {
		if v != 0 {
			k := math.Log10(math.Abs(v))
			if math.Abs(k-math.Round(k)) > 1e-9 {
				t.Fatalf("wide: %g is not a decade", v)
			}
		}
	}
	// A narrow range: 1-2-5 multiples fill in.
	ticks, _, dec, _ = LogTicks(nil, nil, Warp(-2.5, true), Warp(4.5, true), 9)
	if want := []float64{-2, -1, 0, 1, 2}; !dec || len(ticks) != len(want) {
		t.Fatalf("narrow: %v, want %v", ticks, want)
	}
	// Every tick within range, increasing, at least 3, for random ranges.
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 2000; trial++ {
		a, b := rng.NormFloat64()*8, rng.NormFloat64()*8
		if math.Abs(a-b) < 1e-3 {
			continue
		}
		lo, hi := math.Min(a, b), math.Max(a, b)
		ticks, _, _, _ := LogTicks(nil, nil, lo, hi, 9)
		if len(ticks) < 2 || len(ticks) > 9 {
			t.Fatalf("[%g,%g]: %v", lo, hi, ticks)
		}
		for i, v := range ticks {
			w := Warp(v, true)
			if w < lo-1e-9 || w > hi+1e-9 || (i > 0 && v <= ticks[i-1]) {
				t.Fatalf("[%g,%g]: %v", lo, hi, ticks)
			}
		}
	}
}

func TestFormatSig(t *testing.T) {
	cases := map[float64]string{0.123456: "0.123", 12345.6: "12346", 1.5e-7: "1.5e-7", 42: "42", math.NaN(): "NaN", -0.5: "-0.5", 123456: "1.23e5"}
	for v, want := range cases {
		if got := FormatSig(v, 3); got != want {
			t.Errorf("FormatSig(%g) = %q, want %q", v, got, want)
		}
	}
	if got := FormatSig(2.5e8, 3); got != "2.5e8" {
		t.Errorf("FormatSig(2.5e8) = %q", got)
	}
}
