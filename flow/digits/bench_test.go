package digits

import (
	"testing"

	"lipflow/flow/ae"
)

// benchRun returns a run of the default settings with the given overrides on an untrained
// default autoencoder (a step costs the same whatever the weights).
func benchRun(b *testing.B, kv ...string) (*Run, *Data) {
	data, err := NewData(loadSet(b, "train.bin.gz"), loadSet(b, "heldout.bin.gz"))
	if err != nil {
		b.Fatal(err)
	}
	a, _ := ae.New(ae.Defaults())
	space := NewSpace(a, data.Train)
	s := DefaultSettings()
	for i := 0; i+1 < len(kv); i += 2 {
		if err := s.Set(kv[i], kv[i+1]); err != nil {
			b.Fatal(err)
		}
	}
	tg, err := NewTargets(data, space, s.PerClass, s.Seed)
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewRun(s, space, tg)
	if err != nil {
		b.Fatal(err)
	}
	return r, data
}

// BenchmarkStep: one step of each method at the default settings (N = M = 200, 16-d latent
// space, discriminator ReLU 64-64-64, 5 inner steps).
func BenchmarkStep(b *testing.B) {
	for _, c := range []struct {
		name string
		kv   []string
	}{
		{"latent-gpa", nil},
		{"latent-gpa-n600", []string{"n", "600"}},
		{"decoder-gpa", []string{"mobility", "decoder"}},
		{"gan", []string{"method", "gan"}},
		{"wgan-gp", []string{"method", "wgan-gp"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			r, _ := benchRun(b, c.kv...)
			b.ResetTimer()
			for range b.N {
				if err := r.Step(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScore: the scores of 200 samples (decode them, classify them, find the nearest of
// the 200 targets and of their decodings).
func BenchmarkScore(b *testing.B) {
	r, data := benchRun(b)
	clf := NewClassifier(data.Heldout, data.ClassIdx, 1) // untrained: the cost is the same
	idx := data.EvalIdx[:500]
	ref := NewReference(r.Targets, r.Space, Pixels(data.Heldout, idx), r.Space.DecodeDigits(data.Heldout, idx), len(idx))
	b.ResetTimer()
	for range b.N {
		Score(clf, r.Samples(), r.Labels(), ref)
	}
}
