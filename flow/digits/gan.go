package digits

import (
	"fmt"
	"math"
	"math/rand/v2"

	"lipflow/flow"
	"lipflow/flow/dense"
	"lipflow/flow/mnist"
)

// gan is a class-conditional generator G(w, onehot(c)) -> z' trained against a discriminator of
// the same kind as GPA's (one head per digit, shared body), on the same targets:
//
//	(f_KL, Lip_1)-GAN ("gan"): phi and nu ascend GPA's objective
//	    J = mean phi(G(w)) - mean f*(phi(X) - nu) - nu   (kl-dv: mean phi(G(w)) - log mean exp phi(X)),
//	    held L-Lipschitz as the settings say; G descends mean phi(G(w)).
//	WGAN-GP ("wgan-gp", Gulrajani et al. 2017): an unconstrained critic ascends
//	    mean phi(G(w)) - mean phi(X) minus the two-sided gradient penalty
//	    lambda * mean (|grad phi(x^)| - 1)^2 at x^ = e G(w) + (1-e) X (e uniform, X a target of
//	    the same class; flow.TwoSided with L = 1, lambda the settings' lambda, 10 by default);
//	    G descends mean phi(G(w)).
//
// One step is `inner` discriminator steps then one generator step, each on a fresh noise batch
// of N; the samples shown are G at N fixed noise draws.
type gan struct {
	wgan    bool
	s       Settings
	t       *Targets
	d       int
	labels  []int32
	rng     *rand.Rand
	div     *flow.Divergence
	gen     *flow.Net[float32]
	disc    *flow.Net[float32]
	gOpt    *flow.Adam[float32]
	dOpt    *flow.Adam[float32]
	w0      []float32 // fixed generator input of the samples shown (n x (d+10))
	win     []float32 // fresh generator input
	batch   []float32 // fake then real rows, (n+m) x d
	rowLab  []int32
	phi     []float32
	dphi    []float32
	gz, dgz []float32
	codes64 []float64
	dLoss   float64
	gLoss   float64
	fresh   bool // codes64 is current
}

func newGAN(s Settings, t *Targets, labels []int32, wgan bool) (*gan, error) {
	d, n, m := s.Dim, s.N, t.M()
	rng := rand.New(rand.NewPCG(s.Seed, 51))
	sizes := []int{d + mnist.Classes}
	for range s.Depth {
		sizes = append(sizes, s.Width)
	}
	gen, err := flow.NewLayers[float32](append(sizes, d), flow.ReLU, rng)
	if err != nil {
		return nil, err
	}
	act, err := flow.ParseActivation(s.Activation)
	if err != nil {
		return nil, err
	}
	disc, err := flow.NewNet[float32](flow.Arch{In: d, Width: s.Width, Depth: s.Depth, Heads: mnist.Classes, Act: act}, 1, rng)
	if err != nil {
		return nil, err
	}
	div, err := flow.ParseDivergence(s.F, s.Alpha)
	if err != nil {
		return nil, err
	}
	kind, err := flow.ParseConstraint(s.Lipschitz)
	if err != nil {
		return nil, err
	}
	L := s.L
	if wgan {
		kind, L = flow.TwoSided, 1
	} else if L == 0 || math.IsInf(L, 1) {
		kind = flow.Unconstrained
	}
	if err := disc.SetConstraint(kind, L, s.Lambda, rng); err != nil {
		return nil, err
	}
	g := &gan{wgan: wgan, s: s, t: t, d: d, labels: labels, rng: rng, div: div, gen: gen, disc: disc,
		gOpt: flow.NewAdam[float32](len(gen.Params), s.LR), dOpt: flow.NewAdam[float32](len(disc.Params), s.LR)}
	if wgan {
		// WGAN-GP's Adam (Gulrajani et al.): beta1 = 0.5, beta2 = 0.9.
		for _, o := range []*flow.Adam[float32]{g.gOpt, g.dOpt} {
			o.Beta1, o.Beta2 = 0.5, 0.9
		}
	}
	g.w0 = make([]float32, n*(d+mnist.Classes))
	g.noise(g.w0, rand.New(rand.NewPCG(s.Seed, 41)))
	g.win = make([]float32, len(g.w0))
	g.batch = make([]float32, (n+m)*d)
	for i, v := range t.Codes {
		g.batch[n*d+i] = float32(v)
	}
	g.rowLab = append(append([]int32(nil), labels...), t.Labels...)
	g.phi = make([]float32, n+m)
	g.dphi = make([]float32, n+m)
	g.gz = make([]float32, n*d)
	g.dgz = make([]float32, n*d)
	return g, nil
}

// noise fills the generator's input rows: d noise values (the settings' noise) and the
// one-hot of the row's class.
func (g *gan) noise(in []float32, rng *rand.Rand) {
	k := g.d + mnist.Classes
	w := make([]float64, g.d)
	for i, c := range g.labels {
		Noise(g.s.Noise, w, rng)
		row := in[i*k : (i+1)*k]
		for j, v := range w {
			row[j] = float32(v)
		}
		clear(row[g.d:])
		row[g.d+int(c)] = 1
	}
}

func (g *gan) step() error {
	n, m, d := len(g.labels), g.t.M(), g.d
	rows := n + m
	nu := len(g.disc.Params) - 1
	for range g.s.Inner {
		g.noise(g.win, g.rng)
		copy(g.batch[:n*d], g.gen.Logits(g.win, n))
		g.disc.Forward(g.batch, rows, g.rowLab, g.phi)
		clear(g.disc.Grad)
		if g.wgan {
			var fake, real float64
			for i, v := range g.phi[:n] {
				fake += float64(v)
				g.dphi[i] = float32(-1 / float64(n))
			}
			for j, v := range g.phi[n:rows] {
				real += float64(v)
				g.dphi[n+j] = float32(1 / float64(m))
			}
			g.dLoss = -(fake/float64(n) - real/float64(m))
			g.disc.Backward(rows, g.rowLab, g.dphi, true, nil)
			g.dLoss += g.penalty()
		} else {
			J, dnu := flow.Objective(g.div, g.phi[:n], g.phi[n:rows], float64(g.disc.Params[nu]), g.dphi[:n], g.dphi[n:rows])
			g.dLoss = -J
			g.disc.Backward(rows, g.rowLab, g.dphi, true, nil)
			g.disc.FinishGrad()
			g.disc.Grad[nu] = float32(dnu)
		}
		g.dOpt.Step(g.disc.Params, g.disc.Grad)
		g.disc.Constrain()
	}
	// Generator: descend mean phi(G(w)).
	g.noise(g.win, g.rng)
	g.gLoss = generatorGrad(g.gen, g.disc, g.win, g.labels, g.gz, g.dgz)
	dense.StepNet(g.gOpt, g.gen)
	g.fresh = false
	if math.IsNaN(g.dLoss) || math.IsInf(g.dLoss, 0) || math.IsNaN(g.gLoss) || math.IsInf(g.gLoss, 0) {
		return fmt.Errorf("%s diverged: discriminator loss %v, generator loss %v (lower lr)", g.s.Method, g.dLoss, g.gLoss)
	}
	for _, p := range [][]float32{g.gen.Params, g.disc.Params} {
		for _, v := range p {
			if v != v || math.IsInf(float64(v), 0) {
				return fmt.Errorf("%s diverged: a network weight is not finite (lower lr)", g.s.Method)
			}
		}
	}
	return nil
}

// penalty adds the weight gradient of the two-sided gradient penalty at interpolates between
// the fake rows and targets of the same class, and returns its value.
func (g *gan) penalty() float64 {
	n, d := len(g.labels), g.d
	byClass := make([][]int, mnist.Classes)
	for j, c := range g.t.Labels {
		byClass[c] = append(byClass[c], j)
	}
	x := g.batch[:n*d] // the fake rows, overwritten by the interpolates
	for i, c := range g.labels {
		j := byClass[c][g.rng.IntN(len(byClass[c]))]
		e := float32(g.rng.Float64())
		for k := range d {
			x[i*d+k] = e*x[i*d+k] + (1-e)*float32(g.t.Codes[j*d+k])
		}
	}
	g.disc.Forward(x, n, g.labels, g.phi[:n])
	return g.disc.AddPenalty(n, g.labels)
}

// generatorGrad computes the generator's loss mean_i phi_{c_i}(G(w_i)) on the rows of in and
// adds its gradient with respect to the generator's parameters to gen.Grad (cleared first):
// back-propagation of grad_z phi / n through G. gz and dgz are n x d scratch.
func generatorGrad[T flow.Float](gen *flow.Net[T], disc *flow.Net[T], in []T, labels []int32, gz, dgz []T) float64 {
	n := len(labels)
	z := gen.Logits(in, n)
	copy(gz, z)
	phi := make([]T, n)
	disc.Forward(gz, n, labels, phi)
	disc.InputGrad(n, labels, dgz)
	var loss float64
	for _, v := range phi {
		loss += float64(v)
	}
	inv := T(1 / float64(n))
	for i := range dgz[:n*gen.Heads] {
		dgz[i] *= inv
	}
	clear(gen.Grad)
	gen.BackwardLogits(dgz, n, true, nil)
	return loss / float64(n)
}

func (g *gan) codes() []float64 {
	if !g.fresh {
		z := g.gen.Logits(g.w0, len(g.labels))
		if len(g.codes64) != len(z) {
			g.codes64 = make([]float64, len(z))
		}
		for i, v := range z {
			g.codes64[i] = float64(v)
		}
		g.fresh = true
	}
	return g.codes64
}

func (g *gan) stats() map[string]float64 {
	return map[string]float64{"d_loss": g.dLoss, "g_loss": g.gLoss}
}
