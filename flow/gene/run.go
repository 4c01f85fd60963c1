package gene

import (
	"lipflow/flow"
)

// Run is one merge under way: the problem, its baselines and the flow moving the source's
// latent codes. The native runner and the page's worker both drive one.
type Run struct {
	Config  Config
	Problem *Problem
	Base    *Baselines
	Flow    *flow.Flow
}

// NewRun checks c, selects the batches from sets, fits the latent map, computes the baseline
// corrections and starts the flow at step 0.
func NewRun(sets []*Set, c Config) (*Run, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	pr, err := NewProblem(sets, c.SourceBatch, c.TargetBatch, c.Dim)
	if err != nil {
		return nil, err
	}
	base, err := pr.Corrections() // their figures come with the first Figures
	if err != nil {
		return nil, err
	}
	fl, err := pr.NewFlow(flowSettings(c))
	if err != nil {
		return nil, err
	}
	return &Run{Config: c, Problem: pr, Base: base, Flow: fl}, nil
}

// flowSettings are the engine's settings of c, its source and target named after the batches.
func flowSettings(c Config) flow.Settings {
	s := c.Settings
	s.Source, s.Target = "batch:"+c.SourceBatch, "batch:"+c.TargetBatch
	return s
}

// WithSeed returns a run of the same problem and baselines (which do not depend on the seed)
// whose flow starts afresh at step 0 with the engine's seed set to seed.
func (r *Run) WithSeed(seed uint64) (*Run, error) {
	c := r.Config
	c.Seed = seed
	fl, err := r.Problem.NewFlow(flowSettings(c))
	if err != nil {
		return nil, err
	}
	return &Run{Config: c, Problem: r.Problem, Base: r.Base, Flow: fl}, nil
}

// Figures returns the baselines' figures and those of the particles as they are now.
func (r *Run) Figures() (Figures, error) {
	if err := r.Base.Measure(r.Problem); err != nil {
		return Figures{}, err
	}
	f := r.Base.Figures
	after, _, err := r.Problem.After(r.Flow.Particles())
	if err != nil {
		return f, err
	}
	f.After = &after
	return f, nil
}

// Corrected returns the source rows in probe space as method corrects them.
func (r *Run) Corrected(method string) []float64 {
	switch method {
	case "standardisation":
		return r.Base.Standardised
	case "combat":
		return r.Base.Combat
	case "none":
		return r.Problem.XS
	}
	return r.Problem.PCA.Decode(r.Flow.Particles())
}

// Projection is every sample of the two batches on the first two principal directions of the
// pooled data: X, Y per sample, source rows first, then target rows.
type Projection struct {
	X, Y   []float64
	Source []bool  // true for a source sample
	Class  []int32 // index into Problem.Classes
}

// Project returns the samples before any correction and after method's.
func (r *Run) Project(method string) (before, after Projection) {
	pr := r.Problem
	mk := func(zs []float64) Projection {
		k := pr.PCA.K
		var p Projection
		add := func(z []float64, labels []int32, src bool) {
			for i, l := range labels {
				p.X = append(p.X, z[i*k])
				p.Y = append(p.Y, z[i*k+1])
				p.Source = append(p.Source, src)
				p.Class = append(p.Class, l)
			}
		}
		add(zs, pr.LS, true)
		add(pr.ZT, pr.LT, false)
		return p
	}
	zs := r.Flow.Particles()
	if method != "gpa" {
		zs = pr.PCA.Encode(r.Corrected(method))
	}
	return mk(pr.ZS), mk(zs)
}

// Classes are how well nearest centroids fitted on the target's latent codes label samples.
type Classes struct {
	HeldOut  float64 `json:"held_out"` // the target's own samples, each left out in turn
	Merged   float64 `json:"merged"`   // the source's particles now
	Unmerged float64 `json:"unmerged"` // the source's codes before the merge
}

// Classify measures the class structure of the merge.
func (r *Run) Classify() Classes {
	pr := r.Problem
	k, n := pr.PCA.K, len(pr.Classes)
	c := FitCentroids(pr.ZT, pr.LT, n, k)
	return Classes{
		HeldOut:  LeaveOneOut(pr.ZT, pr.LT, n, k),
		Merged:   c.Accuracy(r.Flow.Particles(), pr.LS),
		Unmerged: c.Accuracy(pr.ZS, pr.LS),
	}
}
