package main

import (
	"fmt"

	"lipflow/flow"
)

// Weights returns run r's discriminator (flow.Weights; the page writes it as JSON).
func (e *Engine) Weights(r int) (flow.Weights, error) {
	if r < 0 || r >= len(e.runs) {
		return flow.Weights{}, fmt.Errorf("weights: run %d, want 1..%d", r+1, len(e.runs))
	}
	fl, ok := e.runs[r].fl.(*flow.Flow)
	if !ok {
		return flow.Weights{}, noDiscriminator(r, e.runs[r])
	}
	return fl.Weights(), nil
}

// noDiscriminator refuses the weights of a run whose method has no discriminator.
func noDiscriminator(r int, rn *run) error {
	return fmt.Errorf("weights: run %d (%s) has no discriminator: only gpa runs have one", r+1, rn.spec.Settings.Get("method"))
}

// SetWeights puts w into run r's discriminator; on error the run is unchanged.
func (e *Engine) SetWeights(r int, w flow.Weights) error {
	if r < 0 || r >= len(e.runs) {
		return fmt.Errorf("weights: run %d, want 1..%d", r+1, len(e.runs))
	}
	fl, ok := e.runs[r].fl.(*flow.Flow)
	if !ok {
		return noDiscriminator(r, e.runs[r])
	}
	return fl.SetWeights(w)
}

// Data are the configuration's samples at full precision: the targets (m x dim) and every run's
// particles (n x dim), row-major.
func (e *Engine) Data() (targets []float64, particles [][]float64) {
	if len(e.runs) == 0 {
		return nil, nil
	}
	for _, r := range e.runs {
		particles = append(particles, r.fl.Particles())
	}
	return e.runs[0].fl.Targets(), particles
}
