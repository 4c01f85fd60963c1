package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestMatrixSubset runs the fast part of `lipflow -matrix`: every f with every constraint
// under Adam on the Gaussian preset, and three f under SGD with Frobenius on the heavy tails.
// Each cell must reach its preset's fraction of the starting metric, or stop or warn with a
// message. The whole matrix (all cells, docs/science.md) is `go run ./flow/cmd/lipflow -matrix`.
func TestMatrixSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 45 flows")
	}
	presets := matrixPresets()
	var out bytes.Buffer
	failed := runMatrix(&out, presets[:1], matrixDivergences, []string{"frobenius", "spectral", "penalty", "penalty-ref"}, []string{"adam"})
	heavy := presets[2]
	heavy.steps = 300
	// kl-dv, alpha = 0.5, alpha = 2
	failed = append(failed, runMatrix(&out, []matrixPreset{heavy}, matrixDivergences[1:4], []string{"frobenius"}, []string{"sgd"})...)
	t.Log(out.String())
	for _, c := range failed {
		t.Errorf("%s, %s, %s, %s: %s (start %.3g, end %.3g) %s", c.preset, c.f, c.lipschitz, c.optimizer, c.verdict, c.start, c.end, c.err)
	}
	if !strings.Contains(out.String(), "| kl-dv |") {
		t.Errorf("the table lacks its rows:\n%s", out.String())
	}
}
