package metric

import (
	"math"
	"testing"
)

func TestSubsampleReturnsInputWhenSmall(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6}
	for _, max := range []int{3, 4, 100} {
		got := Subsample(x, 2, max, nil)
		if len(got) != len(x) || &got[0] != &x[0] {
			t.Errorf("max=%d: want x itself, got a different slice %v", max, got)
		}
	}
	if got := Subsample(x, 2, 0, newRNG(1)); len(got) != 0 {
		t.Errorf("max=0: got %v, want empty", got)
	}
	mustPanic(t, "negative max", func() { Subsample(x, 2, -1, newRNG(1)) })
	mustPanic(t, "nil rng", func() { Subsample(x, 2, 2, nil) })
}

// Rows are encoded as (i, -i) so that the test can recover which rows were
// chosen, that they are whole, distinct and in order, and that each row is
// included with probability max/n: over many draws the inclusion counts must
// pass a chi-square test at a generous level.
func TestSubsampleDistinctOrderedUniform(t *testing.T) {
	const n, max, draws = 20, 7, 20000
	x := make([]float64, 2*n)
	for i := range n {
		x[2*i], x[2*i+1] = float64(i), -float64(i)
	}
	rng := newRNG(71)
	counts := make([]float64, n)
	for range draws {
		s := Subsample(x, 2, max, rng)
		if len(s) != 2*max {
			t.Fatalf("got %d values, want %d", len(s), 2*max)
		}
		prev := -1.0
		for r := range max {
			i := s[2*r]
			if s[2*r+1] != -i || i != math.Trunc(i) || i <= prev {
				t.Fatalf("row %d = (%v, %v) after row index %v: not a whole, new, ordered row", r, i, s[2*r+1], prev)
			}
			prev = i
			counts[int(i)]++
		}
	}
	// Inclusions are negatively correlated, so the plain chi-square statistic
	// is conservative; 20 rows, 19 degrees of freedom, 99.9% point ≈ 43.8.
	want := float64(draws) * max / n
	var chi2 float64
	for _, c := range counts {
		chi2 += (c - want) * (c - want) / want
	}
	if chi2 > 43.8 {
		t.Errorf("inclusion counts %v far from %v each (chi² = %v)", counts, want, chi2)
	}
	// The same seed picks the same rows.
	a, b := Subsample(x, 2, max, newRNG(5)), Subsample(x, 2, max, newRNG(5))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("not reproducible: %v vs %v", a, b)
		}
	}
}
