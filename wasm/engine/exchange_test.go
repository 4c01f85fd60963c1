package main

import (
	"slices"
	"testing"
)

// Run 2's weights put into run 1 make run 1's field run 2's; a bad file leaves it alone.
func TestEngineWeights(t *testing.T) {
	base := settings(t, "target", "gaussian", "n", "50", "m", "50")
	other := base
	other.LR = 0.05
	var e Engine
	if err := e.Configure([]RunSpec{{Settings: base}, {Settings: other}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		tick(&e, false)
	}
	q := FieldRequest{X0: -3, X1: 3, Y0: -3, Y1: 3, NX: 8, NY: 8}
	before := e.Field(q).Phi
	file, err := e.Weights(1)
	if err != nil {
		t.Fatal(err)
	}
	bad := file
	bad.Width = 31
	if err := e.SetWeights(0, bad); err == nil {
		t.Fatal("a file of the wrong width was accepted")
	}
	if !slices.Equal(e.Field(q).Phi, before) {
		t.Fatal("a refused file changed run 1's field")
	}
	if err := e.SetWeights(0, file); err != nil {
		t.Fatal(err)
	}
	got := e.Field(q).Phi
	e.runs[0], e.runs[1] = e.runs[1], e.runs[0]
	want := e.Field(q).Phi
	if !slices.Equal(got, want) {
		t.Error("run 1 with run 2's weights does not have run 2's field")
	}
	if _, err := e.Weights(5); err == nil {
		t.Error("run 6 accepted")
	}
	targets, particles := e.Data()
	if len(targets) != 100 || len(particles) != 2 || len(particles[1]) != 100 {
		t.Errorf("Data: %d targets, %d runs", len(targets), len(particles))
	}
}
