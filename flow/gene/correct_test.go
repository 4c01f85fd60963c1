package gene

import (
	"math"
	"math/rand/v2"
	"testing"
)

// One class, no shrinkage: ComBat's model reduces to y* = mean_t + (y - mean_s) sd_t / sd_s,
// with sd_t over nt (the pooled variance) and sd_s over ns-1 (delta-hat). Source = shift +
// scale * draws, shift and scale known per probe.
func TestComBatClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	ns, nt, p := 8, 11, 30
	xt := make([]float64, nt*p)
	xs := make([]float64, ns*p)
	for j := range p {
		shift, scale := 3*rng.NormFloat64(), math.Exp(rng.NormFloat64())
		for i := range nt {
			xt[i*p+j] = 5 + rng.NormFloat64()
		}
		for i := range ns {
			xs[i*p+j] = shift + scale*(5+rng.NormFloat64())
		}
	}
	got, err := ComBat(xs, make([]int32, ns), xt, make([]int32, nt), p, false)
	if err != nil {
		t.Fatal(err)
	}
	for j := range p {
		var ms, mt float64
		for i := range ns {
			ms += xs[i*p+j] / float64(ns)
		}
		for i := range nt {
			mt += xt[i*p+j] / float64(nt)
		}
		var vs, vt float64
		for i := range ns {
			vs += (xs[i*p+j] - ms) * (xs[i*p+j] - ms) / float64(ns-1)
		}
		for i := range nt {
			vt += (xt[i*p+j] - mt) * (xt[i*p+j] - mt) / float64(nt)
		}
		for i := range ns {
			want := mt + (xs[i*p+j]-ms)*math.Sqrt(vt/vs)
			if math.Abs(got[i*p+j]-want) > 1e-9 {
				t.Fatalf("probe %d sample %d: %v, closed form %v", j, i, got[i*p+j], want)
			}
		}
	}
}

// With two classes whose target means differ, a source that is the target shifted per probe
// (ComBat's model: an additive batch effect on top of class effects common to both batches)
// comes back to the target's class means: the class covariate is kept, the batch effect removed; with shrinkage, each probe's location estimate lies between its own estimate
// and the mean over probes.
func TestComBatClassesAndShrinkage(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	n, p := 10, 200
	lt := make([]int32, n)
	for i := range lt {
		lt[i] = int32(i % 2)
	}
	xt := make([]float64, n*p)
	for i := range n {
		for j := range p {
			xt[i*p+j] = float64(lt[i])*2 + rng.NormFloat64()*0.3
		}
	}
	xs := make([]float64, n*p)
	for j := range p {
		shift := 1 + 0.5*rng.NormFloat64()
		for i := range n {
			xs[i*p+j] = shift + xt[i*p+j]
		}
	}
	got, err := ComBat(xs, lt, xt, lt, p, false)
	if err != nil {
		t.Fatal(err)
	}
	for j := range p {
		for c := range int32(2) {
			var mg, mt float64
			for i := range n {
				if lt[i] == c {
					mg += got[i*p+j]
					mt += xt[i*p+j]
				}
			}
			if math.Abs(mg-mt)/5 > 1e-9 {
				t.Fatalf("probe %d class %d: corrected mean %v, target's %v", j, c, mg/5, mt/5)
			}
		}
	}
	// Shrinkage: gamma* between gamma-hat and gamma-bar.
	s := randMatrix(rng, n, p)
	g := make([]float64, p)
	d := make([]float64, p)
	for j := range p {
		for i := range n {
			s[i*p+j] += 0.2 * float64(j%7)
			g[j] += s[i*p+j] / float64(n)
		}
		for i := range n {
			d[j] += (s[i*p+j] - g[j]) * (s[i*p+j] - g[j]) / float64(n-1)
		}
	}
	gbar, _ := meanVar(g)
	gs, ds := shrink(s, n, p, g, d)
	for j := range p {
		lo, hi := math.Min(g[j], gbar), math.Max(g[j], gbar)
		if gs[j] < lo-1e-12 || gs[j] > hi+1e-12 || !(ds[j] > 0) {
			t.Fatalf("probe %d: gamma* %v outside [%v, %v] or delta* %v", j, gs[j], lo, hi, ds[j])
		}
	}
}

// Standardisation gives each source class exactly the target class's per-probe mean and
// standard deviation; a class with one sample is only shifted.
func TestStandardise(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	p := 5
	ls := []int32{0, 0, 0, 1, 0}
	lt := []int32{1, 0, 1, 0, 0, 1}
	xs, xt := randMatrix(rng, len(ls), p), randMatrix(rng, len(lt), p)
	for i := range xs {
		xs[i] = 3*xs[i] + 7
	}
	got, err := Standardise(xs, ls, xt, lt, p)
	if err != nil {
		t.Fatal(err)
	}
	m0, s0, _ := classMoments(got, ls, 0, p)
	t0, u0, _ := classMoments(xt, lt, 0, p)
	for j := range p {
		if math.Abs(m0[j]-t0[j]) > 1e-12 || math.Abs(s0[j]-u0[j]) > 1e-12 {
			t.Errorf("probe %d class 0: mean %v sd %v, target's %v %v", j, m0[j], s0[j], t0[j], u0[j])
		}
	}
	m1, _, _ := classMoments(got, ls, 1, p)
	t1, _, _ := classMoments(xt, lt, 1, p)
	for j := range p {
		if math.Abs(m1[j]-t1[j]) > 1e-12 {
			t.Errorf("probe %d class 1 (one sample): %v, want the target mean %v", j, m1[j], t1[j])
		}
	}
	if _, err := Standardise(xs, []int32{0, 0, 0, 2, 0}, xt, lt, p); err == nil {
		t.Error("a source class missing from the target was accepted")
	}
}
