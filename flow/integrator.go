package flow

import "fmt"

// Integrator is the scheme that moves the particles along v = grad phi, phi being the
// discriminator trained at the particles' current positions.
type Integrator int

const (
	// Euler: Y <- Y - dt v(Y).
	Euler Integrator = iota
	// Heun, as the reference code does it: Y~ = Y - dt v(Y); phi is trained again at Y~ (Inner
	// steps, warm-started); Y <- Y - dt/2 (v(Y) + v~(Y~)) with v~ the retrained phi's gradient.
	// Retraining is what makes it second order in the flow: with phi frozen at Y's, v~ would
	// carry phi's error at Y~ of order dt, and the scheme would be first order.
	Heun
	// AB2 (Adams-Bashforth 2): Y <- Y - dt (3/2 v_n - 1/2 v_{n-1}), v_{n-1} from the previous
	// step's phi at the previous positions; Euler on the first step.
	AB2
)

var integratorNames = []string{"euler", "heun", "ab2"}

func (i Integrator) String() string {
	if i < 0 || int(i) >= len(integratorNames) {
		return fmt.Sprintf("Integrator(%d)", int(i))
	}
	return integratorNames[i]
}

// ParseIntegrator returns the integrator with the given name.
func ParseIntegrator(name string) (Integrator, error) {
	for i, n := range integratorNames {
		if n == name {
			return Integrator(i), nil
		}
	}
	return 0, fmt.Errorf("integrator = %q, want one of %v", name, integratorNames)
}

// field is what an integrator asks of a flow: the velocity of particles at y under the
// current phi, and phi trained again for particles at y.
type field interface {
	velocity(y []float64, v []float32)
	refit(y []float64) error
}

// transport holds an integrator's buffers: velocities now, before and at the predictor.
type transport struct {
	kind        Integrator
	v, prev, vp []float32
	yp          []float64
	steps       int // moves done (AB2 needs one before it has a history)
}

func newTransport(kind Integrator, n int) *transport {
	t := &transport{kind: kind, v: make([]float32, n), prev: make([]float32, n)}
	if kind == Heun {
		t.vp = make([]float32, n)
		t.yp = make([]float64, n)
	}
	return t
}

// move advances y by one step of size dt. t.v holds v(y) afterwards (swapped into t.prev for
// AB2's history at the next move).
func (t *transport) move(f field, y []float64, dt float64) error {
	f.velocity(y, t.v)
	switch {
	case t.kind == Heun:
		for i, v := range t.v {
			t.yp[i] = y[i] - dt*float64(v)
		}
		if err := f.refit(t.yp); err != nil {
			return err
		}
		f.velocity(t.yp, t.vp)
		for i := range y {
			y[i] -= dt / 2 * (float64(t.v[i]) + float64(t.vp[i]))
		}
	case t.kind == AB2 && t.steps > 0:
		for i, v := range t.v {
			y[i] -= dt * (1.5*float64(v) - 0.5*float64(t.prev[i]))
		}
	default:
		for i, v := range t.v {
			y[i] -= dt * float64(v)
		}
	}
	t.steps++
	t.v, t.prev = t.prev, t.v
	return nil
}

// velocityNow is v(Y) at the positions before the last move.
func (t *transport) velocityNow() []float32 { return t.prev }
