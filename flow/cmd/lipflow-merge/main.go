// Command lipflow-merge merges one batch of gene-expression arrays into another with
// class-conditional GPA in a PCA latent space (package gene), and measures the result in probe
// space against no correction, per-class standardisation, ComBat and the PCA reconstruction
// floor.
//
// Usage:
//
//	lipflow-merge [flags]
//	lipflow-merge -source_batch kidney -target_batch bladder-2 -dim 20 -steps 5000 -out /tmp/merge
//	lipflow-merge -source_batch bladder-5 -target_batch bladder-2 -steps 400
//
// Every engine setting is a flag of the same name (the one vocabulary; dim is the latent
// dimension d'), plus source_batch, target_batch and method (see -help). It writes, in -out:
// NAME.png, every sample on the first two principal directions before and after (colour: batch,
// shape: class); NAME-figures.csv, the figures of every method. Progress goes to stderr; the last
// line of stdout is one JSON object: the configuration, the problem, the figures, the class
// structure and the run's time.
//
// Exit status: 0 when the outputs were written (a diverged run too: its error is in the JSON);
// 2 for bad input, before any step; 1 when an output could not be written.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lipflow/flow"
	"lipflow/flow/gene"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	cfg       gene.Config
	data, out string
	name      string
}

func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{cfg: gene.DefaultConfig()}
	fs := flag.NewFlagSet("lipflow-merge", flag.ContinueOnError)
	for _, name := range gene.ConfigNames() {
		fs.Func(name, fmt.Sprintf("%s (default %s)", gene.ConfigHelp(name), o.cfg.Get(name)), func(v string) error {
			return o.cfg.Set(name, v)
		})
	}
	fs.StringVar(&o.data, "data", "assets/gene/data", "`directory` holding bladder.bin and kidney.bin")
	fs.StringVar(&o.out, "out", ".", "`directory` to write the figure and the CSV to")
	fs.StringVar(&o.name, "name", "merge", "`prefix` of the output files")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: lipflow-merge [flags]")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every input is a flag (see -help)", fs.Arg(0))
	}
	if o.name == "" || strings.ContainsAny(o.name, `/\`) {
		return nil, fmt.Errorf("name = %q, want a file prefix without a path separator", o.name)
	}
	return o, o.cfg.Validate()
}

// loadSets reads the data sets the two batches need.
func loadSets(dir string, c gene.Config) ([]*gene.Set, error) {
	var sets []*gene.Set
	for _, name := range []string{"bladder", "kidney"} {
		if gene.Dataset(c.SourceBatch) != name && gene.Dataset(c.TargetBatch) != name {
			continue
		}
		path := filepath.Join(dir, name+".bin")
		fi, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if fi.Size() > gene.MaxFileBytes {
			return nil, fmt.Errorf("%s: %d bytes, more than the %d MiB limit", path, fi.Size(), gene.MaxFileBytes>>20)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		s, err := gene.Read(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		sets = append(sets, s)
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("source_batch = %q, target_batch = %q: no data set bladder or kidney", c.SourceBatch, c.TargetBatch)
	}
	return sets, nil
}

// report is the JSON object on the last line.
type report struct {
	Config    gene.Config  `json:"config"`
	Problem   problem      `json:"problem"`
	Figures   gene.Figures `json:"figures"`
	Classes   gene.Classes `json:"classes"`
	StepsDone int          `json:"steps_done"`
	Seconds   float64      `json:"seconds"`
	MsPerStep float64      `json:"ms_per_step"`
	Final     flow.Stats   `json:"final"`
	Outputs   []string     `json:"outputs"`
	Error     *string      `json:"error,omitempty"`
}

type problem struct {
	Source        string   `json:"source_batch"`
	Target        string   `json:"target_batch"`
	Classes       []string `json:"classes"`
	LeftOut       []string `json:"left_out,omitempty"`
	NSource       int      `json:"n_source"`
	NTarget       int      `json:"n_target"`
	Probes        int      `json:"probes"`
	Explained     float64  `json:"explained_variance"`
	Bandwidth     float64  `json:"mmd_bandwidth"`
	SinkhornEps   float64  `json:"sinkhorn_eps_relative"`
	SinkhornIters int      `json:"sinkhorn_max_iterations"`
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err == nil {
		err = os.MkdirAll(o.out, 0o755)
	}
	var sets []*gene.Set
	if err == nil {
		sets, err = loadSets(o.data, o.cfg)
	}
	var r *gene.Run
	if err == nil {
		r, err = gene.NewRun(sets, o.cfg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
		return 2
	}
	pr := r.Problem
	rep := report{Config: o.cfg, Problem: problem{
		Source: pr.Source, Target: pr.Target, Classes: pr.Classes, LeftOut: pr.Left,
		NSource: len(pr.LS), NTarget: len(pr.LT), Probes: pr.P, Explained: pr.PCA.Explained(),
		Bandwidth: pr.Bandwidth, SinkhornEps: gene.SinkhornEps, SinkhornIters: gene.SinkhornIter,
	}}
	fmt.Fprintf(stderr, "lipflow-merge: %s (%d) -> %s (%d), classes %s, %d probes, d' = %d (%.1f%% of the variance)\n",
		pr.Source, len(pr.LS), pr.Target, len(pr.LT), strings.Join(pr.Classes, ", "), pr.P, pr.PCA.K, 100*pr.PCA.Explained())
	start := time.Now()
	every := max(1, o.cfg.Steps/10)
	for k := 1; k <= o.cfg.Steps; k++ {
		if err := r.Flow.Step(); err != nil {
			msg := err.Error()
			rep.Error = &msg
			fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
			break
		}
		if k%every == 0 {
			st := r.Flow.Stats()
			fmt.Fprintf(stderr, "step %d: divergence %.4g, mean speed %.3g\n", k, st.Divergence, st.Speed)
		}
	}
	elapsed := time.Since(start)
	rep.Final = r.Flow.Stats()
	rep.StepsDone = rep.Final.Step
	rep.Seconds = elapsed.Seconds()
	if rep.StepsDone > 0 {
		rep.MsPerStep = float64(elapsed.Microseconds()) / 1000 / float64(rep.StepsDone)
	}
	code := 0
	if rep.Figures, err = r.Figures(); err != nil {
		fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
		code = 1
	}
	rep.Classes = r.Classify()
	rep.Outputs, err = writeOutputs(o, r, rep.Figures)
	if err != nil {
		fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
		code = 1
	}
	b, err := json.Marshal(finite(rep))
	if err != nil {
		fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, string(b))
	return code
}

// finite replaces what JSON cannot hold (a diverged run's NaN) by nulls, through a round trip
// of the few float fields that can go wrong.
func finite(r report) report {
	fix := func(f *gene.Figure) {
		if math.IsNaN(f.MMD) || math.IsInf(f.MMD, 0) {
			f.MMD = 0
		}
		if math.IsNaN(f.Sinkhorn) || math.IsInf(f.Sinkhorn, 0) {
			f.Sinkhorn = 0
		}
	}
	if r.Figures.After != nil {
		fix(r.Figures.After)
	}
	for _, v := range []*float64{&r.Final.Divergence, &r.Final.KE, &r.Final.Speed} {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			*v = 0
		}
	}
	return r
}

func writeOutputs(o *options, r *gene.Run, f gene.Figures) ([]string, error) {
	png := filepath.Join(o.out, o.name+".png")
	if err := projectionPNG(png, r); err != nil {
		return nil, err
	}
	csv := filepath.Join(o.out, o.name+"-figures.csv")
	var b strings.Builder
	b.WriteString("method,mmd2,sinkhorn\n")
	rows := []struct {
		name string
		f    *gene.Figure
	}{{"before", &f.Before}, {"after", f.After}, {"standardisation", &f.Standardisation}, {"combat", &f.Combat}, {"floor", &f.Floor}}
	for _, row := range rows {
		if row.f != nil {
			fmt.Fprintf(&b, "%s,%.6g,%.6g\n", row.name, row.f.MMD, row.f.Sinkhorn)
		}
	}
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		return []string{png}, err
	}
	return []string{png, csv}, nil
}
