package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"lipflow/flow"
)

// WeightsLimit bounds a weights file the page hands in: 4096^2 parameters a layer at most would
// be far more, but the browser's own limits come first.
const WeightsLimit = 64 << 20

// Weights returns run r's discriminator as a JSON file (flow.Weights).
func (e *Engine) Weights(r int) ([]byte, error) {
	if r < 0 || r >= len(e.runs) {
		return nil, fmt.Errorf("weights: run %d, want 1..%d", r+1, len(e.runs))
	}
	return json.Marshal(e.runs[r].fl.Weights())
}

// SetWeights puts a weights file into run r's discriminator; on error the run is unchanged.
func (e *Engine) SetWeights(r int, file []byte) error {
	if r < 0 || r >= len(e.runs) {
		return fmt.Errorf("weights: run %d, want 1..%d", r+1, len(e.runs))
	}
	w, err := flow.ReadWeights(bytes.NewReader(file), WeightsLimit)
	if err != nil {
		return err
	}
	return e.runs[r].fl.SetWeights(w)
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
