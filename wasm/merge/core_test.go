package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func loaded(t *testing.T, names ...string) *Session {
	t.Helper()
	s := &Session{}
	for _, n := range names {
		b, err := os.ReadFile("../../assets/gene/data/" + n + ".bin")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Load(n, b); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// A refused configuration names its setting and leaves the current merge as it was.
func TestConfigureRefusesAndKeeps(t *testing.T) {
	s := loaded(t, "bladder")
	if err := s.Configure(map[string]string{"source_batch": "bladder-5", "target_batch": "bladder-2", "steps": "3"}); err != nil {
		t.Fatal(err)
	}
	if err := s.StepOne(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		settings map[string]string
		setting  string
		want     string
	}{
		{map[string]string{"dim": "abc"}, "dim", "is not a number"},
		{map[string]string{"dim": "2.5"}, "dim", "is not an integer"},
		{map[string]string{"dim": "1"}, "dim", "2..200"},
		{map[string]string{"method": "x"}, "method", "want one of"},
		{map[string]string{"source_batch": "lung-1"}, "source_batch", "no data set"},
		{map[string]string{"source_batch": "bladder-7", "target_batch": "bladder-2"}, "source_batch", "want one of"},
		{map[string]string{"bogus": "1"}, "bogus", "unknown setting"},
		{map[string]string{"source_batch": "kidney"}, "", "not loaded"},
	} {
		err := s.Configure(c.settings)
		se, _ := err.(*SettingError)
		got := ""
		if se != nil {
			got = se.Setting
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || got != c.setting {
			t.Errorf("%v: got %v (setting %q), want %q naming %q", c.settings, err, got, c.want, c.setting)
		}
	}
	if s.Step() != 1 || s.Problem().Source != "bladder-5" {
		t.Errorf("the merge changed: step %d, source %s", s.Step(), s.Problem().Source)
	}
}

// A new merge has no figures until Measure (the page draws its data first); stepping to the
// steps limit stops the merge; Measure brings the figures to the current step.
func TestSessionSteps(t *testing.T) {
	s := loaded(t, "bladder", "kidney")
	if err := s.Configure(map[string]string{"steps": "5"}); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); s.Figured() || st.Figures != nil || st.Classes != nil || st.FigureStep != -1 {
		t.Fatalf("a new merge has figures: figured %v, %+v and %+v of step %d", s.Figured(), st.Figures, st.Classes, st.FigureStep)
	}
	if err := s.Measure(); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); !s.Measured() || st.Figures == nil || st.Classes == nil || st.FigureStep != 0 || st.Figures.After == nil {
		t.Fatalf("measured at step 0: %+v of step %d", st.Figures, st.FigureStep)
	}
	if p := s.Problem(); p.Source != "kidney" || p.Target != "bladder-2" || len(p.Batches) != 6 {
		t.Errorf("problem %+v", p)
	}
	for s.Active() {
		if err := s.StepOne(); err != nil {
			t.Fatal(err)
		}
	}
	if s.Step() != 5 || s.Measured() {
		t.Fatalf("step %d, measured %v", s.Step(), s.Measured())
	}
	before := s.Status().Figures.After.Sinkhorn
	if err := s.Measure(); err != nil {
		t.Fatal(err)
	}
	st := s.Status()
	if st.FigureStep != 5 || st.Figures.After.Sinkhorn >= before || st.Figures.After.Sinkhorn >= st.Figures.Before.Sinkhorn {
		t.Errorf("after 5 steps the Sinkhorn cost went %v -> %v (before correction %v)", before, st.Figures.After.Sinkhorn, st.Figures.Before.Sinkhorn)
	}
	// The paper's figure, one per class (Cancer, Normal), falls too.
	if d := st.Figures.After.SinkhornDiv; len(d) != 2 || d[0] >= st.Figures.Before.SinkhornDiv[0] || d[1] >= st.Figures.Before.SinkhornDiv[1] {
		t.Errorf("after 5 steps the Sinkhorn divergences are %v (before correction %v)", d, st.Figures.Before.SinkhornDiv)
	}
	b, a, src, cls := s.Projections()
	if len(b) != 2*35 || len(a) != 2*35 || len(src) != 35 || len(cls) != 35 {
		t.Errorf("projections of %d, %d values for %d samples", len(b), len(a), len(src))
	}
}

// A diverging merge stops with its reason in the status, which stays encodable as JSON.
func TestSessionDiverges(t *testing.T) {
	s := loaded(t, "bladder", "kidney")
	if err := s.Configure(map[string]string{"lr": "10", "dt": "10000", "L": "inf", "steps": "50"}); err != nil {
		t.Fatal(err)
	}
	var err error
	for s.Active() && err == nil {
		err = s.StepOne()
	}
	st := s.Status()
	if err == nil || !strings.Contains(st.Error, "diverged") {
		t.Fatalf("step error %v, status error %q", err, st.Error)
	}
	if _, jerr := json.Marshal(st); jerr != nil {
		t.Errorf("status not encodable: %v", jerr)
	}
}
