package digits

import (
	"math"
	"math/rand/v2"
	"testing"

	"lipflow/flow"
	"lipflow/flow/dense"
)

// smallDecoder returns a decoder map from a 3-d latent space to 12 "pixels" with a random
// standardisation, and the same decoder in float64.
func smallDecoder(t *testing.T) (*decoderMap, *flow.Net[float64]) {
	rng := rand.New(rand.NewPCG(3, 3))
	dec32, err := flow.NewLayers[float32]([]int{3, 16, 12}, flow.ReLU, rng)
	if err != nil {
		t.Fatal(err)
	}
	dec64, _ := flow.NewLayers[float64]([]int{3, 16, 12}, flow.ReLU, rng)
	for i, v := range dec32.Params {
		dec64.Params[i] = float64(v)
	}
	dec64.Refresh()
	m := &decoderMap{dec: dec32, mu: []float32{0.3, -0.2, 1}, sd: []float32{1.5, 0.5, 2}, pixels: 12}
	return m, dec64
}

// g64 is G(z') = sigmoid(Dec(mu + sd z')) in float64.
func g64(m *decoderMap, dec *flow.Net[float64], z []float64) []float64 {
	in := make([]float64, len(z))
	for i, v := range z {
		in[i] = float64(m.mu[i%3]) + float64(m.sd[i%3])*v
	}
	out := append([]float64(nil), dec.Logits(in, len(z)/3)...)
	for i, v := range out {
		out[i] = dense.Sigmoid(v)
	}
	return out
}

// TestDecoderVJP checks the decoder mobility's J^T g (float32 backpropagation) against central
// finite differences of G in float64: (J^T g)_k = g . (G(z + eps e_k) - G(z - eps e_k)) / 2 eps.
func TestDecoderVJP(t *testing.T) {
	m, dec := smallDecoder(t)
	rng := rand.New(rand.NewPCG(4, 4))
	rows := 5
	z := make([]float64, rows*3)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	g := make([]float32, rows*12)
	for i := range g {
		g[i] = float32(rng.NormFloat64())
	}
	y := make([]float32, rows*12)
	m.Map(z, rows, y)
	v := make([]float32, rows*3)
	m.Pullback(g, rows, v)
	y64 := g64(m, dec, z)
	for i, yv := range y {
		if math.Abs(float64(yv)-y64[i]) > 1e-5 {
			t.Fatalf("Map: pixel %d = %v, float64 decoder %v", i, yv, y64[i])
		}
	}
	const eps = 1e-6
	for k := range z {
		r := k / 3
		zk := z[k]
		z[k] = zk + eps
		up := g64(m, dec, z)
		z[k] = zk - eps
		down := g64(m, dec, z)
		z[k] = zk
		var num float64
		for j := r * 12; j < (r+1)*12; j++ {
			num += float64(g[j]) * (up[j] - down[j]) / (2 * eps)
		}
		if math.Abs(float64(v[k])-num) > 1e-4*math.Max(1, math.Abs(num)) {
			t.Fatalf("J^T g at coordinate %d = %v, finite differences %v", k, v[k], num)
		}
	}
}

// TestMobilityStep checks a whole decoder-mobility particle step: after Step, every particle
// must have moved by -dt J^T grad phi(G(Z)), with phi the discriminator the step trained. The
// reference differentiates z -> phi_c(G(z)) by central finite differences through the flow's
// own Potential, independently of the flow's backpropagation and of Pullback.
func TestMobilityStep(t *testing.T) {
	m, _ := smallDecoder(t)
	rng := rand.New(rand.NewPCG(5, 5))
	n, mt := 6, 8
	z0 := make([]float64, n*3)
	for i := range z0 {
		z0[i] = rng.NormFloat64()
	}
	x := make([]float64, mt*12)
	for i := range x {
		x[i] = rng.Float64()
	}
	labels := []int32{0, 1, 0, 1, 1, 0, 1, 0}
	s := flow.Defaults()
	// Unconstrained, trained hard: a steep phi, so that its float32 finite differences are
	// accurate to a small share of the move.
	s.Dim, s.F, s.Activation, s.Width, s.Depth, s.DT, s.Inner = 12, "kl-dv", "softplus", 16, 2, 1, 30
	s.L, s.Optimizer, s.LR = 0, "adam", 0.05
	fl, err := flow.NewWithMobility(s, flow.Data{X: x, XLabels: labels, Y: z0, Classes: 2}, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := fl.Step(); err != nil {
		t.Fatal(err)
	}
	z1 := fl.Particles()
	plabels := fl.Labels()
	phiAt := func(z []float64, c int32) float64 {
		y := make([]float32, 12)
		m.Map(z, 1, y)
		y64 := make([]float64, 12)
		for i, v := range y {
			y64[i] = float64(v)
		}
		out := make([]float64, 1)
		fl.Potential(y64, c, out)
		return out[0]
	}
	// Central differences with Richardson extrapolation (error O(eps^4)); eps is large because
	// the discriminator computes in float32.
	const eps = 2e-2
	var largest float64
	for i := range n {
		z := append([]float64(nil), z0[i*3:(i+1)*3]...)
		for k := range 3 {
			zk := z[k]
			diff := func(h float64) float64 {
				z[k] = zk + h
				up := phiAt(z, plabels[i])
				z[k] = zk - h
				down := phiAt(z, plabels[i])
				z[k] = zk
				return (up - down) / (2 * h)
			}
			want := z0[i*3+k] - s.DT*(4*diff(eps/2)-diff(eps))/3
			move := z1[i*3+k] - z0[i*3+k]
			largest = math.Max(largest, math.Abs(move))
			if math.Abs(z1[i*3+k]-want) > 5e-3*math.Abs(move)+1e-5 {
				t.Fatalf("particle %d coordinate %d moved to %v, finite differences of phi(G(z)) say %v (from %v)", i, k, z1[i*3+k], want, z0[i*3+k])
			}
		}
	}
	t.Logf("largest move %.3g", largest)
	if fl.Dim() != 3 || len(z1) != n*3 {
		t.Fatalf("mobility flow: dim %d and %d particle values, want 3 and %d", fl.Dim(), len(z1), n*3)
	}
}

// TestGeneratorGrad checks the GAN generator's gradient, d/dtheta mean_i phi_{c_i}(G(w_i)),
// against central finite differences in float64.
func TestGeneratorGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	gen, err := flow.NewLayers[float64]([]int{5, 8, 3}, flow.ReLU, rng)
	if err != nil {
		t.Fatal(err)
	}
	disc, err := flow.NewNet[float64](flow.Arch{In: 3, Width: 7, Depth: 2, Heads: 2, Act: flow.Softplus}, 0, rng)
	if err != nil {
		t.Fatal(err)
	}
	n := 4
	in := make([]float64, n*5)
	for i := range in {
		in[i] = rng.NormFloat64()
	}
	labels := []int32{1, 0, 1, 1}
	gz, dgz := make([]float64, n*3), make([]float64, n*3)
	loss := func() float64 {
		z := gen.Logits(in, n)
		phi := make([]float64, n)
		disc.Forward(append([]float64(nil), z...), n, labels, phi)
		var s float64
		for _, v := range phi {
			s += v
		}
		return s / float64(n)
	}
	l0 := generatorGrad(gen, disc, in, labels, gz, dgz)
	if math.Abs(l0-loss()) > 1e-12 {
		t.Fatalf("generator loss %v, direct %v", l0, loss())
	}
	grad := append([]float64(nil), gen.Grad...)
	const eps = 1e-6
	for i := range gen.Params {
		p := gen.Params[i]
		gen.Params[i] = p + eps
		gen.Refresh()
		up := loss()
		gen.Params[i] = p - eps
		gen.Refresh()
		down := loss()
		gen.Params[i] = p
		gen.Refresh()
		if num := (up - down) / (2 * eps); math.Abs(grad[i]-num) > 1e-6*math.Max(1, math.Abs(num)) {
			t.Fatalf("d loss / d generator param %d = %v, finite differences %v", i, grad[i], num)
		}
	}
}

// TestNearestDistances checks the matrix-product form against the plain distance.
func TestNearestDistances(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const P = 784
	a, ref := make([]float32, 70*P), make([]float32, 13*P)
	for i := range a {
		a[i] = rng.Float32()
	}
	for i := range ref {
		ref[i] = rng.Float32()
	}
	copy(a[5*P:6*P], ref[3*P:4*P]) // an exact copy: distance 0
	got := make([]float64, 70)
	nearestDistances(a, 70, ref, 13, got)
	for i := range 70 {
		best := math.Inf(1)
		for j := range 13 {
			var s float64
			for k := range P {
				d := float64(a[i*P+k]) - float64(ref[j*P+k])
				s += d * d
			}
			best = math.Min(best, math.Sqrt(s))
		}
		if math.Abs(got[i]-best) > 1e-3*math.Max(1, best) {
			t.Fatalf("row %d: nearest distance %v, want %v", i, got[i], best)
		}
	}
}
