package render

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestWarpOddMonotone(t *testing.T) {
	if Warp(0, true) != 0 || Unwarp(0, true) != 0 {
		t.Fatal("log view must map 0 to 0")
	}
	prev := math.Inf(-1)
	for v := -1e6; v <= 1e6; v = nextProbe(v) {
		w := Warp(v, true)
		if w != -Warp(-v, true) {
			t.Fatalf("Warp not odd at %g: %g vs %g", v, w, -Warp(-v, true))
		}
		if !(w > prev) {
			t.Fatalf("Warp not increasing at %g", v)
		}
		prev = w
		if back := Unwarp(w, true); math.Abs(back-v) > 1e-9*math.Max(1, math.Abs(v)) {
			t.Fatalf("Unwarp(Warp(%g)) = %g", v, back)
		}
		if Warp(v, false) != v || Unwarp(v, false) != v {
			t.Fatal("linear view must be the identity")
		}
	}
}

func nextProbe(v float64) float64 {
	a := math.Abs(v)
	switch {
	case a < 1:
		return v + 0.01
	case v < 0:
		return v * 0.93
	default:
		return v * 1.07
	}
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := Rect{X: 52, Y: 30, W: 900, H: 500}
	for _, log := range []bool{false, true} {
		for trial := 0; trial < 200; trial++ {
			v := View{CX: rng.NormFloat64() * 3, CY: rng.NormFloat64() * 3, R: math.Exp(rng.NormFloat64() * 2), Log: log}
			tr := v.Transform(r)
			sx, sy := r.X+rng.Float64()*r.W, r.Y+rng.Float64()*r.H
			x, y := tr.ToData(sx, sy)
			bx, by := tr.toScreen(x, y)
			if math.Abs(bx-sx) > 1e-6 || math.Abs(by-sy) > 1e-6 {
				t.Fatalf("log=%v view %+v: screen (%g,%g) -> data (%g,%g) -> screen (%g,%g)", log, v, sx, sy, x, y, bx, by)
			}
		}
	}
}

func TestScreenOrientation(t *testing.T) {
	r := Rect{X: 0, Y: 0, W: 200, H: 100}
	tr := View{R: 1}.Transform(r)
	if x, y := tr.toScreen(0, 0); x != 100 || y != 50 {
		t.Fatalf("origin at (%g,%g), want the centre", x, y)
	}
	if _, y := tr.toScreen(0, 0.5); y >= 50 {
		t.Fatal("data y up must be screen y down")
	}
	// Equal aspect: one data unit is the same number of pixels on both axes.
	x1, _ := tr.toScreen(1, 0)
	_, y1 := tr.toScreen(0, 1)
	if math.Abs((x1-100)-(50-y1)) > 1e-9 {
		t.Fatal("axes must share one scale")
	}
	x0, x1d, y0, y1d := tr.Region()
	if !(x0 < x1d && y0 < y1d) || math.Abs(y1d-1) > 1e-12 || math.Abs(x1d-2) > 1e-12 {
		t.Fatalf("region %g %g %g %g", x0, x1d, y0, y1d)
	}
}

func TestZoomKeepsCursorPoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := Rect{X: 40, Y: 20, W: 640, H: 480}
	for _, log := range []bool{false, true} {
		for trial := 0; trial < 200; trial++ {
			v := View{CX: rng.NormFloat64(), CY: rng.NormFloat64(), R: 0.1 + rng.Float64()*10, Log: log}
			sx, sy := r.X+rng.Float64()*r.W, r.Y+rng.Float64()*r.H
			tr := v.Transform(r)
			x, y := tr.ToData(sx, sy)
			f := math.Exp(rng.NormFloat64())
			v.ZoomAt(r, sx, sy, f)
			if math.Abs(v.R-0) < 1e-300 {
				t.Fatal("zero radius")
			}
			nt := v.Transform(r)
			bx, by := nt.toScreen(x, y)
			if math.Abs(bx-sx) > 1e-6 || math.Abs(by-sy) > 1e-6 {
				t.Fatalf("log=%v zoom %g moved the point under the cursor from (%g,%g) to (%g,%g)", log, f, sx, sy, bx, by)
			}
		}
	}
}

func TestPanFollowsPointer(t *testing.T) {
	r := Rect{X: 0, Y: 0, W: 300, H: 200}
	v := View{R: 2, Log: true}
	tr := v.Transform(r)
	x, y := tr.ToData(100, 80)
	v.Pan(r, 25, -13)
	nt := v.Transform(r)
	if sx, sy := nt.toScreen(x, y); math.Abs(sx-125) > 1e-9 || math.Abs(sy-67) > 1e-9 {
		t.Fatalf("panned point at (%g,%g), want (125,67)", sx, sy)
	}
}

func TestFitRobust(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pts := make([]float32, 0, 2000)
	for i := 0; i < 995; i++ {
		pts = append(pts, float32(rng.NormFloat64()), float32(rng.NormFloat64()))
	}
	for i := 0; i < 5; i++ { // far outliers
		pts = append(pts, 1e5, -1e5)
	}
	r := Rect{W: 800, H: 600}
	var f Fitter
	v := f.Fit(r, false, pts, nil)
	tr := v.Transform(r)
	x0, x1, y0, y1 := tr.Region()
	if x1-x0 > 20 || y1-y0 > 20 || x0 > -2 || x1 < 2 || y0 > -2 || y1 < 2 {
		t.Fatalf("linear fit region [%g,%g]x[%g,%g] should hold the bulk and ignore the outliers", x0, x1, y0, y1)
	}
	v = f.Fit(r, true, pts)
	tr = v.Transform(r)
	x0, x1, y0, y1 = tr.Region()
	if x1 < 1e5 || y0 > -1e5 {
		t.Fatalf("log fit region [%g,%g]x[%g,%g] must hold every point", x0, x1, y0, y1)
	}
	// Degenerate inputs give a usable view.
	for _, s := range [][]float32{nil, {3, 3}, {float32(math.NaN()), 1}} {
		v := f.Fit(r, false, s)
		if !(v.R > 0) || !isFinite(v.CX) || !isFinite(v.CY) {
			t.Fatalf("degenerate fit %v gave %+v", s, v)
		}
	}
}
