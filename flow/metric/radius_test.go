package metric

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestRadiusQuantilesExact(t *testing.T) {
	// Radii 5, 2, 1, 0; sorted 0, 1, 2, 5. Level q picks the ceil(q·4)-th.
	x := []float64{3, 4, 0, -2, 1, 0, 0, 0}
	tests := []struct {
		q, want float64
	}{
		{0, 0}, {0.25, 0}, {0.26, 1}, {0.5, 1}, {0.51, 2}, {0.75, 2}, {0.76, 5}, {1, 5},
	}
	for _, tc := range tests {
		got := RadiusQuantiles(x, 2, tc.q)
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("q=%v: got %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := RadiusQuantiles(x, 2, 1, 0, 0.5); got[0] != 5 || got[1] != 0 || got[2] != 1 {
		t.Errorf("levels out of order: got %v, want [5 0 1]", got)
	}
	if got := RadiusQuantiles(x, 2); len(got) != 0 {
		t.Errorf("no levels: got %v, want empty", got)
	}
	if got := RadiusQuantiles(nil, 3, 0.5); !math.IsNaN(got[0]) {
		t.Errorf("no rows: got %v, want NaN", got)
	}
	mustPanic(t, "level > 1", func() { RadiusQuantiles(x, 2, 1.5) })
	mustPanic(t, "NaN level", func() { RadiusQuantiles(x, 2, math.NaN()) })
}

// Large seeded Gaussian samples against the closed-form radius laws: in 2D
// the radius is Rayleigh, r_q = sqrt(-2 ln(1-q)); in 1D it is half-normal,
// r_q = Φ^{-1}((1+q)/2). The tolerance is five standard errors of a sample
// quantile, sqrt(q(1-q)/n)/f(r_q).
func TestRadiusQuantilesClosedForm(t *testing.T) {
	const n = 200000
	rayleighQ := func(q float64) float64 { return math.Sqrt(-2 * math.Log(1-q)) }
	rayleighPDF := func(r float64) float64 { return r * math.Exp(-r*r/2) }
	halfQ := func(q float64) float64 { return distuv.UnitNormal.Quantile((1 + q) / 2) }
	halfPDF := func(r float64) float64 { return 2 * distuv.UnitNormal.Prob(r) }
	tests := []struct {
		name     string
		d        int
		quantile func(float64) float64
		pdf      func(float64) float64
	}{
		{"2D Rayleigh", 2, rayleighQ, rayleighPDF},
		{"1D half-normal", 1, halfQ, halfPDF},
	}
	qs := []float64{0.5, 0.9, 0.99}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := gaussian(newRNG(7), n, make([]float64, tc.d), 1)
			got := RadiusQuantiles(x, tc.d, qs...)
			for i, q := range qs {
				want := tc.quantile(q)
				se := math.Sqrt(q*(1-q)/n) / tc.pdf(want)
				if !near(got[i], want, 5*se) {
					t.Errorf("q=%v: got %v, want %v ± %v", q, got[i], want, 5*se)
				}
			}
		})
	}
	// The 2D median is the value quoted in the brief.
	if want := math.Sqrt(2 * math.Ln2); !near(rayleighQ(0.5), want, 1e-15) {
		t.Errorf("Rayleigh median %v, want %v", rayleighQ(0.5), want)
	}
}
