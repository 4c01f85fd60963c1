package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"lipflow/flow"
)

// short are the settings of a run small enough for a test: a few hundred milliseconds.
var short = []string{"steps", "30", "n", "50", "m", "50", "width", "8", "depth", "2", "inner", "2"}

type outcome struct {
	code           int
	stdout, stderr string
}

// lipflow runs the command in-process.
func lipflow(args ...string) outcome {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return outcome{code, stdout.String(), stderr.String()}
}

// flags turns name, value pairs into command-line flags.
func flags(pairs ...string) []string {
	var args []string
	for i := 0; i < len(pairs); i += 2 {
		args = append(args, "-"+pairs[i], pairs[i+1])
	}
	return args
}

// settingsOf is a second path to a run's settings: the defaults with the pairs set in order.
func settingsOf(t *testing.T, pairs ...string) flow.Settings {
	t.Helper()
	s := flow.Defaults()
	for i := 0; i < len(pairs); i += 2 {
		if err := s.Set(pairs[i], pairs[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// summary is the JSON line, with the parts the tests read typed and the rest kept raw.
type summary struct {
	Settings []map[string]json.RawMessage `json:"settings"`
	Runs     []map[string]json.RawMessage `json:"runs"`
	Outputs  []string                     `json:"outputs"`
}

// lastLine parses the last line of stdout and checks the fields every summary has.
func lastLine(t *testing.T, stdout string) summary {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	var sum summary
	dec := json.NewDecoder(strings.NewReader(lines[len(lines)-1]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sum); err != nil {
		t.Fatalf("last stdout line is not the summary: %v\n%s", err, lines[len(lines)-1])
	}
	if len(sum.Settings) != len(sum.Runs) {
		t.Fatalf("%d settings for %d runs", len(sum.Settings), len(sum.Runs))
	}
	for i, r := range sum.Runs {
		want := []string{"label", "steps_done", "error", "warning", "seconds", "ms_per_step", "final", "figures", "floor", "curve"}
		if got := sortedKeys(r); !slices.Equal(got, sorted(want)) {
			t.Errorf("run %d has fields %v, want %v", i+1, got, sorted(want))
		}
		if got := sortedKeys(sum.Settings[i]); !slices.Equal(got, sorted(flow.SettingNames())) {
			t.Errorf("settings %d have fields %v, want every setting", i+1, got)
		}
	}
	return sum
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	return sorted(k)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func decode[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return v
}

// settingsAt decodes the settings of run i.
func (s summary) settingsAt(t *testing.T, i int) flow.Settings {
	t.Helper()
	b, _ := json.Marshal(s.Settings[i])
	return decode[flow.Settings](t, b)
}

// readParticles reads a CSV the command wrote, checking its header and that every value is a
// finite number.
func readParticles(t *testing.T, path string, d int) []float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	var header []string
	for k := 1; k <= d; k++ {
		header = append(header, fmt.Sprintf("x%d", k))
	}
	if lines[0] != strings.Join(header, ",") {
		t.Fatalf("%s: header %q, want %q", path, lines[0], strings.Join(header, ","))
	}
	var x []float64
	for i, line := range lines[1:] {
		fields := strings.Split(line, ",")
		if len(fields) != d {
			t.Fatalf("%s line %d: %d fields, want %d", path, i+2, len(fields), d)
		}
		for _, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s line %d: %q is not a finite number", path, i+2, f)
			}
			x = append(x, v)
		}
	}
	return x
}

// directRun is the second implementation the CSV is checked against: the engine's own Run.
func directRun(t *testing.T, s flow.Settings) []float64 {
	t.Helper()
	fl, err := flow.New(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := fl.Run(s.Steps); err != nil {
		t.Fatal(err)
	}
	return fl.Particles()
}

func sameParticles(t *testing.T, name string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: value %d is %v, direct run gives %v", name, i, got[i], want[i])
		}
	}
}

// checkPNG decodes a PNG and checks that it shows each of the colours: every run's points,
// and the targets' grey (so it is in particular not one colour).
func checkPNG(t *testing.T, path string, want ...color.Color) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, c := range want {
		if !hasColor(img, c) {
			r, g, b, _ := c.RGBA()
			t.Errorf("%s: no pixel of colour %d,%d,%d", path, r>>8, g>>8, b>>8)
		}
	}
}

// hasColor allows for antialiasing: a glyph's edge blends into the background, its core not.
func hasColor(img image.Image, c color.Color) bool {
	wr, wg, wb, _ := c.RGBA()
	near := func(a, b uint32) bool { return max(a, b)-min(a, b) <= 24<<8 }
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if near(r, wr) && near(g, wg) && near(b, wb) {
				return true
			}
		}
	}
	return false
}

func TestRun(t *testing.T) {
	tests := []struct {
		name  string
		given []string // setting name, value pairs, in order
		extra []string // runner flags
		every int      // expected recording interval
		heavy bool     // heavy-tailed target: log-KS and radii expected
	}{
		{"heavy-tailed default target", append([]string{"f", "alpha", "alpha", "2", "L", "1", "seed", "7"}, short...), nil, 1, true},
		{"gaussian, kl-dv, penalty, heun, adam",
			append([]string{"target", "gaussian(sd=2)", "f", "kl-dv", "lipschitz", "penalty", "lambda", "5",
				"integrator", "heun", "optimizer", "adam", "lr", "0.005", "dt", "0.25"}, short...),
			[]string{"-every", "7"}, 7, false},
		{"one dimension", append([]string{"dim", "1", "source", "gaussian(mean=3)", "target", "stretched-exp(beta=0.5)", "f", "js", "adam_reset", "true"}, short...),
			[]string{"-every", "10", "-name", "one"}, 10, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			name := "lipflow"
			if i := slices.Index(tc.extra, "-name"); i >= 0 {
				name = tc.extra[i+1]
			}
			out := lipflow(append(append(flags(tc.given...), "-out", dir), tc.extra...)...)
			if out.code != 0 {
				t.Fatalf("exit %d: %s", out.code, out.stderr)
			}
			if !strings.Contains(out.stderr, "step 30/30") {
				t.Errorf("no progress line on stderr:\n%s", out.stderr)
			}
			sum := lastLine(t, out.stdout)
			if len(sum.Runs) != 1 {
				t.Fatalf("%d runs, want 1", len(sum.Runs))
			}

			// Every setting given comes back exactly as written.
			s := sum.settingsAt(t, 0)
			for i := 0; i < len(tc.given); i += 2 {
				if got := s.Get(tc.given[i]); got != tc.given[i+1] {
					t.Errorf("setting %s echoed as %q, given %q", tc.given[i], got, tc.given[i+1])
				}
			}
			if want := settingsOf(t, tc.given...); s != want {
				t.Errorf("settings %+v, want %+v", s, want)
			}

			r := sum.Runs[0]
			if got := decode[int](t, r["steps_done"]); got != 30 {
				t.Errorf("steps_done %d, want 30", got)
			}
			if got := decode[*string](t, r["error"]); got != nil {
				t.Errorf("error %q, want null", *got)
			}
			if got := decode[flow.Stats](t, r["final"]); got.Step != 30 || !(got.DT > 0) {
				t.Errorf("final stats %+v, want step 30 and the step size", got)
			}
			if ms := decode[float64](t, r["ms_per_step"]); !(ms > 0) {
				t.Errorf("ms_per_step %v, want > 0", ms)
			}
			var steps []int
			for _, p := range decode[[]curvePoint](t, r["curve"]) {
				steps = append(steps, p.Step)
			}
			var want []int
			for k := tc.every; k <= 30; k += tc.every {
				want = append(want, k)
			}
			if want[len(want)-1] != 30 {
				want = append(want, 30)
			}
			if !slices.Equal(steps, want) {
				t.Errorf("curve at steps %v, want %v", steps, want)
			}
			for _, part := range []string{"figures", "floor"} {
				fig := decode[map[string]json.RawMessage](t, r[part])
				for _, k := range []string{"energy", "mmd2", "sliced_w2", "sinkhorn"} {
					if v, ok := fig[k]; !ok || decode[*float64](t, v) == nil {
						t.Errorf("%s.%s = %s, want a number", part, k, v)
					}
				}
				_, hasKS := fig["log_ks"]
				_, hasRadius := fig["radius"]
				if hasKS != tc.heavy || hasRadius != tc.heavy {
					t.Errorf("%s: log_ks %v, radius %v, want both %v", part, hasKS, hasRadius, tc.heavy)
				}
				if tc.heavy {
					if ks := decode[[]float64](t, fig["log_ks"]); len(ks) != s.Dim {
						t.Errorf("%s.log_ks has %d values, want dim = %d", part, len(ks), s.Dim)
					}
				}
			}

			files := []string{filepath.Join(dir, name+".csv"), filepath.Join(dir, name+".png"), filepath.Join(dir, name+"-curves.png")}
			if !slices.Equal(sum.Outputs, files) {
				t.Errorf("outputs %v, want %v", sum.Outputs, files)
			}
			got := readParticles(t, files[0], s.Dim)
			sameParticles(t, files[0], got, directRun(t, settingsOf(t, tc.given...)))
			checkPNG(t, files[1], targetColor, runColor(0))
			checkPNG(t, files[2], runColor(0))
		})
	}
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	// Spaces around an entry's items are allowed.
	entries := []string{"f=kl-dv", "f=alpha, alpha=3", "f=alpha,alpha=10,lr=0.02"}
	out := lipflow(append(flags(short...), "-out", dir, "-name", "cmp", "-compare", strings.Join(entries, "|"))...)
	if out.code != 0 {
		t.Fatalf("exit %d: %s", out.code, out.stderr)
	}
	sum := lastLine(t, out.stdout)
	if len(sum.Runs) != len(entries) {
		t.Fatalf("%d runs, want %d", len(sum.Runs), len(entries))
	}
	overrides := [][]string{{"f", "kl-dv"}, {"f", "alpha", "alpha", "3"}, {"f", "alpha", "alpha", "10", "lr", "0.02"}}
	for i, entry := range entries {
		if got := decode[string](t, sum.Runs[i]["label"]); got != entry {
			t.Errorf("run %d label %q, want %q", i+1, got, entry)
		}
		want := settingsOf(t, append(slices.Clone(short), overrides[i]...)...)
		if got := sum.settingsAt(t, i); got != want {
			t.Errorf("run %d settings %+v, want %+v", i+1, got, want)
		}
		csv := filepath.Join(dir, fmt.Sprintf("cmp-%d.csv", i+1))
		sameParticles(t, csv, readParticles(t, csv, 2), directRun(t, want))
	}
	// The runs share their targets, so their floors are one; their figures are their own.
	if !bytes.Equal(sum.Runs[0]["floor"], sum.Runs[1]["floor"]) {
		t.Errorf("floors differ for runs on the same targets")
	}
	if bytes.Equal(sum.Runs[0]["figures"], sum.Runs[1]["figures"]) {
		t.Errorf("runs with different f have the same figures")
	}
	colors := []color.Color{targetColor}
	for i := range entries {
		colors = append(colors, runColor(i))
	}
	checkPNG(t, filepath.Join(dir, "cmp.png"), colors...)
	checkPNG(t, filepath.Join(dir, "cmp-curves.png"), colors[1:]...)
}

// A spec whose parameters hold commas survives the split of a compare entry.
func TestCompareSpecWithCommas(t *testing.T) {
	out := lipflow(append(flags(short...), "-out", t.TempDir(), "-steps", "2",
		"-compare", "target=student-t(nu=1,scale=2),f=kl")...)
	if out.code != 0 {
		t.Fatalf("exit %d: %s", out.code, out.stderr)
	}
	s := lastLine(t, out.stdout).settingsAt(t, 0)
	if s.Target != "student-t(nu=1,scale=2)" || s.F != "kl" {
		t.Errorf("target %q, f %q", s.Target, s.F)
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "run.json")
	// A config gives values in any JSON scalar form; the flags, wherever they stand, win.
	err := os.WriteFile(config, []byte(`{"n": 40, "alpha": 3, "L": "inf", "target": "gaussian", "adam_reset": true, "seed": 18446744073709551615}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	out := lipflow(append([]string{"-n", "30", "-config", config, "-out", dir}, flags("steps", "3", "m", "20", "width", "4")...)...)
	if out.code != 0 {
		t.Fatalf("exit %d: %s", out.code, out.stderr)
	}
	s := lastLine(t, out.stdout).settingsAt(t, 0)
	want := settingsOf(t, "n", "30", "alpha", "3", "L", "inf", "target", "gaussian", "adam_reset", "true",
		"seed", "18446744073709551615", "steps", "3", "m", "20", "width", "4")
	if s != want {
		t.Errorf("settings %+v, want %+v", s, want)
	}
}

func TestTargetCSV(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b\n")
	var x []float64
	for i := range 60 {
		p := []float64{math.Cos(float64(i)), 2 * math.Sin(float64(i))}
		fmt.Fprintf(&b, "%v,%v\n", p[0], p[1])
		x = append(x, p...)
	}
	file := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := lipflow(append(flags(short...), "-out", dir, "-target-csv", file, "-dim", "3")...)
	if out.code != 0 {
		t.Fatalf("exit %d: %s", out.code, out.stderr)
	}
	sum := lastLine(t, out.stdout)
	s := sum.settingsAt(t, 0)
	if s.Dim != 2 || s.M != 60 || s.Target != "csv:"+file {
		t.Errorf("dim %d, m %d, target %q; want 2, 60 and the file", s.Dim, s.M, s.Target)
	}
	if floor := string(sum.Runs[0]["floor"]); floor != "null" {
		t.Errorf("floor %s, want null: the file is the reference", floor)
	}
	fl, err := flow.NewWithTarget(s, x, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := fl.Run(s.Steps); err != nil {
		t.Fatal(err)
	}
	sameParticles(t, "lipflow.csv", readParticles(t, filepath.Join(dir, "lipflow.csv"), 2), fl.Particles())
}

// A run that diverges stops there; the command still writes every output and says why.
func TestDiverged(t *testing.T) {
	dir := t.TempDir()
	out := lipflow(append(flags(short...), "-out", dir, "-target", "gaussian", "-L", "0", "-f", "kl", "-lr", "10", "-dt", "1e4")...)
	if out.code != 0 {
		t.Fatalf("exit %d: %s", out.code, out.stderr)
	}
	r := lastLine(t, out.stdout).Runs[0]
	msg := decode[*string](t, r["error"])
	if msg == nil {
		t.Fatal("these settings no longer diverge: the test needs others that do")
	}
	if !strings.Contains(*msg, "diverged") {
		t.Errorf("error %q does not say the flow diverged", *msg)
	}
	if n := decode[int](t, r["steps_done"]); n >= 30 {
		t.Errorf("steps_done %d after a divergence, want < 30", n)
	}
	if got := decode[[]curvePoint](t, r["curve"]); len(got) != decode[int](t, r["steps_done"]) {
		t.Errorf("%d curve points for %s steps done", len(got), r["steps_done"])
	}
	checkPNG(t, filepath.Join(dir, "lipflow.png"), targetColor, runColor(0))
	checkPNG(t, filepath.Join(dir, "lipflow-curves.png"))
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	textCSV := write("text.csv", "x,y\n1,2\n3,abc\n")
	raggedCSV := write("ragged.csv", "1,2\n3,4,5\n")
	badKey := write("key.json", `{"n": 10, "frobnicate": 1}`)
	badValue := write("value.json", `{"width": "wide"}`)
	notObject := write("list.json", `[1, 2]`)

	tests := []struct {
		name string
		args []string
		want string // the message must name this: the setting, line or flag
	}{
		{"negative L", []string{"-L", "-1"}, "L = -1"},
		{"alpha 1", []string{"-alpha", "1", "-f", "alpha"}, "alpha = 1"},
		{"width 0", []string{"-width", "0"}, "width = 0"},
		{"n not a number", []string{"-n", "abc"}, `n = "abc"`},
		{"negative steps", []string{"-steps", "-3"}, "steps = -3"},
		{"bad boolean", []string{"-adam_reset", "maybe"}, "adam_reset"},
		{"unknown target", []string{"-target", "nosuch"}, `"nosuch"`},
		{"csv text field", []string{"-target-csv", textCSV}, `line 3: field 2 "abc"`},
		{"csv ragged", []string{"-target-csv", raggedCSV}, "line 2"},
		{"csv missing", []string{"-target-csv", filepath.Join(dir, "missing.csv")}, "missing.csv"},
		{"config unknown key", []string{"-config", badKey}, `"frobnicate"`},
		{"config bad value", []string{"-config", badValue}, `width = "wide"`},
		{"config not an object", []string{"-config", notObject}, "list.json"},
		{"compare bad alpha", []string{"-compare", "f=kl|f=alpha,alpha=1"}, `compare entry 2 "f=alpha,alpha=1": alpha = 1`},
		{"compare dim", []string{"-compare", "f=kl|dim=3"}, "dim"},
		{"compare empty entry", []string{"-compare", "f=kl||f=js"}, "compare entry 2"},
		{"compare no value", []string{"-compare", "f=kl,width"}, `"width"`},
		{"compare unknown setting", []string{"-compare", "f=kl,colour=red"}, `"colour"`},
		{"compare m of a file", []string{"-target-csv", write("ok.csv", "1,2\n3,4\n"), "-compare", "f=kl|m=3"}, "m cannot differ"},
		{"negative every", []string{"-every", "-1"}, "every"},
		{"bad log-axes", []string{"-log-axes", "maybe"}, "log-axes"},
		{"name with a slash", []string{"-name", "a/b"}, "name"},
		{"unknown flag", []string{"-bogus"}, "-bogus"},
		{"argument", []string{"extra"}, `"extra"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out")
			res := lipflow(append(append(flags(short...), "-out", out), tc.args...)...)
			if res.code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", res.code, res.stderr)
			}
			if res.stdout != "" {
				t.Errorf("stdout %q, want nothing", res.stdout)
			}
			if strings.Count(res.stderr, "\n") != 1 || !strings.HasSuffix(res.stderr, "\n") {
				t.Errorf("stderr %q, want one line", res.stderr)
			}
			if !strings.Contains(res.stderr, tc.want) {
				t.Errorf("stderr %q does not name %q", res.stderr, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("bad input created the output directory")
			}
		})
	}
}

func TestHelp(t *testing.T) {
	out := lipflow("-help")
	if out.code != 0 || out.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 0 and nothing", out.code, out.stdout)
	}
	def := flow.Defaults()
	for _, name := range flow.SettingNames() {
		want := fmt.Sprintf("-%s", name)
		if !strings.Contains(out.stderr, want) || !strings.Contains(out.stderr, "(default "+def.Get(name)+")") {
			t.Errorf("help lacks %s or its default %s", want, def.Get(name))
		}
	}
	for _, flag := range []string{"-config", "-target-csv", "-out", "-name", "-every", "-compare"} {
		if !strings.Contains(out.stderr, flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
}

func TestWriteJSONNonFinite(t *testing.T) {
	one := 1.5
	v := struct {
		A    float64            `json:"a"`
		B    []float64          `json:"b"`
		C    *float64           `json:"c,omitempty"`
		D    *float64           `json:"d,omitempty"`
		E    *float64           `json:"e"`
		F    map[string]float64 `json:"f"`
		Skip int                `json:"-"`
		In   struct{ X float32 }
	}{A: math.NaN(), B: []float64{math.Inf(1), -2, math.Inf(-1)}, C: &one, F: map[string]float64{"k": 1}, Skip: 3}
	var b bytes.Buffer
	if err := writeJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	want := `{"a":null,"b":[null,-2,null],"c":1.5,"e":null,"f":{"k":1},"In":{"X":0}}` + "\n"
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}

// TestWorkers runs the same flow on one goroutine and on three: the particles written must be
// the same bytes (the engine's shard rule), and a negative count is refused.
func TestWorkers(t *testing.T) {
	var csv []string
	for _, w := range []string{"1", "3"} {
		dir := t.TempDir()
		out := lipflow(append(flags("n", "600", "m", "700", "steps", "3", "inner", "2", "f", "kl", "lipschitz", "penalty"),
			"-out", dir, "-workers", w)...)
		if out.code != 0 {
			t.Fatalf("-workers %s: exit %d: %s", w, out.code, out.stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "lipflow.csv"))
		if err != nil {
			t.Fatal(err)
		}
		csv = append(csv, string(b))
	}
	if csv[0] != csv[1] || len(csv[0]) < 600*20 {
		t.Errorf("-workers 1 and 3 wrote different particles (%d and %d bytes)", len(csv[0]), len(csv[1]))
	}
	if out := lipflow("-workers", "-1"); out.code == 0 || !strings.Contains(out.stderr, "workers = -1") {
		t.Errorf("-workers -1: exit %d, stderr %q", out.code, out.stderr)
	}
}
