package flow

import (
	"strings"
	"testing"

	"lipflow/flow/metric"
)

// watch builds s's flow and its Health, fed the energy distance to the run's own targets
// (floor: a second draw of the target law would do; the targets against themselves is 0, so
// the floor here is a tenth of the start); step advances the flow one step and returns the
// warning.
func watch(t *testing.T, s Settings) (fl *Flow, h *Health, step func() string) {
	t.Helper()
	fl, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	h = NewHealth(fl)
	to := metric.NewEnergyTo(fl.Targets(), s.Dim)
	floor := to.Distance(fl.Particles()) / 1000
	return fl, h, func() string {
		t.Helper()
		if err := fl.Step(); err != nil {
			t.Fatal(err)
		}
		return h.Observe(to.Distance(fl.Particles()), floor)
	}
}

// watchRun steps s for steps steps under watch and returns the last warning and its kind.
func watchRun(t *testing.T, s Settings, steps int) (warn, kind string, fl *Flow) {
	t.Helper()
	fl, h, step := watch(t, s)
	for range steps {
		warn = step()
	}
	return warn, h.Kind(), fl
}

func TestHealthQuietOnAHealthyRun(t *testing.T) {
	s := Defaults()
	s.Source, s.Target, s.F, s.Optimizer, s.LR, s.Inner, s.DT = "gaussian(mean=10;10,sd=0.5)", "gaussian", "kl-dv", "adam", 0.05, 3, 1
	if warn, _, _ := watchRun(t, s, 200); warn != "" {
		t.Errorf("a converging run warned: %s", warn)
	}
}

// The cases: a saturated sigmoid with a bounded divergence and a large L stalls far from
// the targets; an unconstrained phi with a huge Adam step throws the particles away.
func TestHealthStall(t *testing.T) {
	s := Defaults()
	s.Activation, s.F, s.L, s.LR = "sigmoid", "js", 100, 5
	warn, kind, _ := watchRun(t, s, 80)
	if kind != "stalled" || !strings.Contains(warn, "lower L") || !strings.Contains(warn, "lower lr") {
		t.Errorf("kind %q, warning %q: want a stall naming L and lr", kind, warn)
	}
}

// TestHealthSlowStart runs the heavy-tail comparison's alpha = 2 run (www/presets.js's
// heavy-tails-compare): its particles slow to a trough by step 50, then speed up steadily,
// sevenfold over steps 80-170. It moves 1% of the way in 50 steps around step 85, which the
// stall rule alone took for a stall (and, with its hysteresis, held until step 170); speeding
// up, it is not one.
func TestHealthSlowStart(t *testing.T) {
	s := Defaults()
	s.Source, s.Target, s.L, s.Lipschitz = "gaussian(mean=10;10)", "student-t(nu=0.5)", 1, "frobenius"
	s.N, s.M, s.Width, s.Depth, s.Activation, s.Inner, s.LR, s.Optimizer, s.DT = 200, 200, 32, 3, "relu", 5, 0.01, "sgd", 0.1
	s.F, s.Alpha = "alpha", 2
	fl, _, step := watch(t, s)
	for i := range 300 {
		if w := step(); w != "" {
			t.Fatalf("step %d (speed %.3g): %s", i+1, fl.Stats().Speed, w)
		}
	}
}

func TestHealthFlownOff(t *testing.T) {
	s := Defaults()
	s.F, s.L, s.Optimizer, s.LR = "kl", 0, "adam", 10
	warn, kind, _ := watchRun(t, s, 5)
	if kind != "flown off" || !strings.Contains(warn, "finite L") {
		t.Errorf("kind %q, warning %q: want flown off, advising a finite L", kind, warn)
	}
}

// TestHealthNegativeEstimate feeds the rule the estimates of a phi worse than a constant.
func TestHealthNegativeEstimate(t *testing.T) {
	fl, err := New(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	h := NewHealth(fl)
	for k := range NegativeWindow {
		fl.stats = Stats{Step: k + 1, Divergence: -3, EP: 1, Speed: 1, DT: 0.1}
		warn := h.Observe(1, 0.01)
		if k < NegativeWindow-1 && warn != "" {
			t.Fatalf("warned after %d steps: %s", k+1, warn)
		}
	}
	if h.Kind() != "negative" {
		t.Fatalf("kind %q after %d steps at J = -3, want negative", h.Kind(), NegativeWindow)
	}
	fl.stats.Divergence = 0.5
	if h.Observe(1, 0.01); h.Kind() != "" {
		t.Errorf("kind %q after J recovered", h.Kind())
	}
}
