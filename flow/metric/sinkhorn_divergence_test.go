package metric

import (
	"math"
	"testing"
)

// The schedule of geomloss's epsilon_schedule(2, 1, 0.05, 0.5): [1] + exp(arange(0, 2 ln 0.05,
// 2 ln 0.5)) + [0.05²], the arange holding ceil(ln 0.05/ln 0.5) = 5 values.
func TestEpsilonSchedule(t *testing.T) {
	got := epsilonSchedule(1, 0.05, 0.5)
	want := []float64{1, 1, 0.25, 0.0625, 0.015625, 0.00390625, 0.0025}
	if len(got) != len(want) {
		t.Fatalf("schedule %v, want %v", got, want)
	}
	for i := range want {
		if !near(got[i], want[i], 1e-15) {
			t.Errorf("schedule %v, want %v", got, want)
			break
		}
	}
	// Blur above the diameter: the arange is empty.
	if got := epsilonSchedule(1, 2, 0.5); len(got) != 2 || got[0] != 1 || got[1] != 4 {
		t.Errorf("blur 2 > diameter 1: schedule %v, want [1 4]", got)
	}
	// The box of (0, 0), (1, 5) and (4, 2) is [0, 4] x [0, 5].
	if d := BoxDiagonal([]float64{0, 0, 1, 5}, []float64{4, 2}, 2); d != math.Sqrt(41) {
		t.Errorf("box diagonal %v, want sqrt(41)", d)
	}
}

// denseSoftmin is geomloss's softmin_tensorized written out: out_i = -e log Σ_j exp(lw + h_j/e -
// C_ij/e), with a max shift.
func denseSoftmin(c [][]float64, lw float64, h []float64, e float64) []float64 {
	out := make([]float64, len(c))
	for i, row := range c {
		mx := math.Inf(-1)
		for j, cij := range row {
			mx = math.Max(mx, lw+h[j]/e-cij/e)
		}
		var s float64
		for j, cij := range row {
			s += math.Exp(lw + h[j]/e - cij/e - mx)
		}
		out[i] = -e * (mx + math.Log(s))
	}
	return out
}

// halfCost is the dense matrix |x_i - y_j|²/2.
func halfCost(x, y []float64, d int) [][]float64 {
	n, m := len(x)/d, len(y)/d
	c := make([][]float64, n)
	for i := range n {
		c[i] = make([]float64, m)
		for j := range m {
			var s float64
			for k := range d {
				s += (x[i*d+k] - y[j*d+k]) * (x[i*d+k] - y[j*d+k])
			}
			c[i][j] = s / 2
		}
	}
	return c
}

func transpose(c [][]float64) [][]float64 {
	t := make([][]float64, len(c[0]))
	for j := range t {
		t[j] = make([]float64, len(c))
		for i := range c {
			t[j][i] = c[i][j]
		}
	}
	return t
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// denseGeomloss is geomloss 0.2.6's sinkhorn_tensorized + sinkhorn_loop (balanced, debiased)
// transcribed with dense float64 matrices, given the schedule.
func denseGeomloss(x, y []float64, d int, eps []float64) float64 {
	n, m := len(x)/d, len(y)/d
	la, lb := -math.Log(float64(n)), -math.Log(float64(m))
	cxy, cxx, cyy := halfCost(x, y, d), halfCost(x, x, d), halfCost(y, y, d)
	cyx := transpose(cxy)
	zn, zm := make([]float64, n), make([]float64, m)
	e := eps[0]
	gab := denseSoftmin(cyx, la, zn, e)
	fba := denseSoftmin(cxy, lb, zm, e)
	faa := denseSoftmin(cxx, la, zn, e)
	gbb := denseSoftmin(cyy, lb, zm, e)
	avg := func(a, b []float64) []float64 {
		out := make([]float64, len(a))
		for i := range a {
			out[i] = 0.5 * (a[i] + b[i])
		}
		return out
	}
	for _, e = range eps {
		ft, gt := denseSoftmin(cxy, lb, gab, e), denseSoftmin(cyx, la, fba, e)
		fta, gtb := denseSoftmin(cxx, la, faa, e), denseSoftmin(cyy, lb, gbb, e)
		fba, gab = avg(fba, ft), avg(gab, gt)
		faa, gbb = avg(faa, fta), avg(gbb, gtb)
	}
	fba, gab = denseSoftmin(cxy, lb, gab, e), denseSoftmin(cyx, la, fba, e)
	faa, gbb = denseSoftmin(cxx, la, faa, e), denseSoftmin(cyy, lb, gbb, e)
	var s float64
	for i := range fba {
		s += (fba[i] - faa[i]) / float64(n)
	}
	for j := range gab {
		s += (gab[j] - gbb[j]) / float64(m)
	}
	return s
}

// denseOT is the primal OT_ε(α, β) = <π, C> + ε KL(π | α⊗β) with C = |x-y|²/2, π found by plain
// alternating Sinkhorn on dense matrices run until its row marginals are exact to 1e-14.
func denseOT(x, y []float64, d int, e float64) float64 {
	n, m := len(x)/d, len(y)/d
	la, lb := -math.Log(float64(n)), -math.Log(float64(m))
	c := halfCost(x, y, d)
	ct := transpose(c)
	f, g := make([]float64, n), make([]float64, m)
	for it := 0; it < 200000; it++ {
		f = denseSoftmin(c, lb, g, e)
		g = denseSoftmin(ct, la, f, e)
		var rowErr float64
		for i := range n {
			var r float64
			for j := range m {
				r += math.Exp(la + lb + (f[i]+g[j]-c[i][j])/e)
			}
			rowErr += math.Abs(r - 1/float64(n))
		}
		if rowErr < 1e-14 {
			break
		}
	}
	var ot float64
	for i := range n {
		for j := range m {
			lp := la + lb + (f[i]+g[j]-c[i][j])/e // log π_ij
			pij := math.Exp(lp)
			ot += pij*c[i][j] + e*pij*(lp-la-lb)
		}
	}
	return ot
}

// The schedule run matches the dense transcription of geomloss to rounding, on clouds of
// different sizes and blurs, with the diameter given or estimated.
func TestSinkhornDivergenceMatchesDense(t *testing.T) {
	rng := newRNG(3)
	for _, c := range []struct {
		n, m, d int
		blur    float64
		scaling float64
	}{{7, 9, 2, 0.05, 0}, {5, 5, 3, 0.3, 0}, {12, 4, 4, 1, 0.8}, {6, 8, 2, 0.01, 0.5}} {
		x := gaussian(rng, c.n, make([]float64, c.d), 1)
		y := gaussian(rng, c.m, append([]float64{1}, make([]float64, c.d-1)...), 0.7)
		sc := c.scaling
		if sc == 0 {
			sc = 0.5
		}
		want := denseGeomloss(x, y, c.d, epsilonSchedule(BoxDiagonal(x, y, c.d), c.blur, sc))
		got := SinkhornDivergence(x, y, c.d, c.blur, DivergenceOptions{Scaling: c.scaling})
		if !near(got, want, 1e-10*math.Abs(want)+1e-13) {
			t.Errorf("%+v: %v, dense %v", c, got, want)
		}
	}
}

// Converged, the value is the formula: OT_ε(α, β) - OT_ε(α, α)/2 - OT_ε(β, β)/2 with the primal
// OT_ε (entropy term included) of three dense Sinkhorn solves.
func TestSinkhornDivergenceFormula(t *testing.T) {
	rng := newRNG(5)
	for _, blur := range []float64{0.3, 0.7, 2} {
		x := gaussian(rng, 7, []float64{0, 0}, 1)
		y := gaussian(rng, 9, []float64{0.8, -0.3}, 0.6)
		e := blur * blur
		want := denseOT(x, y, 2, e) - denseOT(x, x, 2, e)/2 - denseOT(y, y, 2, e)/2
		got, iters, merr := sinkhornDivergence(x, y, 2, blur, DivergenceOptions{Converge: 100000})
		t.Logf("blur %v: %v, formula %v (%d iterations, marginal error %.2g); schedule alone %v",
			blur, got, want, iters, merr, SinkhornDivergence(x, y, 2, blur, DivergenceOptions{}))
		if !near(got, want, 1e-7*math.Abs(want)) {
			t.Errorf("blur %v: %v, formula %v", blur, got, want)
		}
	}
}

// S(α, α) = 0 exactly: the self and cross problems go through the same arithmetic.
func TestSinkhornDivergenceSelf(t *testing.T) {
	rng := newRNG(7)
	x := gaussian(rng, 11, []float64{3, -1, 2}, 2)
	for _, blur := range []float64{0.01, 0.5, 10} {
		if s := SinkhornDivergence(x, x, 3, blur, DivergenceOptions{}); s != 0 {
			t.Errorf("blur %v: S(a, a) = %v", blur, s)
		}
	}
	if s := SinkhornDivergence([]float64{1, 2, 1, 2}, []float64{1, 2}, 2, 0.05, DivergenceOptions{}); s != 0 {
		t.Errorf("coincident points: %v", s)
	}
}

// S is symmetric and not negative.
func TestSinkhornDivergenceSymmetricNonNegative(t *testing.T) {
	rng := newRNG(11)
	for trial := range 20 {
		d := 1 + trial%4
		x := gaussian(rng, 3+trial%7, make([]float64, d), 1)
		y := gaussian(rng, 2+trial%5, make([]float64, d), 1+0.1*float64(trial%3))
		for _, blur := range []float64{0.01, 0.1, 1, 10} {
			a := SinkhornDivergence(x, y, d, blur, DivergenceOptions{})
			b := SinkhornDivergence(y, x, d, blur, DivergenceOptions{})
			if !near(a, b, 1e-12*math.Max(1, math.Abs(a))) {
				t.Errorf("trial %d, blur %v: S(x, y) = %v, S(y, x) = %v", trial, blur, a, b)
			}
			if a < -1e-12 {
				t.Errorf("trial %d, blur %v: S = %v < 0", trial, blur, a)
			}
		}
	}
}

// For translates y_i = x_i + t, moving every point by t is optimal (E|X - Y|² = E|X - X'|² + |t|²
// for any coupling), so S -> |t|²/2 as blur -> 0: within ε log n of it (see
// TestSinkhornDivergenceAssignment for why), with the schedule at Scaling 0.9 and at geomloss's
// 0.5 alike.
func TestSinkhornDivergenceTranslation(t *testing.T) {
	rng := newRNG(13)
	x := gaussian(rng, 8, []float64{0, 0, 0}, 1)
	tr := []float64{0.6, -0.2, 0.3}
	y := make([]float64, len(x))
	for i := range x {
		y[i] = x[i] + tr[i%3]
	}
	want := (0.36 + 0.04 + 0.09) / 2
	for _, blur := range []float64{0.1, 0.03, 0.01, 0.001} {
		e := blur * blur
		for _, sc := range []float64{0.9, 0.5} {
			s, iters, merr := sinkhornDivergence(x, y, 3, blur, DivergenceOptions{Scaling: sc})
			t.Logf("blur %v, scaling %v: %v (%d iterations, marginal error %.2g), |t|²/2 = %v", blur, sc, s, iters, merr, want)
			if !near(s, want, e*math.Log(8)+1e-12) {
				t.Errorf("blur %v, scaling %v: %v, want |t|²/2 = %v within ε log n", blur, sc, s, want)
			}
		}
	}
}

// For n = m the optimal plan of W2 is a permutation (Birkhoff), found here by trying all 7! of
// them. KL(π | α⊗β) lies in [0, log n] for any coupling, so OT_ε(α, β) is within ε log n above
// W2²/2 and OT_ε(α, α) within ε log n above 0: S_ε lies within ε log n of W2²/2. Plain
// iterations at such a small ε take hundreds of thousands of rounds to settle; the ε-scaling
// descent at Scaling 0.9 brings the marginals within 1e-6. At geomloss's default 0.5 the plans'
// marginals are still off by 10-30% in L1 when the schedule ends and the value is 4-8% low
// here (logged, not asserted).
func TestSinkhornDivergenceAssignment(t *testing.T) {
	rng := newRNG(17)
	const n, d = 7, 2
	for trial := range 3 {
		x := gaussian(rng, n, []float64{0, 0}, 1)
		y := gaussian(rng, n, []float64{0.5 * float64(trial), 0}, 1.2)
		w := math.Inf(1)
		permutations(n, func(pi []int) {
			var s float64
			for i, j := range pi {
				s += sqDist(x[i*d:(i+1)*d], y[j*d:(j+1)*d])
			}
			w = math.Min(w, s/n/2)
		})
		for _, blur := range []float64{0.02, 0.01, 0.003} {
			e := blur * blur
			s, iters, merr := sinkhornDivergence(x, y, d, blur, DivergenceOptions{Scaling: 0.9})
			s5, _, merr5 := sinkhornDivergence(x, y, d, blur, DivergenceOptions{})
			t.Logf("trial %d, blur %v: %v (%d iterations, marginal error %.2g); at scaling 0.5 %v (error %.2g); W2²/2 = %v",
				trial, blur, s, iters, merr, s5, merr5, w)
			if merr > 1e-6 || !near(s, w, e*math.Log(n)+1e-12) {
				t.Errorf("trial %d, blur %v: %v (marginal error %.2g), want W2²/2 = %v within ε log n = %v", trial, blur, s, merr, w, e*math.Log(n))
			}
		}
	}
}

// As blur -> ∞ the plans tend to the product measures and S to <α⊗β, C> - <α⊗α, C>/2 -
// <β⊗β, C>/2 = |mean x - mean y|²/2 (the variances cancel).
func TestSinkhornDivergenceLargeBlur(t *testing.T) {
	rng := newRNG(19)
	x := gaussian(rng, 10, []float64{0, 0}, 1)
	y := gaussian(rng, 6, []float64{1, 2}, 0.5)
	var dm float64
	for k := range 2 {
		t := mean(column(x, 2, k)) - mean(column(y, 2, k))
		dm += t * t
	}
	got := SinkhornDivergence(x, y, 2, 1e4, DivergenceOptions{})
	if !near(got, dm/2, 1e-5*dm) {
		t.Errorf("blur 1e4: %v, want |Δmean|²/2 = %v", got, dm/2)
	}
}

// Given the diameter that the points would have estimated, the value is the same; a rigid
// rotation changes the estimate (the box is axis-aligned) unless the diameter is passed.
func TestSinkhornDivergenceDiameter(t *testing.T) {
	rng := newRNG(23)
	x := gaussian(rng, 6, []float64{0, 0}, 1)
	y := gaussian(rng, 5, []float64{1, 0}, 1)
	diam := BoxDiagonal(x, y, 2)
	a := SinkhornDivergence(x, y, 2, 0.05, DivergenceOptions{})
	if b := SinkhornDivergence(x, y, 2, 0.05, DivergenceOptions{Diameter: diam}); a != b {
		t.Errorf("diameter passed %v, estimated %v", b, a)
	}
	rot := func(v []float64) []float64 {
		c, s := math.Cos(0.7), math.Sin(0.7)
		out := make([]float64, len(v))
		for i := 0; i < len(v); i += 2 {
			out[i], out[i+1] = c*v[i]-s*v[i+1], s*v[i]+c*v[i+1]
		}
		return out
	}
	if b := SinkhornDivergence(rot(x), rot(y), 2, 0.05, DivergenceOptions{Diameter: diam}); !near(a, b, 1e-12*a) {
		t.Errorf("rotated with the diameter passed: %v, unrotated %v", b, a)
	}
}

func TestSinkhornDivergenceEdges(t *testing.T) {
	if s := SinkhornDivergence(nil, []float64{1, 2}, 2, 0.05, DivergenceOptions{}); !math.IsNaN(s) {
		t.Errorf("empty p: %v, want NaN", s)
	}
	for _, blur := range []float64{0, -1, math.Inf(1), math.NaN()} {
		mustPanic(t, "blur", func() { SinkhornDivergence([]float64{1}, []float64{2}, 1, blur, DivergenceOptions{}) })
	}
	for _, sc := range []float64{1, -0.5, 2} {
		mustPanic(t, "scaling", func() { SinkhornDivergence([]float64{1}, []float64{2}, 1, 0.05, DivergenceOptions{Scaling: sc}) })
	}
	// One point each: the plans are fixed, S = |x - y|²/2 at any blur.
	if s := SinkhornDivergence([]float64{0, 0}, []float64{3, 4}, 2, 0.05, DivergenceOptions{}); !near(s, 12.5, 1e-12) {
		t.Errorf("one point each: %v, want 12.5", s)
	}
}

// Values of geomloss 0.2.6 itself (SamplesLoss('sinkhorn', p=2, blur=blur, scaling=scaling) on
// torch 1.13.1, float64 tensors; the versions the paper's code pins) for points given by a
// formula: x_ik = 1.5 sin(1.7i + 0.9k + 0.3), y_jk = cos(1.1j + 2.3k) + 0.5k. In float32, as the
// paper's code ran it, geomloss gave 0.6429666, 0.6282917, 6.978328 and 6.037116.
func TestSinkhornDivergenceGeomloss(t *testing.T) {
	pts := func(n, d int, f func(i, k float64) float64) []float64 {
		out := make([]float64, 0, n*d)
		for i := range n {
			for k := range d {
				out = append(out, f(float64(i), float64(k)))
			}
		}
		return out
	}
	for _, c := range []struct {
		n, m, d       int
		blur, scaling float64
		want          float64
	}{
		{7, 9, 2, 0.05, 0.5, 0.6429666032018754},
		{7, 9, 2, 0.5, 0.8, 0.6282917335527516},
		{12, 10, 5, 0.01, 0.5, 6.978326565169933},
		{12, 10, 5, 1.0, 0.5, 6.037116108732368},
	} {
		x := pts(c.n, c.d, func(i, k float64) float64 { return 1.5 * math.Sin(1.7*i+0.9*k+0.3) })
		y := pts(c.m, c.d, func(j, k float64) float64 { return math.Cos(1.1*j+2.3*k) + 0.5*k })
		got := SinkhornDivergence(x, y, c.d, c.blur, DivergenceOptions{Scaling: c.scaling})
		if !near(got, c.want, 1e-12*c.want) {
			t.Errorf("%d x %d points in %d dimensions, blur %v, scaling %v: %.16g, geomloss %.16g", c.n, c.m, c.d, c.blur, c.scaling, got, c.want)
		}
	}
}
