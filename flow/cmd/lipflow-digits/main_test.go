package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"lipflow/flow/ae"
)

// smallAE writes an untrained autoencoder with a 4-d latent space to dir and returns the
// file's path.
func smallAE(t *testing.T, dir string) string {
	t.Helper()
	c := ae.Defaults()
	c.Latent, c.Width = 4, 16
	a, err := ae.New(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := a.Export()
	weights := filepath.Join(dir, "ae.json")
	if err := os.WriteFile(weights, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return weights
}

// TestRunner runs two methods for a few steps on a small saved autoencoder and checks the
// JSON line and the PNG grid's shape.
func TestRunner(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the classifier")
	}
	dir := t.TempDir()
	weights := smallAE(t, dir)
	o, err := parseArgs([]string{"-data", "../../../assets/mnist/data", "-ae", weights, "-out", dir,
		"-n", "30", "-steps", "3", "-width", "16", "-compare", "method=gpa|method=wgan-gp,label=w"}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(o, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var res result
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last line is not the JSON result: %v", err)
	}
	if len(res.Runs) != 2 || res.Runs[1].Label != "w" || res.Runs[0].Steps != 3 || res.M != 200 || res.AE.Config.Latent != 4 {
		t.Fatalf("result %+v", res)
	}
	for _, r := range res.Runs {
		if r.Scores.Agreement < 0 || r.Scores.Agreement > 1 || !(r.Scores.NNDistance > 0) {
			t.Fatalf("run %s scores %+v", r.Label, r.Scores)
		}
	}
	f, err := os.Open(res.PNG)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 3*20*28+2*12 || h != 280 {
		t.Fatalf("grid %d x %d, want %d x 280 (targets and two runs)", w, h, 3*20*28+2*12)
	}
}

// TestRunnerSeeds repeats two runs over two seeds: the first seed's results stay where a
// single run puts them, each seed has its targets, runs and grid, and the summary's spreads
// are those of the seeds' scores.
func TestRunnerSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the classifier")
	}
	dir := t.TempDir()
	weights := smallAE(t, dir)
	o, err := parseArgs([]string{"-data", "../../../assets/mnist/data", "-out", dir, "-ae", weights,
		"-n", "30", "-steps", "2", "-width", "16", "-seed", "9", "-seeds", "3,5", "-compare", "method=gpa|method=wgan-gp,seed=7,label=w"}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(o, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var res result
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last line is not the JSON result: %v", err)
	}
	if len(res.Seeds) != 2 || res.Seeds[0].Seed != 3 || res.Seeds[1].Seed != 5 || res.Summary == nil || len(res.Summary.Runs) != 2 {
		t.Fatalf("seeds %+v, summary %+v", res.Seeds, res.Summary)
	}
	if len(res.Runs) != 2 || res.Runs[1].Label != "w" || res.M != 200 || res.PNG != res.Seeds[0].PNG || res.Decoded != res.Seeds[0].Decoded {
		t.Fatalf("the top level is not the first seed's: %+v", res)
	}
	for _, sr := range res.Seeds {
		for _, r := range sr.Runs {
			if r.Settings["seed"] != strconv.FormatUint(sr.Seed, 10) || r.Steps != 2 {
				t.Errorf("seed %d: run %s has seed %s (-seeds overrides every run's), %d steps", sr.Seed, r.Label, r.Settings["seed"], r.Steps)
			}
		}
		if _, err := os.Stat(sr.PNG); err != nil || !strings.HasSuffix(sr.PNG, "-seed"+strconv.FormatUint(sr.Seed, 10)+".png") {
			t.Errorf("seed %d: grid %q: %v", sr.Seed, sr.PNG, err)
		}
	}
	if res.Seeds[0].Runs[0].Scores == res.Seeds[1].Runs[0].Scores {
		t.Errorf("seeds 3 and 5 scored the same %+v: the targets and runs should differ", res.Seeds[0].Runs[0].Scores)
	}
	for i, rs := range res.Summary.Runs {
		a, b := res.Seeds[0].Runs[i].Scores.Agreement, res.Seeds[1].Runs[i].Scores.Agreement
		sp := rs.Scores["agreement"]
		if rs.Seeds != 2 || rs.Label != res.Runs[i].Label || math.Abs(sp.Mean-(a+b)/2) > 1e-12 || sp.Min != min(a, b) || sp.Max != max(a, b) ||
			math.Abs(sp.SD-math.Abs(a-b)/math.Sqrt2) > 1e-12 {
			t.Errorf("run %s: summary %+v of agreements %v and %v", rs.Label, rs, a, b)
		}
		if len(rs.Scores) != 6 {
			t.Errorf("run %s: summary of %d scores, want the 6 of digits.Scores", rs.Label, len(rs.Scores))
		}
	}
	if d := res.Summary.Decoded; math.Abs(d.Mean-(res.Seeds[0].Decoded+res.Seeds[1].Decoded)/2) > 1e-12 {
		t.Errorf("decoded targets' summary %+v", d)
	}
}

func TestParseSeeds(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []uint64
	}{
		{"4", []uint64{4}},
		{"1-4", []uint64{1, 2, 3, 4}},
		{"0, 7,2-3", []uint64{0, 7, 2, 3}},
	} {
		got, err := parseSeeds(c.in)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("parseSeeds(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestRunnerRefuses(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-method", "vae"}, "method"},
		{[]string{"-compare", "method=gpa|n"}, "not key=value"},
		{[]string{"-compare", "a=1|b=2|c=3|d=4"}, ""},
		{[]string{"-ae-latent", "100"}, "latent = 100"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"-seeds", "4-1"}, "not a seed or a range"},
		{[]string{"-seeds", "1,x"}, `"x"`},
		{[]string{"-seeds", "1-3,2"}, "seed 2 twice"},
		{[]string{"-seeds", "1-101"}, "over 100 seeds"},
		{[]string{"-seeds", ""}, "not a seed"},
	} {
		o, err := parseArgs(c.args, &bytes.Buffer{})
		if err == nil {
			err = run(o, &bytes.Buffer{})
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
