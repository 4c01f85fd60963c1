package metric

import (
	"math"
	"slices"
	"testing"
)

// Far-out and coincident points must give finite values everywhere: far
// points stress squared distances (1e12) and bandwidths, coincident ones the
// median heuristic, the zero cost matrix and zero-width projections.
func TestFiniteOnExtremeInputs(t *testing.T) {
	rng := newRNG(73)
	far := gaussian(rng, 40, []float64{1e6, -1e6}, 1)
	spread := gaussian(rng, 30, []float64{0, 0}, 1e6)
	origin := gaussian(rng, 35, []float64{0, 0}, 1)
	same := slices.Repeat([]float64{1e6, 1e6}, 25)
	point := slices.Repeat([]float64{-3, 7}, 20)
	tests := []struct {
		name string
		p, q []float64
	}{
		{"far vs origin", far, origin},
		{"spread vs far", spread, far},
		{"far vs itself", far, far},
		{"coincident vs itself", same, same},
		{"coincident vs far", same, far},
		{"single point vs origin", point, origin},
		{"two coincident sets", point, slices.Repeat([]float64{-3, 7}, 9)},
	}
	const d = 2
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vals := map[string]float64{
				"EnergyDistance":      EnergyDistance(tc.p, tc.q, d),
				"MMD2 median":         MMD2(tc.p, tc.q, d, 0),
				"MMD2 h=1":            MMD2(tc.p, tc.q, d, 1),
				"MMD2 h=1e-3":         MMD2(tc.p, tc.q, d, 1e-3),
				"Sinkhorn 0.1":        Sinkhorn(tc.p, tc.q, d, 0.1, 200),
				"Sinkhorn 1e-9":       Sinkhorn(tc.p, tc.q, d, 1e-9, 200),
				"Sinkhorn 1e-300":     Sinkhorn(tc.p, tc.q, d, 1e-300, 50),
				"SlicedWasserstein":   SlicedWasserstein(tc.p, tc.q, d, 20, newRNG(1)),
				"RadiusQuantiles 0.5": RadiusQuantiles(tc.p, d, 0.5)[0],
			}
			for k, v := range LogKS(tc.p, tc.q, d) {
				vals["LogKS "+string(rune('0'+k))] = v
			}
			for name, v := range vals {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%s = %v", name, v)
				}
			}
			if !slices.Equal(tc.p, tc.q) {
				return
			}
			// Identical sets: every distance-like value must also be ~0 at the
			// scale of the data, not just finite.
			_, maxC := costStats(tc.p, tc.q, d)
			for _, name := range []string{"EnergyDistance", "Sinkhorn 1e-9", "SlicedWasserstein"} {
				if v := vals[name]; v < 0 || v > 1e-9*math.Max(1, maxC) {
					t.Errorf("identical sets: %s = %v", name, v)
				}
			}
		})
	}
}

func TestShapePanics(t *testing.T) {
	x := []float64{1, 2, 3}
	calls := map[string]func(){
		"LogKS":             func() { LogKS(x, x, 2) },
		"RadiusQuantiles":   func() { RadiusQuantiles(x, 0, 0.5) },
		"EnergyDistance":    func() { EnergyDistance(x, x, 2) },
		"MMD2":              func() { MMD2(x, x, -1, 1) },
		"Sinkhorn":          func() { Sinkhorn(x, x, 2, 0.1, 10) },
		"SlicedWasserstein": func() { SlicedWasserstein(x, x, 2, 1, newRNG(1)) },
		"Subsample":         func() { Subsample(x, 2, 1, newRNG(1)) },
	}
	for name, fn := range calls {
		mustPanic(t, name, fn)
	}
}
