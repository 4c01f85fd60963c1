// Command merge is the gene-expression merge page's engine: built with GOOS=js GOARCH=wasm to
// www/merge.wasm, it runs in a Web Worker (www/worker.js?wasm=merge.wasm) and holds one gene.Run. The
// message protocol is in js.go; this file is the platform-independent core, tested natively.
package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"lipflow/flow"
	"lipflow/flow/gene"
)

// DataSets are the files the page may load, data/gene/NAME.bin.
var DataSets = []string{"bladder", "kidney"}

// Session is the worker's state: the data sets loaded so far and the current merge.
type Session struct {
	sets    map[string]*gene.Set
	run     *gene.Run
	config  int // counts configurations
	figures gene.Figures
	figStep int // the step at which figures.After was measured; -1: not yet, for this merge
	classes gene.Classes
}

// SettingError is a refused configuration; Setting names the culprit when known.
type SettingError struct {
	Setting string
	Err     error
}

func (e *SettingError) Error() string { return e.Err.Error() }

// Load reads a data set's compact file.
func (s *Session) Load(name string, data []byte) error {
	if !slices.Contains(DataSets, name) {
		return fmt.Errorf("data set %q, want one of %s", name, strings.Join(DataSets, ", "))
	}
	set, err := gene.Read(data)
	if err != nil {
		return fmt.Errorf("%s.bin: %w", name, err)
	}
	if set.Dataset != name {
		return fmt.Errorf("%s.bin holds the data set %q", name, set.Dataset)
	}
	if s.sets == nil {
		s.sets = map[string]*gene.Set{}
	}
	s.sets[name] = set
	return nil
}

// Loaded reports whether the data set is in.
func (s *Session) Loaded(name string) bool { return s.sets[name] != nil }

// Configure starts a new merge from settings (vocabulary names over gene.DefaultConfig()). On
// an error the current merge stays as it was.
func (s *Session) Configure(settings map[string]string) error {
	c := gene.DefaultConfig()
	names := gene.ConfigNames()
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(names, k) {
			return &SettingError{k, fmt.Errorf("unknown setting %q", k)}
		}
		if err := c.Set(k, settings[k]); err != nil {
			return &SettingError{k, err}
		}
	}
	if err := c.Validate(); err != nil {
		return &SettingError{settingOf(err.Error()), err}
	}
	var sets []*gene.Set
	for _, b := range []string{c.SourceBatch, c.TargetBatch} {
		d := gene.Dataset(b)
		if !slices.Contains(DataSets, d) {
			return &SettingError{batchSetting(b, c), fmt.Errorf("%s = %q: no data set %q, want a batch of %s", batchSetting(b, c), b, d, strings.Join(DataSets, ", "))}
		}
		if s.sets[d] == nil {
			return fmt.Errorf("data set %s is not loaded yet", d)
		}
		if !slices.Contains(sets, s.sets[d]) {
			sets = append(sets, s.sets[d])
		}
	}
	r, err := gene.NewRun(sets, c)
	if err != nil {
		return &SettingError{settingOf(err.Error()), err}
	}
	// The figures (about a second in the page's worker) come after: the page draws the data
	// first (Figured, Measure).
	s.run, s.figStep, s.figures, s.classes = r, -1, gene.Figures{}, gene.Classes{}
	s.config++
	return nil
}

func batchSetting(b string, c gene.Config) string {
	if b == c.SourceBatch {
		return "source_batch"
	}
	return "target_batch"
}

// settingOf picks the setting an error message starts with ("dim = 3, ...").
func settingOf(msg string) string {
	name, _, ok := strings.Cut(msg, " = ")
	if ok && slices.Contains(gene.ConfigNames(), name) {
		return name
	}
	return ""
}

// Ready reports whether a merge is configured.
func (s *Session) Ready() bool { return s.run != nil }

// Active reports whether the merge can step: configured, not failed, steps not reached.
func (s *Session) Active() bool {
	return s.run != nil && s.run.Flow.Err() == nil && s.run.Flow.Stats().Step < s.run.Config.Steps
}

// StepOne does one particle step (past the steps limit too: a step request asks for it). It
// returns the flow's error, which stops it for good.
func (s *Session) StepOne() error {
	if s.run == nil {
		return errors.New("no merge configured")
	}
	return s.run.Flow.Step()
}

// Step is the number of particle steps done.
func (s *Session) Step() int {
	if s.run == nil {
		return 0
	}
	return s.run.Flow.Stats().Step
}

// Measure recomputes the figures of the particles as they are, and the class structure.
func (s *Session) Measure() error {
	f, err := s.run.Figures()
	if err != nil {
		return err
	}
	s.figures, s.figStep = f, s.Step()
	s.classes = s.run.Classify()
	return nil
}

// Measured reports whether the figures are those of the current step.
func (s *Session) Measured() bool { return s.run != nil && s.figStep == s.Step() }

// Figured reports whether the current merge has figures, of any step.
func (s *Session) Figured() bool { return s.run != nil && s.figStep >= 0 }

// Status is what the page shows and window.lipflow.status() returns.
type Status struct {
	Config     int           `json:"config"`
	Step       int           `json:"step"`
	Steps      int           `json:"steps"`
	Stats      flow.Stats    `json:"stats"`
	Error      string        `json:"error"`
	Figures    *gene.Figures `json:"figures,omitempty"` // nil until Measure
	FigureStep int           `json:"figureStep"`        // -1 until Measure
	Classes    *gene.Classes `json:"classes,omitempty"` // nil until Measure
}

// Status reports the merge.
func (s *Session) Status() Status {
	if s.run == nil {
		return Status{}
	}
	st := Status{Config: s.config, Step: s.Step(), Steps: s.run.Config.Steps, Stats: s.run.Flow.Stats(),
		FigureStep: s.figStep}
	if s.Figured() {
		st.Figures, st.Classes = &s.figures, &s.classes
	}
	if err := s.run.Flow.Err(); err != nil {
		st.Error = err.Error()
	}
	// JSON holds no NaN: a diverged step's estimate is dropped (the error says what happened).
	for _, v := range []*float64{&st.Stats.Divergence, &st.Stats.KE, &st.Stats.Speed} {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			*v = 0
		}
	}
	return st
}

// Problem describes the merge for the page.
type Problem struct {
	Config      map[string]string `json:"config"`
	Source      string            `json:"source_batch"`
	Target      string            `json:"target_batch"`
	Classes     []string          `json:"classes"`
	LeftOut     []string          `json:"left_out"`
	NSource     int               `json:"n_source"`
	NTarget     int               `json:"n_target"`
	Probes      int               `json:"probes"`
	Dim         int               `json:"dim"`
	Explained   float64           `json:"explained"`
	Bandwidth   float64           `json:"bandwidth"`
	SinkhornEps float64           `json:"sinkhorn_eps"`
	// SinkhornBlur is the blur of the per-class debiased divergence (gene.Figure.SinkhornDiv).
	SinkhornBlur float64  `json:"sinkhorn_blur"`
	Batches      []string `json:"batches"`
}

// Problem returns the current merge's description.
func (s *Session) Problem() Problem {
	pr := s.run.Problem
	cfg := map[string]string{}
	for _, n := range gene.ConfigNames() {
		cfg[n] = s.run.Config.Get(n)
	}
	var sets []*gene.Set
	for _, d := range DataSets {
		if s.sets[d] != nil {
			sets = append(sets, s.sets[d])
		}
	}
	return Problem{Config: cfg, Source: pr.Source, Target: pr.Target, Classes: pr.Classes, LeftOut: pr.Left,
		NSource: len(pr.LS), NTarget: len(pr.LT), Probes: pr.P, Dim: pr.PCA.K, Explained: pr.PCA.Explained(),
		Bandwidth: pr.Bandwidth, SinkhornEps: gene.SinkhornEps, SinkhornBlur: gene.SinkhornBlur, Batches: gene.BatchNames(sets)}
}

// Projections returns the samples on the first two principal directions before and after the
// configured method: x, y interleaved per sample (source rows first), which rows are the
// source's, and their classes.
func (s *Session) Projections() (before, after []float32, source []bool, class []int32) {
	b, a := s.run.Project(s.run.Config.Method)
	xy := func(p gene.Projection) []float32 {
		out := make([]float32, 2*len(p.X))
		for i := range p.X {
			out[2*i], out[2*i+1] = float32(p.X[i]), float32(p.Y[i])
		}
		return out
	}
	return xy(b), xy(a), b.Source, b.Class
}

// Particles returns the latent particles (source rows x dim).
func (s *Session) Particles() ([]float32, int) {
	if s.run == nil {
		return nil, 0
	}
	p := s.run.Flow.Particles()
	out := make([]float32, len(p))
	for i, v := range p {
		out[i] = float32(v)
	}
	return out, s.run.Flow.Dim()
}
