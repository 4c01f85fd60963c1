package flow

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkStep is one particle step of the paper's 2D heavy-tail experiment (ReLU 32-32-32,
// 5 inner steps, KL-DV, Frobenius constraint) at the sizes of docs/performance.md#speed.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{200, 2000, 10000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			s := Defaults()
			s.F, s.N, s.M = "kl-dv", n, n
			fl, err := New(s)
			if err != nil {
				b.Fatal(err)
			}
			benchSteps(b, fl)
		})
	}
}

// benchSteps times fl's steps after a first one, which sizes the buffers.
func benchSteps(b *testing.B, fl ParticleFlow) {
	b.Helper()
	if err := fl.Step(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := fl.Step(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStepWorkers is BenchmarkStep's step shared among 1, 2, 4 and 8 goroutines (those the
// machine has cores for), natively: the scaling of docs/performance.md#every-core.
func BenchmarkStepWorkers(b *testing.B) {
	if runtime.GOOS == "js" {
		b.Skip("one thread in js/wasm")
	}
	for _, n := range []int{200, 2000, 10000} {
		for _, w := range []int{1, 2, 4, 8} {
			if w > 1 && w > runtime.GOMAXPROCS(0) {
				continue
			}
			b.Run(fmt.Sprintf("N=%d/workers=%d", n, w), func(b *testing.B) {
				s := Defaults()
				s.F, s.N, s.M = "kl-dv", n, n
				fl, err := New(s)
				if err != nil {
					b.Fatal(err)
				}
				fl.SetWorkers(w)
				benchSteps(b, fl)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			})
		}
	}
}
