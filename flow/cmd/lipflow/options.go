package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"lipflow/flow"
	"lipflow/flow/dist"
)

// Input size limits: a target file of 64 MiB already holds millions of points, and a config
// is a few hundred bytes, so anything bigger is a mistake, refused before it fills memory.
const (
	maxCSVBytes    = 64 << 20
	maxConfigBytes = 1 << 20
)

// options is the command line once parsed: the base settings every run starts from, and
// what the runner itself needs.
type options struct {
	base      flow.Settings
	targetCSV string    // file of target points; "" draws them from base.Target
	target    []float64 // the points read from targetCSV
	out, name string
	every     int    // record diagnostics every this many steps; 0: steps/100
	compare   string // '|'-separated list of comma-separated key=value overrides
	logAxes   string // auto, on or off
	matrix    bool   // run the matrix of f x constraint x optimizer on three presets instead
	workers   int    // goroutines per step; 0: every core
}

// assignment is one setting given on the command line, kept as text until the config file
// (which comes first, wherever -config stands) has been applied.
type assignment struct{ name, value string }

// parseArgs reads the flags, then builds the base settings: defaults, then -config, then the
// setting flags in the order given, then the dimension and count of -target-csv. Help goes to
// stderr and comes back as flag.ErrHelp.
func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	var given []assignment
	fs := flag.NewFlagSet("lipflow", flag.ContinueOnError)
	def := flow.Defaults()
	for _, name := range flow.SettingNames() {
		usage := fmt.Sprintf("%s (default %s)", flow.SettingHelp(name), def.Get(name))
		// Every setting takes a value, adam_reset too (-adam_reset true), so that a flag, a
		// config entry and a compare override read the same text.
		fs.Func(name, usage, func(v string) error {
			// Check the syntax now, so the error names the flag at once; apply later.
			var scratch flow.Settings
			if err := scratch.Set(name, v); err != nil {
				return err
			}
			given = append(given, assignment{name, v})
			return nil
		})
	}
	var config string
	fs.StringVar(&config, "config", "", "JSON `file` holding an object of settings, applied before the setting flags")
	fs.StringVar(&o.targetCSV, "target-csv", "", "CSV `file` of target points, one per line (sets dim and m; at most 64 MiB)")
	fs.StringVar(&o.out, "out", ".", "`directory` to write the figures and particles to")
	fs.StringVar(&o.name, "name", "lipflow", "`prefix` of the output files")
	fs.IntVar(&o.every, "every", 0, "record the diagnostics every `K` steps (default steps/100)")
	fs.StringVar(&o.compare, "compare", "", "runs to overlay, separated by '|', each a comma-separated `list` of key=value settings,\ne.g. 'f=kl-dv|f=alpha,alpha=2|f=alpha,alpha=10'")
	fs.BoolVar(&o.matrix, "matrix", false, "as the first argument (-matrix [preset,...]): run every f against every constraint and optimizer on the\ngaussian-L1, four-wells-L1 and heavy-tails presets (or those named), and print each one's end metric over its start\nas Markdown tables; other flags are ignored")
	fs.IntVar(&o.workers, "workers", 0, "`goroutines` sharing each step (0: every core); the particles do not depend on it, to the bit")
	fs.StringVar(&o.logAxes, "log-axes", "auto", "draw each coordinate x of the scatter as sign(x) log(1+|x|): `mode` on, off, or auto (on for heavy-tailed targets)")
	// The flag package would print the whole usage after every error; one line is enough.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(fs, stderr)
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: every input is a flag (see -help)", fs.Arg(0))
	}
	if err := o.check(); err != nil {
		return nil, err
	}

	o.base = def
	if config != "" {
		if err := applyConfig(&o.base, config); err != nil {
			return nil, err
		}
	}
	for _, a := range given {
		// The syntax was checked while parsing; Set cannot fail here.
		_ = o.base.Set(a.name, a.value)
	}
	if o.targetCSV != "" {
		x, d, err := readTargetCSV(o.targetCSV)
		if err != nil {
			return nil, err
		}
		o.target = x
		o.base.Dim, o.base.M = d, len(x)/d
		// Say where the targets came from; the spec would otherwise name a law not used.
		o.base.Target = "csv:" + o.targetCSV
	}
	return o, nil
}

// check refuses runner options that cannot work, before any setting is looked at.
func (o *options) check() error {
	switch {
	case o.every < 0:
		return fmt.Errorf("every = %d, want K >= 1 (or 0 for steps/100)", o.every)
	case o.workers < 0:
		return fmt.Errorf("workers = %d, want 1 or more (0: every core)", o.workers)
	case o.name == "" || strings.ContainsAny(o.name, `/\`):
		return fmt.Errorf("name = %q, want a non-empty file prefix without a path separator", o.name)
	case o.out == "":
		return errors.New(`out = "", want a directory`)
	case !slices.Contains([]string{"auto", "on", "off"}, o.logAxes):
		return fmt.Errorf("log-axes = %q, want auto, on or off", o.logAxes)
	}
	return nil
}

func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, `Usage: lipflow [flags]

Runs the (f, Lip_L) generative particles algorithm and writes, in -out:
NAME.png (final particles over the targets), NAME-curves.png (divergence and
kinetic energy against step), NAME.csv or NAME-K.csv (final particles of run K).
Progress goes to stderr; the last line of stdout is a JSON summary.

Every engine setting is a flag of the same name. Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// applyConfig sets every entry of the JSON object in file. Values may be JSON strings,
// numbers or booleans; each is handed to Settings.Set as text, so that a config and a flag
// accept the same values (and a number keeps its every digit, e.g. a 64-bit seed).
func applyConfig(s *flow.Settings, file string) error {
	data, err := readLimited(file, maxConfigBytes)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&obj); err != nil {
		return fmt.Errorf("config %s: want one JSON object of settings: %v", file, err)
	}
	if dec.More() {
		return fmt.Errorf("config %s: extra data after the JSON object", file)
	}
	// Sorted, so that with several bad entries the message does not depend on map order.
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(flow.SettingNames(), k) {
			return fmt.Errorf("config %s: unknown setting %q", file, k)
		}
		v, err := jsonScalar(obj[k])
		if err != nil {
			return fmt.Errorf("config %s: %s: %v", file, k, err)
		}
		if err := s.Set(k, v); err != nil {
			return fmt.Errorf("config %s: %w", file, err)
		}
	}
	return nil
}

// jsonScalar returns a JSON string's contents, or a number's or boolean's literal text.
func jsonScalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return "", errors.New("no value")
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '{' || raw[0] == '[' || string(raw) == "null":
		return "", fmt.Errorf("%s is not a string, number or boolean", raw)
	}
	return string(raw), nil
}

// readTargetCSV reads the user's target points; its errors name the file and the line.
func readTargetCSV(file string) ([]float64, int, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, 0, fmt.Errorf("target-csv: %w", err)
	}
	defer f.Close()
	x, d, err := dist.ReadCSV(f, maxCSVBytes)
	if err != nil {
		return nil, 0, fmt.Errorf("target-csv %s: %w", file, err)
	}
	return x, d, nil
}

// readLimited reads a whole file, refusing one of more than limit bytes.
func readLimited(file string, limit int64) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", file, limit)
	}
	return data, nil
}
