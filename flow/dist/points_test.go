package dist

import (
	"math"
	"slices"
	"testing"
)

func TestNewPointsErrors(t *testing.T) {
	cases := []struct {
		x    []float64
		d    int
		want string
	}{
		{[]float64{1, 2}, 0, "dist: points: d = 0, want d >= 1"},
		{nil, 2, "dist: points: no points, want at least one row of 2 values"},
		{[]float64{1, 2, 3, 4, 5}, 2, "dist: points: row 3 has 1 values, want 2 (5 values in all is not a multiple of d = 2)"},
		{[]float64{1, 2, 3, math.NaN()}, 2, "dist: points: row 2: coordinate 2 is NaN, NaN/Inf not allowed"},
		{[]float64{1, 2, 3, 4, math.Inf(-1), 0}, 2, "dist: points: row 3: coordinate 1 is -Inf, NaN/Inf not allowed"},
	}
	for _, c := range cases {
		_, err := NewPoints(c.x, c.d)
		if err == nil || err.Error() != c.want {
			t.Errorf("NewPoints(%v, %d) error %v, want %q", c.x, c.d, err, c.want)
		}
	}
}

func TestPointsSample(t *testing.T) {
	x := []float64{1, 10, 2, 20, 3, 30}
	p, err := NewPoints(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	x[0] = 99 // NewPoints must have copied
	if p.Len() != 3 || p.Dim() != 2 {
		t.Fatalf("Len, Dim = %d, %d, want 3, 2", p.Len(), p.Dim())
	}
	exact := make([]float64, 6)
	p.Sample(exact, newRNG(1))
	if want := []float64{1, 10, 2, 20, 3, 30}; !slices.Equal(exact, want) {
		t.Errorf("exact-count Sample = %v, want the points in order %v", exact, want)
	}

	const n = 30000
	dst := make([]float64, 2*n)
	p.Sample(dst, newRNG(2))
	counts := make([]int, 3)
	for i := 0; i < len(dst); i += 2 {
		k := int(dst[i]) - 1
		if k < 0 || k > 2 || dst[i+1] != 10*dst[i] {
			t.Fatalf("row %v is not one of the points", dst[i:i+2])
		}
		counts[k]++
	}
	for _, c := range counts {
		checkFrac(t, "point share", c, n, 1.0/3)
	}
	checkUniformCounts(t, "points", counts)
}

func TestPointsParseRoundTrip(t *testing.T) {
	x := []float64{0.1, -1e-300, math.Pi, math.MaxFloat64, math.Copysign(0, -1), 7}
	p, err := NewPoints(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(p.String(), 3)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, 6)
	q.Sample(got, newRNG(1))
	if !bitsEqual(got, x) {
		t.Errorf("Parse(String()) points = %v, want %v", got, x)
	}
	if _, ok := q.(*Points); !ok {
		t.Errorf("Parse(points) returned %T, want *Points", q)
	}
}
