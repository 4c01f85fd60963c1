package gene

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PCA is a linear latent map of dimension K fitted on n samples of dimension P:
//
//	encode(x) = V^T (x - mean),   decode(z) = mean + V z,
//
// with V (P x K, orthonormal columns) the top K principal directions. decode(encode(x)) is the
// orthogonal projection of x onto the affine span mean + range(V), the closest point of the
// latent map's image to x.
type PCA struct {
	P, K     int
	Mean     []float64 // P
	V        []float64 // P x K row-major: V[p*K + k]
	Variance []float64 // K, the variance along each direction, sum of squares / (n-1)
	Total    float64   // the total variance, trace of the covariance
}

// rankTol is the relative eigenvalue below which a direction counts as absent: the Gram
// matrix is exact to about 1e-16 relative, so 1e-10 leaves a wide margin over rounding.
const rankTol = 1e-10

// FitPCA fits a PCA of dimension k on the n rows of x (n x p row-major). It works on the n x n
// Gram matrix of the centred rows, G = Xc Xc^T = U diag(l) U^T, so its cost is n^2 p rather than
// the p^3 of a covariance matrix: the directions are V = Xc^T U diag(l)^(-1/2). n samples span at
// most n-1 directions, and k beyond the rank is refused with the limit in the message.
func FitPCA(x []float64, n, p, k int) (*PCA, error) {
	if n < 2 || p < 1 || len(x) != n*p {
		return nil, fmt.Errorf("pca: %d values for %d samples x %d probes (want at least 2 samples)", len(x), n, p)
	}
	if k < 1 {
		return nil, fmt.Errorf("dim = %d, want a latent dimension >= 1", k)
	}
	mean := make([]float64, p)
	for i := range n {
		for j, v := range x[i*p : (i+1)*p] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	xc := make([]float64, n*p)
	for i := range n {
		for j := range p {
			xc[i*p+j] = x[i*p+j] - mean[j]
		}
	}
	g := mat.NewSymDense(n, nil)
	for a := range n {
		ra := xc[a*p : (a+1)*p]
		for b := a; b < n; b++ {
			g.SetSym(a, b, dot(ra, xc[b*p:(b+1)*p]))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(g, true) {
		return nil, errors.New("pca: the eigendecomposition did not converge")
	}
	vals := eig.Values(nil) // ascending
	var u mat.Dense
	eig.VectorsTo(&u)
	total := 0.0
	for _, l := range vals {
		total += max(l, 0)
	}
	rank := 0
	for _, l := range vals {
		if l > rankTol*vals[n-1] {
			rank++
		}
	}
	if k > rank {
		return nil, fmt.Errorf("dim = %d, but the %d samples span only %d directions: want dim <= %d", k, n, rank, rank)
	}
	pc := &PCA{P: p, K: k, Mean: mean, V: make([]float64, p*k), Variance: make([]float64, k), Total: total / float64(n-1)}
	for c := range k {
		col := n - 1 - c // descending order
		l := vals[col]
		pc.Variance[c] = l / float64(n-1)
		inv := 1 / math.Sqrt(l)
		for i := range n {
			w := u.At(i, col) * inv
			if w == 0 {
				continue
			}
			row := xc[i*p : (i+1)*p]
			for j, v := range row {
				pc.V[j*k+c] += w * v
			}
		}
	}
	return pc, nil
}

// Encode maps the rows of x (rows x P) to latent codes (rows x K).
func (pc *PCA) Encode(x []float64) []float64 {
	rows := len(x) / pc.P
	z := make([]float64, rows*pc.K)
	for i := range rows {
		zi := z[i*pc.K : (i+1)*pc.K]
		for j, v := range x[i*pc.P : (i+1)*pc.P] {
			d := v - pc.Mean[j]
			for c, w := range pc.V[j*pc.K : (j+1)*pc.K] {
				zi[c] += d * w
			}
		}
	}
	return z
}

// Decode maps latent codes (rows x K) back to all P probes.
func (pc *PCA) Decode(z []float64) []float64 {
	rows := len(z) / pc.K
	x := make([]float64, rows*pc.P)
	for i := range rows {
		zi := z[i*pc.K : (i+1)*pc.K]
		xi := x[i*pc.P : (i+1)*pc.P]
		for j := range xi {
			xi[j] = pc.Mean[j] + dot(zi, pc.V[j*pc.K:(j+1)*pc.K])
		}
	}
	return x
}

// Explained is the fraction of the total variance the K directions hold.
func (pc *PCA) Explained() float64 {
	s := 0.0
	for _, v := range pc.Variance {
		s += v
	}
	if pc.Total == 0 {
		return 1
	}
	return s / pc.Total
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
