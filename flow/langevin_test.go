package flow

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// ksStatistic is the Kolmogorov-Smirnov distance sup |F_n - F| between the sample x and the
// CDF F.
func ksStatistic(x []float64, cdf func(float64) float64) float64 {
	x = slices.Clone(x)
	slices.Sort(x)
	n := float64(len(x))
	var d float64
	for i, v := range x {
		f := cdf(v)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d
}

// Unadjusted Langevin samples its target up to a bias of order dt: N = 2000 particles after a
// time of 40 (well past the mixing time) pass a Kolmogorov-Smirnov test at level 1% against
// the law (critical value 1.63/sqrt(N) = 0.036), on a Gaussian and on a Student-t, each with
// its closed-form score. The start is far off, so that a flow that did nothing fails.
func TestLangevinKS(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of steps: run without -short")
	}
	cases := []struct {
		target string
		cdf    func(float64) float64
	}{
		{"gaussian(mean=1,sd=2)", distuv.Normal{Mu: 1, Sigma: 2}.CDF},
		{"student-t(nu=3)", distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 3}.CDF},
	}
	const n = 2000
	crit := 1.63 / math.Sqrt(n)
	for _, c := range cases {
		s := Defaults()
		s.Method, s.Dim, s.Source, s.Target = MethodLangevin, 1, "gaussian(mean=6,sd=0.5)", c.target
		s.N, s.M, s.DT = n, 100, 0.02
		p := peerOf(t, s)
		if d := ksStatistic(p.y, c.cdf); d < crit {
			t.Fatalf("%s: the start already passes (KS %.3g)", c.target, d)
		}
		for range 2000 {
			if err := p.Step(); err != nil {
				t.Fatal(err)
			}
		}
		d := ksStatistic(p.y, c.cdf)
		if d > crit {
			t.Errorf("%s: KS distance %.4f, above the 1%% critical value %.4f", c.target, d, crit)
		}
		t.Logf("%s (%s): KS %.4f (critical %.4f)", c.target, Label(p), d, crit)
	}
}

// The KDE score is the gradient of the log of the KDE itself, checked by finite differences,
// and points far from every sample still get a finite score.
func TestKDEScore(t *testing.T) {
	s := Defaults()
	s.Method, s.Score, s.Target, s.N, s.M = MethodLangevin, "kde", "moons", 10, 40
	p := peerOf(t, s)
	ts := p.mv.(*langevin).score
	if ts.closed != nil {
		t.Fatal("score = kde took a closed form")
	}
	logKDE := func(y []float64) float64 {
		var sum float64
		for j := range p.m {
			sum += math.Exp(-sqDist(y, p.x[j*2:j*2+2]) / (2 * ts.h * ts.h))
		}
		return math.Log(sum)
	}
	for _, y := range [][]float64{{0.1, 0.2}, {-1, 0.5}, {1.5, -0.3}} {
		got := make([]float64, 2)
		ts.at(y, got)
		for k := range 2 {
			if want := fd(logKDE, y, k, 1e-6); math.Abs(got[k]-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("KDE score at %v [%d] = %.10g, finite differences %.10g", y, k, got[k], want)
			}
		}
	}
	got := make([]float64, 2)
	ts.at([]float64{1e6, -1e7}, got)
	if math.IsNaN(got[0]) || math.IsInf(got[0], 0) || math.IsNaN(got[1]) || math.IsInf(got[1], 0) {
		t.Errorf("KDE score far away: %v", got)
	}
}

// Where the target is known only by its samples, or the samples are not the target spec's
// draws, the score is the KDE's, and the run's label says so.
func TestScoreSource(t *testing.T) {
	for _, c := range []struct {
		target, score string
		fromTarget    bool
		closed        bool
	}{
		{"gaussian", "auto", true, true},
		{"moons", "auto", true, false},
		{"gaussian", "kde", true, false},
		{"gaussian", "auto", false, false},
	} {
		s := Defaults()
		s.Method, s.Target, s.Score, s.N, s.M = MethodSVGD, c.target, c.score, 10, 20
		x, err := drawTarget(s)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewParticleFlowWithData(s, Data{X: x, FromTarget: c.fromTarget})
		if err != nil {
			t.Fatal(err)
		}
		label := Label(r)
		if closed := r.(*peer).mv.(*svgd).score.closed != nil; closed != c.closed {
			t.Errorf("%+v: closed form %v", c, closed)
		}
		if want := map[bool]string{true: "closed-form score", false: "KDE score"}[c.closed]; !strings.Contains(label, want) {
			t.Errorf("%+v: label %q, want it to say %q", c, label, want)
		}
	}
}
