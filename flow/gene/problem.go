package gene

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"lipflow/flow"
)

// BatchName names sample i of s: "DATASET-BATCH" ("bladder-5"), or the data set's name alone
// when it holds one batch ("kidney").
func (s *Set) BatchName(i int) string {
	if len(s.Batches()) == 1 {
		return s.Dataset
	}
	return s.Dataset + "-" + s.Samples[i].Batch
}

// Batches lists the set's batches in the order they first occur.
func (s *Set) Batches() []string {
	var out []string
	for _, sm := range s.Samples {
		if !slices.Contains(out, sm.Batch) {
			out = append(out, sm.Batch)
		}
	}
	return out
}

// BatchNames lists every batch of the sets as BatchName spells them, sorted.
func BatchNames(sets []*Set) []string {
	var out []string
	for _, s := range sets {
		for i := range s.Samples {
			if n := s.BatchName(i); !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Dataset returns the data set a batch name belongs to ("bladder-5" -> "bladder").
func Dataset(batch string) string {
	name, _, _ := strings.Cut(batch, "-")
	return name
}

// Problem is one merge: the source batch's samples to be moved onto the target batch's, in
// probe space and in the latent space of a PCA fitted on both.
//
// Only the classes that both batches hold take part: a class-conditional merge has nowhere to
// send a source class the target lacks, and the figures compare like with like.
type Problem struct {
	Source, Target string
	Classes        []string // shared classes; labels index them
	P              int      // probes
	XS, XT         []float64
	LS, LT         []int32
	IDS, IDT       []string // sample ids
	Left           []string // classes left out, with their counts, for the record
	PCA            *PCA
	ZS, ZT         []float64 // latent codes, rows x PCA.K
	// Bandwidth of the MMD kernel: the median distance between two target samples, fixed for
	// the problem so that every method is measured with the same kernel.
	Bandwidth float64
}

// NewProblem selects the two batches from sets, keeps their shared classes and fits the PCA of
// dimension dim on the pooled samples.
func NewProblem(sets []*Set, source, target string, dim int) (*Problem, error) {
	if source == target {
		return nil, fmt.Errorf("source_batch and target_batch are both %q: want two different batches", source)
	}
	names := BatchNames(sets)
	for _, b := range []struct{ what, name string }{{"source_batch", source}, {"target_batch", target}} {
		if !slices.Contains(names, b.name) {
			return nil, fmt.Errorf("%s = %q, want one of %s", b.what, b.name, strings.Join(names, ", "))
		}
	}
	pr := &Problem{Source: source, Target: target}
	type pick struct {
		x     [][]float64
		class []string
		id    []string
	}
	var src, tgt pick
	for _, s := range sets {
		if pr.P == 0 {
			pr.P = s.Dim()
		} else if s.Dim() != pr.P || !slices.Equal(s.Probes, sets[0].Probes) {
			return nil, fmt.Errorf("data sets %s and %s do not share their probes", sets[0].Dataset, s.Dataset)
		}
		for i, sm := range s.Samples {
			switch s.BatchName(i) {
			case source:
				src.x, src.class, src.id = append(src.x, s.Row(i)), append(src.class, sm.Class), append(src.id, sm.ID)
			case target:
				tgt.x, tgt.class, tgt.id = append(tgt.x, s.Row(i)), append(tgt.class, sm.Class), append(tgt.id, sm.ID)
			}
		}
	}
	for _, c := range src.class {
		if slices.Contains(tgt.class, c) && !slices.Contains(pr.Classes, c) {
			pr.Classes = append(pr.Classes, c)
		}
	}
	slices.Sort(pr.Classes)
	if len(pr.Classes) == 0 {
		return nil, fmt.Errorf("%s (classes %s) and %s (classes %s) share no class: nothing to merge class by class",
			source, strings.Join(uniq(src.class), ", "), target, strings.Join(uniq(tgt.class), ", "))
	}
	keep := func(pk pick, who string) (x []float64, l []int32, ids []string) {
		left := map[string]int{}
		for i, c := range pk.class {
			k := slices.Index(pr.Classes, c)
			if k < 0 {
				left[c]++
				continue
			}
			x = append(x, pk.x[i]...)
			l = append(l, int32(k))
			ids = append(ids, pk.id[i])
		}
		for _, c := range slices.Sorted(maps.Keys(left)) {
			pr.Left = append(pr.Left, fmt.Sprintf("%s: %d %s", who, left[c], c))
		}
		return
	}
	pr.XS, pr.LS, pr.IDS = keep(src, source)
	pr.XT, pr.LT, pr.IDT = keep(tgt, target)
	ns, nt := len(pr.LS), len(pr.LT)
	if ns < 2 || nt < 2 {
		return nil, fmt.Errorf("%s and %s hold %d and %d samples of their shared classes, want at least 2 each", source, target, ns, nt)
	}
	pooled := append(append(make([]float64, 0, len(pr.XS)+len(pr.XT)), pr.XS...), pr.XT...)
	var err error
	pr.PCA, err = FitPCA(pooled, ns+nt, pr.P, dim)
	if err != nil {
		return nil, err
	}
	pr.ZS, pr.ZT = pr.PCA.Encode(pr.XS), pr.PCA.Encode(pr.XT)
	pr.Bandwidth = medianDistance(pr.XT, pr.P)
	return pr, nil
}

// Figures are the distances from each version of the source to the target, in probe space.
type Figures struct {
	Before          Figure  `json:"before"`          // no correction
	After           *Figure `json:"after,omitempty"` // GPA in latent space, decoded
	Standardisation Figure  `json:"standardisation"` // per class, see Standardise
	Combat          Figure  `json:"combat"`          // ComBat with empirical Bayes, target as reference
	Floor           Figure  `json:"floor"`           // the target's own PCA reconstruction against the target
}

// Baselines are the corrections the merge is compared with, in probe space (source rows).
type Baselines struct {
	Standardised, Combat []float64
	Figures              Figures // all but After, once Measure has run

	measure sync.Once
	err     error
}

// Corrections computes the standard corrections, without their figures (Baselines.Measure).
func (pr *Problem) Corrections() (*Baselines, error) {
	b := &Baselines{}
	var err error
	if b.Standardised, err = Standardise(pr.XS, pr.LS, pr.XT, pr.LT, pr.P); err != nil {
		return nil, err
	}
	if b.Combat, err = ComBat(pr.XS, pr.LS, pr.XT, pr.LT, pr.P, true); err != nil {
		return nil, err
	}
	return b, nil
}

// Measure computes the baselines' figures, once: four Sinkhorn costs and MMD²s in probe space,
// the costliest part of a merge's start (half a second in the page's worker), which the page
// does after it has drawn the data.
func (b *Baselines) Measure(pr *Problem) error {
	b.measure.Do(func() {
		for _, m := range []struct {
			f *Figure
			x []float64
			l []int32
		}{
			{&b.Figures.Before, pr.XS, pr.LS},
			{&b.Figures.Standardisation, b.Standardised, pr.LS},
			{&b.Figures.Combat, b.Combat, pr.LS},
			{&b.Figures.Floor, pr.PCA.Decode(pr.ZT), pr.LT},
		} {
			if *m.f, b.err = Distance(m.x, m.l, pr.XT, pr.LT, len(pr.Classes), pr.P, pr.Bandwidth); b.err != nil {
				return
			}
		}
	})
	return b.err
}

// Baselines computes the standard corrections and their figures (all but After).
func (pr *Problem) Baselines() (*Baselines, error) {
	b, err := pr.Corrections()
	if err != nil {
		return nil, err
	}
	return b, b.Measure(pr)
}

// Settings are the paper's for this experiment (docs/design.md#the-papers-reference-settings): KL-DV, L = 1 by the
// Frobenius projection, ReLU 64-64-64, SGD lr 0.1 with 10 inner steps, dt 5, 5000 steps; the
// particles and targets are all the samples.
func Settings(dim int) flow.Settings {
	s := flow.Defaults()
	s.Source, s.Target = "", ""
	s.Dim, s.F, s.L, s.Lipschitz = dim, "kl-dv", 1, "frobenius"
	s.Width, s.Depth, s.Activation = 64, 3, "relu"
	s.Optimizer, s.LR, s.Inner = "sgd", 0.1, 10
	s.DT, s.Steps = 5, 5000
	return s
}

// NewFlow starts the class-conditional GPA: the particles are the source's latent codes, the
// targets the target's, one discriminator head per shared class. s.Dim must be the PCA's.
func (pr *Problem) NewFlow(s flow.Settings) (*flow.Flow, error) {
	if s.Dim != pr.PCA.K {
		return nil, fmt.Errorf("dim = %d, but the latent map has %d dimensions", s.Dim, pr.PCA.K)
	}
	return flow.NewWithData(s, flow.Data{
		X: append([]float64(nil), pr.ZT...), XLabels: pr.LT,
		Y: pr.ZS, YLabels: pr.LS, Classes: len(pr.Classes),
	})
}

// After decodes the particles z (source rows x K) to all probes and measures them.
func (pr *Problem) After(z []float64) (Figure, []float64, error) {
	x := pr.PCA.Decode(z)
	f, err := Distance(x, pr.LS, pr.XT, pr.LT, len(pr.Classes), pr.P, pr.Bandwidth)
	return f, x, err
}

// medianDistance is the median Euclidean distance over the pairs of rows of x.
func medianDistance(x []float64, p int) float64 {
	y, d := Isometric(x, p)
	n := len(y) / d
	var ds []float64
	for a := range n {
		for b := a + 1; b < n; b++ {
			s := 0.0
			for k := range d {
				t := y[a*d+k] - y[b*d+k]
				s += t * t
			}
			ds = append(ds, math.Sqrt(s))
		}
	}
	slices.Sort(ds)
	if len(ds) == 0 {
		return 1
	}
	if len(ds)%2 == 1 {
		return ds[len(ds)/2]
	}
	return (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
}

func uniq(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
