package flow

import "fmt"

// Integrator is the scheme that moves the particles along -grad phi once phi is trained.
// phi is held fixed during a particle step, so Heun's corrector and Adams-Bashforth's history use
// the same potential (AB2: the previous step's velocities, from the previous phi).
type Integrator int

const (
	// Euler: Y <- Y - dt v(Y).
	Euler Integrator = iota
	// Heun: Y~ = Y - dt v(Y);  Y <- Y - dt/2 (v(Y) + v(Y~)).
	Heun
	// AB2 (Adams-Bashforth 2): Y <- Y - dt (3/2 v_n - 1/2 v_{n-1}); Euler on the first step.
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
