package digits

import (
	"os"
	"testing"
	"time"
)

func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	f := getFixture(t)
	t.Logf("classifier accuracy %.3f", f.clf.Accuracy(f.data.Heldout, f.data.EvalIdx))
	s := DefaultSettings()
	for _, kv := range [][2]string{} {
		s.Set(kv[0], kv[1])
	}
	tg, err := NewTargets(f.data, f.space, s.PerClass, s.Seed)
	if err != nil {
		t.Fatal(err)
	}
	ref := Pixels(f.data.Heldout, f.data.EvalIdx[:500])
	d := make([]float64, 500)
	NearestDistances(ref, 500, tg.Pix, tg.M(), d)
	var nnTrain float64
	for _, v := range d {
		nnTrain += v / 500
	}
	dec := make([]float32, len(tg.Pix))
	f.space.Decode(tg.Codes, tg.M(), dec)
	t.Logf("decoded targets: %+v", Score(f.clf, dec, tg.Labels, tg.Pix, tg.M(), nnTrain))
	for _, kv := range [][2]string{} {
		s.Set(kv[0], kv[1])
	}
	if v := os.Getenv("SET"); v != "" {
		for _, p := range splitKV(v) {
			if err := s.Set(p[0], p[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := NewRun(s, f.space, tg)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for k := 0; k < s.Steps; k++ {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		if (k+1)%(s.Steps/8) == 0 {
			t.Logf("step %d %v %+v stats %v", k+1, time.Since(start)/time.Duration(k+1), Score(f.clf, r.Samples(), r.Labels(), tg.Pix, tg.M(), nnTrain), r.Stats())
		}
	}
}

func splitKV(s string) [][2]string {
	var out [][2]string
	for _, p := range split(s, ',') {
		kv := split(p, '=')
		if len(kv) == 2 {
			out = append(out, [2]string{kv[0], kv[1]})
		}
	}
	return out
}

func split(s string, c byte) []string {
	var out []string
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			out = append(out, s[last:i])
			last = i + 1
		}
	}
	return append(out, s[last:])
}
