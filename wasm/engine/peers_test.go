package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// GPA and its peers in one comparison: the same targets and start, each run steps and is
// measured, the peers' labels name their method and score, the field of a peer has no phi but
// its velocity, and a peer has no discriminator to export.
func TestConfigurePeers(t *testing.T) {
	gpa := settings(t, "n", "100", "m", "100")
	svgd := settings(t, "n", "100", "method", "svgd", "dt", "0.5")
	mmd := settings(t, "n", "100", "method", "mmd", "dt", "1")
	var e Engine
	if err := e.Configure([]RunSpec{{Settings: gpa}, {Settings: svgd}, {Settings: mmd}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	x0, y0 := e.runs[0].fl.Targets(), e.runs[0].fl.Particles()
	for i, r := range e.runs[1:] {
		if !slices.Equal(r.fl.Targets(), x0) || !slices.Equal(r.fl.Particles(), y0) {
			t.Errorf("run %d: not run 0's data", i+2)
		}
	}
	if got := e.runs[1].spec.Label; got != "SVGD (closed-form score)" {
		t.Errorf("svgd label %q", got)
	}
	if got := e.runs[2].spec.Label; got != "MMD flow" {
		t.Errorf("mmd label %q", got)
	}
	before := make([]float64, 3)
	for i, r := range e.runs {
		before[i] = r.metric
	}
	for range 20 {
		if !tick(&e, false) {
			t.Fatal("no run stepped")
		}
	}
	e.MeasureAll()
	f := e.Frame(false)
	for i, r := range f.Runs {
		if r.Err != "" || r.Stats.Step != 20 || math.IsNaN(r.Metric) || r.MetricStep != 20 {
			t.Errorf("run %d: %+v", i+1, r)
		}
		if i > 0 && !(r.Metric < before[i]) {
			t.Errorf("run %d (%s): metric %g, %g at the start", i+1, r.Label, r.Metric, before[i])
		}
	}
	if _, err := e.Weights(1); err == nil || !strings.Contains(err.Error(), "no discriminator") {
		t.Errorf("svgd weights: %v", err)
	}

	// A peer as run 0: its field is its velocity, with no potential.
	if err := e.Configure([]RunSpec{{Settings: settings(t, "method", "mmd", "target", "gaussian", "source", "gaussian(mean=3;3)")}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	q := FieldRequest{X0: -5, X1: 5, Y0: -5, Y1: 5, NX: 5, NY: 5}
	fd := e.Field(q)
	if fd.Phi != nil || len(fd.GX) != 25 {
		t.Fatalf("peer field: phi %v, %d arrows", fd.Phi, len(fd.GX))
	}
	v := make([]float64, 2)
	e.runs[0].fl.Velocity([]float64{-5, -5}, v)
	if math.Abs(float64(fd.GX[0])-v[0]) > 1e-6 || math.Abs(float64(fd.GY[0])-v[1]) > 1e-6 {
		t.Errorf("field at (-5,-5) = (%g, %g), velocity %v", fd.GX[0], fd.GY[0], v)
	}
	if _, _, err := Bench(settings(t, "method", "langevin"), 3, nil, 0); err != nil {
		t.Error(err)
	}
}
