package digits

import (
	"math"
	"math/rand/v2"

	"lipflow/flow"
	"lipflow/flow/mnist"
)

// Targets are the experiment's M training digits, shared by every run.
type Targets struct {
	Idx    []int     // indices into Data.Train
	Pix    []float32 // M x 784, in [0,1]
	Labels []int32
	Codes  []float64 // M x latent, standardised codes
}

// NewTargets draws perClass digits of each class from data's training digits and encodes them.
func NewTargets(data *Data, space *Space, perClass int, seed uint64) (*Targets, error) {
	t, err := DrawTargets(data, perClass, seed)
	if err != nil {
		return nil, err
	}
	t.Codes = space.Encode(data.Train, t.Idx)
	return t, nil
}

// DrawTargets is NewTargets without the codes: the same digits, which need no autoencoder (the
// page shows them while its autoencoder trains).
func DrawTargets(data *Data, perClass int, seed uint64) (*Targets, error) {
	idx, err := data.Targets(perClass, seed)
	if err != nil {
		return nil, err
	}
	return &Targets{Idx: idx, Pix: Pixels(data.Train, idx), Labels: Labels(data.Train, idx)}, nil
}

// M is the number of targets.
func (t *Targets) M() int { return len(t.Idx) }

// method is one generative method's state.
type method interface {
	step() error
	codes() []float64 // n x latent: the current samples' standardised codes
	stats() map[string]float64
}

// Run is one generative run on the shared targets.
type Run struct {
	S       Settings
	Space   *Space
	Targets *Targets
	labels  []int32
	m       method
	step    int
	err     error
	pix     []float32
	pixStep int // the step pix was decoded at (-1: none)
}

// Noise draws x ~ Gaussian(0,1) or Logistic(0,1) i.i.d. per entry.
func Noise(kind string, x []float64, rng *rand.Rand) {
	for i := range x {
		if kind == "logistic" {
			u := rng.Float64()
			for u == 0 {
				u = rng.Float64()
			}
			x[i] = math.Log(u / (1 - u))
		} else {
			x[i] = rng.NormFloat64()
		}
	}
}

// particleLabels gives particle i the class of target i mod M: every target one particle when
// N = M, the targets' class proportions otherwise.
func particleLabels(n int, t *Targets) []int32 {
	l := make([]int32, n)
	for i := range l {
		l[i] = t.Labels[i%t.M()]
	}
	return l
}

// NewRun prepares a run of s on the targets t in space.
func NewRun(s Settings, space *Space, t *Targets) (*Run, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.Dim, s.M = space.Dim(), t.M()
	r := &Run{S: s, Space: space, Targets: t, labels: particleLabels(s.N, t), pixStep: -1}
	var err error
	switch {
	case s.Method == "gpa" && s.Mobility == "latent":
		r.m, err = newLatentGPA(s, t, r.labels)
	case s.Method == "gpa":
		r.m, err = newDecoderGPA(s, space, t, r.labels)
	default:
		r.m, err = newGAN(s, t, r.labels, s.Method == "wgan-gp")
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// SetWorkers sets the number of goroutines that share each step of a GPA run (0: every core;
// see flow.Flow.SetWorkers); the results do not depend on it. The baselines use one.
func (r *Run) SetWorkers(w int) {
	if g, ok := r.m.(interface{ flow() *flow.Flow }); ok {
		g.flow().SetWorkers(w)
	}
}

// Step advances the run by one step (a particle step, or a generator step); after an error
// the run stays stopped.
func (r *Run) Step() error {
	if r.err != nil {
		return r.err
	}
	if err := r.m.step(); err != nil {
		r.err = err
		return err
	}
	r.step++
	return nil
}

// Steps is the number of steps done; Err the error that stopped the run.
func (r *Run) Steps() int { return r.step }
func (r *Run) Err() error { return r.err }

// Done reports whether the run has reached its steps or stopped.
func (r *Run) Done() bool { return r.err != nil || r.step >= r.S.Steps }

// Labels are the samples' requested classes.
func (r *Run) Labels() []int32 { return r.labels }

// Codes are the samples' standardised latent codes (n x latent; the run's own slice).
func (r *Run) Codes() []float64 { return r.m.codes() }

// Stats are the method's diagnostics.
func (r *Run) Stats() map[string]float64 { return r.m.stats() }

// Samples decodes the samples into pixels in [0,1] (n x 784; the run's own buffer, decoded
// once per step: frames and scores of the same step share it).
func (r *Run) Samples() []float32 {
	if r.pixStep == r.step {
		return r.pix
	}
	n := len(r.labels)
	if len(r.pix) != n*mnist.Pixels {
		r.pix = make([]float32, n*mnist.Pixels)
	}
	r.Space.Decode(r.m.codes(), n, r.pix)
	r.pixStep = r.step
	return r.pix
}

// latentGPA is GPA on the standardised codes.
type latentGPA struct{ fl *flow.Flow }

func newLatentGPA(s Settings, t *Targets, labels []int32) (*latentGPA, error) {
	y := make([]float64, s.N*s.Dim)
	Noise(s.Noise, y, rand.New(rand.NewPCG(s.Seed, 41)))
	fl, err := flow.NewWithData(s.Settings, flow.Data{X: t.Codes, XLabels: t.Labels, Y: y, YLabels: labels, Classes: mnist.Classes})
	if err != nil {
		return nil, err
	}
	return &latentGPA{fl: fl}, nil
}

func (g *latentGPA) step() error      { return g.fl.Step() }
func (g *latentGPA) flow() *flow.Flow { return g.fl }
func (g *latentGPA) codes() []float64 { return g.fl.Particles() }
func (g *latentGPA) stats() map[string]float64 {
	st := g.fl.Stats()
	return map[string]float64{"divergence": st.Divergence, "ke": st.KE, "speed": st.Speed}
}
