package flow

import (
	"fmt"
	"math"
)

// WeightsFormat names the discriminator files Weights writes and SetWeights reads.
const (
	WeightsFormat  = "lipflow-weights"
	WeightsVersion = 1
)

// Weights is a flow's discriminator phi as a file: its shape, the settings it was trained
// under, and every parameter in the network's flat layout (each weight matrix row-major, fan-in
// by fan-out, followed by its bias; nu last), so that a trained phi can be saved, shared and
// put back. Spectral normalization's singular vectors are not kept: SetWeights re-estimates them.
// The JSON tags are the file's field names. (The engine's wasm reads files through the page's
// JSON.parse: encoding/json would add 1.7 MB to it.)
type Weights struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	Step       int       `json:"step"` // particle steps the discriminator had seen
	In         int       `json:"in"`
	Width      int       `json:"width"`
	Depth      int       `json:"depth"`
	Heads      int       `json:"heads"`
	Activation string    `json:"activation"`
	F          string    `json:"f"`
	Alpha      float64   `json:"alpha"`
	L          float64   `json:"L"` // 0: unconstrained
	Lipschitz  string    `json:"lipschitz"`
	Params     []float32 `json:"params"`
}

// Weights returns a copy of the flow's discriminator.
func (fl *Flow) Weights() Weights {
	n := fl.net
	return Weights{
		Format: WeightsFormat, Version: WeightsVersion, Step: fl.stats.Step,
		In: n.In, Width: n.Width, Depth: n.Depth, Heads: n.Heads, Activation: n.Act.String(),
		F: fl.s.F, Alpha: fl.s.Alpha, L: fl.s.L, Lipschitz: fl.s.Lipschitz,
		Params: append([]float32(nil), n.Params...),
	}
}

// SetWeights replaces the flow's discriminator by w, which must have the flow's shape
// (inputs, width, depth, heads, activation) and finite parameters; the flow's Lipschitz
// constraint is then imposed on them, so that an edited file cannot make phi steeper than L.
// On error the flow is unchanged. The particles do not move.
func (fl *Flow) SetWeights(w Weights) error {
	n := fl.net
	if w.Format != WeightsFormat || w.Version != WeightsVersion {
		return fmt.Errorf("weights: format %q version %d, want %q version %d", w.Format, w.Version, WeightsFormat, WeightsVersion)
	}
	type dims struct {
		in, width, depth, heads int
		act                     string
	}
	got := dims{w.In, w.Width, w.Depth, w.Heads, w.Activation}
	want := dims{n.In, n.Width, n.Depth, n.Heads, n.Act.String()}
	if got != want {
		return fmt.Errorf("weights: a network of %d inputs, width %d, depth %d, %d heads, %s; this run's has %d inputs, width %d, depth %d, %d heads, %s",
			got.in, got.width, got.depth, got.heads, got.act, want.in, want.width, want.depth, want.heads, want.act)
	}
	if len(w.Params) != len(n.Params) {
		return fmt.Errorf("weights: %d parameters, want %d for this shape", len(w.Params), len(n.Params))
	}
	for i, v := range w.Params {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("weights: parameter %d is %v, want a finite number", i, v)
		}
	}
	copy(n.Params, w.Params)
	if n.lip != nil && n.lip.kind == Spectral {
		for range 30 { // as at initialisation: converge the singular vectors of the new weights
			n.powerIteration()
		}
	}
	if n.lip != nil && n.lip.kind == Frobenius && n.frobeniusHolds(1e-6) {
		// Rescaling weights already at norm L^(1/D) would only round their last bits: a file
		// written by Weights comes back bit for bit.
		n.Refresh()
		return nil
	}
	n.Constrain()
	return nil
}

// frobeniusHolds reports whether every weight matrix has Frobenius norm L^(1/D) within a
// relative tol.
func (n *Net[T]) frobeniusHolds(tol float64) bool {
	for _, w := range n.w {
		var ss float64
		for _, x := range w {
			ss += float64(x) * float64(x)
		}
		if math.Abs(math.Sqrt(ss)/n.lip.c-1) > tol {
			return false
		}
	}
	return true
}
