//go:build goexperiment.simd

package flow

import "simd"

// skipZeros: skip a step whose A scalars are all zero.
const skipZeros = true

// tnChunk is the number of samples gemmTN32 streams through the registers before it moves to
// the next block of C.
const tnChunk = 128

// madd returns acc + x*y.
func madd(acc, x, y simd.Float32s) simd.Float32s {
	switch fmaMode {
	case 1:
		return x.Mul(y).Add(acc)
	case 2:
		return y.MulAdd(x, acc)
	}
	return x.MulAdd(y, acc)
}

const fmaMode = 0

func lanes() int { return simd.BroadcastFloat32s(0).Len() }

// gemmNN32 computes C += A*B for row-major A (n x k), B (k x m), C (n x m).
func gemmNN32(n, k, m int, a, b, c []float32) {
	if n <= 0 || k <= 0 || m <= 0 {
		return
	}
	a, b, c = a[:n*k], b[:k*m], c[:n*m]
	if m == 1 {
		nnDot(n, k, a, b, c)
		return
	}
	L := lanes()
	j := 0
	for ; j+2*L <= m; j += 2 * L {
		nnCols2(n, k, m, j, a, b, c)
	}
	for ; j < m; j += L {
		nnCols1(n, k, m, j, a, b, c)
	}
}

// nnCols2 adds A*B to columns j..j+2L of C, 4 rows of A at a time: 8 accumulators, and each
// pair of B vectors loaded serves 4 rows.
func nnCols2(n, k, m, j int, a, b, c []float32) {
	L := lanes()
	i := 0
	for ; i+4 <= n; i += 4 {
		c0, c1, c2, c3 := c[i*m+j:], c[(i+1)*m+j:], c[(i+2)*m+j:], c[(i+3)*m+j:]
		x00, x01 := simd.LoadFloat32s(c0), simd.LoadFloat32s(c0[L:])
		x10, x11 := simd.LoadFloat32s(c1), simd.LoadFloat32s(c1[L:])
		x20, x21 := simd.LoadFloat32s(c2), simd.LoadFloat32s(c2[L:])
		x30, x31 := simd.LoadFloat32s(c3), simd.LoadFloat32s(c3[L:])
		a0 := a[i*k : i*k+k]
		a1 := a[(i+1)*k : (i+1)*k+k][:len(a0)]
		a2 := a[(i+2)*k : (i+2)*k+k][:len(a0)]
		a3 := a[(i+3)*k : (i+3)*k+k][:len(a0)]
		for p := range a0 {
			s0, s1, s2, s3 := a0[p], a1[p], a2[p], a3[p]
			if skipZeros && s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 {
				continue
			}
			bp := b[p*m+j:]
			b0, b1 := simd.LoadFloat32s(bp), simd.LoadFloat32s(bp[L:])
			v := simd.BroadcastFloat32s(s0)
			x00, x01 = madd(x00, b0, v), madd(x01, b1, v)
			v = simd.BroadcastFloat32s(s1)
			x10, x11 = madd(x10, b0, v), madd(x11, b1, v)
			v = simd.BroadcastFloat32s(s2)
			x20, x21 = madd(x20, b0, v), madd(x21, b1, v)
			v = simd.BroadcastFloat32s(s3)
			x30, x31 = madd(x30, b0, v), madd(x31, b1, v)
		}
		x00.Store(c0)
		x01.Store(c0[L:])
		x10.Store(c1)
		x11.Store(c1[L:])
		x20.Store(c2)
		x21.Store(c2[L:])
		x30.Store(c3)
		x31.Store(c3[L:])
	}
	for ; i < n; i++ {
		c0 := c[i*m+j:]
		x00, x01 := simd.LoadFloat32s(c0), simd.LoadFloat32s(c0[L:])
		a0 := a[i*k : i*k+k]
		for p, s0 := range a0 {
			if skipZeros && s0 == 0 {
				continue
			}
			bp := b[p*m+j:]
			v := simd.BroadcastFloat32s(s0)
			x00, x01 = madd(x00, simd.LoadFloat32s(bp), v), madd(x01, simd.LoadFloat32s(bp[L:]), v)
		}
		x00.Store(c0)
		x01.Store(c0[L:])
	}
}

// nnCols1 adds A*B to columns j..min(j+L, m) of C (the last, perhaps partial, vector).
func nnCols1(n, k, m, j int, a, b, c []float32) {
	i := 0
	for ; i+4 <= n; i += 4 {
		c0, c1, c2, c3 := c[i*m+j:i*m+m], c[(i+1)*m+j:(i+1)*m+m], c[(i+2)*m+j:(i+2)*m+m], c[(i+3)*m+j:(i+3)*m+m]
		x0, _ := simd.LoadFloat32sPart(c0)
		x1, _ := simd.LoadFloat32sPart(c1)
		x2, _ := simd.LoadFloat32sPart(c2)
		x3, _ := simd.LoadFloat32sPart(c3)
		a0 := a[i*k : i*k+k]
		a1 := a[(i+1)*k : (i+1)*k+k][:len(a0)]
		a2 := a[(i+2)*k : (i+2)*k+k][:len(a0)]
		a3 := a[(i+3)*k : (i+3)*k+k][:len(a0)]
		for p := range a0 {
			s0, s1, s2, s3 := a0[p], a1[p], a2[p], a3[p]
			if skipZeros && s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 {
				continue
			}
			b0, _ := simd.LoadFloat32sPart(b[p*m+j : p*m+m])
			x0 = madd(x0, b0, simd.BroadcastFloat32s(s0))
			x1 = madd(x1, b0, simd.BroadcastFloat32s(s1))
			x2 = madd(x2, b0, simd.BroadcastFloat32s(s2))
			x3 = madd(x3, b0, simd.BroadcastFloat32s(s3))
		}
		x0.StorePart(c0)
		x1.StorePart(c1)
		x2.StorePart(c2)
		x3.StorePart(c3)
	}
	for ; i < n; i++ {
		c0 := c[i*m+j : i*m+m]
		x0, _ := simd.LoadFloat32sPart(c0)
		for p, s0 := range a[i*k : i*k+k] {
			if skipZeros && s0 == 0 {
				continue
			}
			b0, _ := simd.LoadFloat32sPart(b[p*m+j : p*m+m])
			x0 = madd(x0, b0, simd.BroadcastFloat32s(s0))
		}
		x0.StorePart(c0)
	}
}

// nnDot is C += A*B for m = 1: one dot product of length k per row, 4 rows at a time.
func nnDot(n, k int, a, b, c []float32) {
	b = b[:k]
	i := 0
	for ; i+4 <= n; i += 4 {
		a0 := a[i*k : i*k+k][:len(b)]
		a1 := a[(i+1)*k : (i+1)*k+k][:len(b)]
		a2 := a[(i+2)*k : (i+2)*k+k][:len(b)]
		a3 := a[(i+3)*k : (i+3)*k+k][:len(b)]
		var s0, s1, s2, s3 float32
		for p, bp := range b {
			s0 += a0[p] * bp
			s1 += a1[p] * bp
			s2 += a2[p] * bp
			s3 += a3[p] * bp
		}
		c[i] += s0
		c[i+1] += s1
		c[i+2] += s2
		c[i+3] += s3
	}
	for ; i < n; i++ {
		a0 := a[i*k : i*k+k][:len(b)]
		var s0 float32
		for p, bp := range b {
			s0 += a0[p] * bp
		}
		c[i] += s0
	}
}

// gemmTN32 computes C += A^T*B for row-major A (n x k), B (n x m), C (k x m).
func gemmTN32(n, k, m int, a, b, c []float32) {
	if n <= 0 || k <= 0 || m <= 0 {
		return
	}
	a, b, c = a[:n*k], b[:n*m], c[:k*m]
	if m == 1 {
		// C^T (1 x k) += B^T (1 x n) * A (n x k): the vectors run along k.
		gemmNN32(1, n, k, b, a, c)
		return
	}
	L := lanes()
	for i0 := 0; i0 < n; i0 += tnChunk {
		i1 := min(i0+tnChunk, n)
		p := 0
		for ; p+4 <= k; p += 4 {
			j := 0
			for ; j+2*L <= m; j += 2 * L {
				tn4x2(i0, i1, k, m, p, j, a, b, c)
			}
			for ; j < m; j += L {
				for q := p; q < p+4; q++ {
					tn1x1(i0, i1, k, m, q, j, a, b, c)
				}
			}
		}
		for ; p < k; p++ {
			for j := 0; j < m; j += L {
				tn1x1(i0, i1, k, m, p, j, a, b, c)
			}
		}
	}
}

// tn4x2 adds rows i0..i1 of A^T*B to rows p..p+4, columns j..j+2L of C, which stay in 8
// registers while the samples stream by: per sample 2 loads of B serve 8 multiply-adds.
func tn4x2(i0, i1, k, m, p, j int, a, b, c []float32) {
	L := lanes()
	c0, c1, c2, c3 := c[p*m+j:], c[(p+1)*m+j:], c[(p+2)*m+j:], c[(p+3)*m+j:]
	x00, x01 := simd.LoadFloat32s(c0), simd.LoadFloat32s(c0[L:])
	x10, x11 := simd.LoadFloat32s(c1), simd.LoadFloat32s(c1[L:])
	x20, x21 := simd.LoadFloat32s(c2), simd.LoadFloat32s(c2[L:])
	x30, x31 := simd.LoadFloat32s(c3), simd.LoadFloat32s(c3[L:])
	for i := i0; i < i1; i++ {
		ai := a[i*k+p : i*k+p+4]
		s0, s1, s2, s3 := ai[0], ai[1], ai[2], ai[3]
		if skipZeros && s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 {
			continue
		}
		bi := b[i*m+j:]
		b0, b1 := simd.LoadFloat32s(bi), simd.LoadFloat32s(bi[L:])
		v := simd.BroadcastFloat32s(s0)
		x00, x01 = madd(x00, b0, v), madd(x01, b1, v)
		v = simd.BroadcastFloat32s(s1)
		x10, x11 = madd(x10, b0, v), madd(x11, b1, v)
		v = simd.BroadcastFloat32s(s2)
		x20, x21 = madd(x20, b0, v), madd(x21, b1, v)
		v = simd.BroadcastFloat32s(s3)
		x30, x31 = madd(x30, b0, v), madd(x31, b1, v)
	}
	x00.Store(c0)
	x01.Store(c0[L:])
	x10.Store(c1)
	x11.Store(c1[L:])
	x20.Store(c2)
	x21.Store(c2[L:])
	x30.Store(c3)
	x31.Store(c3[L:])
}

// tn1x1 adds rows i0..i1 of A^T*B to row p, columns j..min(j+L, m) of C.
func tn1x1(i0, i1, k, m, p, j int, a, b, c []float32) {
	cp := c[p*m+j : p*m+m]
	x, _ := simd.LoadFloat32sPart(cp)
	for i := i0; i < i1; i++ {
		s := a[i*k+p]
		if skipZeros && s == 0 {
			continue
		}
		bi, _ := simd.LoadFloat32sPart(b[i*m+j : i*m+m])
		x = madd(x, bi, simd.BroadcastFloat32s(s))
	}
	x.StorePart(cp)
}
