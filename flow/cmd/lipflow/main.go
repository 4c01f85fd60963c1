// Command lipflow runs the (f, Lip_L) generative particles algorithm natively: one run, or
// several overlaid with -compare, all from the same seed and data.
//
// Usage:
//
//	lipflow [flags]
//	lipflow -f alpha -alpha 2 -L 1 -n 200 -steps 2000 -out /tmp/lf
//	lipflow -compare 'f=kl-dv|f=alpha,alpha=2|f=alpha,alpha=10' -steps 500
//
// Every engine setting is a flag of the same name (see -help). The runner writes, in -out:
// NAME.png, the final particles over the targets; NAME-curves.png, the divergence estimate and
// the kinetic energy against step; NAME.csv (or NAME-K.csv for run K of a comparison), the final
// particles. Progress goes to stderr, and the last line of stdout is a JSON summary: the
// settings of each run, its time, final diagnostics, curve and figures of merit against a fresh
// sample of the target law, and the same figures for the run's own targets (the floor that
// finitely many samples allow).
//
// Exit status: 0 when the outputs were written, including when a run diverged (its error is in
// the summary); 2 for bad input, reported on one line of stderr before any run starts; 1 when
// an output could not be written.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"lipflow/flow"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, with its streams given so that tests can run it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-matrix" || args[0] == "--matrix") {
		presets := matrixPresets()
		if len(args) > 1 {
			presets = slices.DeleteFunc(presets, func(p matrixPreset) bool { return !slices.Contains(strings.Split(args[1], ","), p.name) })
		}
		if failed := runMatrix(stdout, presets, matrixDivergences, flow.ConstraintNames(), []string{"sgd", "adam"}); len(failed) > 0 {
			fmt.Fprintf(stderr, "lipflow: %d cells of the matrix failed\n", len(failed))
			return 1
		}
		return 0
	}
	jobs, o, err := prepare(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "lipflow: %v\n", err)
		return 2
	}

	rep := report{Runs: make([]runResult, len(jobs))}
	for i, j := range jobs {
		every := o.every
		if every == 0 {
			every = max(1, j.settings.Steps/100)
		}
		rep.Settings = append(rep.Settings, j.settings)
		rep.Runs[i] = execute(j, every, newProgress(stderr, i, len(jobs), j.label))
	}
	addFloors(jobs, rep.Runs)

	rep.Outputs, err = writeOutputs(o, jobs, rep.Runs)
	code := 0
	if err != nil {
		fmt.Fprintf(stderr, "lipflow: %v\n", err)
		code = 1
	}
	fmt.Fprintf(stderr, "lipflow: wrote %d files to %s\n", len(rep.Outputs), o.out)
	// The summary is written even when an output failed: it is the record of the runs.
	if err := writeJSON(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "lipflow: %v\n", err)
		code = 1
	}
	return code
}

// prepare turns the arguments into flows ready to run. Everything it refuses is bad input,
// found before the first step.
func prepare(args []string, stderr io.Writer) ([]*job, *options, error) {
	o, err := parseArgs(args, stderr)
	if err != nil {
		return nil, nil, err
	}
	runs, err := expandRuns(o)
	if err != nil {
		return nil, nil, err
	}
	jobs, err := newJobs(o, runs)
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return nil, nil, err
	}
	return jobs, o, nil
}

// execute runs one job and measures where its particles ended.
func execute(j *job, every int, log *progress) runResult {
	t := step(j.flow, newWatch(j.flow, j.ref), j.settings.Steps, every, log)
	st := j.flow.Stats()
	r := runResult{
		Label:     j.label,
		StepsDone: st.Step,
		Seconds:   t.elapsed.Seconds(),
		MsPerStep: msPerStep(t.elapsed, st.Step),
		Final:     st,
		Figures:   measure(j.flow.Particles(), j.ref, withSinkhorn(j.settings)),
		Curve:     t.curve,
	}
	if t.err != nil {
		msg := t.err.Error()
		r.Error = &msg
	}
	if t.warning != "" {
		r.Warning = &t.warning
	}
	return r
}

func withSinkhorn(s flow.Settings) bool {
	return float64(s.N)*float64(s.M) <= sinkhornMaxPairs
}

// addFloors measures each run's own targets against its reference sample: the best figures
// that m samples of the law can give. Runs of a comparison usually share their targets, so a
// floor is computed once and shared.
func addFloors(jobs []*job, results []runResult) {
	for i, j := range jobs {
		if !j.ref.fresh {
			continue
		}
		k := slices.IndexFunc(jobs[:i], func(prev *job) bool {
			return prev.ref == j.ref && withSinkhorn(prev.settings) == withSinkhorn(j.settings) &&
				slices.Equal(prev.flow.Targets(), j.flow.Targets())
		})
		if k >= 0 {
			results[i].Floor = results[k].Floor
			continue
		}
		f := measure(j.flow.Targets(), j.ref, withSinkhorn(j.settings))
		results[i].Floor = &f
	}
}
