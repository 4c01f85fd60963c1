package dist

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// checkUniformCounts fails when some cell is empty (coverage) or the counts
// are implausible for equal cell probabilities (chi-square, level 1e-4).
func checkUniformCounts(t *testing.T, what string, counts []int) {
	t.Helper()
	n := 0
	for _, c := range counts {
		n += c
	}
	e := float64(n) / float64(len(counts))
	chi2 := 0.0
	for i, c := range counts {
		if c == 0 {
			t.Errorf("%s: cell %d got no points", what, i)
		}
		chi2 += (float64(c) - e) * (float64(c) - e) / e
	}
	if p := (distuv.ChiSquared{K: float64(len(counts) - 1)}).Survival(chi2); p < 1e-4 {
		t.Errorf("%s: chi² = %.1f over %d cells, p = %.2g: not uniform", what, chi2, len(counts), p)
	}
}

func TestCheckerboard(t *testing.T) {
	const n = 40000
	x := sample(t, "checkerboard", 2, n, 17)
	counts := make([]int, 8)
	var fracs []float64
	for i := 0; i < len(x); i += 2 {
		col, row := math.Floor(x[i]+2), math.Floor(x[i+1]+2)
		if col < 0 || col > 3 || row < 0 || row > 3 {
			t.Fatalf("point (%g, %g) outside [-2,2]²", x[i], x[i+1])
		}
		if int(col+row)%2 != 0 {
			t.Fatalf("point (%g, %g) on light square (%v, %v)", x[i], x[i+1], col, row)
		}
		counts[int(row)*2+int(col)/2]++
		fracs = append(fracs, x[i]+2-col)
	}
	checkUniformCounts(t, "dark squares", counts)
	if D := ksStat(fracs, distuv.UnitUniform.CDF); D > ksCrit(len(fracs)) {
		t.Errorf("position inside square not uniform: D = %.4f", D)
	}
}

// inRemovedSquare reports whether (x, y) lies inside, by more than eps, a
// square removed at some level 1..level of the carpet on [-2, 2]².
func inRemovedSquare(x, y float64, level int, eps float64) bool {
	u, v := (x+2)/4, (y+2)/4
	for k := 1; k <= level; k++ {
		p := math.Pow(3, float64(k))
		a, b := u*p, v*p
		da, db := a-math.Floor(a), b-math.Floor(b)
		// Digit k is floor(u·3^k) mod 3; the removed square is where both
		// digits are 1, strictly inside.
		if int(math.Floor(a))%3 == 1 && int(math.Floor(b))%3 == 1 &&
			da > eps && da < 1-eps && db > eps && db < 1-eps {
			return true
		}
	}
	return false
}

func TestSierpinski(t *testing.T) {
	for _, level := range []int{1, 2, 3, 4, 8} {
		t.Run(fmt.Sprintf("level=%d", level), func(t *testing.T) {
			const n = 120000
			x := sample(t, fmt.Sprintf("sierpinski(level=%d)", level), 2, n, 19)
			// Coverage at the finest level whose 8^L cells can each expect
			// dozens of points.
			cl := min(level, 4)
			side := int(math.Pow(3, float64(cl)))
			grid := make([]int, side*side)
			for i := 0; i < len(x); i += 2 {
				if x[i] < -2 || x[i] > 2 || x[i+1] < -2 || x[i+1] > 2 {
					t.Fatalf("point (%g, %g) outside [-2,2]²", x[i], x[i+1])
				}
				if inRemovedSquare(x[i], x[i+1], level, 1e-9) {
					t.Fatalf("point (%g, %g) in a removed square", x[i], x[i+1])
				}
				c := min(int((x[i]+2)/4*float64(side)), side-1)
				r := min(int((x[i+1]+2)/4*float64(side)), side-1)
				grid[r*side+c]++
			}
			var kept []int
			for r := range side {
				for c := range side {
					cx := -2 + 4*(float64(c)+0.5)/float64(side)
					cy := -2 + 4*(float64(r)+0.5)/float64(side)
					if !inRemovedSquare(cx, cy, cl, 0) {
						kept = append(kept, grid[r*side+c])
					} else if grid[r*side+c] != 0 {
						t.Errorf("removed cell (%d, %d) got %d points", c, r, grid[r*side+c])
					}
				}
			}
			if len(kept) != int(math.Pow(8, float64(cl))) {
				t.Fatalf("%d kept cells, want 8^%d", len(kept), cl)
			}
			checkUniformCounts(t, "kept cells", kept)
		})
	}
}

func TestRemovedSquareHelper(t *testing.T) {
	// The centre of [-2,2]² is removed at level 1; the centre of the
	// lower-left ninth at level 2 only; a corner never.
	c := 4.0 / 9 // level-2 cell width is 4/9; lower-left ninth spans [-2, -2+4/3]
	if !inRemovedSquare(0, 0, 1, 0) || inRemovedSquare(-2+1.5*c, -2+1.5*c, 1, 0) ||
		!inRemovedSquare(-2+1.5*c, -2+1.5*c, 2, 0) || inRemovedSquare(-2+1e-6, -2+1e-6, 8, 0) {
		t.Fatal("inRemovedSquare is wrong")
	}
}

// curveCase checks a noiseless 2D shape lies on its curve (curve returns the
// distance to the curve and a parameter bin, or bin < 0 when off it) and
// every parameter bin is covered.
func TestNoiselessCurves(t *testing.T) {
	const bins = 20
	cases := []struct {
		spec string
		d    int
		// locate returns the distance of p to the curve and which of the
		// bins its curve parameter falls in.
		locate func(p []float64) (dist float64, bin int)
	}{
		{"moons(noise=0)", 2, func(p []float64) (float64, int) {
			// Undo the shift and scale, then test both unit half circles.
			x, y := p[0]*0.75+0.5, p[1]*0.75+0.25
			dOuter := math.Abs(math.Hypot(x, y) - 1)
			dInner := math.Abs(math.Hypot(x-1, y-0.5) - 1)
			if dOuter < dInner && y >= -1e-12 {
				return dOuter, int(math.Atan2(y, x) / math.Pi * bins / 2)
			}
			if y-0.5 > 1e-12 {
				return math.Inf(1), -1
			}
			return dInner, bins/2 + int(math.Atan2(0.5-y, 1-x)/math.Pi*bins/2)
		}},
		{"spiral(noise=0)", 2, spiralLocate(bins)},
		{"swiss-roll(noise=0)", 2, rollLocate(bins, 0, 1)},
		{"swiss-roll(noise=0)", 3, rollLocate(bins, 0, 2)},
	}
	const n = 20000
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/d=%d", c.spec, c.d), func(t *testing.T) {
			x := sample(t, c.spec, c.d, n, 23)
			counts := make([]int, bins)
			for i := 0; i < len(x); i += c.d {
				dist, bin := c.locate(x[i : i+c.d])
				if dist > 1e-9 || bin < 0 || bin >= bins {
					t.Fatalf("point %v off the curve: distance %g, bin %d", x[i:i+c.d], dist, bin)
				}
				counts[bin]++
			}
			for b, k := range counts {
				if k == 0 {
					t.Errorf("bin %d of the curve got no points", b)
				}
			}
		})
	}
}

// spiralLocate inverts ±(θ/π)(cos θ, sin θ): θ = π r, and the point's angle
// must equal θ (arm +) or θ + π (arm -) mod 2π. Bins split each arm in half
// the bins by θ.
func spiralLocate(bins int) func(p []float64) (float64, int) {
	return func(p []float64) (float64, int) {
		r := math.Hypot(p[0], p[1])
		th := math.Pi * r
		if th > spiralTurn+1e-9 {
			return math.Inf(1), -1
		}
		arm := 0
		ex, ey := r*math.Cos(th), r*math.Sin(th)
		if math.Hypot(p[0]+ex, p[1]+ey) < math.Hypot(p[0]-ex, p[1]-ey) {
			arm, ex, ey = 1, -ex, -ey
		}
		bin := arm*bins/2 + min(int(th/spiralTurn*float64(bins/2)), bins/2-1)
		return math.Hypot(p[0]-ex, p[1]-ey), bin
	}
}

// rollLocate inverts the roll in coordinates (i, j): t = |p|·4.5π/3 must lie
// in [1.5π, 4.5π] and the point must be at angle t.
func rollLocate(bins, i, j int) func(p []float64) (float64, int) {
	return func(p []float64) (float64, int) {
		if len(p) == 3 && math.Abs(p[1]) > rollRadius {
			return math.Inf(1), -1
		}
		r := math.Hypot(p[i], p[j])
		tt := r * 4.5 * math.Pi / rollRadius
		if tt < 1.5*math.Pi-1e-9 || tt > 4.5*math.Pi+1e-9 {
			return math.Inf(1), -1
		}
		dist := math.Hypot(p[i]-r*math.Cos(tt), p[j]-r*math.Sin(tt))
		return dist, min(int((tt-1.5*math.Pi)/(3*math.Pi)*float64(bins)), bins-1)
	}
}

func TestSwissRollHeight(t *testing.T) {
	const n = 20000
	x := sample(t, "swiss-roll(noise=0)", 3, n, 29)
	if D := ksStat(column(x, 3, 1), distuv.Uniform{Min: -rollRadius, Max: rollRadius}.CDF); D > ksCrit(n) {
		t.Errorf("height not U(-3,3): D = %.4f", D)
	}
}

func TestNoisyShapesExtent(t *testing.T) {
	// With default noise the shapes keep their declared extent, and moons
	// and the symmetric spiral are centred on the origin. Spans are the
	// noiseless curves' own: the spiral's y peaks at θ ≈ 7.92, 2.52; the roll
	// reaches x = 8/3 at t = 4π, x = -2 at 3π, y = 3 at 4.5π, y = -7/3 at 3.5π.
	cases := []struct {
		spec       string
		d          int
		lo, hi     float64 // bounding box, all coordinates
		centred    bool
		coordSpans []float64
	}{
		{"moons", 2, -2.5, 2.5, true, []float64{4, 2}},
		{"spiral", 2, -3.5, 3.5, true, []float64{6, 5.04}},
		{"swiss-roll", 2, -3.5, 3.5, false, []float64{8.0/3 + 2, 3 + 7.0/3}},
	}
	const n = 20000
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			x := sample(t, c.spec, c.d, n, 31)
			for j := range c.d {
				col := column(x, c.d, j)
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, v := range col {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
				if lo < c.lo || hi > c.hi {
					t.Errorf("coord %d spans [%.2f, %.2f], want inside [%g, %g]", j, lo, hi, c.lo, c.hi)
				}
				// Noise 0.05 widens each end by up to about 5 sd.
				if span := hi - lo; span < c.coordSpans[j]-0.25 || span > c.coordSpans[j]+0.5 {
					t.Errorf("coord %d span %.2f, want about %g", j, span, c.coordSpans[j])
				}
				if mean, sd := meanSD(col); c.centred && math.Abs(mean) > 5*sd/math.Sqrt(n) {
					t.Errorf("coord %d mean %.4f, want 0", j, mean)
				}
			}
		})
	}
}

func TestCurveParameterLaws(t *testing.T) {
	// Along the noiseless curves, the curve parameter follows its law: the
	// roll's t ~ U(1.5π, 4.5π); the spiral's θ/3π = r/3 has CDF u² (θ = 3π√U).
	const n = 20000
	roll := sample(t, "swiss-roll(noise=0)", 2, n, 41)
	ts := make([]float64, n)
	for i := range n {
		ts[i] = math.Hypot(roll[2*i], roll[2*i+1]) * 4.5 * math.Pi / rollRadius
	}
	if D := ksStat(ts, distuv.Uniform{Min: 1.5 * math.Pi, Max: 4.5 * math.Pi}.CDF); D > ksCrit(n) {
		t.Errorf("swiss-roll t not U(1.5π, 4.5π): D = %.4f", D)
	}
	sp := sample(t, "spiral(noise=0)", 2, n, 41)
	us := make([]float64, n)
	for i := range n {
		us[i] = math.Hypot(sp[2*i], sp[2*i+1]) / 3
	}
	if D := ksStat(us, func(u float64) float64 { return math.Min(1, math.Max(0, u*u)) }); D > ksCrit(n) {
		t.Errorf("spiral θ/3π does not have CDF u²: D = %.4f", D)
	}
}
