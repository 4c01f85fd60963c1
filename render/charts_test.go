package render

import (
	"math"
	"testing"
)

func TestChooseScale(t *testing.T) {
	s := ChooseScale([]float64{1, 2, 3, math.NaN()}, []float64{2.5})
	if s.Sym || s.Lo > 1 || s.Hi < 3 {
		t.Fatalf("linear data: %+v", s)
	}
	ke := make([]float64, 100)
	for i := range ke {
		ke[i] = math.Pow(10, -float64(i)/12) // 1 down to 1e-8
	}
	s = ChooseScale(ke)
	if !s.Sym {
		t.Fatalf("data spanning 8 decades should be symlog: %+v", s)
	}
	for _, v := range []float64{-5, -1e-3, 0, 1e-6, 1, 1e4} {
		if back := s.inv(s.Fwd(v)); math.Abs(back-v) > 1e-9*math.Max(1, math.Abs(v)) {
			t.Fatalf("inv(Fwd(%g)) = %g", v, back)
		}
	}
	if s.Fwd(0) != 0 || s.Fwd(2) <= s.Fwd(1) || s.Fwd(-1) != -s.Fwd(1) {
		t.Fatal("symlog must be odd and increasing")
	}
	ticks, dec, _ := s.Ticks(nil, 6)
	if !dec || len(ticks) < 2 || len(ticks) > 6 {
		t.Fatalf("symlog ticks %v", ticks)
	}
	for _, v := range ticks {
		if u := s.Fwd(v); u < s.Lo || u > s.Hi {
			t.Fatalf("tick %g outside", v)
		}
	}
	// Constant and empty series still give a usable range.
	for _, c := range [][]float64{{5, 5, 5}, {0}, nil} {
		s := ChooseScale(c)
		if !(s.Hi > s.Lo) {
			t.Fatalf("%v: %+v", c, s)
		}
	}
}

func TestEnvelope(t *testing.T) {
	n := 10000
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
		ys[i] = math.Sin(float64(i) / 50)
	}
	ys[5000] = 9 // a spike must survive
	id := func(v float64) float64 { return v }
	px := func(v float64) float64 { return v / float64(n) * 100 } // 100 pixel columns
	pts := Envelope(nil, xs, ys, px, id)
	if len(pts)/2 > 4*101 {
		t.Fatalf("%d points for 100 columns", len(pts)/2)
	}
	found := false
	for i := 1; i < len(pts); i += 2 {
		if pts[i] == 9 {
			found = true
		}
	}
	if !found {
		t.Fatal("spike lost")
	}
	// x stays in order.
	for i := 2; i < len(pts); i += 2 {
		if pts[i] < pts[i-2] {
			t.Fatal("x out of order")
		}
	}
	// NaN breaks the line.
	ys[100] = math.NaN()
	pts = Envelope(pts[:0], xs[:200], ys[:200], px, id)
	nans := 0
	for _, v := range pts {
		if math.IsNaN(float64(v)) {
			nans++
		}
	}
	if nans != 2 {
		t.Fatalf("want one NaN break, got %d NaN values", nans)
	}
}
