//go:build goexperiment.simd

package flow

import "simd"

// The float32 products with Go's portable SIMD package (GOEXPERIMENT=simd, Go 1.27). A
// simd.Float32s holds L lanes: 16 with AVX-512, 8 with AVX2, 4 in wasm (SIMD128), on arm64 and
// when emulated. The compiler builds every function that uses it once per vector size and picks
// one at run time, so L is a constant inside each kernel.
//
// Register blocking: each kernel keeps a tile of 8 vector accumulators (a 16-register file holds
// them with the B loads and broadcasts beside them) and streams the shared dimension through it.
// The tile's shape follows how many vectors a row of the output has:
//   - a row of 8 or more vectors (m = 32 in wasm): 1 row x 8 vectors, one broadcast feeds 8
//     multiply-adds and the B loads are contiguous;
//   - 2 to 7 vectors (m = 32 with AVX-512 or AVX2): 4 rows x 2 vectors, each pair of B loads
//     serves 4 rows;
//   - the last partial vector (m not a multiple of L, small m): 4 rows x 1 masked vector.
//
// Accumulators start at zero and are added to C after the loop, so that no pointer into C is
// live across the loop (the wasm back end has 16 integer registers, and spilled otherwise).
//
// Every kernel sums in the canonical order of kernel.go, so the lane count changes only how many
// elements are summed at once, not a bit of any result.
//
// Zero skipping: ReLU zeroes about 45% of the activations. The 1-row kernels (the wasm shape)
// skip a step whose scalar is zero: it saves 8 loads and 16 vector operations, and measured ~5%
// faster on BenchmarkStep in wasm. The 4-row kernels (the native shape) do not: there all four
// scalars must be zero (26% of the steps in gemmNN, 7% in gemmTN), and the branch, which the
// CPU mispredicts often, cost 10-20% of BenchmarkStep natively.

func lanes() int { return simd.BroadcastFloat32s(0).Len() }

// madd returns acc + x*y with the product rounded first, a multiply then an add, in the
// canonical order of kernel.go: wasm's SIMD128 has no fused multiply-add, so the native build
// does not use one either (x.MulAdd(y, acc) is VFMADD213PS on amd64, one rounding). The amd64
// compiler does not fuse the two (checked in the disassembly); natively it measured the same.
func madd(acc, x, y simd.Float32s) simd.Float32s { return x.Mul(y).Add(acc) }

func load(s []float32) simd.Float32s { return simd.LoadFloat32s(s) }

// addTo adds x to the vector at the start of s.
func addTo(s []float32, x simd.Float32s) { x.Add(load(s)).Store(s) }

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
	for ; j+8*L <= m; j += 8 * L {
		nn1x8(n, k, m, j, a, b, c)
	}
	for ; j+2*L <= m; j += 2 * L {
		nn4x2(n, k, m, j, a, b, c)
	}
	for ; j < m; j += L {
		nn4x1(n, k, m, j, a, b, c)
	}
}

// nn1x8 adds A*B to columns j..j+8L of C, one row at a time.
func nn1x8(n, k, m, j int, a, b, c []float32) {
	L := lanes()
	for i := 0; i < n; i++ {
		x0, x1, x2, x3, x4, x5, x6, x7 := nnRow8(k, m, j, a[i*k:i*k+k], b)
		ci := c[i*m+j:]
		ci = ci[:8*L]
		addTo(ci, x0)
		addTo(ci[L:], x1)
		addTo(ci[2*L:], x2)
		addTo(ci[3*L:], x3)
		addTo(ci[4*L:], x4)
		addTo(ci[5*L:], x5)
		addTo(ci[6*L:], x6)
		addTo(ci[7*L:], x7)
	}
}

// nnRow8 returns the row ar (1 x k) times columns j..j+8L of B (k x m), summed from zero in
// increasing p, skipping the zeros of ar (acc + 0*b is acc: acc is never -0).
func nnRow8(k, m, j int, ar, b []float32) (x0, x1, x2, x3, x4, x5, x6, x7 simd.Float32s) {
	L := lanes()
	for p, s := range ar[:k] {
		if s == 0 {
			continue
		}
		bp := b[p*m+j:]
		bp = bp[:8*L]
		v := simd.BroadcastFloat32s(s)
		x0, x1, x2, x3 = madd(x0, load(bp), v), madd(x1, load(bp[L:]), v), madd(x2, load(bp[2*L:]), v), madd(x3, load(bp[3*L:]), v)
		x4, x5, x6, x7 = madd(x4, load(bp[4*L:]), v), madd(x5, load(bp[5*L:]), v), madd(x6, load(bp[6*L:]), v), madd(x7, load(bp[7*L:]), v)
	}
	return
}

// nn4x2 adds A*B to columns j..j+2L of C, four rows at a time.
func nn4x2(n, k, m, j int, a, b, c []float32) {
	L := lanes()
	i := 0
	for ; i+4 <= n; i += 4 {
		a0 := a[i*k : i*k+k]
		a1 := a[(i+1)*k : (i+1)*k+k][:len(a0)]
		a2 := a[(i+2)*k : (i+2)*k+k][:len(a0)]
		a3 := a[(i+3)*k : (i+3)*k+k][:len(a0)]
		var x00, x01, x10, x11, x20, x21, x30, x31 simd.Float32s
		for p := range a0 {
			s0, s1, s2, s3 := a0[p], a1[p], a2[p], a3[p]
			bp := b[p*m+j:]
			bp = bp[:2*L]
			b0, b1 := load(bp), load(bp[L:])
			v := simd.BroadcastFloat32s(s0)
			x00, x01 = madd(x00, b0, v), madd(x01, b1, v)
			v = simd.BroadcastFloat32s(s1)
			x10, x11 = madd(x10, b0, v), madd(x11, b1, v)
			v = simd.BroadcastFloat32s(s2)
			x20, x21 = madd(x20, b0, v), madd(x21, b1, v)
			v = simd.BroadcastFloat32s(s3)
			x30, x31 = madd(x30, b0, v), madd(x31, b1, v)
		}
		c0, c1, c2, c3 := c[i*m+j:], c[(i+1)*m+j:], c[(i+2)*m+j:], c[(i+3)*m+j:]
		c0, c1, c2, c3 = c0[:2*L], c1[:2*L], c2[:2*L], c3[:2*L]
		addTo(c0, x00)
		addTo(c0[L:], x01)
		addTo(c1, x10)
		addTo(c1[L:], x11)
		addTo(c2, x20)
		addTo(c2[L:], x21)
		addTo(c3, x30)
		addTo(c3[L:], x31)
	}
	for ; i < n; i++ {
		var x0, x1 simd.Float32s
		for p, s := range a[i*k : i*k+k] {
			if s == 0 {
				continue
			}
			bp := b[p*m+j:]
			bp = bp[:2*L]
			v := simd.BroadcastFloat32s(s)
			x0, x1 = madd(x0, load(bp), v), madd(x1, load(bp[L:]), v)
		}
		ci := c[i*m+j:]
		ci = ci[:2*L]
		addTo(ci, x0)
		addTo(ci[L:], x1)
	}
}

// nn4x1 adds A*B to columns j..min(j+L, m) of C, a vector that may be partial (masked loads and
// stores), four rows at a time.
func nn4x1(n, k, m, j int, a, b, c []float32) {
	i := 0
	for ; i+4 <= n; i += 4 {
		a0 := a[i*k : i*k+k]
		a1 := a[(i+1)*k : (i+1)*k+k][:len(a0)]
		a2 := a[(i+2)*k : (i+2)*k+k][:len(a0)]
		a3 := a[(i+3)*k : (i+3)*k+k][:len(a0)]
		var x0, x1, x2, x3 simd.Float32s
		for p := range a0 {
			s0, s1, s2, s3 := a0[p], a1[p], a2[p], a3[p]
			bp, _ := simd.LoadFloat32sPart(b[p*m+j : p*m+m])
			x0 = madd(x0, bp, simd.BroadcastFloat32s(s0))
			x1 = madd(x1, bp, simd.BroadcastFloat32s(s1))
			x2 = madd(x2, bp, simd.BroadcastFloat32s(s2))
			x3 = madd(x3, bp, simd.BroadcastFloat32s(s3))
		}
		addToPart(c[i*m+j:i*m+m], x0)
		addToPart(c[(i+1)*m+j:(i+1)*m+m], x1)
		addToPart(c[(i+2)*m+j:(i+2)*m+m], x2)
		addToPart(c[(i+3)*m+j:(i+3)*m+m], x3)
	}
	for ; i < n; i++ {
		var x0 simd.Float32s
		for p, s := range a[i*k : i*k+k] {
			if s == 0 {
				continue
			}
			bp, _ := simd.LoadFloat32sPart(b[p*m+j : p*m+m])
			x0 = madd(x0, bp, simd.BroadcastFloat32s(s))
		}
		addToPart(c[i*m+j:i*m+m], x0)
	}
}

// addToPart adds the first min(L, len(s)) lanes of x to s.
func addToPart(s []float32, x simd.Float32s) {
	y, _ := simd.LoadFloat32sPart(s)
	x.Add(y).StorePart(s)
}

// nnDot is C += A*B for m = 1 (the output layer): a dot product of length k per row, four rows
// at a time in scalar code. It is under 1% of BenchmarkStep; a vector version would need a
// horizontal sum, which the portable package does not offer.
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
			// float32(): no fused multiply-add (kernel.go's canonical order).
			s0 += float32(a0[p] * bp)
			s1 += float32(a1[p] * bp)
			s2 += float32(a2[p] * bp)
			s3 += float32(a3[p] * bp)
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
			s0 += float32(a0[p] * bp)
		}
		c[i] += s0
	}
}

// gemmTN32 computes C += A^T*B for row-major A (n x k), B (n x m), C (k x m). Tiles of C stay in
// registers while a chunk of samples streams through them.
func gemmTN32(n, k, m int, a, b, c []float32) {
	if n <= 0 || k <= 0 || m <= 0 {
		return
	}
	a, b, c = a[:n*k], b[:n*m], c[:k*m]
	if m == 1 {
		// C^T (1 x k) += B^T (1 x n) * A (n x k): one row whose vectors run along k, a chunk of
		// samples at a time (the canonical order).
		for i0 := 0; i0 < n; i0 += tnChunk {
			i1 := min(i0+tnChunk, n)
			gemmNN32(1, i1-i0, k, b[i0:i1], a[i0*k:i1*k], c)
		}
		return
	}
	L := lanes()
	for i0 := 0; i0 < n; i0 += tnChunk {
		i1 := min(i0+tnChunk, n)
		j := 0
		for ; j+8*L <= m; j += 8 * L {
			for p := 0; p < k; p++ {
				tn1x8(i0, i1, k, m, p, j, a, b, c)
			}
		}
		for ; j+2*L <= m; j += 2 * L {
			p := 0
			for ; p+4 <= k; p += 4 {
				tn4x2(i0, i1, k, m, p, j, a, b, c)
			}
			for ; p < k; p++ {
				tn1x2(i0, i1, k, m, p, j, a, b, c)
			}
		}
		for ; j < m; j += L {
			for p := 0; p < k; p++ {
				tn1x1(i0, i1, k, m, p, j, a, b, c)
			}
		}
	}
}

// tn1x8 adds samples i0..i1 of A^T*B to row p, columns j..j+8L of C.
func tn1x8(i0, i1, k, m, p, j int, a, b, c []float32) {
	L := lanes()
	var x0, x1, x2, x3, x4, x5, x6, x7 simd.Float32s
	for i := i0; i < i1; i++ {
		s := a[i*k+p]
		if s == 0 {
			continue
		}
		bi := b[i*m+j:]
		bi = bi[:8*L]
		v := simd.BroadcastFloat32s(s)
		x0, x1, x2, x3 = madd(x0, load(bi), v), madd(x1, load(bi[L:]), v), madd(x2, load(bi[2*L:]), v), madd(x3, load(bi[3*L:]), v)
		x4, x5, x6, x7 = madd(x4, load(bi[4*L:]), v), madd(x5, load(bi[5*L:]), v), madd(x6, load(bi[6*L:]), v), madd(x7, load(bi[7*L:]), v)
	}
	cp := c[p*m+j:]
	cp = cp[:8*L]
	addTo(cp, x0)
	addTo(cp[L:], x1)
	addTo(cp[2*L:], x2)
	addTo(cp[3*L:], x3)
	addTo(cp[4*L:], x4)
	addTo(cp[5*L:], x5)
	addTo(cp[6*L:], x6)
	addTo(cp[7*L:], x7)
}

// tn4x2 adds samples i0..i1 of A^T*B to rows p..p+4, columns j..j+2L of C: per sample, two B
// loads serve 8 multiply-adds.
func tn4x2(i0, i1, k, m, p, j int, a, b, c []float32) {
	L := lanes()
	var x00, x01, x10, x11, x20, x21, x30, x31 simd.Float32s
	for i := i0; i < i1; i++ {
		ai := a[i*k+p : i*k+p+4]
		s0, s1, s2, s3 := ai[0], ai[1], ai[2], ai[3]
		bi := b[i*m+j:]
		bi = bi[:2*L]
		b0, b1 := load(bi), load(bi[L:])
		v := simd.BroadcastFloat32s(s0)
		x00, x01 = madd(x00, b0, v), madd(x01, b1, v)
		v = simd.BroadcastFloat32s(s1)
		x10, x11 = madd(x10, b0, v), madd(x11, b1, v)
		v = simd.BroadcastFloat32s(s2)
		x20, x21 = madd(x20, b0, v), madd(x21, b1, v)
		v = simd.BroadcastFloat32s(s3)
		x30, x31 = madd(x30, b0, v), madd(x31, b1, v)
	}
	c0, c1, c2, c3 := c[p*m+j:], c[(p+1)*m+j:], c[(p+2)*m+j:], c[(p+3)*m+j:]
	c0, c1, c2, c3 = c0[:2*L], c1[:2*L], c2[:2*L], c3[:2*L]
	addTo(c0, x00)
	addTo(c0[L:], x01)
	addTo(c1, x10)
	addTo(c1[L:], x11)
	addTo(c2, x20)
	addTo(c2[L:], x21)
	addTo(c3, x30)
	addTo(c3[L:], x31)
}

// tn1x2 adds samples i0..i1 of A^T*B to row p, columns j..j+2L of C (the rows of C left over
// from tn4x2, e.g. k = 2 for the first layer), two samples per pass, added in turn.
func tn1x2(i0, i1, k, m, p, j int, a, b, c []float32) {
	L := lanes()
	var x0, x1 simd.Float32s
	i := i0
	for ; i+2 <= i1; i += 2 {
		s, t := a[i*k+p], a[(i+1)*k+p]
		bi := b[i*m+j:]
		bi = bi[:m+2*L] // this row's 2L and the next one's
		v, w := simd.BroadcastFloat32s(s), simd.BroadcastFloat32s(t)
		x0, x1 = madd(x0, load(bi), v), madd(x1, load(bi[L:]), v)
		x0, x1 = madd(x0, load(bi[m:]), w), madd(x1, load(bi[m+L:]), w)
	}
	for ; i < i1; i++ {
		bi := b[i*m+j:]
		bi = bi[:2*L]
		v := simd.BroadcastFloat32s(a[i*k+p])
		x0, x1 = madd(x0, load(bi), v), madd(x1, load(bi[L:]), v)
	}
	cp := c[p*m+j:]
	cp = cp[:2*L]
	addTo(cp, x0)
	addTo(cp[L:], x1)
}

// tn1x1 adds samples i0..i1 of A^T*B to row p, columns j..min(j+L, m) of C, a vector that may
// be partial.
func tn1x1(i0, i1, k, m, p, j int, a, b, c []float32) {
	var x simd.Float32s
	for i := i0; i < i1; i++ {
		s := a[i*k+p]
		if s == 0 {
			continue
		}
		bi, _ := simd.LoadFloat32sPart(b[i*m+j : i*m+m])
		x = madd(x, bi, simd.BroadcastFloat32s(s))
	}
	addToPart(c[p*m+j:p*m+m], x)
}

// ReLU with vector selects. The scalar loops branch on each element's sign, which the CPU
// mispredicts about half the time (a ReLU network's pre-activations are near half negative):
// natively those two loops took a fifth of BenchmarkStep. IfElse keeps the scalar loops' every
// bit: z where z is not below 0 (NaN and -0 included), 0 where it is; d zeroed where h <= 0.

// reluForward32 is ReLU on float32: h = z, 0 where z < 0.
func reluForward32(z, h []float32) {
	h = h[:len(z)]
	L := lanes()
	zero := simd.BroadcastFloat32s(0)
	i := 0
	for ; i+L <= len(z); i += L {
		v := load(z[i:])
		zero.IfElse(v.Less(zero), v).Store(h[i:])
	}
	reluForwardLoop(z[i:], h[i:])
}

// reluBackward32 zeroes d where h <= 0.
func reluBackward32(h, d []float32) {
	h = h[:len(d)]
	L := lanes()
	zero := simd.BroadcastFloat32s(0)
	i := 0
	for ; i+L <= len(d); i += L {
		zero.IfElse(load(h[i:]).LessEqual(zero), load(d[i:])).Store(d[i:])
	}
	reluBackwardLoop(h[i:], d[i:])
}

// addRows32 adds the rows rows of d (rows x len(g)) to g, one row after the other, as
// addRowsLoop does: L columns at a time, held in a register while the rows stream through, so
// each g[j] is summed in the scalar loop's order. The bias gradients' sums: the scalar loop was
// a tenth of BenchmarkStep in wasm.
func addRows32(g, d []float32, rows int) {
	if rows == 0 {
		return
	}
	out := len(g)
	L := lanes()
	j := 0
	for ; j+L <= out; j += L {
		acc := load(g[j:])
		for i := range rows {
			acc = acc.Add(load(d[i*out+j:]))
		}
		acc.Store(g[j:])
	}
	if j < out {
		addRowsLoop(g[j:], d[j:], rows, out)
	}
}

// Fused layers: the product with its bias or activation in the same pass over the output, for
// the 1-row tiles (m a multiple of 8L: m = 32 in wasm). Separate, the bias copy, the product's
// add into C, and the ReLU pass each went over the whole output again. Each gives the bits of
// the separate steps: z = A*B + bias is the x + c of addTo with c the bias, relu(z) is
// reluForward32's select; the backward's 0 + x and its zeroing where h <= 0 are reluBackward32's.

// nnBiasReLU32 sets z = bias + A*B (A n x k, B k x m, bias 1 x m) and h = relu(z), reporting
// false, with nothing done, where m has no fused kernel.
func nnBiasReLU32(n, k, m int, a, b, bias, z, h []float32) bool {
	L := lanes()
	if n <= 0 || k <= 0 || m%(8*L) != 0 {
		return false
	}
	a, b, z, h, bias = a[:n*k], b[:k*m], z[:n*m], h[:n*m], bias[:m]
	for j := 0; j < m; j += 8 * L {
		bj := bias[j : j+8*L]
		for i := 0; i < n; i++ {
			x0, x1, x2, x3, x4, x5, x6, x7 := nnRow8(k, m, j, a[i*k:i*k+k], b)
			zi, hi := z[i*m+j:], h[i*m+j:]
			zi, hi = zi[:8*L], hi[:8*L]
			biasReLU(x0, bj, zi, hi)
			biasReLU(x1, bj[L:], zi[L:], hi[L:])
			biasReLU(x2, bj[2*L:], zi[2*L:], hi[2*L:])
			biasReLU(x3, bj[3*L:], zi[3*L:], hi[3*L:])
			biasReLU(x4, bj[4*L:], zi[4*L:], hi[4*L:])
			biasReLU(x5, bj[5*L:], zi[5*L:], hi[5*L:])
			biasReLU(x6, bj[6*L:], zi[6*L:], hi[6*L:])
			biasReLU(x7, bj[7*L:], zi[7*L:], hi[7*L:])
		}
	}
	return true
}

// nnReLUBack32 sets c = A*B where h > 0 and 0 where h <= 0 (the adjoint of a ReLU layer's
// input from its output's, h the layer's activations), reporting false, with nothing done,
// where m has no fused kernel.
func nnReLUBack32(n, k, m int, a, b, h, c []float32) bool {
	L := lanes()
	if n <= 0 || k <= 0 || m%(8*L) != 0 {
		return false
	}
	a, b, h, c = a[:n*k], b[:k*m], h[:n*m], c[:n*m]
	for j := 0; j < m; j += 8 * L {
		for i := 0; i < n; i++ {
			x0, x1, x2, x3, x4, x5, x6, x7 := nnRow8(k, m, j, a[i*k:i*k+k], b)
			ci, hi := c[i*m+j:], h[i*m+j:]
			ci, hi = ci[:8*L], hi[:8*L]
			reluBack(x0, hi, ci)
			reluBack(x1, hi[L:], ci[L:])
			reluBack(x2, hi[2*L:], ci[2*L:])
			reluBack(x3, hi[3*L:], ci[3*L:])
			reluBack(x4, hi[4*L:], ci[4*L:])
			reluBack(x5, hi[5*L:], ci[5*L:])
			reluBack(x6, hi[6*L:], ci[6*L:])
			reluBack(x7, hi[7*L:], ci[7*L:])
		}
	}
	return true
}

// biasReLU stores z = x + bias and h = relu(z) at the starts of z and h.
func biasReLU(x simd.Float32s, bias, z, h []float32) {
	v := x.Add(load(bias))
	v.Store(z)
	zero := simd.BroadcastFloat32s(0)
	zero.IfElse(v.Less(zero), v).Store(h)
}

// reluBack stores 0 + x where h > 0, 0 where h <= 0, at the start of c.
func reluBack(x simd.Float32s, h, c []float32) {
	zero := simd.BroadcastFloat32s(0)
	zero.IfElse(load(h).LessEqual(zero), x.Add(zero)).Store(c)
}
