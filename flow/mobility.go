package flow

// Mobility is a differentiable map G from the particles' own space (dimension Dim) to the
// discriminator's space (dimension s.Dim): a decoder from a latent space to pixels. A flow made
// with NewWithMobility trains phi on G(Z) against the targets and moves the particles Z by
//
//	dZ = -dt J_G(Z)^T grad phi(G(Z)),
//
// so that G(Z) moves by -dt J J^T grad phi: gradient flow with the mobility J J^T
// (docs/design.md#the-decoder-mobility).
type Mobility interface {
	Dim() int
	// Map writes G(z) for rows particles z (rows x Dim) to y (rows x s.Dim).
	Map(z []float64, rows int, y []float32)
	// Pullback writes J_G(z)^T g to v (rows x Dim) for the z of the last Map: a
	// vector-Jacobian product (backpropagation through G).
	Pullback(g []float32, rows int, v []float32)
}

type mobility struct {
	m Mobility
	g []float32 // grad phi at G(Z), n x s.Dim
}

// NewWithMobility is NewWithData for particles that live in mob's space: data.Y (required,
// n x mob.Dim()) is their start and data.YLabels (or the targets' classes as NewWithTarget
// assigns them) their classes; data.X are the targets in the discriminator's space (s.Dim).
func NewWithMobility(s Settings, data Data, mob Mobility) (*Flow, error) {
	pd := mob.Dim()
	if pd < 1 || len(data.Y) == 0 || len(data.Y)%pd != 0 {
		return nil, refuse("source", "source: %d values do not form rows of the mobility's dim = %d", len(data.Y), pd)
	}
	n := len(data.Y) / pd
	if err := checkSamples("source", data.Y, pd, data.YLabels, n, max(data.Classes, 1)); err != nil {
		return nil, err
	}
	if data.YLabels != nil && data.XLabels == nil {
		return nil, refuse("source", "source: labels given but the target has none")
	}
	s.N = n
	s.Source = "gaussian" // the base flow's own draw in s.Dim is replaced below
	base := data
	base.Y, base.YLabels = nil, nil
	fl, err := NewWithData(s, base)
	if err != nil {
		return nil, err
	}
	fl.d = pd
	fl.y = append([]float64(nil), data.Y...)
	if data.YLabels != nil {
		fl.labelsY = append([]int32(nil), data.YLabels...)
		fl.labels = append(append([]int32(nil), fl.labelsY...), fl.labelsX...)
	}
	fl.tr = newTransport(fl.integrator, n*pd)
	fl.mob = &mobility{m: mob, g: make([]float32, n*s.Dim)}
	fl.loadParticles()
	return fl, nil
}

// mobVelocity writes J^T grad phi(G(y)) for the n rows of y to v.
func (fl *Flow) mobVelocity(y []float64, v []float32) {
	in := fl.batch[:fl.n*fl.net.In]
	fl.mob.m.Map(y, fl.n, in)
	fl.net.Forward(in, fl.n, fl.labelsY, fl.phi)
	fl.net.InputGrad(fl.n, fl.labelsY, fl.mob.g)
	fl.mob.m.Pullback(fl.mob.g, fl.n, v)
}
