package gene

import (
	"strings"
	"testing"
)

// mergeSteps is the run length of the tests and the page: the figures settle by about 400 steps
// of dt = 5 (the README's table shows 5000 steps give about the same).
const mergeSteps = 400

// The default merge (kidney into bladder batch 2, classes Cancer and Normal) on the committed
// data: the source-to-target distance in probe space falls by a large factor and ends below
// per-class standardisation, as in the paper's table; and the class structure survives: nearest
// centroids fitted on the target's latent codes label the merged source about as well as they
// label held-out target samples.
func TestMergeOnRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("a 400-step merge on 22,283 probes: skipped under -short")
	}
	cfg := DefaultConfig()
	pr, err := NewProblem(loadSets(t), cfg.SourceBatch, cfg.TargetBatch, cfg.Dim)
	if err != nil {
		t.Fatal(err)
	}
	base, err := pr.Baselines()
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Settings
	s.Steps = mergeSteps
	fl, err := pr.NewFlow(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := fl.Run(mergeSteps); err != nil {
		t.Fatal(err)
	}
	after, _, err := pr.After(fl.Particles())
	if err != nil {
		t.Fatal(err)
	}
	f := base.Figures
	t.Logf("Sinkhorn: before %.0f, after %.0f, standardisation %.0f, ComBat %.0f, floor %.0f", f.Before.Sinkhorn, after.Sinkhorn, f.Standardisation.Sinkhorn, f.Combat.Sinkhorn, f.Floor.Sinkhorn)
	t.Logf("MMD^2:    before %.4f, after %.4f, standardisation %.4f, ComBat %.4f, floor %.4f", f.Before.MMD, after.MMD, f.Standardisation.MMD, f.Combat.MMD, f.Floor.MMD)
	if after.Sinkhorn > f.Before.Sinkhorn/10 {
		t.Errorf("Sinkhorn cost %.0f -> %.0f: want a fall by a factor of 10 at least", f.Before.Sinkhorn, after.Sinkhorn)
	}
	if after.MMD > f.Before.MMD/10 {
		t.Errorf("MMD^2 %.4f -> %.4f: want a fall by a factor of 10 at least", f.Before.MMD, after.MMD)
	}
	if after.Sinkhorn >= f.Standardisation.Sinkhorn {
		t.Errorf("Sinkhorn cost after GPA %.0f, not below standardisation's %.0f", after.Sinkhorn, f.Standardisation.Sinkhorn)
	}
	if after.Sinkhorn < f.Floor.Sinkhorn*0.9 {
		t.Errorf("Sinkhorn cost after GPA %.0f below the reconstruction floor %.0f: the floor is wrong", after.Sinkhorn, f.Floor.Sinkhorn)
	}
	// The paper's figure, class by class, falls as the whole samples' cost does.
	if len(after.SinkhornDiv) != len(pr.Classes) {
		t.Fatalf("SinkhornDiv %v for classes %v", after.SinkhornDiv, pr.Classes)
	}
	for c, name := range pr.Classes {
		b, a, st, fl := f.Before.SinkhornDiv[c], after.SinkhornDiv[c], f.Standardisation.SinkhornDiv[c], f.Floor.SinkhornDiv[c]
		t.Logf("Sinkhorn divergence, %s: before %.0f, after %.0f, standardisation %.0f, ComBat %.0f, floor %.0f", name, b, a, st, f.Combat.SinkhornDiv[c], fl)
		if a > b/10 {
			t.Errorf("%s: Sinkhorn divergence %.0f -> %.0f: want a fall by a factor of 10 at least", name, b, a)
		}
		if a >= st {
			t.Errorf("%s: Sinkhorn divergence after GPA %.0f, not below standardisation's %.0f", name, a, st)
		}
		if a < fl*0.9 {
			t.Errorf("%s: Sinkhorn divergence after GPA %.0f below the reconstruction floor %.0f: the floor is wrong", name, a, fl)
		}
	}

	k, classes := pr.PCA.K, len(pr.Classes)
	held := LeaveOneOut(pr.ZT, pr.LT, classes, k)
	c := FitCentroids(pr.ZT, pr.LT, classes, k)
	merged := c.Accuracy(fl.Particles(), pr.LS)
	unmerged := c.Accuracy(pr.ZS, pr.LS)
	t.Logf("nearest centroids of %s: held-out target %.2f, merged source %.2f (unmerged %.2f)", pr.Target, held, merged, unmerged)
	if merged < held-0.1 {
		t.Errorf("merged source labelled with accuracy %.2f, held-out target %.2f: the classes did not survive", merged, held)
	}
}

// Bad choices of batches are refused with the reason.
func TestProblemRefuses(t *testing.T) {
	sets := loadSets(t)
	for _, c := range []struct {
		src, tgt string
		dim      int
		want     string
	}{
		{"kidney", "kidney", 20, "two different batches"},
		{"bladder-9", "bladder-2", 20, "want one of"},
		{"bladder-1", "bladder-3", 5, "share no class"},
		{"kidney", "bladder-2", 40, "dim <= 34"},
	} {
		_, err := NewProblem(sets, c.src, c.tgt, c.dim)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s -> %s: got %v, want %q", c.src, c.tgt, err, c.want)
		}
	}
}

func TestConfigSetGet(t *testing.T) {
	c := DefaultConfig()
	for _, kv := range [][2]string{{"source_batch", "bladder-5"}, {"target_batch", "bladder-2"}, {"method", "combat"}, {"dim", "30"}, {"lr", "0.05"}} {
		if err := c.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
		if got := c.Get(kv[0]); got != kv[1] {
			t.Errorf("%s: set %q, got %q", kv[0], kv[1], got)
		}
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
	if err := c.Set("method", "magic"); err == nil {
		t.Error("method = magic accepted")
	}
	c.Dim = 1
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "2..200") {
		t.Errorf("dim = 1: %v", err)
	}
}
