package flow

// The two products below are the whole of the network's cost. Both are written as
// "row += scalar * row" over contiguous rows of the output, which the compiler keeps free of
// bounds checks (each row is resliced to the length of the output row) and which a vector
// unit runs as broadcast-multiply-add. Four terms are folded per pass so that each output row
// is loaded and stored a quarter as often.

// gemmNN computes C += A*B for row-major A (n x k), B (k x m), C (n x m).
func gemmNN[T Float](n, k, m int, a, b, c []T) {
	if a32, ok := any(a).([]float32); ok { // float32 runs take the vector kernel of kernel32_*.go
		gemmNN32(n, k, m, a32, any(b).([]float32), any(c).([]float32))
		return
	}
	gemmNNLoop(n, k, m, a, b, c)
}

// gemmNNLoop is gemmNN in plain loops.
func gemmNNLoop[T Float](n, k, m int, a, b, c []T) {
	for i := 0; i < n; i++ {
		ci := c[i*m : i*m+m]
		ai := a[i*k : i*k+k]
		p := 0
		for ; p+4 <= k; p += 4 {
			a0, a1, a2, a3 := ai[p], ai[p+1], ai[p+2], ai[p+3]
			if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
				continue // ReLU zeroes about half the activations.
			}
			b0 := b[p*m : p*m+m]
			b1 := b[(p+1)*m : (p+1)*m+m]
			b2 := b[(p+2)*m : (p+2)*m+m]
			b3 := b[(p+3)*m : (p+3)*m+m]
			b0, b1, b2, b3 = b0[:len(ci)], b1[:len(ci)], b2[:len(ci)], b3[:len(ci)]
			for j := range ci {
				ci[j] += a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j]
			}
		}
		for ; p < k; p++ {
			a0 := ai[p]
			if a0 == 0 {
				continue
			}
			b0 := b[p*m : p*m+m]
			b0 = b0[:len(ci)]
			for j := range ci {
				ci[j] += a0 * b0[j]
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

// gemmTNLoop is gemmTN in plain loops.
func gemmTNLoop[T Float](n, k, m int, a, b, c []T) {
	i := 0
	for ; i+4 <= n; i += 4 {
		a0 := a[i*k : i*k+k]
		a1 := a[(i+1)*k : (i+1)*k+k]
		a2 := a[(i+2)*k : (i+2)*k+k]
		a3 := a[(i+3)*k : (i+3)*k+k]
		b0 := b[i*m : i*m+m]
		b1 := b[(i+1)*m : (i+1)*m+m]
		b2 := b[(i+2)*m : (i+2)*m+m]
		b3 := b[(i+3)*m : (i+3)*m+m]
		for p := 0; p < k; p++ {
			s0, s1, s2, s3 := a0[p], a1[p], a2[p], a3[p]
			if s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 {
				continue
			}
			cp := c[p*m : p*m+m]
			b0, b1, b2, b3 := b0[:len(cp)], b1[:len(cp)], b2[:len(cp)], b3[:len(cp)]
			for j := range cp {
				cp[j] += s0*b0[j] + s1*b1[j] + s2*b2[j] + s3*b3[j]
			}
		}
	}
	for ; i < n; i++ {
		ai := a[i*k : i*k+k]
		bi := b[i*m : i*m+m]
		for p := 0; p < k; p++ {
			s := ai[p]
			if s == 0 {
				continue
			}
			cp := c[p*m : p*m+m]
			bi := bi[:len(cp)]
			for j := range cp {
				cp[j] += s * bi[j]
			}
		}
	}
}
