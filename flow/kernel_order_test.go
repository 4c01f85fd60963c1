package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmOrder checks that the float32 kernels (SIMD or plain, whichever this build has) give
// exactly the sums of the canonical order of kernel.go, computed here by the plainest loops
// that follow its definition: one element at a time, each product rounded, from +0, then added
// to C once (per chunk of tnChunk samples for gemmTN). Any other order, or a fused
// multiply-add, changes some last bits of these random products.
func TestGemmOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	rows := append(append([]int(nil), kernelRows...), tnChunk-1, tnChunk+1, 2*tnChunk+37)
	for _, n := range rows {
		for _, k := range kernelDims {
			for _, m := range kernelDims {
				a, b, c := kernelCase[float32](rng, n*k, k*m, n*m)
				want := append([]float32(nil), c...)
				for i := range n {
					for j := range m {
						var s float32
						for p := range k {
							s += float32(a[i*k+p] * b[p*m+j])
						}
						want[i*m+j] += s
					}
				}
				gemmNN(n, k, m, a, b, c)
				sameBits(t, fmt.Sprintf("gemmNN n=%d k=%d m=%d", n, k, m), c, want)

				a, b, c = kernelCase[float32](rng, n*k, n*m, k*m)
				want = append([]float32(nil), c...)
				for i0 := 0; i0 < n; i0 += tnChunk {
					for p := range k {
						for j := range m {
							var s float32
							for i := i0; i < min(i0+tnChunk, n); i++ {
								s += float32(a[i*k+p] * b[i*m+j])
							}
							want[p*m+j] += s
						}
					}
				}
				gemmTN(n, k, m, a, b, c)
				sameBits(t, fmt.Sprintf("gemmTN n=%d k=%d m=%d", n, k, m), c, want)
			}
		}
	}
}

func sameBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d = %v (%08x), want %v (%08x) in the canonical order", name, i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}
