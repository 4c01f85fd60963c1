package flow

// The two products below are the whole of the network's cost. Their results are the same to the
// bit on every platform and in every build (plain loops, 4-, 8- or 16-lane SIMD, native or wasm),
// because every implementation sums in one order, the canonical order:
//
//   - gemmNN: each element C[i,j] gets s = sum_p A[i,p]*B[p,j], summed from +0 in increasing p,
//     then C[i,j] += s once;
//   - gemmTN: the samples are cut into chunks of tnChunk rows from row 0; for each chunk in turn,
//     C[p,j] += s with s = sum over the chunk's rows i, in increasing i and from +0, of
//     A[i,p]*B[i,j];
//   - every product is rounded to T before it is added: no fused multiply-add (the page's
//     WebAssembly SIMD has none; native FMA would round once where wasm rounds twice). Go fuses
//     x*y+z on arm64 (and may elsewhere) unless an explicit conversion rounds the product, hence
//     the T(x*y) below.
//
// A term whose scalar A[i,p] is zero may be skipped: adding +-0 to a sum that started at +0
// leaves it unchanged (for finite B, which the weights are).
//
// Which tile, lane count or register blocking computes an element does not change its sum; a
// wider machine only computes more elements at once.

// tnChunk is the number of samples gemmTN sums into registers before it adds them to C: 128
// rows of A and B (32 columns) fill 32 KiB, so the passes over them that make up all the tiles
// of C hit the L1 cache. It is part of the canonical order.
const tnChunk = 128

// colBlock is the number of output columns the plain loops sum in a local array at once.
const colBlock = 64

// gemmNN computes C += A*B for row-major A (n x k), B (k x m), C (n x m).
func gemmNN[T Float](n, k, m int, a, b, c []T) {
	if a32, ok := any(a).([]float32); ok { // float32 runs take the vector kernel of kernel32_*.go
		gemmNN32(n, k, m, a32, any(b).([]float32), any(c).([]float32))
		return
	}
	gemmNNLoop(n, k, m, a, b, c)
}

// gemmNNLoop is gemmNN in plain loops: for each row of C and block of its columns, the sums
// build up in a local array, four terms per pass, each added in turn (the canonical order).
func gemmNNLoop[T Float](n, k, m int, a, b, c []T) {
	if m == 1 { // the output layer: a dot product per row
		b = b[:k]
		for i := 0; i < n; i++ {
			ai := a[i*k : i*k+k][:len(b)]
			var s T
			for p, x := range ai {
				s += T(x * b[p])
			}
			c[i] += s
		}
		return
	}
	var acc [colBlock]T
	for i := 0; i < n; i++ {
		ai := a[i*k : i*k+k]
		for j0 := 0; j0 < m; j0 += colBlock {
			s := acc[:min(colBlock, m-j0)]
			clear(s)
			p := 0
			for ; p+4 <= k; p += 4 {
				a0, a1, a2, a3 := ai[p], ai[p+1], ai[p+2], ai[p+3]
				if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
					continue // ReLU zeroes about half the activations.
				}
				b0 := b[p*m+j0:][:len(s)]
				b1 := b[(p+1)*m+j0:][:len(s)]
				b2 := b[(p+2)*m+j0:][:len(s)]
				b3 := b[(p+3)*m+j0:][:len(s)]
				for j := range s {
					x := s[j] + T(a0*b0[j])
					x += T(a1 * b1[j])
					x += T(a2 * b2[j])
					s[j] = x + T(a3*b3[j])
				}
			}
			for ; p < k; p++ {
				a0 := ai[p]
				if a0 == 0 {
					continue
				}
				b0 := b[p*m+j0:][:len(s)]
				for j := range s {
					s[j] += T(a0 * b0[j])
				}
			}
			ci := c[i*m+j0:][:len(s)]
			for j, x := range s {
				ci[j] += x
			}
		}
	}
}

// gemmTN computes C += A^T*B for row-major A (n x k), B (n x m), C (k x m): the weight gradient
// of a layer, summed over the n samples of a batch.
func gemmTN[T Float](n, k, m int, a, b, c []T) {
	if a32, ok := any(a).([]float32); ok { // float32 runs take the vector kernel of kernel32_*.go
		gemmTN32(n, k, m, a32, any(b).([]float32), any(c).([]float32))
		return
	}
	gemmTNLoop(n, k, m, a, b, c)
}

// gemmTNLoop is gemmTN in plain loops, in the canonical order: per chunk of samples, row p of
// C and block of its columns, the sums build up in a local array.
func gemmTNLoop[T Float](n, k, m int, a, b, c []T) {
	var acc [colBlock]T
	for i0 := 0; i0 < n; i0 += tnChunk {
		i1 := min(i0+tnChunk, n)
		if m == 1 { // the output layer: C^T += B^T A, the rows of A scaled and summed in turn
			for p0 := 0; p0 < k; p0 += colBlock {
				s := acc[:min(colBlock, k-p0)]
				clear(s)
				for i := i0; i < i1; i++ {
					bi := b[i]
					if bi == 0 {
						continue
					}
					ai := a[i*k+p0:][:len(s)]
					for p, x := range ai {
						s[p] += T(x * bi)
					}
				}
				cp := c[p0:][:len(s)]
				for p, x := range s {
					cp[p] += x
				}
			}
			continue
		}
		for p := 0; p < k; p++ {
			for j0 := 0; j0 < m; j0 += colBlock {
				s := acc[:min(colBlock, m-j0)]
				clear(s)
				i := i0
				for ; i+4 <= i1; i += 4 {
					s0, s1, s2, s3 := a[i*k+p], a[(i+1)*k+p], a[(i+2)*k+p], a[(i+3)*k+p]
					if s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 {
						continue
					}
					b0 := b[i*m+j0:][:len(s)]
					b1 := b[(i+1)*m+j0:][:len(s)]
					b2 := b[(i+2)*m+j0:][:len(s)]
					b3 := b[(i+3)*m+j0:][:len(s)]
					for j := range s {
						x := s[j] + T(s0*b0[j])
						x += T(s1 * b1[j])
						x += T(s2 * b2[j])
						s[j] = x + T(s3*b3[j])
					}
				}
				for ; i < i1; i++ {
					s0 := a[i*k+p]
					if s0 == 0 {
						continue
					}
					b0 := b[i*m+j0:][:len(s)]
					for j := range s {
						s[j] += T(s0 * b0[j])
					}
				}
				cp := c[p*m+j0:][:len(s)]
				for j, x := range s {
					cp[j] += x
				}
			}
		}
	}
}
