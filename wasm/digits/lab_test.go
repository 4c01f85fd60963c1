package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"strings"
	"testing"

	"lipflow/flow/ae"
	"lipflow/flow/digits"
)

func files(t *testing.T) (train, heldout []byte) {
	t.Helper()
	var err error
	if train, err = os.ReadFile("../../assets/mnist/data/train.bin.gz"); err != nil {
		t.Fatal(err)
	}
	if heldout, err = os.ReadFile("../../assets/mnist/data/heldout.bin.gz"); err != nil {
		t.Fatal(err)
	}
	return train, heldout
}

// tinyAE is a small, quick schedule: one epoch of a 784-16-4 network.
func tinyAE() ae.Config {
	c := ae.Defaults()
	c.Latent, c.Width, c.Epochs, c.Batch = 4, 16, 1, 200
	return c
}

func trained(t *testing.T) *Lab {
	t.Helper()
	l := NewLab()
	if err := l.SetData(files(t)); err != nil {
		t.Fatal(err)
	}
	if err := l.SetAEConfig(tinyAE()); err != nil {
		t.Fatal(err)
	}
	if err := l.StartTraining(); err != nil {
		t.Fatal(err)
	}
	for {
		done, err := l.TrainStep()
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
	}
	return l
}

// TestLabRefusals: every bad input is refused with its reason, and leaves the state as it was.
func TestLabRefusals(t *testing.T) {
	l := NewLab()
	if err := l.Configure([]digits.Settings{digits.DefaultSettings()}); err == nil || !strings.Contains(err.Error(), "load the data first") {
		t.Fatalf("configure without data: %v", err)
	}
	if err := l.StartTraining(); err == nil || !strings.Contains(err.Error(), "load the data first") {
		t.Fatalf("training without data: %v", err)
	}
	train, held := files(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(make([]byte, dataLimit+1))
	zw.Close()
	for _, c := range []struct {
		name        string
		train, held []byte
		want        string
	}{
		{"truncated", train[:len(train)/2], held, "train: digit file: the compressed stream is truncated"},
		{"not gzip", train, []byte("not a digit file"), "heldout: digit file: not gzip"},
		{"oversized", gz.Bytes(), held, "limit"},
	} {
		if err := l.SetData(c.train, c.held); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
		if l.Data != nil {
			t.Fatalf("%s: refused data were installed", c.name)
		}
	}
	if err := l.SetData(train, held); err != nil {
		t.Fatal(err)
	}
	if err := l.Configure([]digits.Settings{digits.DefaultSettings()}); err == nil || !strings.Contains(err.Error(), "train the autoencoder first") {
		t.Fatalf("configure before training: %v", err)
	}
	bad := tinyAE()
	bad.Latent = 99
	if err := l.SetAEConfig(bad); err == nil || l.AEConf != ae.Defaults() {
		t.Fatalf("bad config: %v, config now %+v", err, l.AEConf)
	}

	l = trained(t)
	good := digits.DefaultSettings()
	good.N, good.Steps = 20, 3
	if err := l.Configure([]digits.Settings{good}); err != nil {
		t.Fatal(err)
	}
	runs := l.Runs
	s := good
	s.Method = "vae"
	err := l.Configure([]digits.Settings{good, s})
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Run != 1 || ce.Setting != "method" {
		t.Fatalf("bad second run: %v (%+v)", err, ce)
	}
	if len(l.Runs) != 1 || l.Runs[0] != runs[0] {
		t.Fatal("a refused configuration replaced the runs")
	}
	a := l.AE
	if err := l.Import([]byte(`{"format":"lipflow-autoencoder","version":2}`)); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Fatalf("bad import: %v", err)
	}
	if l.AE != a || !l.Trained || len(l.Runs) != 1 {
		t.Fatal("a refused import changed the autoencoder or the runs")
	}
}

// TestLabRuns configures three methods side by side on shared targets, steps them in
// lockstep, scores them, and round-trips the autoencoder through export and import.
func TestLabRuns(t *testing.T) {
	l := trained(t)
	var specs []digits.Settings
	for _, m := range []string{"gpa", "gan", "wgan-gp"} {
		s := digits.DefaultSettings()
		s.Method, s.N, s.Steps, s.Width = m, 30, 4, 16
		specs = append(specs, s)
	}
	if err := l.Configure(specs); err != nil {
		t.Fatal(err)
	}
	for l.Active() {
		if !l.StepOne(false) {
			t.Fatal("active but no run can step")
		}
	}
	if l.Step() != 4 {
		t.Fatalf("lockstep step %d, want 4", l.Step())
	}
	for i, r := range l.Runs {
		if r.Steps() != 4 || r.Err() != nil {
			t.Fatalf("run %d: %d steps, error %v", i, r.Steps(), r.Err())
		}
		if r.Targets != l.Targets {
			t.Fatalf("run %d does not share the targets", i)
		}
	}
	l.Clf.Train()
	l.ClassifierDone()
	l.Measure()
	for i, s := range l.Scores {
		if s == nil || s.Agreement < 0 || s.Agreement > 1 || !(s.NNDistance > 0) || !(s.NNTrainDistance > 0) {
			t.Fatalf("run %d scores %+v", i, s)
		}
	}
	if !(l.ClfAccuracy > 0.8) {
		t.Fatalf("classifier accuracy %v", l.ClfAccuracy)
	}
	b, err := l.AE.Export()
	if err != nil {
		t.Fatal(err)
	}
	l2 := NewLab()
	if err := l2.Import(b); err != nil { // before the data: the space waits for them
		t.Fatal(err)
	}
	if err := l2.SetData(files(t)); err != nil {
		t.Fatal(err)
	}
	if err := l2.Configure(specs[:1]); err != nil {
		t.Fatalf("configure after import: %v", err)
	}
	if err := l.Reset(); err != nil || l.Step() != 0 {
		t.Fatalf("reset: %v, step %d", err, l.Step())
	}
}

// DiscardAE makes the next training start from the config's fresh weights: a retrained
// autoencoder is the one a new lab trains.
func TestLabDiscardAE(t *testing.T) {
	l := trained(t)
	first, err := l.AE.Export()
	if err != nil {
		t.Fatal(err)
	}
	l.DiscardAE()
	if l.AE != nil || l.Trained {
		t.Fatal("the autoencoder survived DiscardAE")
	}
	if err := l.StartTraining(); err != nil {
		t.Fatal(err)
	}
	for {
		done, err := l.TrainStep()
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
	}
	if again, _ := l.AE.Export(); !bytes.Equal(again, first) {
		t.Error("retraining from fresh weights (same config and seed) gave other weights")
	}
}
