package main

import (
	"errors"
	"fmt"
	"math"

	"lipflow/flow/ae"
	"lipflow/flow/digits"
	"lipflow/flow/mnist"
)

// Lab is the worker's state without JavaScript: the data, the autoencoder and its training,
// the classifier, the shared targets and up to three runs. js.go drives it in slices.
type Lab struct {
	Data    *digits.Data
	AEConf  ae.Config
	AE      *ae.AE      // nil until trained, imported or training
	Trainer *ae.Trainer // nil when the AE was imported
	Trained bool        // AE ready for the runs
	Space   *digits.Space
	Clf     *digits.Classifier
	// ClfAccuracy is the classifier's accuracy on the held-out digits it did not train on
	// (NaN until it is trained).
	ClfAccuracy float64

	Targets *digits.Targets
	Ref     *digits.Reference
	Specs   []digits.Settings
	Runs    []*digits.Run
	Scores  []*digits.Scores // per run, nil until measured
	config  int              // counts configurations
}

// nnReference is the number of held-out digits whose nearest-target distance is the reference.
const nnReference = 500

// dataLimit bounds a digit file once decompressed.
const dataLimit = mnist.DefaultLimit

// NewLab returns a lab with the default autoencoder config and no data.
func NewLab() *Lab { return &Lab{AEConf: ae.Defaults(), ClfAccuracy: math.NaN()} }

// SetData validates and installs the two digit files (gzip-compressed). On error the lab is
// unchanged. New data discard the targets and runs (and the classifier, which retrains).
func (l *Lab) SetData(train, heldout []byte) error {
	tr, err := mnist.ReadBytes(train, dataLimit)
	if err != nil {
		return fmt.Errorf("train: %v", err)
	}
	he, err := mnist.ReadBytes(heldout, dataLimit)
	if err != nil {
		return fmt.Errorf("heldout: %v", err)
	}
	d, err := digits.NewData(tr, he)
	if err != nil {
		return err
	}
	l.Data = d
	l.Clf = digits.NewClassifier(he, d.ClassIdx, 1)
	l.ClfAccuracy = math.NaN()
	l.clearRuns()
	if l.AE != nil && l.Trainer != nil && !l.Trained {
		// Training in progress on the old data: restart it on the new.
		l.AE, l.Trainer = nil, nil
	}
	if l.Trained {
		l.Space = digits.NewSpace(l.AE, l.Data.Train)
	}
	return nil
}

func (l *Lab) clearRuns() {
	l.Targets, l.Ref, l.Runs, l.Specs, l.Scores = nil, nil, nil, nil, nil
}

// SetAEConfig replaces the autoencoder's config; a change discards the autoencoder.
func (l *Lab) SetAEConfig(c ae.Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c != l.AEConf {
		l.AEConf = c
		l.DiscardAE()
	}
	return nil
}

// DiscardAE forgets the autoencoder (trained, imported or half-trained) and the runs built on
// it: the next StartTraining begins from fresh weights.
func (l *Lab) DiscardAE() {
	l.AE, l.Trainer, l.Trained, l.Space = nil, nil, false, nil
	l.clearRuns()
}

// StartTraining makes sure there is an autoencoder to train (a new one from the config).
func (l *Lab) StartTraining() error {
	if l.Data == nil {
		return errors.New("load the data first")
	}
	if l.AE != nil && (l.Trainer == nil || l.Trained) {
		return nil // imported or trained: nothing to do
	}
	if l.AE == nil {
		a, err := ae.New(l.AEConf)
		if err != nil {
			return err
		}
		ev := &mnist.Set{}
		for _, i := range l.Data.EvalIdx {
			ev.Pix = append(ev.Pix, l.Data.Heldout.Digit(i)...)
			ev.Labels = append(ev.Labels, l.Data.Heldout.Labels[i])
		}
		tr, err := ae.NewTrainer(a, l.Data.Train, ev)
		if err != nil {
			return err
		}
		l.AE, l.Trainer = a, tr
	}
	return nil
}

// TrainStep trains the autoencoder on one mini-batch; it returns whether training is over.
func (l *Lab) TrainStep() (bool, error) {
	if l.Trainer == nil || l.Trained {
		return true, nil
	}
	if _, err := l.Trainer.TrainStep(); err != nil {
		return true, err
	}
	if l.Trainer.Done() {
		l.finishAE()
		return true, nil
	}
	return false, nil
}

func (l *Lab) finishAE() {
	l.Trained = true
	l.Space = digits.NewSpace(l.AE, l.Data.Train)
	l.clearRuns()
}

// Import installs an autoencoder from its weights file; on error the current one stays.
func (l *Lab) Import(data []byte) error {
	a, err := ae.Import(data)
	if err != nil {
		return err
	}
	l.AE, l.Trainer, l.AEConf = a, nil, a.Config
	l.Trained = false
	l.clearRuns()
	if l.Data != nil {
		l.Trained = true
		l.Space = digits.NewSpace(a, l.Data.Train)
	}
	return nil
}

// ensureSpace finishes an import that arrived before the data.
func (l *Lab) ensureSpace() {
	if l.AE != nil && l.Trainer == nil && !l.Trained && l.Data != nil {
		l.Trained = true
		l.Space = digits.NewSpace(l.AE, l.Data.Train)
	}
}

// ConfigError is a configuration error with the setting and run it concerns.
type ConfigError struct {
	Setting string
	Run     int
	Err     error
}

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Configure replaces the runs by new ones of the given settings on targets drawn with the
// first run's per_class and seed. On error the current runs stay.
func (l *Lab) Configure(specs []digits.Settings) error {
	l.ensureSpace()
	if len(specs) < 1 || len(specs) > digits.MaxRuns {
		return &ConfigError{Err: fmt.Errorf("runs: %d settings, want 1..%d", len(specs), digits.MaxRuns)}
	}
	if l.Data == nil {
		return &ConfigError{Err: errors.New("load the data first")}
	}
	if !l.Trained {
		return &ConfigError{Err: errors.New("train the autoencoder first")}
	}
	for i := range specs {
		if err := specs[i].Validate(); err != nil {
			return &ConfigError{Setting: digits.SettingName(err), Run: i, Err: err}
		}
	}
	tg := l.Targets
	if tg == nil || tg.M() != 10*specs[0].PerClass || l.Specs == nil || l.Specs[0].Seed != specs[0].Seed {
		var err error
		tg, err = digits.NewTargets(l.Data, l.Space, specs[0].PerClass, specs[0].Seed)
		if err != nil {
			return &ConfigError{Setting: "per_class", Err: err}
		}
	}
	runs := make([]*digits.Run, len(specs))
	for i, s := range specs {
		r, err := digits.NewRun(s, l.Space, tg)
		if err != nil {
			return &ConfigError{Setting: digits.SettingName(err), Run: i, Err: err}
		}
		runs[i] = r
	}
	if tg != l.Targets {
		idx := l.Data.EvalIdx[:min(nnReference, len(l.Data.EvalIdx))]
		l.Ref = digits.NewReference(tg, l.Space, digits.Pixels(l.Data.Heldout, idx), l.Space.DecodeDigits(l.Data.Heldout, idx), len(idx))
	}
	l.Targets, l.Specs, l.Runs = tg, specs, runs
	l.Scores = make([]*digits.Scores, len(runs))
	l.config++
	return nil
}

// Reset rebuilds the runs from their settings at step 0.
func (l *Lab) Reset() error {
	if l.Specs == nil {
		return errors.New("nothing to reset: configure first")
	}
	return l.Configure(l.Specs)
}

// Step is the lockstep step: the fewest steps any live run has done.
func (l *Lab) Step() int {
	s := math.MaxInt
	for _, r := range l.Runs {
		if r.Err() == nil {
			s = min(s, r.Steps())
		}
	}
	if s == math.MaxInt {
		s = 0
		for _, r := range l.Runs {
			s = max(s, r.Steps())
		}
	}
	return s
}

// Active reports whether some run can go on to its steps.
func (l *Lab) Active() bool {
	for _, r := range l.Runs {
		if !r.Done() {
			return true
		}
	}
	return false
}

// StepOne steps the live run that is furthest behind once (past its steps when force); it
// returns false when no run can step.
func (l *Lab) StepOne(force bool) bool {
	var best *digits.Run
	for _, r := range l.Runs {
		if r.Err() != nil || (!force && r.Done()) {
			continue
		}
		if best == nil || r.Steps() < best.Steps() {
			best = r
		}
	}
	if best == nil {
		return false
	}
	best.Step() // an error stops that run; the frame reports it
	return true
}

// ClassifierDone measures the trained classifier's accuracy once.
func (l *Lab) ClassifierDone() {
	if l.Clf != nil && l.Clf.Done() && math.IsNaN(l.ClfAccuracy) {
		l.ClfAccuracy = l.Clf.Accuracy(l.Data.Heldout, l.Data.EvalIdx)
	}
}

// Measure recomputes every run's scores (the classifier's agreement only once it is trained).
func (l *Lab) Measure() {
	if l.Targets == nil {
		return
	}
	var clf *digits.Classifier
	if l.Clf != nil && l.Clf.Done() {
		clf = l.Clf
	}
	for i, r := range l.Runs {
		s := digits.Score(clf, r.Samples(), r.Labels(), l.Ref)
		l.Scores[i] = &s
	}
}
