package main

import (
	"bytes"
	"encoding/json"
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
	csv, err := os.ReadFile(filepath.Join(dir, "merge-figures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csv), "before,") || !strings.Contains(string(csv), "floor,") {
		t.Errorf("figures CSV:\n%s", csv)
	}
	if fi, err := os.Stat(filepath.Join(dir, "merge.png")); err != nil || fi.Size() < 1000 {
		t.Errorf("merge.png: %v", err)
	}
}
