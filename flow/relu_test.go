package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestReLU32 checks the float32 ReLU (the vector loops with GOEXPERIMENT=simd) against the
// scalar loops to the bit, for every length up to past a few vectors, with the values whose
// handling differs between ways of writing ReLU: -0, +0, NaN, infinities.
func TestReLU32(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float32{float32(math.Copysign(0, -1)), 0, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -1e-30, 1e-30}
	for n := range 40 {
		z := make([]float32, n)
		for i := range z {
			if rng.IntN(3) == 0 {
				z[i] = special[rng.IntN(len(special))]
			} else {
				z[i] = float32(rng.NormFloat64())
			}
		}
		h, want := make([]float32, n), make([]float32, n)
		reluForward32(z, h)
		reluForwardLoop(z, want)
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
		dWant := append([]float32(nil), d...)
		reluBackward32(want, d)
		reluBackwardLoop(want, dWant)
		for i := range n {
			if math.Float32bits(h[i]) != math.Float32bits(want[i]) {
				t.Errorf("n=%d: relu(%v) = %v, want %v", n, z[i], h[i], want[i])
			}
			if math.Float32bits(d[i]) != math.Float32bits(dWant[i]) {
				t.Errorf("n=%d: backward at h=%v: %v, want %v", n, want[i], d[i], dWant[i])
			}
		}
	}
}

// BenchmarkReLU32 times the float32 ReLU forward and backward over a layer's pre-activations
// (2,000 rows x 32 units, as BenchmarkStep at N = M = 1,000), against the scalar loops.
func BenchmarkReLU32(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	z, h, d := make([]float32, 64000), make([]float32, 64000), make([]float32, 64000)
	for i := range z {
		z[i] = float32(rng.NormFloat64())
		d[i] = float32(rng.NormFloat64())
	}
	b.Run("vector", func(b *testing.B) {
		for b.Loop() {
			reluForward32(z, h)
			reluBackward32(h, d)
		}
	})
	b.Run("loop", func(b *testing.B) {
		for b.Loop() {
			reluForwardLoop(z, h)
			reluBackwardLoop(h, d)
		}
	})
}

// TestAddRows32 checks the float32 sum of rows (vector columns with GOEXPERIMENT=simd) against
// the scalar loop, row after row, to the bit, for widths on both sides of a vector.
func TestAddRows32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, out := range []int{1, 2, 3, 4, 5, 8, 15, 16, 17, 32, 33} {
		for _, rows := range []int{0, 1, 7, 130} {
			d := make([]float32, rows*out)
			for i := range d {
				d[i] = float32(rng.NormFloat64() * math.Exp(4*rng.NormFloat64()))
			}
			g, want := make([]float32, out), make([]float32, out)
			for j := range g {
				g[j] = float32(rng.NormFloat64())
				want[j] = g[j]
			}
			addRows32(g, d, rows)
			for i := range rows {
				for j := range out {
					want[j] += d[i*out+j]
				}
			}
			for j := range out {
				if math.Float32bits(g[j]) != math.Float32bits(want[j]) {
					t.Errorf("out=%d rows=%d: g[%d] = %v, want %v", out, rows, j, g[j], want[j])
				}
			}
		}
	}
}

// TestFusedReLU32 checks the fused layer kernels (with GOEXPERIMENT=simd, where the output is
// a multiple of 8 vectors wide: m = 32 in wasm and under GODEBUG=simd=128) against the separate
// steps they replace, to the bit: bias copy, product, ReLU forward; clear, product, ReLU
// backward. A has zeros (ReLU's) and B and the bias values of every sign and size.
func TestFusedReLU32(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	val := func(zeros bool) float32 {
		if zeros && rng.IntN(2) == 0 {
			return 0
		}
		return float32(rng.NormFloat64() * math.Exp(3*rng.NormFloat64()))
	}
	fill := func(n int, zeros bool) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = val(zeros)
		}
		return s
	}
	same := func(what string, got, want []float32) {
		t.Helper()
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s: [%d] = %v, want %v", what, i, got[i], want[i])
			}
		}
	}
	fused := 0
	for _, m := range []int{8, 16, 32, 64} {
		for _, k := range []int{1, 2, 32} {
			for _, n := range []int{1, 5, 33} {
				a, b, bias := fill(n*k, true), fill(k*m, false), fill(m, false)
				z, h := make([]float32, n*m), make([]float32, n*m)
				if nnBiasReLU32(n, k, m, a, b, bias, z, h) {
					fused++
					zWant, hWant := make([]float32, n*m), make([]float32, n*m)
					for i := range n {
						copy(zWant[i*m:], bias)
					}
					gemmNN32(n, k, m, a, b, zWant)
					reluForward32(zWant, hWant)
					same(fmt.Sprintf("forward n=%d k=%d m=%d: z", n, k, m), z, zWant)
					same(fmt.Sprintf("forward n=%d k=%d m=%d: h", n, k, m), h, hWant)
				}
				dh := fill(n*m, false) // overwritten, not added to
				if nnReLUBack32(n, k, m, a, b, h, dh) {
					fused++
					want := make([]float32, n*m)
					gemmNN32(n, k, m, a, b, want)
					reluBackward32(h, want)
					same(fmt.Sprintf("backward n=%d k=%d m=%d", n, k, m), dh, want)
				}
			}
		}
	}
	t.Logf("%d fused products checked", fused)
}
