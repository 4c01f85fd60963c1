package flow

import (
	"errors"
	"math"
	"math/rand/v2"

	"lipflow/flow/dist"
)

// ErrDiverged is returned (wrapped, with the step and the reason) when a step produces a value
// that is not finite. The flow stops there; its particles are those before the failed step.
var ErrDiverged = errors.New("flow diverged")

// Stats are a step's diagnostics.
type Stats struct {
	Step       int     `json:"step"`       // particle steps done
	Divergence float64 `json:"divergence"` // the objective J at the last inner step: the estimate of D_f^L(P||Q)
	KE         float64 `json:"ke"`         // mean |grad phi(Y_i)|^2 / 2
	Speed      float64 `json:"speed"`      // mean |grad phi(Y_i)|
	DT         float64 `json:"dt"`         // the step size used
	// The objective's parts, J = EP - EQ: EP = mean phi(Y_i), EQ = nu + mean f*(phi(X_j) - nu)
	// (log mean exp phi(X_j) for kl-dv), and the solved nu (0 for kl-dv).
	Nu float64 `json:"nu"`
	EP float64 `json:"ep"`
	EQ float64 `json:"eq"`
	// Objective names what Divergence holds for GPA's peers (ksd2, mmd2, sinkhorn); "" for GPA.
	Objective string `json:"objective,omitempty"`
}

// Flow is one run of GPA: N particles in dimension d flowing to M target samples.
type Flow struct {
	s          Settings
	f          *Divergence
	net        *Net[float32]
	opt        optimizer[float32]
	integrator Integrator
	penalized  int // the gradient penalty is over the batch's rows 0..penalized-1 (0: none)
	d, n, m    int
	shards     []shard // the batch's shards (shard.go): the particles' (the first np), then the targets'
	np         int
	work       *workers
	part       []gradBuf[float32] // each worker's partial weight gradient

	y, x      []float64 // particles (n x d) and targets (m x d), row-major
	labelsY   []int32   // particles' classes (nil: one head)
	labelsX   []int32
	labels    []int32 // labelsY then labelsX, the batch's classes
	batch     []float32
	phi, dphi []float32
	tr        *transport
	nu, ep    float64 // the solved nu and mean phi(Y) at the last inner step
	stats     Stats
	err       error
	mob       *mobility // particles reach phi through a map (mobility.go); nil: identity
	rm        *remote   // the servers that share the steps (remote.go); nil: none
}

// checkData sizes s to the data (M from X; N from Y when given), validates s, and checks the
// samples and their labels.
func checkData(s *Settings, data Data) error {
	x := data.X
	if s.Dim < 1 || len(x) == 0 || len(x)%s.Dim != 0 {
		return refuse("target", "target: %d values do not form rows of dim = %d", len(x), s.Dim)
	}
	s.M = len(x) / s.Dim
	if data.Y != nil {
		if len(data.Y) == 0 || len(data.Y)%s.Dim != 0 {
			return refuse("source", "source: %d values do not form rows of dim = %d", len(data.Y), s.Dim)
		}
		s.N = len(data.Y) / s.Dim
	}
	if err := s.Validate(); err != nil {
		return err
	}
	if err := checkSamples("target", x, s.Dim, data.XLabels, s.M, data.Classes); err != nil {
		return err
	}
	if data.Y != nil {
		if err := checkSamples("source", data.Y, s.Dim, data.YLabels, s.N, data.Classes); err != nil {
			return err
		}
		if data.YLabels != nil && data.XLabels == nil {
			return refuse("source", "source: labels given but the target has none")
		}
	}
	return nil
}

// Streams of the seeded generator, so that the data do not change when the network does.
const (
	streamTarget = iota + 1
	streamSource
	streamNet
)

func seeded(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// New draws the source and target of s and returns a flow ready to step.
func New(s Settings) (*Flow, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	tgt, err := dist.Parse(s.Target, s.Dim)
	if err != nil {
		return nil, refuse("target", "target: %w", err)
	}
	x := make([]float64, s.M*s.Dim)
	tgt.Sample(x, seeded(s.Seed, streamTarget))
	return NewWithTarget(s, x, nil, 1)
}

// NewWithTarget is New with given target samples x (m x s.Dim, overriding s.M and s.Target).
// With labels (one class in 0..classes-1 per target), the discriminator has one head per class
// and each particle keeps, for the whole run, the class of the target with its index (modulo m),
// so that N = M gives every target one particle.
func NewWithTarget(s Settings, x []float64, labels []int32, classes int) (*Flow, error) {
	return NewWithData(s, Data{X: x, XLabels: labels, Classes: classes})
}

// Data are the samples a flow is given instead of drawing them from s.Source and s.Target.
type Data struct {
	X       []float64 // targets, m x s.Dim row-major (required)
	XLabels []int32   // targets' classes in 0..Classes-1, or nil for one head
	Y       []float64 // particles' start, n x s.Dim (overriding s.N and s.Source), or nil to draw them
	YLabels []int32   // particles' classes when Y is given; nil: as NewWithTarget assigns them
	Classes int
	// FromTarget says that X are draws of the settings' target law, so that a method that
	// follows the target's score (svgd, langevin) may take the law's closed form; otherwise it
	// estimates the score from X. GPA does not read it.
	FromTarget bool
}

// NewWithData is NewWithTarget with, optionally, the particles' starting points and classes given
// too: the batch-merge experiment starts the particles at one data set's samples.
func NewWithData(s Settings, data Data) (*Flow, error) {
	if err := checkData(&s, data); err != nil {
		return nil, err
	}
	x, labels, classes := data.X, data.XLabels, data.Classes
	if labels == nil {
		classes = 1
	}
	src, err := dist.Parse(s.Source, s.Dim)
	if err != nil && data.Y == nil {
		return nil, refuse("source", "source: %w", err)
	}
	fl := &Flow{s: s, d: s.Dim, n: s.N, m: s.M, x: x}
	fl.f, _ = ParseDivergence(s.F, s.Alpha)
	fl.integrator, _ = ParseIntegrator(s.Integrator)
	act, _ := ParseActivation(s.Activation)
	kind, _ := ParseConstraint(s.Lipschitz)
	if s.L == 0 || math.IsInf(s.L, 1) {
		kind = Unconstrained
	}
	rngNet := seeded(s.Seed, streamNet)
	fl.net, err = NewNet[float32](Arch{In: s.Dim, Width: s.Width, Depth: s.Depth, Heads: classes, Act: act}, 1, rngNet)
	if err != nil {
		return nil, err
	}
	if err := fl.net.SetConstraint(kind, s.L, s.Lambda, rngNet); err != nil {
		return nil, err
	}
	switch kind {
	case Penalty: // at every row of the batch
		fl.penalized = s.N + s.M
	case PenaltyRef: // at the particles only, as the reference code does
		fl.penalized = s.N
	}
	fl.opt, err = newOptimizer[float32](s.Optimizer, s.LR, len(fl.net.Params))
	if err != nil {
		return nil, err
	}
	if data.Y != nil {
		fl.y = append([]float64(nil), data.Y...)
	} else {
		fl.y = make([]float64, s.N*s.Dim)
		src.Sample(fl.y, seeded(s.Seed, streamSource))
	}
	if labels != nil {
		fl.labelsX = labels
		fl.labelsY = data.YLabels
		if fl.labelsY == nil {
			fl.labelsY = make([]int32, s.N)
			for i := range fl.labelsY {
				fl.labelsY[i] = labels[i%s.M]
			}
		}
		fl.labels = append(append([]int32(nil), fl.labelsY...), fl.labelsX...)
	}
	rows := s.N + s.M
	fl.batch = make([]float32, rows*s.Dim)
	for i, v := range x {
		fl.batch[s.N*s.Dim+i] = float32(v)
	}
	fl.loadParticles()
	fl.phi = make([]float32, rows)
	fl.dphi = make([]float32, rows)
	fl.tr = newTransport(fl.integrator, s.N*s.Dim)
	fl.net.reserve(rows)
	fl.shards = shardsOf(s.N, s.M)
	fl.np = len(cut(nil, 0, s.N))
	fl.SetWorkers(1)
	return fl, nil
}

// SetWorkers sets the number of goroutines that share each step (w <= 0: GOMAXPROCS, every
// core; in js/wasm always 1). The particles do not depend on it, to the bit: the step's sums
// follow the shard rule of shard.go whatever the number.
func (fl *Flow) SetWorkers(w int) {
	fl.work = newWorkers(w)
	for len(fl.part) < fl.work.n {
		fl.part = append(fl.part, fl.net.newGradBuf())
	}
}

// Workers is the number of goroutines that share each step.
func (fl *Flow) Workers() int { return fl.work.n }

// loadParticles copies the particles into the first rows of the network's input batch.
func (fl *Flow) loadParticles() { fl.load(fl.y) }

// load writes particles at y (n x Dim) into the batch's first rows, through the mobility's map
// if the flow has one.
func (fl *Flow) load(y []float64) {
	if fl.rm != nil {
		fl.rm.dirty = true
	}
	if fl.mob != nil {
		fl.mob.m.Map(y, fl.n, fl.batch[:fl.n*fl.net.In])
		return
	}
	for i, v := range y {
		fl.batch[i] = float32(v)
	}
}

// Settings returns the settings the flow was made with.
func (fl *Flow) Settings() Settings { return fl.s }

// Dim is the particles' dimension.
func (fl *Flow) Dim() int { return fl.d }

// Particles returns the particles, n x Dim row-major. The slice is the flow's own: read it
// between steps, do not keep or change it.
func (fl *Flow) Particles() []float64 { return fl.y }

// Targets returns the target samples, m x Dim row-major (the flow's own slice).
func (fl *Flow) Targets() []float64 { return fl.x }

// Labels returns the particles' classes (nil for a flow with one head).
func (fl *Flow) Labels() []int32 { return fl.labelsY }

// Stats returns the diagnostics of the last step.
func (fl *Flow) Stats() Stats { return fl.stats }

// Err returns the error that stopped the flow, if any.
func (fl *Flow) Err() error { return fl.err }

// Nu is the current value of the scalar nu (0 for kl-dv).
func (fl *Flow) Nu() float64 { return fl.nu }

// checkSamples refuses samples that are not finite or whose labels do not fit.
func checkSamples(what string, x []float64, d int, labels []int32, rows, classes int) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return refuse(what, "%s: row %d holds %v, want finite numbers", what, i/d+1, v)
		}
	}
	if labels == nil {
		return nil
	}
	if len(labels) != rows {
		return refuse(what, "%s: %d labels for %d samples", what, len(labels), rows)
	}
	for i, c := range labels {
		if c < 0 || int(c) >= classes {
			return refuse(what, "%s: label %d of row %d, want 0..%d", what, c, i+1, classes-1)
		}
	}
	return nil
}
