package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// kernelRows and kernelDims are the shapes the kernels are checked at: every tail of the 4-row,
// 4-column and vector (4, 8 or 16 lanes) blockings, the network's 1, 2 and 32, and 130 for the
// 8-vector tiles at 16 lanes.
var (
	kernelRows = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 37}
	kernelDims = []int{1, 2, 3, 4, 5, 8, 31, 32, 33, 130}
)

// guard is the value written past the end of C; a kernel that writes there is caught.
const guard = 12345

// kernelCase fills A (with about 40% zeros, some in runs of 4 as ReLU makes them), B and C
// (with slack after C) for one shape.
func kernelCase[T Float](rng *rand.Rand, aLen, bLen, cLen int) (a, b, c []T) {
	a = make([]T, aLen)
	for i := 0; i < len(a); i++ {
		switch r := rng.IntN(10); {
		case r < 4:
			// zero
		case r == 4 && i+4 <= len(a):
			a[i] = T(rng.NormFloat64())
			i += 3 // leave three zeros after it
		default:
			a[i] = T(rng.NormFloat64())
		}
	}
	b = make([]T, bLen)
	for i := range b {
		b[i] = T(rng.NormFloat64())
	}
	c = make([]T, cLen+3)
	for i := range c {
		c[i] = T(rng.NormFloat64())
	}
	c[cLen], c[cLen+1], c[cLen+2] = guard, guard, guard
	return a, b, c
}

// checkProduct compares got against want = c0 + sum of terms (in float64), with a tolerance of
// a few rounding errors per term of T's precision, scaled by the magnitude of the terms.
func checkProduct[T Float](t *testing.T, name string, got []T, want, mag []float64, terms int) {
	t.Helper()
	eps := 0x1p-52
	var zero T
	if _, ok := any(zero).(float32); ok {
		eps = 0x1p-23
	}
	for i, w := range want {
		tol := 2 * float64(terms+1) * eps * mag[i]
		if d := math.Abs(float64(got[i]) - w); !(d <= tol) {
			t.Fatalf("%s: element %d = %v, want %v (|diff| %.3g > tol %.3g)", name, i, got[i], w, d, tol)
		}
	}
	for i := len(want); i < len(got); i++ {
		if got[i] != guard {
			t.Fatalf("%s: wrote %v past the end of C at %d", name, got[i], i)
		}
	}
}

func testGemm[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range kernelRows {
		for _, k := range kernelDims {
			for _, m := range kernelDims {
				// NN: C (n x m) += A (n x k) * B (k x m).
				a, b, c := kernelCase[T](rng, n*k, k*m, n*m)
				want, mag := make([]float64, n*m), make([]float64, n*m)
				for i := range n {
					for j := range m {
						s, g := float64(c[i*m+j]), math.Abs(float64(c[i*m+j]))
						for p := range k {
							x := float64(a[i*k+p]) * float64(b[p*m+j])
							s, g = s+x, g+math.Abs(x)
						}
						want[i*m+j], mag[i*m+j] = s, g
					}
				}
				gemmNN(n, k, m, a, b, c)
				checkProduct(t, fmt.Sprintf("gemmNN n=%d k=%d m=%d", n, k, m), c, want, mag, k)

				// TN: C (k x m) += A^T (A is n x k) * B (n x m).
				a, b, c = kernelCase[T](rng, n*k, n*m, k*m)
				want, mag = make([]float64, k*m), make([]float64, k*m)
				for p := range k {
					for j := range m {
						s, g := float64(c[p*m+j]), math.Abs(float64(c[p*m+j]))
						for i := range n {
							x := float64(a[i*k+p]) * float64(b[i*m+j])
							s, g = s+x, g+math.Abs(x)
						}
						want[p*m+j], mag[p*m+j] = s, g
					}
				}
				gemmTN(n, k, m, a, b, c)
				checkProduct(t, fmt.Sprintf("gemmTN n=%d k=%d m=%d", n, k, m), c, want, mag, n)
			}
		}
	}
}

func TestGemm(t *testing.T) {
	t.Run("float32", testGemm[float32])
	t.Run("float64", testGemm[float64])
}

// benchGemm times one product at the network's hidden-layer shape, with a dense A and with an
// A shaped like a ReLU layer's activations: 45% zeros, each unit (column) keeping its zero or
// non-zero state from one row to the next with probability 0.78, as measured in BenchmarkStep.
// (The real pattern is easier to predict than this one, where all units flip alike: skipping
// zeros looks worse here than it does in BenchmarkStep, which is the judge.)
func benchGemm(b *testing.B, tn bool) {
	const n, k, m = 2000, 32, 32
	for _, relu := range []bool{false, true} {
		name := fmt.Sprintf("%dx%dx%d/dense", n, k, m)
		if relu {
			name = fmt.Sprintf("%dx%dx%d/relu", n, k, m)
		}
		b.Run(name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(3, 4))
			a := make([]float32, n*k)
			zero := make([]bool, k)
			for i := range n {
				for p := range k {
					if i == 0 {
						zero[p] = rng.Float64() < 0.45
					} else if rng.Float64() < 0.22 {
						zero[p] = !zero[p]
					}
					if !relu || !zero[p] {
						a[i*k+p] = float32(rng.NormFloat64())
					}
				}
			}
			bm := make([]float32, max(k, n)*m)
			for i := range bm {
				bm[i] = float32(rng.NormFloat64())
			}
			c := make([]float32, max(n, k)*m)
			gemm := gemmNN[float32]
			if tn {
				gemm = gemmTN[float32]
			}
			for range 20 { // warm up, for wasm engines that compile hot code again
				gemm(n, k, m, a, bm, c)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				gemm(n, k, m, a, bm, c)
			}
			b.ReportMetric(2*n*k*m*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func BenchmarkGemmNN(b *testing.B) { benchGemm(b, false) }
func BenchmarkGemmTN(b *testing.B) { benchGemm(b, true) }

// BenchmarkGemmDispatch times the smallest product through the generic entry (a type assertion
// on the slice) and straight into the float32 kernel: the difference is the cost of the dispatch.
func BenchmarkGemmDispatch(b *testing.B) {
	a, bm, c := []float32{1, 2, 3, 4}, []float32{5, 6, 7, 8}, make([]float32, 4)
	b.Run("generic", func(b *testing.B) {
		for b.Loop() {
			gemmNN(2, 2, 2, a, bm, c)
		}
	})
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			gemmNN32(2, 2, 2, a, bm, c)
		}
	})
}
