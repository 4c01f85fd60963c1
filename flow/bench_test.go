package flow

import (
	"fmt"
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
			if err := fl.Step(); err != nil { // warm up: the first step sizes the buffers
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := fl.Step(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
