package digits

import (
	"math/rand/v2"

	"lipflow/flow"
	"lipflow/flow/dense"
	"lipflow/flow/mnist"
)

// decoderMap is the map G(z') = sigmoid(Dec(mu + sd z')) from standardised codes to pixels,
// with its vector-Jacobian product J^T g = sd * Dec^T-backprop(g * p (1 - p)): the decoder
// mobility's flow.Mobility. It owns a copy of the decoder (its buffers hold the last Map).
type decoderMap struct {
	dec     *flow.Net[float32]
	mu, sd  []float32
	pixels  int // the decoder's output width (784)
	z, p    []float32
	dlog, v []float32
}

func newDecoderMap(space *Space) *decoderMap {
	return &decoderMap{dec: space.AE.Dec.Clone(), mu: space.Mu, sd: space.Sd, pixels: mnist.Pixels}
}

func (m *decoderMap) Dim() int { return len(m.mu) }

func (m *decoderMap) Map(z []float64, rows int, y []float32) {
	d := m.Dim()
	m.z = grow(m.z, rows*d)
	for i, v := range z[:rows*d] {
		j := i % d
		m.z[i] = m.mu[j] + m.sd[j]*float32(v)
	}
	logits := m.dec.Logits(m.z, rows)
	m.p = grow(m.p, len(logits))
	for i, v := range logits {
		m.p[i] = float32(dense.Sigmoid(float64(v)))
	}
	copy(y[:len(logits)], m.p)
}

func (m *decoderMap) Pullback(g []float32, rows int, v []float32) {
	d := m.Dim()
	P := rows * m.pixels
	m.dlog = grow(m.dlog, P)
	for i, p := range m.p[:P] {
		m.dlog[i] = g[i] * p * (1 - p)
	}
	m.v = grow(m.v, rows*d)
	m.dec.BackwardLogits(m.dlog, rows, false, m.v)
	for i, x := range m.v[:rows*d] {
		v[i] = x * m.sd[i%d]
	}
}

func grow(x []float32, n int) []float32 {
	if cap(x) < n {
		return make([]float32, n)
	}
	return x[:n]
}

// decoderGPA is GPA with the decoder mobility: phi on the pixels, particles in latent space.
type decoderGPA struct{ fl *flow.Flow }

func newDecoderGPA(s Settings, space *Space, t *Targets, labels []int32) (*decoderGPA, error) {
	y := make([]float64, s.N*space.Dim())
	Noise(s.Noise, y, rand.New(rand.NewPCG(s.Seed, 41)))
	x := make([]float64, len(t.Pix))
	for i, v := range t.Pix {
		x[i] = float64(v)
	}
	fs := s.Settings
	fs.Dim = mnist.Pixels
	fl, err := flow.NewWithMobility(fs, flow.Data{X: x, XLabels: t.Labels, Y: y, YLabels: labels, Classes: mnist.Classes}, newDecoderMap(space))
	if err != nil {
		return nil, err
	}
	return &decoderGPA{fl: fl}, nil
}

func (g *decoderGPA) step() error      { return g.fl.Step() }
func (g *decoderGPA) flow() *flow.Flow { return g.fl }
func (g *decoderGPA) codes() []float64 { return g.fl.Particles() }
func (g *decoderGPA) stats() map[string]float64 {
	st := g.fl.Stats()
	return map[string]float64{"divergence": st.Divergence, "ke": st.KE, "speed": st.Speed}
}
