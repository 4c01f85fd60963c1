//go:build !goexperiment.simd

package flow

// Without GOEXPERIMENT=simd the float32 products are the plain loops of kernel.go.

// gemmNN32 computes C += A*B for row-major A (n x k), B (k x m), C (n x m).
func gemmNN32(n, k, m int, a, b, c []float32) { gemmNNLoop(n, k, m, a, b, c) }

// gemmTN32 computes C += A^T*B for row-major A (n x k), B (n x m), C (k x m).
func gemmTN32(n, k, m int, a, b, c []float32) { gemmTNLoop(n, k, m, a, b, c) }

// reluForward32 is ReLU on float32: h = z, 0 where z < 0.
func reluForward32(z, h []float32) { reluForwardLoop(z, h) }

// reluBackward32 zeroes d where h <= 0.
func reluBackward32(h, d []float32) { reluBackwardLoop(h, d) }

// addRows32 adds the rows rows of d (rows x len(g)) to g, one row after the other.
func addRows32(g, d []float32, rows int) { addRowsLoop(g, d, rows, len(g)) }

// nnBiasReLU32 has no fused kernel without GOEXPERIMENT=simd: the caller takes the separate steps.
func nnBiasReLU32(n, k, m int, a, b, bias, z, h []float32) bool { return false }

// nnReLUBack32 has no fused kernel without GOEXPERIMENT=simd: the caller takes the separate steps.
func nnReLUBack32(n, k, m int, a, b, h, c []float32) bool { return false }
