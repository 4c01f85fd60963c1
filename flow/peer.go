package flow

import (
	"fmt"
	"math"
	"math/rand/v2"

	"lipflow/flow/dist"
)

// streamNoise is the seeded stream of the peers' own noise (Langevin's, the MMD flow's
// injection), apart from the target's, the source's and the network's.
const streamNoise = streamNet + 1

// peer is a run of one of GPA's peers: the particles, the targets and the step loop they share;
// the method itself is its mover. Every peer moves the particles by an explicit step
//
//	Y <- Y + dt_k V(Y) (+ the method's noise),   dt_k = dt / (1 + dt_decay k),
//
// and reports KE = mean |V(Y_i)|^2/2 and the mean speed |V(Y_i)| of its drift V, as GPA does
// of -grad phi.
type peer struct {
	s       Settings
	d, n, m int
	y, x    []float64 // particles (n x d) and targets (m x d), row-major
	next    []float64 // the step's result, kept apart until it is known to be finite
	v       []float64 // the last step's drift at the particles
	noise   *rand.Rand
	// fromTarget: the targets are draws of s.Target (Data.FromTarget).
	fromTarget bool
	mv         mover
	stats      Stats
	err        error
}

// mover is one peer method.
type mover interface {
	// advance writes the particles after a step of size dt from p.y to p.next and the drift it
	// took at p.y to p.v; it returns the method's own objective at p.y (see objective).
	advance(dt float64) (float64, error)
	// field writes the drift at the rows of pts to out.
	field(pts, out []float64)
	label() string     // the legend's name of the run
	objective() string // the name of what Stats.Divergence holds
}

// newPeer checks the data as NewWithData does and draws the particles' start from the source's
// stream, so that a peer starts where GPA with the same settings does.
func newPeer(s Settings, data Data) (*peer, error) {
	data.XLabels, data.YLabels, data.Classes = nil, nil, 1 // no method here reads classes
	if err := checkData(&s, data); err != nil {
		return nil, err
	}
	x := data.X
	p := &peer{s: s, d: s.Dim, n: s.N, m: s.M, x: x, noise: seeded(s.Seed, streamNoise), fromTarget: data.FromTarget}
	if data.Y != nil {
		p.y = append([]float64(nil), data.Y...)
	} else {
		src, err := parseLaw("source", s.Source, s.Dim)
		if err != nil {
			return nil, err
		}
		p.y = make([]float64, s.N*s.Dim)
		src.Sample(p.y, seeded(s.Seed, streamSource))
	}
	p.next = make([]float64, len(p.y))
	p.v = make([]float64, len(p.y))
	return p, nil
}

// parseLaw parses a source or target spec, the error naming the setting.
func parseLaw(name, spec string, d int) (dist.Sampler, error) {
	law, err := dist.Parse(spec, d)
	if err != nil {
		return nil, refuse(name, "%s: %w", name, err)
	}
	return law, nil
}

func (p *peer) Particles() []float64 { return p.y }
func (p *peer) Targets() []float64   { return p.x }
func (p *peer) Dim() int             { return p.d }
func (p *peer) Settings() Settings   { return p.s }
func (p *peer) Stats() Stats         { return p.stats }
func (p *peer) Err() error           { return p.err }

// Velocity writes the method's drift at the rows of pts to out.
func (p *peer) Velocity(pts, out []float64) { p.mv.field(pts, out) }

// Step does one step of the method. A step that would leave a particle or the objective
// outside the floating-point range stops the run with ErrDiverged instead.
func (p *peer) Step() error {
	if p.err != nil {
		return p.err
	}
	dt := p.s.DT / (1 + p.s.DTDecay*float64(p.stats.Step))
	obj, err := p.mv.advance(dt)
	if err != nil {
		return p.fail("%v", err)
	}
	ke, speed := kinetic64(p.v, p.n, p.d)
	if !isFinite(ke) {
		return p.fail("the particles' speed is not finite (lower dt)")
	}
	if bad := firstNonFinite(p.next); bad >= 0 {
		return p.fail("particle %d left the floating-point range (lower dt)", bad/p.d)
	}
	if !isFinite(obj) {
		return p.fail("its objective %s is %v", p.mv.objective(), obj)
	}
	p.y, p.next = p.next, p.y
	p.stats = Stats{Step: p.stats.Step + 1, Divergence: obj, KE: ke, Speed: speed, DT: dt, Objective: p.mv.objective()}
	return nil
}

func (p *peer) fail(format string, args ...any) error {
	p.err = fmt.Errorf("%w at step %d of %s: %s", ErrDiverged, p.stats.Step+1, p.s.Method, fmt.Sprintf(format, args...))
	return p.err
}

// kinetic64 is kinetic of a float64 drift.
func kinetic64(v []float64, n, d int) (ke, speed float64) {
	for i := range n {
		var s float64
		for _, x := range v[i*d : i*d+d] {
			s += x * x
		}
		ke += s
		speed += math.Sqrt(s)
	}
	return ke / (2 * float64(n)), speed / float64(n)
}

// sqDist is |a - b|^2.
func sqDist(a, b []float64) float64 {
	var s float64
	for k, v := range a {
		t := v - b[k]
		s += t * t
	}
	return s
}

// robustScale is a spread of the rows of x that heavy tails do not drag: 1.4826 (the normal
// law's factor) times the RMS over coordinates of each coordinate's median absolute deviation.
func robustScale(x []float64, d int) float64 {
	_, mad := robust(x, d)
	return 1.4826 * mad
}
