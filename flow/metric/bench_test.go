package metric

import "testing"

// benchPair is the size the live page is expected to use after Subsample.
func benchPair() (p, q []float64) {
	rng := newRNG(99)
	return gaussian(rng, 2000, []float64{0, 0}, 1), gaussian(rng, 2000, []float64{1, 0}, 1.5)
}

func BenchmarkEnergyDistance(b *testing.B) {
	p, q := benchPair()
	b.ReportAllocs()
	for b.Loop() {
		EnergyDistance(p, q, 2)
	}
}

func BenchmarkMMD2(b *testing.B) {
	p, q := benchPair()
	b.ReportAllocs()
	for b.Loop() {
		MMD2(p, q, 2, 1)
	}
}

// BenchmarkSinkhorn runs a fixed 50 iterations at eps = 0.05 (tolerance not
// reached), so ns/iter is the cost of one iteration: two passes over the n·m
// pairs, plus a share of the initial and final passes.
func BenchmarkSinkhorn(b *testing.B) {
	p, q := benchPair()
	b.ReportAllocs()
	var iters int
	for b.Loop() {
		_, iters, _ = sinkhorn(p, q, 2, 0.05, 50)
	}
	b.ReportMetric(float64(iters), "iters")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*iters), "ns/iter")
}

func BenchmarkSlicedWasserstein(b *testing.B) {
	p, q := benchPair()
	b.ReportAllocs()
	for b.Loop() {
		SlicedWasserstein(p, q, 2, 100, newRNG(1))
	}
}
