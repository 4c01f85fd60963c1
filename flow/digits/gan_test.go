package digits

import (
	"math"
	"math/rand/v2"
	"testing"

	"lipflow/flow/mnist"
)

// TestWGANPenaltyTwoSided: the WGAN-GP critic's penalty is Gulrajani et al.'s two-sided
// lambda * mean (|grad phi(x^)| - 1)^2 at the interpolates, not the one-sided
// relu(|grad phi|^2 - 1): rows whose gradient is shorter than 1 are penalised too. (Its weight
// gradient is flow.TwoSided's, checked by finite differences in package flow.)
func TestWGANPenaltyTwoSided(t *testing.T) {
	const d, n = 3, 20
	rng := rand.New(rand.NewPCG(8, 8))
	tg := &Targets{}
	for j := range 2 * mnist.Classes {
		tg.Idx = append(tg.Idx, j)
		tg.Labels = append(tg.Labels, int32(j%mnist.Classes))
		for range d {
			tg.Codes = append(tg.Codes, rng.NormFloat64())
		}
	}
	s := DefaultSettings()
	s.Method, s.Width, s.Depth, s.N, s.Dim, s.M = "wgan-gp", 8, 2, n, d, tg.M()
	labels := particleLabels(n, tg)
	for _, scale := range []float32{0.05, 1, 20} { // gradients mostly below 1, around it, above it
		g, err := newGAN(s, tg, labels, true)
		if err != nil {
			t.Fatal(err)
		}
		// Scale the critic's last layer so that |grad phi| sits below, near or above 1.
		last := g.disc.Weights(g.disc.Layers() - 1)
		for i := range last {
			last[i] *= scale
		}
		g.disc.Constrain() // refreshes the transposed copies (the critic is unconstrained)
		g.noise(g.win, g.rng)
		copy(g.batch[:n*d], g.gen.Logits(g.win, n))
		clear(g.disc.Grad)
		got := g.penalty()
		// penalty leaves the interpolates in batch[:n*d] and the critic's last Forward on them.
		grad := make([]float32, n*d)
		g.disc.InputGrad(n, labels, grad)
		var two, one float64
		short := 0
		for i := range n {
			var s2 float64
			for _, v := range grad[i*d : (i+1)*d] {
				s2 += float64(v) * float64(v)
			}
			two += (math.Sqrt(s2) - 1) * (math.Sqrt(s2) - 1)
			one += math.Max(s2-1, 0)
			if s2 < 1 {
				short++
			}
		}
		two *= s.Lambda / n
		one *= s.Lambda / n
		t.Logf("last layer x%g: penalty %.6g, two-sided %.6g, one-sided %.6g, %d of %d rows with |grad phi| < 1", scale, got, two, one, short, n)
		if math.Abs(got-two) > 1e-4*math.Max(1, two) {
			t.Fatalf("last layer x%g: penalty %v, want the two-sided %v (the one-sided would be %v)", scale, got, two, one)
		}
		nonzero := false
		for _, v := range g.disc.Grad {
			nonzero = nonzero || v != 0
		}
		if !nonzero {
			t.Fatalf("last layer x%g: the penalty added no weight gradient", scale)
		}
	}
}
