package flow

// ParticleFlow is one run of a particle method: GPA (*Flow) or one of the flows it is measured
// against (svgd.go, mmdflow.go, langevin.go, sinkhornflow.go). The lab's engine and the native
// runner step, draw and measure every run through it alike.
type ParticleFlow interface {
	// Step moves the particles once. After an error the run stays stopped and Step returns the
	// same error; the particles are those before the failed step.
	Step() error
	Particles() []float64 // n x Dim, the run's own slice: read between steps
	Targets() []float64   // m x Dim, the run's own slice
	Dim() int
	Settings() Settings
	Stats() Stats
	Err() error
	// Velocity writes the velocity field the particles follow at the rows of pts (k x Dim) to
	// out (k x Dim): the view's arrows. For GPA it is -grad phi; for a method with noise
	// (langevin, mmd with noise injection) its drift.
	Velocity(pts, out []float64)
}

// The methods of the method setting.
const (
	MethodGPA      = "gpa"
	MethodSVGD     = "svgd"
	MethodMMD      = "mmd"
	MethodLangevin = "langevin"
	MethodSinkhorn = "sinkhorn"
)

// Methods lists the method setting's values.
var Methods = []string{MethodGPA, MethodSVGD, MethodMMD, MethodLangevin, MethodSinkhorn}

// maxPeerRows bounds n + m for the peers: each of their steps sums over every pair of points
// (O((n+m)^2 d)), about 8e8 kernel evaluations a step at this size.
const maxPeerRows = 20000

// method is s.Method with "" read as gpa.
func (s *Settings) method() string {
	if s.Method == "" {
		return MethodGPA
	}
	return s.Method
}

// Velocity is -grad phi (head 0) at the rows of pts: the direction GPA moves a particle there.
func (fl *Flow) Velocity(pts, out []float64) {
	fl.Gradient(pts, 0, out)
	for i, v := range out {
		out[i] = -v
	}
}

// NewParticleFlow draws the source and target of s and returns a run of s's method: GPA's
// (New) or a peer's, each drawing its targets and its particles' start from the same seeded
// streams, so that every method of a comparison starts from the same points.
func NewParticleFlow(s Settings) (ParticleFlow, error) {
	if s.method() == MethodGPA {
		return New(s)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	x, err := drawTarget(s)
	if err != nil {
		return nil, err
	}
	return NewParticleFlowWithData(s, Data{X: x, FromTarget: true})
}

// NewParticleFlowWithData is NewParticleFlow with given samples (see Data). The peers take
// neither labels nor classes.
func NewParticleFlowWithData(s Settings, data Data) (ParticleFlow, error) {
	if s.method() == MethodGPA {
		return NewWithData(s, data)
	}
	if data.XLabels != nil || data.YLabels != nil {
		return nil, refuse("method", "method = %s takes no class labels: only gpa has one head per class", s.Method)
	}
	p, err := newPeer(s, data)
	if err != nil {
		return nil, err
	}
	var m mover
	switch s.Method {
	case MethodSVGD:
		m, err = newSVGD(p)
	case MethodMMD:
		m = newMMDFlow(p)
	case MethodLangevin:
		m, err = newLangevin(p)
	case MethodSinkhorn:
		m = newSinkhornFlow(p)
	default:
		return nil, refuse("method", "method = %q, want one of %v", s.Method, Methods)
	}
	if err != nil {
		return nil, err
	}
	p.mv = m
	return p, nil
}

// drawTarget draws s.M samples of s.Target from the target's stream, as New does.
func drawTarget(s Settings) ([]float64, error) {
	tgt, err := parseLaw("target", s.Target, s.Dim)
	if err != nil {
		return nil, err
	}
	x := make([]float64, s.M*s.Dim)
	tgt.Sample(x, seeded(s.Seed, streamTarget))
	return x, nil
}

// Label names a run's method for a legend: GPA's divergence and L, or the peer and what it
// takes the target's score from.
func Label(r ParticleFlow) string {
	if p, ok := r.(*peer); ok {
		return p.mv.label()
	}
	s := r.Settings()
	f := s.F
	if f == "alpha" {
		f = "α=" + s.Get("alpha")
	}
	return f + ", L=" + s.Get("L")
}
