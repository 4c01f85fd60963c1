package render

import (
	"math"
	"testing"
)

func TestFieldGrid(t *testing.T) {
	// phi = 2x - y on a 5 x 3 grid: the interpolated gradient is exact.
	for _, log := range []bool{false, true} {
		f := Field{X0: -100, X1: 100, Y0: -10, Y1: 30, NX: 5, NY: 3, Log: log}
		n := f.NX * f.NY
		f.Phi, f.GX, f.GY = make([]float32, n), make([]float32, n), make([]float32, n)
		for j := 0; j < f.NY; j++ {
			for i := 0; i < f.NX; i++ {
				x, y := f.NodeX(i), f.NodeY(j)
				f.Phi[j*f.NX+i] = float32(2*x - y)
				f.GX[j*f.NX+i], f.GY[j*f.NX+i] = -2, 1 // the velocity -grad phi
			}
		}
		if f.NodeX(0) != -100 || f.NodeX(4) != 100 || f.NodeY(2) != 30 {
			t.Fatal("the grid must span the region")
		}
		if log && math.Abs(f.NodeX(2)) > 1e-9 {
			t.Fatalf("log grid: middle node at %g, want 0", f.NodeX(2))
		}
		if !log && f.NodeX(1) != -50 {
			t.Fatalf("linear grid: node 1 at %g", f.NodeX(1))
		}
		f.Analyze()
		if !f.Valid() || f.PhiMin != float64(2*-100-30) || f.PhiMax != float64(2*100+10) || math.Abs(f.GradMax-math.Sqrt(5)) > 1e-6 {
			t.Fatalf("analyze: %+v", f)
		}
		if gx, gy, ok := f.Gradient(3, 4); !ok || math.Abs(gx-2) > 1e-6 || math.Abs(gy+1) > 1e-6 {
			t.Fatalf("gradient %g %g %v", gx, gy, ok)
		}
		if _, _, ok := f.Gradient(101, 0); ok {
			t.Fatal("outside the grid")
		}
	}
}
