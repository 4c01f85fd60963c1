package dist

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// newRNG is the seeded stream every test draws from, PCG so that it is the
// same on every platform.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// sample parses spec and draws n points with the given seed.
func sample(t testing.TB, spec string, d, n int, seed uint64) []float64 {
	t.Helper()
	s, err := Parse(spec, d)
	if err != nil {
		t.Fatalf("Parse(%q, %d): %v", spec, d, err)
	}
	x := make([]float64, n*d)
	s.Sample(x, newRNG(seed))
	return x
}

func column(x []float64, d, j int) []float64 {
	c := make([]float64, 0, len(x)/d)
	for i := j; i < len(x); i += d {
		c = append(c, x[i])
	}
	return c
}

// ksStat is the one-sample Kolmogorov-Smirnov statistic
// sup_x |F_n(x) - F(x)| of x against the CDF F.
func ksStat(x []float64, cdf func(float64) float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := float64(len(s))
	var d float64
	for i, v := range s {
		f := cdf(v)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d
}

// ksCrit is the asymptotic critical value of the one-sample KS statistic at
// level 0.001 (Kolmogorov distribution quantile 1.949).
func ksCrit(n int) float64 { return 1.949 / math.Sqrt(float64(n)) }

// checkFrac fails unless k successes out of n are within 5 binomial
// standard errors of probability p.
func checkFrac(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	se := math.Sqrt(p * (1 - p) / float64(n))
	if got := float64(k) / float64(n); math.Abs(got-p) > 5*se {
		t.Errorf("%s: fraction %.4f, want %.4f ± %.4f", what, got, p, 5*se)
	}
}

func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}

func TestKSHelperHasPower(t *testing.T) {
	// The KS helper itself must reject a clearly wrong law and accept the
	// right one, else every test built on it proves nothing.
	rng := newRNG(1)
	x := make([]float64, 5000)
	for i := range x {
		x[i] = rng.Float64()
	}
	if d := ksStat(x, func(v float64) float64 { return math.Min(1, math.Max(0, v)) }); d > ksCrit(len(x)) {
		t.Errorf("uniform vs U(0,1): D = %g > %g", d, ksCrit(len(x)))
	}
	if d := ksStat(x, func(v float64) float64 { return math.Min(1, math.Max(0, v*v)) }); d < ksCrit(len(x)) {
		t.Errorf("uniform vs x² law: D = %g, want > %g", d, ksCrit(len(x)))
	}
}
