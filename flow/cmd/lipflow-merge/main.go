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
// dimension d'), plus source_batch, target_batch and method (see -help). -seeds N runs the merge
// N times, with the seeds seed, seed+1, ..., seed+N-1 (seed is the engine's setting, 1 by
// default), and reports every figure per seed and as mean and standard deviation over the seeds.
//
// It writes, in -out: NAME.png, every sample on the first two principal directions before and
// after (colour: batch, shape: class; the first seed's run); NAME-figures.csv, the figures of
// every method, one row per method and seed, then with several seeds a mean and an sd row per
// method. Progress and, at the end, the figures table go to stderr; the last line of stdout is
// one JSON object: the configuration, the problem, the first seed's figures, class structure and
// time, and with several seeds every seed's ("runs") and the mean and sd ("summary").
//
// The figures (see gene.Figure), each from a version of the source to the target in probe space:
// MMD^2; the Sinkhorn cost <pi, C>, C = |x-y|^2, over the whole samples; and, per shared class,
// the debiased Sinkhorn divergence S_eps with the cost |x-y|^2/2 and geomloss's defaults, the
// paper's figure.
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
	"unicode/utf8"

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
	seeds     int
	workers   int // goroutines per step; 0: every core
}

// maxSeeds bounds -seeds.
const maxSeeds = 100

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
	fs.IntVar(&o.seeds, "seeds", 1, "`count` of runs, with the seeds seed, seed+1, ...: the figures are reported per seed and as mean and sd")
	fs.IntVar(&o.workers, "workers", 0, "`goroutines` sharing each step (0: every core); the results do not depend on it")
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
	if o.workers < 0 {
		return nil, fmt.Errorf("workers = %d, want 1 or more (0: every core)", o.workers)
	}
	if o.seeds < 1 || o.seeds > maxSeeds {
		return nil, fmt.Errorf("seeds = %d, want a count of runs 1..%d", o.seeds, maxSeeds)
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

// report is the JSON object on the last line: the first seed's run at the top level, every
// seed's in Runs and their mean and sd in Summary when there are several.
type report struct {
	Config  gene.Config `json:"config"`
	Problem problem     `json:"problem"`
	seedRun
	Runs    []seedRun `json:"runs,omitempty"`
	Summary *summary  `json:"summary,omitempty"`
	Outputs []string  `json:"outputs"`
}

// seedRun is one run of the merge.
type seedRun struct {
	Seed      uint64       `json:"seed"`
	Figures   gene.Figures `json:"figures"`
	Classes   gene.Classes `json:"classes"`
	StepsDone int          `json:"steps_done"`
	Seconds   float64      `json:"seconds"`
	MsPerStep float64      `json:"ms_per_step"`
	Final     flow.Stats   `json:"final"`
	Error     *string      `json:"error,omitempty"`
}

type problem struct {
	Source          string   `json:"source_batch"`
	Target          string   `json:"target_batch"`
	Classes         []string `json:"classes"`
	LeftOut         []string `json:"left_out,omitempty"`
	NSource         int      `json:"n_source"`
	NTarget         int      `json:"n_target"`
	Probes          int      `json:"probes"`
	Explained       float64  `json:"explained_variance"`
	Bandwidth       float64  `json:"mmd_bandwidth"`
	SinkhornEps     float64  `json:"sinkhorn_eps_relative"`
	SinkhornIters   int      `json:"sinkhorn_max_iterations"`
	SinkhornBlur    float64  `json:"sinkhorn_div_blur"`
	SinkhornScaling float64  `json:"sinkhorn_div_scaling"`
}

// stat is a mean and a standard deviation (n-1 in the denominator; 0 for one value).
type stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

func statOf(v []float64) stat {
	if len(v) == 0 {
		return stat{}
	}
	// Shifted by the first value, so that equal values (the baselines) give exactly sd 0.
	var m float64
	for _, x := range v {
		m += x - v[0]
	}
	m /= float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - v[0] - m) * (x - v[0] - m)
	}
	if len(v) < 2 {
		return stat{Mean: v[0]}
	}
	return stat{Mean: v[0] + m, SD: math.Sqrt(ss / float64(len(v)-1))}
}

// figureStats summarises one method's figures over the seeds whose run measured it.
type figureStats struct {
	N           int    `json:"n"`
	MMD         stat   `json:"mmd"`
	Sinkhorn    stat   `json:"sinkhorn"`
	SinkhornDiv []stat `json:"sinkhorn_div"`
}

type summary struct {
	Seeds           []uint64    `json:"seeds"`
	Before          figureStats `json:"before"`
	After           figureStats `json:"after"`
	Standardisation figureStats `json:"standardisation"`
	Combat          figureStats `json:"combat"`
	Floor           figureStats `json:"floor"`
}

// methods names the figures of a run in the table's order.
var methods = []struct {
	key, label string
	get        func(*gene.Figures) *gene.Figure
}{
	{"before", "no correction", func(f *gene.Figures) *gene.Figure { return &f.Before }},
	{"after", "after GPA", func(f *gene.Figures) *gene.Figure { return f.After }},
	{"standardisation", "per-class standardisation", func(f *gene.Figures) *gene.Figure { return &f.Standardisation }},
	{"combat", "ComBat", func(f *gene.Figures) *gene.Figure { return &f.Combat }},
	{"floor", "PCA reconstruction floor", func(f *gene.Figures) *gene.Figure { return &f.Floor }},
}

func summarise(runs []seedRun, classes int) *summary {
	s := &summary{}
	for _, r := range runs {
		s.Seeds = append(s.Seeds, r.Seed)
	}
	for i, m := range methods {
		var mmd, sk []float64
		div := make([][]float64, classes)
		for k := range runs {
			f := m.get(&runs[k].Figures)
			if f == nil || len(f.SinkhornDiv) != classes {
				continue
			}
			mmd, sk = append(mmd, f.MMD), append(sk, f.Sinkhorn)
			for c, v := range f.SinkhornDiv {
				div[c] = append(div[c], v)
			}
		}
		fs := figureStats{N: len(mmd), MMD: statOf(mmd), Sinkhorn: statOf(sk)}
		for c := range classes {
			fs.SinkhornDiv = append(fs.SinkhornDiv, statOf(div[c]))
		}
		*statsOf(s, i) = fs
	}
	return s
}

// statsOf points to the summary of methods[i].
func statsOf(s *summary, i int) *figureStats {
	return []*figureStats{&s.Before, &s.After, &s.Standardisation, &s.Combat, &s.Floor}[i]
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
	var first *gene.Run
	if err == nil {
		first, err = gene.NewRun(sets, o.cfg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
		return 2
	}
	pr := first.Problem
	rep := report{Config: o.cfg, Problem: problem{
		Source: pr.Source, Target: pr.Target, Classes: pr.Classes, LeftOut: pr.Left,
		NSource: len(pr.LS), NTarget: len(pr.LT), Probes: pr.P, Explained: pr.PCA.Explained(),
		Bandwidth: pr.Bandwidth, SinkhornEps: gene.SinkhornEps, SinkhornIters: gene.SinkhornIter,
		SinkhornBlur: gene.SinkhornBlur, SinkhornScaling: gene.SinkhornScaling,
	}}
	fmt.Fprintf(stderr, "lipflow-merge: %s (%d) -> %s (%d), classes %s, %d probes, d' = %d (%.1f%% of the variance)\n",
		pr.Source, len(pr.LS), pr.Target, len(pr.LT), strings.Join(pr.Classes, ", "), pr.P, pr.PCA.K, 100*pr.PCA.Explained())
	code := 0
	var runs []seedRun
	for k := range o.seeds {
		r := first
		if k > 0 {
			// The problem and the baselines do not depend on the seed: only the flow is new.
			if r, err = first.WithSeed(o.cfg.Seed + uint64(k)); err != nil {
				fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
				return 2
			}
		}
		r.Flow.SetWorkers(o.workers)
		sr, err := runSeed(r, o.seeds > 1, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
			code = 1
		}
		runs = append(runs, sr)
		if k == 0 {
			rep.Outputs = []string{filepath.Join(o.out, o.name+".png")}
			if err := projectionPNG(rep.Outputs[0], r); err != nil {
				fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
				rep.Outputs, code = nil, 1
			}
		}
	}
	for k := range runs {
		runs[k] = finite(runs[k])
	}
	rep.seedRun = runs[0]
	if o.seeds > 1 {
		rep.Runs, rep.Summary = runs, summarise(runs, len(pr.Classes))
	}
	csv := filepath.Join(o.out, o.name+"-figures.csv")
	if err := os.WriteFile(csv, []byte(figuresCSV(runs, rep.Summary, pr.Classes)), 0o644); err != nil {
		fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
		code = 1
	} else {
		rep.Outputs = append(rep.Outputs, csv)
	}
	fmt.Fprint(stderr, figuresTable(runs, rep.Summary, pr.Classes))
	b, err := json.Marshal(rep)
	if err != nil {
		fmt.Fprintf(stderr, "lipflow-merge: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, string(b))
	return code
}

// runSeed steps r to its steps limit (or its failure, recorded in the result) and measures it.
// The error is that of the measurement.
func runSeed(r *gene.Run, tag bool, stderr io.Writer) (seedRun, error) {
	sr := seedRun{Seed: r.Config.Seed}
	prefix := ""
	if tag {
		prefix = fmt.Sprintf("seed %d: ", sr.Seed)
	}
	start := time.Now()
	steps := r.Config.Steps
	every := max(1, steps/10)
	for k := 1; k <= steps; k++ {
		if err := r.Flow.Step(); err != nil {
			msg := err.Error()
			sr.Error = &msg
			fmt.Fprintf(stderr, "lipflow-merge: %s%v\n", prefix, err)
			break
		}
		if k%every == 0 {
			st := r.Flow.Stats()
			fmt.Fprintf(stderr, "%sstep %d: divergence %.4g, mean speed %.3g\n", prefix, k, st.Divergence, st.Speed)
		}
	}
	elapsed := time.Since(start)
	sr.Final = r.Flow.Stats()
	sr.StepsDone = sr.Final.Step
	sr.Seconds = elapsed.Seconds()
	if sr.StepsDone > 0 {
		sr.MsPerStep = float64(elapsed.Microseconds()) / 1000 / float64(sr.StepsDone)
	}
	var err error
	sr.Figures, err = r.Figures()
	sr.Classes = r.Classify()
	return sr, err
}

// finite replaces what JSON cannot hold (a diverged run's NaN) by zeros in the few float fields
// that can go wrong.
func finite(r seedRun) seedRun {
	fix := func(v *float64) {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			*v = 0
		}
	}
	if f := r.Figures.After; f != nil {
		a := *f
		a.SinkhornDiv = append([]float64(nil), f.SinkhornDiv...)
		fix(&a.MMD)
		fix(&a.Sinkhorn)
		for c := range a.SinkhornDiv {
			fix(&a.SinkhornDiv[c])
		}
		r.Figures.After = &a
	}
	for _, v := range []*float64{&r.Final.Divergence, &r.Final.KE, &r.Final.Speed} {
		fix(v)
	}
	return r
}

// figuresCSV is one row per method and seed (method, seed, mmd2, sinkhorn, then sinkhorn_div_
// per class), then with a summary a mean and an sd row per method (seed "mean", "sd").
func figuresCSV(runs []seedRun, s *summary, classes []string) string {
	var b strings.Builder
	b.WriteString("method,seed,mmd2,sinkhorn")
	for _, c := range classes {
		b.WriteString(",sinkhorn_div_" + c)
	}
	b.WriteString("\n")
	for _, m := range methods {
		for k := range runs {
			f := m.get(&runs[k].Figures)
			if f == nil {
				continue
			}
			fmt.Fprintf(&b, "%s,%d,%.6g,%.6g", m.key, runs[k].Seed, f.MMD, f.Sinkhorn)
			for _, v := range f.SinkhornDiv {
				fmt.Fprintf(&b, ",%.6g", v)
			}
			b.WriteString("\n")
		}
	}
	if s == nil {
		return b.String()
	}
	for i, m := range methods {
		fs := statsOf(s, i)
		for _, row := range []struct {
			name string
			get  func(stat) float64
		}{{"mean", func(x stat) float64 { return x.Mean }}, {"sd", func(x stat) float64 { return x.SD }}} {
			fmt.Fprintf(&b, "%s,%s,%.6g,%.6g", m.key, row.name, row.get(fs.MMD), row.get(fs.Sinkhorn))
			for _, v := range fs.SinkhornDiv {
				fmt.Fprintf(&b, ",%.6g", row.get(v))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// figuresTable is the figures as a text table: the first seed's, or mean ± sd over the seeds.
func figuresTable(runs []seedRun, s *summary, classes []string) string {
	head := []string{"source as", "MMD^2", "Sinkhorn <pi,C>"}
	for _, c := range classes {
		head = append(head, "S_eps "+c)
	}
	rows := [][]string{head}
	for i, m := range methods {
		row := []string{m.label}
		if s == nil {
			f := m.get(&runs[0].Figures)
			if f == nil {
				continue
			}
			row = append(row, fmt.Sprintf("%.4f", f.MMD), fmt.Sprintf("%.0f", f.Sinkhorn))
			for _, v := range f.SinkhornDiv {
				row = append(row, fmt.Sprintf("%.0f", v))
			}
		} else {
			fs := statsOf(s, i)
			row = append(row, fmt.Sprintf("%.4f ± %.4f", fs.MMD.Mean, fs.MMD.SD), fmt.Sprintf("%.0f ± %.0f", fs.Sinkhorn.Mean, fs.Sinkhorn.SD))
			for _, v := range fs.SinkhornDiv {
				row = append(row, fmt.Sprintf("%.0f ± %.0f", v.Mean, v.SD))
			}
		}
		rows = append(rows, row)
	}
	width := make([]int, len(head))
	for _, r := range rows {
		for k, c := range r {
			width[k] = max(width[k], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	if s != nil {
		fmt.Fprintf(&b, "figures, mean ± sd over seeds %v:\n", s.Seeds)
	} else {
		fmt.Fprintf(&b, "figures (seed %d):\n", runs[0].Seed)
	}
	for _, r := range rows {
		var line strings.Builder
		for k, c := range r {
			if k > 0 {
				line.WriteString("  ")
			}
			line.WriteString(c + strings.Repeat(" ", width[k]-utf8.RuneCountInString(c)))
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}
