package flow

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// A discriminator written out and read into a fresh flow of the same settings gives the same phi,
// and writes out the same file again.
func TestWeightsRoundTrip(t *testing.T) {
	for _, lip := range []string{"frobenius", "spectral", "penalty"} {
		t.Run(lip, func(t *testing.T) {
			s := Defaults()
			s.N, s.M, s.Lipschitz = 50, 50, lip
			s.Target = "gaussian"
			a, err := New(s)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Run(20); err != nil {
				t.Fatal(err)
			}
			file, err := json.Marshal(a.Weights())
			if err != nil {
				t.Fatal(err)
			}
			var w Weights
			if err := json.Unmarshal(file, &w); err != nil {
				t.Fatal(err)
			}
			b, _ := New(s)
			if err := b.SetWeights(w); err != nil {
				t.Fatal(err)
			}
			pts := []float64{0, 0, 10, 10, -3, 7, 100, -50}
			pa, pb := make([]float64, 4), make([]float64, 4)
			a.Potential(pts, 0, pa)
			b.Potential(pts, 0, pb)
			tol := 0.0
			if lip == "spectral" { // sigma is re-estimated by power iteration
				tol = 1e-4
			}
			for i := range pa {
				if math.Abs(pa[i]-pb[i]) > tol*(1+math.Abs(pa[i])) {
					t.Errorf("phi at point %d: %g after the round trip, want %g", i, pb[i], pa[i])
				}
			}
			again, _ := json.Marshal(b.Weights())
			var w2 Weights
			_ = json.Unmarshal(again, &w2)
			w2.Step = w.Step
			if lip != "spectral" && !equalFloat32(w2.Params, w.Params) {
				t.Error("the weights written again differ from the file read")
			}
		})
	}
}

func equalFloat32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// SetWeights imposes the flow's constraint: weights 10 times too large come back to L^(1/D).
func TestSetWeightsConstrains(t *testing.T) {
	s := Defaults()
	s.N, s.M = 20, 20
	fl, _ := New(s)
	w := fl.Weights()
	for i := range w.Params {
		w.Params[i] *= 10
	}
	if err := fl.SetWeights(w); err != nil {
		t.Fatal(err)
	}
	c := math.Pow(s.L, 1/float64(fl.net.Layers()))
	for l := range fl.net.Layers() {
		var ss float64
		for _, v := range fl.net.Weights(l) {
			ss += float64(v) * float64(v)
		}
		if math.Abs(math.Sqrt(ss)-c) > 1e-5 {
			t.Errorf("layer %d: Frobenius norm %g, want %g", l, math.Sqrt(ss), c)
		}
	}
}

func TestWeightsRefused(t *testing.T) {
	s := Defaults()
	s.N, s.M = 20, 20
	fl, _ := New(s)
	good := fl.Weights()
	before := append([]float32(nil), fl.net.Params...)
	cases := []struct {
		edit func(w *Weights)
		want string
	}{
		{func(w *Weights) { w.Format = "keras" }, "format"},
		{func(w *Weights) { w.Version = 2 }, "version 2"},
		{func(w *Weights) { w.Width = 64 }, "width 64"},
		{func(w *Weights) { w.Activation = "tanh" }, "tanh"},
		{func(w *Weights) { w.Params = w.Params[:10] }, "10 parameters"},
		{func(w *Weights) { w.Params[3] = float32(math.Inf(1)) }, "parameter 3"},
	}
	for _, c := range cases {
		w := good
		w.Params = append([]float32(nil), good.Params...)
		c.edit(&w)
		if err := fl.SetWeights(w); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error naming %q", err, c.want)
		}
		if !equalFloat32(fl.net.Params, before) {
			t.Fatalf("a refused file changed the flow (%s)", c.want)
		}
	}
}
