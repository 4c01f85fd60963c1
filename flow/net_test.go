package flow

import (
	"math/rand/v2"
	"testing"
)

// The vector-valued use of Net (NewLayers, Logits, BackwardLogits), as the digits experiment's
// networks use it; gradcheck_test.go checks the discriminator's.

// TestNetGradients checks d loss / d Params and d loss / d x for loss = sum_ij c_ij out_ij.
func TestNetGradients(t *testing.T) {
	for _, sizes := range [][]int{{5, 4}, {5, 7, 3}, {6, 8, 7, 4}} {
		rng := rand.New(rand.NewPCG(1, uint64(len(sizes))))
		n, err := NewLayers[float64](sizes, ReLU, rng)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n.Params { // nonzero biases too
			n.Params[i] += 0.1 * rng.NormFloat64()
		}
		n.Refresh()
		rows := 3
		x := randomRows(rng, rows, n.In)
		c := randomRows(rng, rows, n.Heads)
		loss := func() float64 {
			out := n.Logits(x, rows)
			var s float64
			for i, v := range out {
				s += c[i] * v
			}
			return s
		}
		loss()
		clear(n.Grad)
		dx := make([]float64, len(x))
		n.BackwardLogits(append([]float64(nil), c...), rows, true, dx)
		for i := range n.Params {
			p := n.Params[i]
			n.Params[i] = p + fdStep
			n.Refresh()
			up := loss()
			n.Params[i] = p - fdStep
			n.Refresh()
			down := loss()
			n.Params[i] = p
			n.Refresh()
			if num := (up - down) / (2 * fdStep); !fdClose(n.Grad[i], num, 1) {
				t.Fatalf("sizes %v: d loss / d param %d = %g, finite differences %g", sizes, i, n.Grad[i], num)
			}
		}
		for i := range x {
			v := x[i]
			x[i] = v + fdStep
			up := loss()
			x[i] = v - fdStep
			down := loss()
			x[i] = v
			if num := (up - down) / (2 * fdStep); !fdClose(dx[i], num, 1) {
				t.Fatalf("sizes %v: d loss / d x_%d = %g, finite differences %g", sizes, i, dx[i], num)
			}
		}
	}
}

func TestNewLayersRefuses(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sizes := range [][]int{{5}, {0, 3}, {3, 1 << 20}, {1 << 15, 1 << 15}} {
		if _, err := NewLayers[float32](sizes, ReLU, rng); err == nil {
			t.Fatalf("sizes %v accepted", sizes)
		}
	}
}

func TestClone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	n, _ := NewLayers[float32]([]int{4, 6, 3}, ReLU, rng)
	c := n.Clone()
	x := []float32{1, -2, 0.5, 3}
	a := append([]float32(nil), n.Logits(x, 1)...)
	b := c.Logits(x, 1)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("clone computes %v, original %v", b, a)
		}
	}
}
