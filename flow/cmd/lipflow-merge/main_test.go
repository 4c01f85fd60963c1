package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad input exits with 2 and one line saying what is wrong, before any step.
func TestRefusesBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-method", "magic"}, "method"},
		{[]string{"-source_batch", "bladder-9"}, "want one of"},
		{[]string{"-dim", "1"}, "dim"},
		{[]string{"-dim", "60"}, "dim <="},
		{[]string{"-lr", "x"}, "not a number"},
		{[]string{"-data", "/nonexistent"}, "bladder.bin"},
		{[]string{"-seeds", "0"}, "seeds"},
	} {
		var out, errb bytes.Buffer
		args := append([]string{"-data", "../../../assets/gene/data", "-out", t.TempDir()}, c.args...)
		if code := run(args, &out, &errb); code != 2 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errb.String(), c.want)
		}
	}
}

// A short run writes its figure, its CSV and a JSON last line whose figures agree with the CSV.
func TestShortRun(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run([]string{"-data", "../../../assets/gene/data", "-out", dir, "-steps", "20",
		"-source_batch", "bladder-5", "-target_batch", "bladder-2"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var rep report
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.StepsDone != 20 || rep.Figures.After == nil || rep.Problem.NSource != 15 || rep.Problem.NTarget != 14 {
		t.Errorf("report %+v", rep)
	}
	// bladder-5 and bladder-2 share one class, Cancer: one divergence per figure.
	if len(rep.Figures.After.SinkhornDiv) != 1 || len(rep.Figures.Before.SinkhornDiv) != 1 || rep.Runs != nil || rep.Summary != nil {
		t.Errorf("figures %+v, runs %v, summary %v", rep.Figures, rep.Runs, rep.Summary)
	}
	if !strings.Contains(errb.String(), "S_eps Cancer") {
		t.Errorf("no figures table on stderr:\n%s", errb.String())
	}
	csv, err := os.ReadFile(filepath.Join(dir, "merge-figures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(csv), "method,seed,mmd2,sinkhorn,sinkhorn_div_Cancer\n") || !strings.Contains(string(csv), "before,1,") || !strings.Contains(string(csv), "floor,1,") {
		t.Errorf("figures CSV:\n%s", csv)
	}
	if fi, err := os.Stat(filepath.Join(dir, "merge.png")); err != nil || fi.Size() < 1000 {
		t.Errorf("merge.png: %v", err)
	}
}

// -seeds 3 runs seeds 1, 2, 3 of the same problem: the baselines agree across them, the runs
// differ, and the summary is their mean and sample sd, in the JSON, the CSV and the table.
func TestSeeds(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run([]string{"-data", "../../../assets/gene/data", "-out", dir, "-steps", "3", "-seeds", "3"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var rep report
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 3 || rep.Summary == nil || rep.Seed != 1 {
		t.Fatalf("runs %d, summary %v, seed %d", len(rep.Runs), rep.Summary, rep.Seed)
	}
	var after []float64
	for k, r := range rep.Runs {
		if r.Seed != uint64(k+1) || r.StepsDone != 3 || r.Figures.After == nil || len(r.Figures.After.SinkhornDiv) != 2 {
			t.Fatalf("run %d: %+v", k, r)
		}
		if r.Figures.Before.SinkhornDiv[0] != rep.Runs[0].Figures.Before.SinkhornDiv[0] {
			t.Errorf("seed %d: before %v, seed 1: %v", r.Seed, r.Figures.Before.SinkhornDiv, rep.Runs[0].Figures.Before.SinkhornDiv)
		}
		after = append(after, r.Figures.After.SinkhornDiv[1])
	}
	m := (after[0] + after[1] + after[2]) / 3
	sd := math.Sqrt(((after[0]-m)*(after[0]-m) + (after[1]-m)*(after[1]-m) + (after[2]-m)*(after[2]-m)) / 2)
	got := rep.Summary.After.SinkhornDiv[1]
	if sd == 0 || math.Abs(got.Mean-m) > 1e-9*m || math.Abs(got.SD-sd) > 1e-9*sd || rep.Summary.After.N != 3 {
		t.Errorf("after, Normal: summary %+v, want mean %v sd %v over %v", got, m, sd, after)
	}
	if b := rep.Summary.Before.SinkhornDiv[0]; b.SD != 0 || b.Mean != rep.Figures.Before.SinkhornDiv[0] {
		t.Errorf("before, Cancer: summary %+v, want sd 0", b)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "merge-figures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sinkhorn_div_Cancer,sinkhorn_div_Normal\n", "after,3,", "after,mean,", "after,sd,", "floor,sd,"} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("figures CSV lacks %q:\n%s", want, csv)
		}
	}
	if !strings.Contains(errb.String(), "mean ± sd over seeds [1 2 3]") {
		t.Errorf("table:\n%s", errb.String())
	}
}
