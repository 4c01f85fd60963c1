// Command lipflow-digits runs the conditional MNIST experiment natively: it trains (or loads)
// the autoencoder and the held-out classifier, draws the per_class x 10 targets, runs one
// method or several side by side (-compare) on them, writes a PNG grid of generated digits
// (rows = classes) beside the targets, and prints one JSON object (settings, timings, scores)
// on its last line.
//
//	go run ./flow/cmd/lipflow-digits -compare 'method=gpa|method=gan|method=wgan-gp' -out out
//
// Settings are the digits page's vocabulary (the engine's names plus method, mobility, noise,
// per_class), each a flag; -compare lists runs as '|'-separated key=value lists over them.
//
// -seeds repeats the runs over several seeds (each draws its own 200 targets and starts every
// run from it; the autoencoder and the classifier are trained once) and adds to the JSON each
// seed's results and, per run, the mean, sample standard deviation, minimum and maximum of
// every score over the seeds:
//
//	go run ./flow/cmd/lipflow-digits -compare 'method=gpa|method=gan|method=wgan-gp' -seeds 1-4 -out out
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
	"slices"
	"strconv"
	"strings"
	"time"

	"lipflow/flow"
	"lipflow/flow/ae"
	"lipflow/flow/digits"
	"lipflow/flow/mnist"
)

type options struct {
	base            digits.Settings
	compare         string
	data, out, name string
	aeIn, aeOut     string
	aeConf          ae.Config
	every           int
	seeds           []uint64 // -seeds; nil: the seed setting's one run
	workers         int      // goroutines per step of a flow; 0: every core
}

func main() {
	o, err := parseArgs(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err == nil {
		err = run(o, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lipflow-digits:", err)
		os.Exit(1)
	}
}

func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{base: digits.DefaultSettings(), aeConf: ae.Defaults()}
	fs := flag.NewFlagSet("lipflow-digits", flag.ContinueOnError)
	fs.SetOutput(stderr)
	names := append(append([]string(nil), digits.ExtraNames...), flow.SettingNames()...)
	for i, name := range names {
		if name == "source" || name == "target" || name == "dim" || name == "m" {
			continue // set by the experiment
		}
		if slices.Contains(names[:i], name) {
			continue // the experiment's method (gpa, gan, wgan-gp) stands for the engine's
		}
		fs.Func(name, fmt.Sprintf("%s (default %s)", help(name), o.base.Get(name)), func(v string) error {
			return o.base.Set(name, v)
		})
	}
	fs.StringVar(&o.compare, "compare", "", "runs side by side, '|'-separated, each a comma-separated `list` of key=value settings over the flags, e.g. 'method=gpa|method=gan|method=wgan-gp' (at most 3)")
	fs.StringVar(&o.data, "data", "assets/mnist/data", "`directory` holding train.bin.gz and heldout.bin.gz")
	fs.StringVar(&o.out, "out", ".", "`directory` for the PNG")
	fs.StringVar(&o.name, "name", "lipflow-digits", "`prefix` of the output files")
	fs.StringVar(&o.aeIn, "ae", "", "autoencoder weights `file` (JSON, as the page exports) to load instead of training")
	fs.StringVar(&o.aeOut, "ae-save", "", "write the trained autoencoder's weights to this `file`")
	fs.IntVar(&o.aeConf.Latent, "ae-latent", o.aeConf.Latent, "autoencoder latent dimension")
	fs.IntVar(&o.aeConf.Width, "ae-width", o.aeConf.Width, "autoencoder hidden units per layer")
	fs.IntVar(&o.aeConf.Depth, "ae-depth", o.aeConf.Depth, "autoencoder hidden layers per side")
	fs.IntVar(&o.aeConf.Epochs, "ae-epochs", o.aeConf.Epochs, "autoencoder epochs")
	fs.IntVar(&o.aeConf.Batch, "ae-batch", o.aeConf.Batch, "autoencoder mini-batch")
	fs.Float64Var(&o.aeConf.LR, "ae-lr", o.aeConf.LR, "autoencoder Adam learning rate")
	fs.IntVar(&o.every, "every", 0, "print the scores to stderr every `K` steps (0: only at the end)")
	fs.IntVar(&o.workers, "workers", 0, "`goroutines` sharing each step of a GPA run (0: every core); the results do not depend on it")
	fs.Func("seeds", "repeat the runs for each seed of this comma-separated `list` (ranges a-b allowed, e.g. 1-4 or 1,3,7; at most 100): each seed draws its own targets and overrides every run's seed; the JSON adds each seed's results and the scores' mean, sd, min and max over them", func(v string) error {
		seeds, err := parseSeeds(v)
		o.seeds = seeds
		return err
	})
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every input is a flag (see -help)", fs.Arg(0))
	}
	if o.workers < 0 {
		return nil, fmt.Errorf("workers = %d, want 1 or more (0: every core)", o.workers)
	}
	if o.name == "" || strings.ContainsAny(o.name, `/\`) {
		return nil, fmt.Errorf("name = %q, want a file prefix without a path separator", o.name)
	}
	return o, o.aeConf.Validate()
}

// parseSeeds reads -seeds: comma-separated seeds or ranges a-b, at most 100, each once.
func parseSeeds(v string) ([]uint64, error) {
	var out []uint64
	seen := map[uint64]bool{}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(strings.TrimSpace(lo), 10, 64)
		b := a
		if err == nil && isRange {
			b, err = strconv.ParseUint(strings.TrimSpace(hi), 10, 64)
		}
		if err != nil || b < a {
			return nil, fmt.Errorf("seeds = %q: %q is not a seed or a range a-b of seeds", v, part)
		}
		for x := a; ; x++ {
			if seen[x] {
				return nil, fmt.Errorf("seeds = %q: seed %d twice", v, x)
			}
			if len(out) == 100 {
				return nil, fmt.Errorf("seeds = %q: over 100 seeds", v)
			}
			seen[x] = true
			out = append(out, x)
			if x == b {
				break
			}
		}
	}
	return out, nil
}

func help(name string) string {
	switch name {
	case "method":
		return "gpa, gan or wgan-gp"
	case "mobility":
		return "gpa's mobility: latent (phi on the codes) or decoder (phi on the pixels, Z moved by J^T grad phi)"
	case "noise":
		return "the particles' or generator's noise: gaussian or logistic"
	case "per_class":
		return "targets per digit (M = 10 per_class)"
	case "label":
		return "the run's name in the output"
	}
	return flow.SettingHelp(name)
}

// specs returns the runs' settings: the base, or the base overridden by each -compare entry.
func (o *options) specs() ([]digits.Settings, error) {
	if o.compare == "" {
		return []digits.Settings{o.base}, nil
	}
	var out []digits.Settings
	for i, part := range strings.Split(o.compare, "|") {
		s := o.base
		for _, kv := range strings.Split(part, ",") {
			kv = strings.TrimSpace(kv)
			if kv == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, fmt.Errorf("compare: run %d: %q is not key=value", i+1, kv)
			}
			if err := s.Set(strings.TrimSpace(k), v); err != nil {
				return nil, fmt.Errorf("compare: run %d: %v", i+1, err)
			}
		}
		if s.Label == "" {
			s.Label = strings.TrimSpace(part)
		}
		out = append(out, s)
	}
	if len(out) > digits.MaxRuns {
		return nil, fmt.Errorf("compare: %d runs, want at most %d", len(out), digits.MaxRuns)
	}
	return out, nil
}

func readSet(path string) (*mnist.Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := mnist.Read(f, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return s, nil
}

type runResult struct {
	Label     string             `json:"label"`
	Method    string             `json:"method"`
	Mobility  string             `json:"mobility"`
	N         int                `json:"n"`
	Steps     int                `json:"steps"`
	MsPerStep float64            `json:"ms_per_step"`
	Error     string             `json:"error,omitempty"`
	Scores    digits.Scores      `json:"scores"`
	Stats     map[string]float64 `json:"stats"`
	Settings  map[string]string  `json:"settings"`
}

type result struct {
	AE struct {
		Config       ae.Config `json:"config"`
		Loaded       string    `json:"loaded,omitempty"`
		TrainSeconds float64   `json:"train_seconds,omitempty"`
		EpochSeconds float64   `json:"epoch_seconds,omitempty"`
		HeldoutLoss  float64   `json:"heldout_loss"`
	} `json:"ae"`
	Classifier struct {
		Accuracy     float64 `json:"accuracy"`
		TrainSeconds float64 `json:"train_seconds"`
		Digits       int     `json:"digits"`
		Measured     int     `json:"measured_on"`
	} `json:"classifier"`
	M       int         `json:"m"`
	Decoded float64     `json:"decoded_targets_agreement"`
	Runs    []runResult `json:"runs"`
	PNG     string      `json:"png"`
	// With -seeds: runs, m, decoded_targets_agreement and png above are the first seed's; seeds
	// holds every seed's, summary the scores over them.
	Seeds   []seedResult `json:"seeds,omitempty"`
	Summary *summary     `json:"summary,omitempty"`
}

// seedResult is one seed's runs (with -seeds).
type seedResult struct {
	Seed    uint64      `json:"seed"`
	M       int         `json:"m"`
	Decoded float64     `json:"decoded_targets_agreement"`
	Runs    []runResult `json:"runs"`
	PNG     string      `json:"png"`
}

func run(o *options, stdout io.Writer) error {
	specs, err := o.specs()
	if err != nil {
		return err
	}
	for i := range specs {
		if err := specs[i].Validate(); err != nil {
			return fmt.Errorf("run %d: %v", i+1, err)
		}
	}
	train, err := readSet(filepath.Join(o.data, "train.bin.gz"))
	if err != nil {
		return err
	}
	held, err := readSet(filepath.Join(o.data, "heldout.bin.gz"))
	if err != nil {
		return err
	}
	data, err := digits.NewData(train, held)
	if err != nil {
		return err
	}
	var res result
	evalSet := &mnist.Set{}
	for _, i := range data.EvalIdx {
		evalSet.Pix = append(evalSet.Pix, held.Digit(i)...)
		evalSet.Labels = append(evalSet.Labels, held.Labels[i])
	}
	var a *ae.AE
	if o.aeIn != "" {
		b, err := os.ReadFile(o.aeIn)
		if err != nil {
			return err
		}
		if a, err = ae.Import(b); err != nil {
			return fmt.Errorf("%s: %v", o.aeIn, err)
		}
		res.AE.Loaded = o.aeIn
	} else {
		if a, err = ae.New(o.aeConf); err != nil {
			return err
		}
		tr, err := ae.NewTrainer(a, train, evalSet)
		if err != nil {
			return err
		}
		start := time.Now()
		for !tr.Done() {
			if _, err := tr.TrainStep(); err != nil {
				return err
			}
		}
		res.AE.TrainSeconds = time.Since(start).Seconds()
		res.AE.EpochSeconds = res.AE.TrainSeconds / float64(a.Config.Epochs)
		fmt.Fprintf(os.Stderr, "autoencoder: %d epochs in %.1f s\n", a.Config.Epochs, res.AE.TrainSeconds)
		if o.aeOut != "" {
			b, err := a.Export()
			if err != nil {
				return err
			}
			if err := os.WriteFile(o.aeOut, b, 0o644); err != nil {
				return err
			}
		}
	}
	res.AE.Config = a.Config
	res.AE.HeldoutLoss = a.Loss(evalSet, nil)

	start := time.Now()
	clf := digits.NewClassifier(held, data.ClassIdx, 1)
	clf.Train()
	res.Classifier.TrainSeconds = time.Since(start).Seconds()
	res.Classifier.Accuracy = clf.Accuracy(held, data.EvalIdx)
	res.Classifier.Digits, res.Classifier.Measured = len(data.ClassIdx), len(data.EvalIdx)

	space := digits.NewSpace(a, train)
	refIdx := data.EvalIdx[:min(500, len(data.EvalIdx))]
	refPix, refDecoded := digits.Pixels(held, refIdx), space.DecodeDigits(held, refIdx)
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	ex := &experiment{o: o, data: data, space: space, clf: clf, refPix: refPix, refDecoded: refDecoded, refRows: len(refIdx)}
	if o.seeds == nil {
		sr, err := ex.run(specs, specs[0].Seed, filepath.Join(o.out, o.name+".png"))
		if err != nil {
			return err
		}
		res.M, res.Decoded, res.Runs, res.PNG = sr.M, sr.Decoded, sr.Runs, sr.PNG
	} else {
		for _, seed := range o.seeds {
			seeded := append([]digits.Settings(nil), specs...)
			for i := range seeded {
				seeded[i].Seed = seed
			}
			fmt.Fprintf(os.Stderr, "seed %d\n", seed)
			sr, err := ex.run(seeded, seed, filepath.Join(o.out, fmt.Sprintf("%s-seed%d.png", o.name, seed)))
			if err != nil {
				return fmt.Errorf("seed %d: %v", seed, err)
			}
			res.Seeds = append(res.Seeds, *sr)
		}
		first := res.Seeds[0]
		res.M, res.Decoded, res.Runs, res.PNG = first.M, first.Decoded, first.Runs, first.PNG
		res.Summary = summarize(o.seeds, res.Seeds)
		for _, r := range res.Summary.Runs {
			sc := r.Scores
			fmt.Fprintf(os.Stderr, "%s over %d seeds (mean ± sd, min-max): agreement %s, nn_distance %s, nn_decoded %s, copies %s; %d stopped early\n",
				r.Label, r.Seeds, sc["agreement"], sc["nn_distance"], sc["nn_decoded"], sc["copies"], r.Errors)
		}
		fmt.Fprintf(os.Stderr, "decoded targets: agreement %s\n", res.Summary.Decoded)
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, string(b))
	return nil
}

// experiment is what every seed's runs share: the data, the autoencoder's space, the
// classifier and the held-out reference digits.
type experiment struct {
	o                  *options
	data               *digits.Data
	space              *digits.Space
	clf                *digits.Classifier
	refPix, refDecoded []float32
	refRows            int
}

// run draws the targets of targetSeed, runs specs on them, scores them and writes their grid
// to png.
func (ex *experiment) run(specs []digits.Settings, targetSeed uint64, png string) (*seedResult, error) {
	o := ex.o
	tg, err := digits.NewTargets(ex.data, ex.space, specs[0].PerClass, targetSeed)
	if err != nil {
		return nil, err
	}
	sr := &seedResult{Seed: targetSeed, M: tg.M(), PNG: png}
	ref := digits.NewReference(tg, ex.space, ex.refPix, ex.refDecoded, ex.refRows)
	sr.Decoded = digits.Score(ex.clf, ref.Decoded, tg.Labels, ref).Agreement

	var runs []*digits.Run
	for i, s := range specs {
		r, err := digits.NewRun(s, ex.space, tg)
		if err != nil {
			return nil, fmt.Errorf("run %d: %v", i+1, err)
		}
		r.SetWorkers(ex.o.workers)
		start := time.Now()
		for k := 0; k < s.Steps; k++ {
			if err := r.Step(); err != nil {
				break
			}
			if o.every > 0 && (k+1)%o.every == 0 {
				sc := digits.Score(ex.clf, r.Samples(), r.Labels(), ref)
				fmt.Fprintf(os.Stderr, "%s step %d: agreement %.3f nn %.2f (held-out %.2f) decoded nn %.2f (held-out %.2f) copies %.3f\n",
					label(s, i), k+1, sc.Agreement, sc.NNDistance, sc.NNTrainDistance, sc.NNDecoded, sc.NNDecodedRef, sc.Copies)
			}
		}
		el := time.Since(start)
		rr := runResult{Label: label(s, i), Method: s.Method, Mobility: s.Mobility, N: s.N, Steps: r.Steps(),
			Scores: digits.Score(ex.clf, r.Samples(), r.Labels(), ref), Stats: r.Stats(), Settings: map[string]string{}}
		if r.Steps() > 0 {
			rr.MsPerStep = float64(el.Microseconds()) / 1000 / float64(r.Steps())
		}
		if r.Err() != nil {
			rr.Error = r.Err().Error()
		}
		for _, n := range []string{"method", "mobility", "noise", "per_class", "n", "f", "L", "lipschitz", "width", "depth", "activation", "inner", "lr", "optimizer", "dt", "steps", "seed"} {
			rr.Settings[n] = s.Get(n)
		}
		sc, stopped := rr.Scores, ""
		if rr.Error != "" {
			stopped = ", stopped: " + rr.Error
		}
		fmt.Fprintf(os.Stderr, "%s: %d steps, %.1f ms a step, agreement %.3f nn %.2f decoded nn %.2f copies %.3f%s\n",
			rr.Label, rr.Steps, rr.MsPerStep, sc.Agreement, sc.NNDistance, sc.NNDecoded, sc.Copies, stopped)
		sr.Runs = append(sr.Runs, rr)
		runs = append(runs, r)
	}
	if err := writeGrid(png, tg, runs); err != nil {
		return nil, err
	}
	return sr, nil
}

// spread sums up one figure over the seeds: mean, sample standard deviation (0 for one seed),
// minimum and maximum.
type spread struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

func newSpread(x []float64) spread {
	s := spread{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, v := range x {
		s.Mean += v / float64(len(x))
		s.Min, s.Max = min(s.Min, v), max(s.Max, v)
	}
	if len(x) > 1 {
		var ss float64
		for _, v := range x {
			ss += (v - s.Mean) * (v - s.Mean)
		}
		s.SD = math.Sqrt(ss / float64(len(x)-1))
	}
	return s
}

func (s spread) String() string {
	return fmt.Sprintf("%.3f ± %.3f (%.3f-%.3f)", s.Mean, s.SD, s.Min, s.Max)
}

// runSummary is one run of -compare over the seeds.
type runSummary struct {
	Label     string            `json:"label"`
	Method    string            `json:"method"`
	Mobility  string            `json:"mobility"`
	Seeds     int               `json:"seeds"`
	Errors    int               `json:"errors"` // seeds whose run stopped early (its scores are those of where it stopped)
	Scores    map[string]spread `json:"scores"` // by the names of digits.Scores' fields in the JSON
	MsPerStep spread            `json:"ms_per_step"`
}

type summary struct {
	Seeds   []uint64     `json:"seeds"`
	Decoded spread       `json:"decoded_targets_agreement"`
	Runs    []runSummary `json:"runs"`
}

func summarize(seeds []uint64, results []seedResult) *summary {
	sum := &summary{Seeds: seeds}
	var decoded []float64
	for _, sr := range results {
		decoded = append(decoded, sr.Decoded)
	}
	sum.Decoded = newSpread(decoded)
	for i, first := range results[0].Runs {
		rs := runSummary{Label: first.Label, Method: first.Method, Mobility: first.Mobility, Seeds: len(results), Scores: map[string]spread{}}
		byName := map[string][]float64{}
		var ms []float64
		for _, sr := range results {
			r := sr.Runs[i]
			if r.Error != "" {
				rs.Errors++
			}
			ms = append(ms, r.MsPerStep)
			b, _ := json.Marshal(r.Scores)
			var m map[string]float64
			_ = json.Unmarshal(b, &m)
			for k, v := range m {
				byName[k] = append(byName[k], v)
			}
		}
		for k, x := range byName {
			rs.Scores[k] = newSpread(x)
		}
		rs.MsPerStep = newSpread(ms)
		sum.Runs = append(sum.Runs, rs)
	}
	return sum
}

func label(s digits.Settings, i int) string {
	if s.Label != "" {
		return s.Label
	}
	return fmt.Sprintf("%s-%s-%d", s.Method, s.Mobility, i+1)
}
