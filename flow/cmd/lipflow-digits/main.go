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
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	for _, name := range names {
		if name == "source" || name == "target" || name == "dim" || name == "m" {
			continue // set by the experiment
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
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every input is a flag (see -help)", fs.Arg(0))
	}
	if o.name == "" || strings.ContainsAny(o.name, `/\`) {
		return nil, fmt.Errorf("name = %q, want a file prefix without a path separator", o.name)
	}
	return o, o.aeConf.Validate()
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
	if len(out) > 3 {
		return nil, fmt.Errorf("compare: %d runs, want at most 3", len(out))
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
	tg, err := digits.NewTargets(data, space, specs[0].PerClass, specs[0].Seed)
	if err != nil {
		return err
	}
	res.M = tg.M()
	refIdx := data.EvalIdx[:min(500, len(data.EvalIdx))]
	ref := digits.NewReference(tg, space, digits.Pixels(held, refIdx), space.DecodeDigits(held, refIdx), len(refIdx))
	res.Decoded = digits.Score(clf, ref.Decoded, tg.Labels, ref).Agreement

	var runs []*digits.Run
	for i, s := range specs {
		r, err := digits.NewRun(s, space, tg)
		if err != nil {
			return fmt.Errorf("run %d: %v", i+1, err)
		}
		start := time.Now()
		for k := 0; k < s.Steps; k++ {
			if err := r.Step(); err != nil {
				break
			}
			if o.every > 0 && (k+1)%o.every == 0 {
				sc := digits.Score(clf, r.Samples(), r.Labels(), ref)
				fmt.Fprintf(os.Stderr, "%s step %d: agreement %.3f nn %.2f (held-out %.2f) decoded nn %.2f (held-out %.2f) copies %.3f\n",
					label(s, i), k+1, sc.Agreement, sc.NNDistance, sc.NNTrainDistance, sc.NNDecoded, sc.NNDecodedRef, sc.Copies)
			}
		}
		el := time.Since(start)
		rr := runResult{Label: label(s, i), Method: s.Method, Mobility: s.Mobility, N: s.N, Steps: r.Steps(),
			Scores: digits.Score(clf, r.Samples(), r.Labels(), ref), Stats: r.Stats(), Settings: map[string]string{}}
		if r.Steps() > 0 {
			rr.MsPerStep = float64(el.Microseconds()) / 1000 / float64(r.Steps())
		}
		if r.Err() != nil {
			rr.Error = r.Err().Error()
		}
		for _, n := range []string{"method", "mobility", "noise", "per_class", "n", "f", "L", "lipschitz", "width", "depth", "activation", "inner", "lr", "optimizer", "dt", "steps", "seed"} {
			rr.Settings[n] = s.Get(n)
		}
		fmt.Fprintf(os.Stderr, "%s: %d steps, %.1f ms a step, agreement %.3f\n", rr.Label, rr.Steps, rr.MsPerStep, rr.Scores.Agreement)
		res.Runs = append(res.Runs, rr)
		runs = append(runs, r)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	res.PNG = filepath.Join(o.out, o.name+".png")
	if err := writeGrid(res.PNG, tg, runs); err != nil {
		return err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, string(b))
	return nil
}

func label(s digits.Settings, i int) string {
	if s.Label != "" {
		return s.Label
	}
	return fmt.Sprintf("%s-%s-%d", s.Method, s.Mobility, i+1)
}
