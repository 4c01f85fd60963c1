package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lipflow/flow/ae"
)

// TestRunner runs two methods for a few steps on a small saved autoencoder and checks the
// JSON line and the PNG grid's shape.
func TestRunner(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the classifier")
	}
	dir := t.TempDir()
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
