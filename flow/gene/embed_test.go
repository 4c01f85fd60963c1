package gene

import (
	"math"
	"math/rand/v2"
	"testing"

	"lipflow/flow/metric"
)

// Isometric keeps every pairwise distance, in at most n-1 dimensions.
func TestIsometric(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct{ n, p int }{{5, 200}, {12, 7}, {30, 1000}} {
		x := randMatrix(rng, c.n, c.p)
		y, d := Isometric(x, c.p)
		if d > c.n-1 {
			t.Errorf("%+v: %d dimensions, want at most %d", c, d, c.n-1)
		}
		for a := range c.n {
			for b := range c.n {
				want := sqDist(x[a*c.p:(a+1)*c.p], x[b*c.p:(b+1)*c.p])
				got := sqDist(y[a*d:(a+1)*d], y[b*d:(b+1)*d])
				if math.Abs(got-want) > 1e-9*(1+want) {
					t.Fatalf("%+v: |x%d-x%d|^2 = %v, embedded %v", c, a, b, want, got)
				}
			}
		}
	}
}

// Distance gives the figures metric computes on the raw points: the whole samples' MMD^2 and
// Sinkhorn cost, and per class the debiased divergence with geomloss's defaults, whose diameter
// estimate on the raw points is the probe-space box that Distance passes.
func TestDistanceMatchesRawMetric(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	p := 40
	a, b := randMatrix(rng, 7, p), randMatrix(rng, 9, p)
	la, lb := []int32{0, 1, 0, 1, 1, 0, 0}, []int32{1, 1, 0, 0, 0, 1, 0, 1, 1}
	for i := range b {
		b[i] += 0.5
	}
	f, err := Distance(a, la, b, lb, 2, p, 3)
	if err != nil {
		t.Fatal(err)
	}
	mmd := metric.MMD2(a, b, p, 3)
	sk := metric.Sinkhorn(a, b, p, SinkhornEps, SinkhornIter)
	if math.Abs(f.MMD-mmd) > 1e-9 || math.Abs(f.Sinkhorn-sk) > 1e-6*sk {
		t.Errorf("embedded %+v, raw MMD %v Sinkhorn %v", f, mmd, sk)
	}
	if len(f.SinkhornDiv) != 2 {
		t.Fatalf("SinkhornDiv %v, want one value per class", f.SinkhornDiv)
	}
	for c := range 2 {
		want := metric.SinkhornDivergence(classRows(a, la, p, c), classRows(b, lb, p, c), p, 0.05, metric.DivergenceOptions{})
		if math.Abs(f.SinkhornDiv[c]-want) > 1e-6*want {
			t.Errorf("class %d: embedded %v, raw geomloss defaults %v", c, f.SinkhornDiv[c], want)
		}
	}
	if _, err := Distance(a, la, b, make([]int32, 9), 2, p, 3); err == nil {
		t.Error("a class missing from b was measured")
	}
}

// Points too far out to square are refused with an error, not turned into NaN.
func TestDistanceRefusesOverflow(t *testing.T) {
	a := []float64{0, 0, 1, 1, 1e200, 0}
	b := []float64{0, 1, 1, 0}
	if _, err := Distance(a, []int32{0, 0, 0}, b, []int32{0, 0}, 1, 2, 1); err == nil {
		t.Error("a point at 1e200 was measured")
	}
}
