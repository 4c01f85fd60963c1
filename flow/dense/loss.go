package dense

import (
	"math"

	"lipflow/flow"
)

// Sigmoid returns 1/(1+exp(-z)) without overflow.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// BCEWithLogits returns the binary cross-entropy of targets x in [0, 1] against p =
// sigmoid(logits), summed over each row's cols and averaged over rows:
//
//	loss = -(1/rows) sum_ij x_ij log p_ij + (1 - x_ij) log(1 - p_ij)
//	     =  (1/rows) sum_ij softplus(z_ij) - x_ij z_ij,
//
// the second form being finite for every finite z. It writes d loss / d z = (p - x)/rows to
// grad when grad is non-nil.
func BCEWithLogits[T flow.Float](z, x []T, rows int, grad []T) float64 {
	var s float64
	inv := 1 / float64(rows)
	x = x[:len(z)]
	for i, zv := range z {
		zf, xf := float64(zv), float64(x[i])
		// softplus(z) = max(z, 0) + log1p(exp(-|z|))
		s += math.Max(zf, 0) + math.Log1p(math.Exp(-math.Abs(zf))) - xf*zf
		if grad != nil {
			grad[i] = T((Sigmoid(zf) - xf) * inv)
		}
	}
	return s * inv
}

// SoftmaxCE returns the mean cross-entropy -log softmax(z_i)[label_i] over rows of classes
// logits (shifted by each row's max, so no exponential overflows) and writes
// d loss / d z = (softmax(z) - onehot)/rows to grad when grad is non-nil.
func SoftmaxCE[T flow.Float](z []T, labels []int32, classes int, grad []T) float64 {
	rows := len(labels)
	var s float64
	inv := 1 / float64(rows)
	for i, c := range labels {
		row := z[i*classes : i*classes+classes]
		m := math.Inf(-1)
		for _, v := range row {
			m = math.Max(m, float64(v))
		}
		var e float64
		for _, v := range row {
			e += math.Exp(float64(v) - m)
		}
		lse := m + math.Log(e)
		s += lse - float64(row[c])
		if grad != nil {
			g := grad[i*classes : i*classes+classes]
			for j, v := range row {
				g[j] = T(math.Exp(float64(v)-lse) * inv)
			}
			g[c] -= T(inv)
		}
	}
	return s * inv
}

// Argmax returns the index of each row's largest logit.
func Argmax[T flow.Float](z []T, classes int, out []int32) {
	for i := range out {
		row := z[i*classes : i*classes+classes]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = int32(best)
	}
}
