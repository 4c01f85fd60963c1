package ae

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"lipflow/flow"
)

// The weights file: JSON with a format name and version, the config, each network's layer
// sizes and per layer its weights (fan-in x fan-out, row-major) and biases, and the curves.
const (
	Format  = "lipflow-autoencoder"
	Version = 1
	// MaxJSON bounds a weights file (the default network's is about 5 MB).
	MaxJSON = 64 << 20
)

type fileJSON struct {
	Format       string    `json:"format"`
	Version      int       `json:"version"`
	Config       Config    `json:"config"`
	Encoder      netJSON   `json:"encoder"`
	Decoder      netJSON   `json:"decoder"`
	Curve        []float64 `json:"curve"`
	HeldoutCurve []float64 `json:"heldout_curve"`
	HeldoutLoss  float64   `json:"heldout_loss"`
}

type netJSON struct {
	Sizes  []int       `json:"sizes"`
	Layers []layerJSON `json:"layers"`
}

type layerJSON struct {
	W []float32 `json:"w"`
	B []float32 `json:"b"`
}

// Export writes the weights file. float32 values are written in their shortest exact form, so
// Import gives back the same bits.
func (a *AE) Export() ([]byte, error) {
	f := fileJSON{Format: Format, Version: Version, Config: a.Config,
		Encoder: netOut(a.Enc), Decoder: netOut(a.Dec),
		Curve: finiteOr0(a.Curve), HeldoutCurve: finiteOr0(a.HeldoutCurve), HeldoutLoss: finite(a.HeldoutLoss)}
	return json.Marshal(f)
}

func netOut(n *flow.Net[float32]) netJSON {
	j := netJSON{Sizes: n.Sizes}
	for l := range n.Layers() {
		j.Layers = append(j.Layers, layerJSON{W: n.Weights(l), B: n.Bias(l)})
	}
	return j
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

func finiteOr0(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = finite(v)
	}
	return out
}

// Import reads a weights file, checking its size, format, version, config, layer shapes and
// that every number is finite; the error says which.
func Import(data []byte) (*AE, error) {
	if len(data) > MaxJSON {
		return nil, fmt.Errorf("weights file: %d bytes, more than the %d-byte limit", len(data), MaxJSON)
	}
	var f fileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("weights file: not valid JSON of the expected shape (%v)", err)
	}
	if dec.More() {
		return nil, errors.New("weights file: trailing data after the JSON object")
	}
	if f.Format != Format {
		return nil, fmt.Errorf("weights file: format %q, want %q", f.Format, Format)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("weights file: version %d, want %d", f.Version, Version)
	}
	if err := f.Config.Validate(); err != nil {
		return nil, fmt.Errorf("weights file: config: %v", err)
	}
	a, err := New(f.Config)
	if err != nil {
		return nil, err
	}
	if err := netIn("encoder", f.Encoder, a.Enc); err != nil {
		return nil, err
	}
	if err := netIn("decoder", f.Decoder, a.Dec); err != nil {
		return nil, err
	}
	for _, c := range [][]float64{f.Curve, f.HeldoutCurve, {f.HeldoutLoss}} {
		for _, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errors.New("weights file: a loss curve holds a number that is not finite")
			}
		}
	}
	a.Curve, a.HeldoutCurve, a.HeldoutLoss = f.Curve, f.HeldoutCurve, f.HeldoutLoss
	return a, nil
}

func netIn(name string, j netJSON, n *flow.Net[float32]) error {
	if fmt.Sprint(j.Sizes) != fmt.Sprint(n.Sizes) {
		return fmt.Errorf("weights file: %s layer sizes %v, want %v for its config", name, j.Sizes, n.Sizes)
	}
	if len(j.Layers) != n.Layers() {
		return fmt.Errorf("weights file: %s has %d layers, want %d", name, len(j.Layers), n.Layers())
	}
	for l, lj := range j.Layers {
		w, b := n.Weights(l), n.Bias(l)
		if len(lj.W) != len(w) || len(lj.B) != len(b) {
			return fmt.Errorf("weights file: %s layer %d has %d weights and %d biases, want %d and %d",
				name, l+1, len(lj.W), len(lj.B), len(w), len(b))
		}
		for _, x := range [][]float32{lj.W, lj.B} {
			for _, v := range x {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					return fmt.Errorf("weights file: %s layer %d holds a number that is not finite", name, l+1)
				}
			}
		}
		copy(w, lj.W)
		copy(b, lj.B)
	}
	n.Refresh()
	return nil
}
