package render

import "testing"

func TestLayout(t *testing.T) {
	for _, dpr := range []float64{1, 2} {
		w, h := 1000*dpr, 700*dpr
		with := ComputeLayout(w, h, dpr, true, 1)
		without := ComputeLayout(w, h, dpr, false, 2)
		for _, l := range []Layout{with, without} {
			p := l.Plot
			if p.X < 0 || p.Y < l.Status.Y+l.Status.H || p.X+p.W > w || p.Y+p.H > h || p.W < w/2 {
				t.Fatalf("dpr %g: plot %+v outside the canvas %gx%g or under the status %+v", dpr, p, w, h, l.Status)
			}
		}
		if with.Charts[0].W == 0 || without.Charts[0].W != 0 {
			t.Fatal("charts shown only when asked")
		}
		if with.Plot.H >= without.Plot.H {
			t.Fatal("the charts' strip must come out of the plot")
		}
		for i, c := range with.Charts {
			if c.Y < with.Plot.Y+with.Plot.H || c.X+c.W > w || c.Y+c.H > h {
				t.Fatalf("chart %d %+v overlaps the plot or leaves the canvas", i, c)
			}
			if i > 0 && c.X < with.Charts[i-1].X+with.Charts[i-1].W {
				t.Fatal("charts overlap")
			}
		}
	}
	// A tiny frame still gives a usable plot rectangle.
	l := ComputeLayout(40, 30, 1, true, 1)
	if !(l.Plot.W > 0 && l.Plot.H > 0) || l.Charts[0].W != 0 {
		t.Fatalf("tiny: %+v", l)
	}
}
