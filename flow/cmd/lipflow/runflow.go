package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"lipflow/flow"
	"lipflow/flow/metric"
)

// job is one run ready to go. Every flow is built before the first step is taken, so that a
// setting the engine refuses in the last entry of a comparison fails at once.
type job struct {
	runSpec
	flow flow.ParticleFlow // GPA's run or a peer's (the method setting)
	ref  *reference
}

// newJobs builds the flows of runs and the reference samples they are measured against, one
// per distinct target law.
func newJobs(o *options, runs []runSpec) ([]*job, error) {
	var refs []*reference
	jobs := make([]*job, len(runs))
	for i, r := range runs {
		var fl flow.ParticleFlow
		var err error
		if o.target != nil {
			// Each flow gets its own copy: it keeps the slice it is given.
			fl, err = flow.NewParticleFlowWithData(r.settings, flow.Data{X: slices.Clone(o.target)})
		} else {
			fl, err = flow.NewParticleFlow(r.settings)
		}
		if err != nil {
			if o.compare != "" {
				err = fmt.Errorf("compare entry %d %q: %w", i+1, r.label, err)
			}
			return nil, err
		}
		if gpa, ok := fl.(*flow.Flow); ok { // the peers run on one goroutine
			gpa.SetWorkers(o.workers)
		}
		k := slices.IndexFunc(refs, func(ref *reference) bool {
			return ref.target == r.settings.Target && ref.dim == r.settings.Dim
		})
		if k < 0 {
			ref, err := newReference(r.settings, o.target)
			if err != nil {
				return nil, err
			}
			refs = append(refs, ref)
			k = len(refs) - 1
		}
		jobs[i] = &job{r, fl, refs[k]}
	}
	return jobs, nil
}

// curvePoint is the diagnostics after one recorded step.
type curvePoint struct {
	Step       int     `json:"step"`
	Divergence float64 `json:"divergence"`
	KE         float64 `json:"ke"`
	Speed      float64 `json:"speed"`
}

// trace is what stepping a flow left: its curve, its time, the error that stopped it and the
// warning flow.Health raised last (a stall, an untrained phi), if any.
type trace struct {
	curve   []curvePoint
	elapsed time.Duration
	err     error
	warning string
}

// watchEvery is how often the runner measures the metric that flow.Health judges stalls by.
const watchEvery = 10

// watch is what flow.Health needs of a runner: a cheap metric of the particles and its floor.
type watch struct {
	health *flow.Health
	metric func(x []float64) float64
	floor  float64
	last   float64
}

// newWatch measures as the lab's engine does: the energy distance from a subsample of at most
// 1000 points to 1000 reference points, or for heavy tails the mean per-coordinate log-KS. The
// floor is the run's own targets' metric; with a target file (no law to draw from) there is
// none, and stalls are not judged.
func newWatch(fl flow.ParticleFlow, ref *reference) *watch {
	d := ref.dim
	pick := func(x []float64) []float64 {
		return metric.Subsample(x, d, 1000, rand.New(rand.NewPCG(subsampleSeed, 1)))
	}
	w := &watch{health: flow.NewHealth(fl), floor: math.NaN()}
	if ref.heavy {
		w.metric = func(x []float64) float64 {
			var s float64
			ks := metric.LogKS(pick(x), ref.points, d)
			for _, k := range ks {
				s += k
			}
			return s / float64(len(ks))
		}
	} else {
		to := metric.NewEnergyTo(pick(ref.points), d)
		w.metric = func(x []float64) float64 { return to.Distance(pick(x)) }
	}
	if ref.fresh {
		w.floor = w.metric(fl.Targets())
	}
	w.last = w.metric(fl.Particles())
	return w
}

// observe judges the flow's last step, measuring the metric every watchEvery steps.
func (w *watch) observe(fl flow.ParticleFlow) string {
	if fl.Stats().Step%watchEvery == 0 {
		w.last = w.metric(fl.Particles())
	}
	return w.health.Observe(w.last, w.floor)
}

// step runs fl for steps steps, recording the diagnostics every every steps and after the
// last one, and reporting progress about ten times to log. A diverged flow stops there: its
// particles are those before the failed step, and the error is in the trace.
func step(fl flow.ParticleFlow, w *watch, steps, every int, log *progress) trace {
	t := trace{curve: []curvePoint{}} // [] rather than null in the JSON
	report := max(1, steps/10)
	start := time.Now()
	for k := 1; k <= steps; k++ {
		if err := fl.Step(); err != nil {
			t.err = err
			break
		}
		kind := w.health.Kind()
		t.warning = w.observe(fl)
		if w.health.Kind() != kind && t.warning != "" {
			log.printf("warning at step %d: %s", k, t.warning)
		}
		if k%every == 0 || k == steps {
			st := fl.Stats()
			t.curve = append(t.curve, curvePoint{st.Step, st.Divergence, st.KE, st.Speed})
		}
		if k%report == 0 || k == steps {
			log.step(fl.Stats(), steps, time.Since(start))
		}
	}
	t.elapsed = time.Since(start)
	if t.err != nil {
		log.printf("stopped after %d steps: %v", fl.Stats().Step, t.err)
	}
	return t
}

// progress writes a run's progress lines, each naming the run.
type progress struct {
	w      io.Writer
	prefix string
}

func newProgress(w io.Writer, i, of int, label string) *progress {
	return &progress{w, fmt.Sprintf("lipflow: run %d/%d [%s]: ", i+1, of, label)}
}

func (p *progress) printf(format string, args ...any) {
	fmt.Fprintf(p.w, p.prefix+format+"\n", args...)
}

func (p *progress) step(st flow.Stats, steps int, elapsed time.Duration) {
	p.printf("step %d/%d  divergence %.4g  ke %.4g  speed %.4g  (%.3g ms/step)",
		st.Step, steps, st.Divergence, st.KE, st.Speed, msPerStep(elapsed, st.Step))
}

// msPerStep is NaN (null in the JSON) when no step was taken.
func msPerStep(elapsed time.Duration, steps int) float64 {
	if steps == 0 {
		return math.NaN()
	}
	return elapsed.Seconds() * 1e3 / float64(steps)
}
