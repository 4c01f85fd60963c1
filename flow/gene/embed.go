package gene

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"lipflow/flow/metric"
)

// Figure is how far a corrected source is from the target, in probe space.
type Figure struct {
	// MMD is metric.MMD2, the unbiased estimate of the squared MMD with the Gaussian kernel
	// exp(-|a-b|^2 / (2 h^2)), h the bandwidth of the problem (see Problem.Bandwidth). Being
	// unbiased it may dip below 0 when the two samples are alike.
	MMD float64 `json:"mmd"`
	// Sinkhorn is metric.Sinkhorn, the entropic optimal-transport cost <pi, C> with
	// C_ij = |x_i - y_j|^2 summed over all probes, at relative eps SinkhornEps (epsilon =
	// SinkhornEps * mean C): between W2^2 and W2^2 + epsilon log(min(n, m)). Over the whole
	// samples, every class at once.
	Sinkhorn float64 `json:"sinkhorn"`
	// SinkhornDiv is the paper's figure, one value per shared class in Problem.Classes order:
	// the debiased Sinkhorn divergence S_eps = OT_eps(a,b) - OT_eps(a,a)/2 - OT_eps(b,b)/2 with
	// the cost |x-y|^2/2 (metric.SinkhornDivergence) between the source's samples of that class
	// and the target's, as the reference code measures it: geomloss's SamplesLoss('sinkhorn',
	// p=2) with its defaults, blur SinkhornBlur (eps = 0.0025), scaling SinkhornScaling, the
	// diameter of the class's samples' bounding box in probe space. The reference prints the
	// classes side by side and combines them in no way; nor does this.
	SinkhornDiv []float64 `json:"sinkhorn_div"`
}

// The Sinkhorn settings of every figure.
const (
	SinkhornEps  = 0.01
	SinkhornIter = 3000
	// SinkhornBlur and SinkhornScaling are geomloss's defaults, which the reference code's
	// SamplesLoss(loss='sinkhorn', p=2) uses.
	SinkhornBlur    = 0.05
	SinkhornScaling = 0.5
)

// Distance measures a (na x p, class labels la) against b (nb x p, labels lb), the labels
// indexing classes 0..classes-1. The two samples are first mapped isometrically to their own
// span (see Isometric), so the kernel and the transport costs see the exact distances of the
// p-dimensional points at the cost of na+nb dimensions. Every class must have rows in both.
func Distance(a []float64, la []int32, b []float64, lb []int32, classes, p int, h float64) (Figure, error) {
	na, nb := len(a)/p, len(b)/p
	if na < 2 || nb < 2 {
		return Figure{}, errors.New("distance: each sample needs at least 2 rows")
	}
	if len(la) != na || len(lb) != nb {
		return Figure{}, fmt.Errorf("distance: %d and %d labels for %d and %d rows", len(la), len(lb), na, nb)
	}
	pts := append(append(make([]float64, 0, len(a)+len(b)), a...), b...)
	// A diverged merge can leave huge but finite values whose squares overflow: refuse them here
	// rather than let NaN reach the eigensolver.
	for i := 0; i < len(pts); i += p {
		if !finite(dot(pts[i:i+p], pts[i:i+p])) {
			return Figure{}, fmt.Errorf("distance: sample %d is too far out to measure (a diverged run?)", i/p+1)
		}
	}
	y, d := Isometric(pts, p)
	f := Figure{
		MMD:      metric.MMD2(y[:na*d], y[na*d:], d, h),
		Sinkhorn: metric.Sinkhorn(y[:na*d], y[na*d:], d, SinkhornEps, SinkhornIter),
	}
	for c := range classes {
		ya, yb := classRows(y[:na*d], la, d, c), classRows(y[na*d:], lb, d, c)
		if len(ya) == 0 || len(yb) == 0 {
			return f, fmt.Errorf("distance: class %d has %d and %d samples, want some in both", c, len(ya)/d, len(yb)/d)
		}
		// geomloss starts its eps-scaling at the diameter of the points' bounding box, which
		// the isometric embedding does not keep: it is taken in probe space.
		diam := metric.BoxDiagonal(classRows(a, la, p, c), classRows(b, lb, p, c), p)
		f.SinkhornDiv = append(f.SinkhornDiv, metric.SinkhornDivergence(ya, yb, d, SinkhornBlur,
			metric.DivergenceOptions{Scaling: SinkhornScaling, Diameter: diam}))
	}
	if !finite(f.MMD) || !finite(f.Sinkhorn) {
		return f, errors.New("distance: a figure is not finite")
	}
	for _, v := range f.SinkhornDiv {
		if !finite(v) {
			return f, errors.New("distance: a figure is not finite")
		}
	}
	return f, nil
}

// classRows copies the rows of x (width d) labelled c.
func classRows(x []float64, l []int32, d, c int) []float64 {
	var out []float64
	for i, v := range l {
		if int(v) == c {
			out = append(out, x[i*d:(i+1)*d]...)
		}
	}
	return out
}

// Isometric maps the n rows of x (n x p) to n rows of dimension d <= n-1 with the same
// pairwise Euclidean distances: with the rows centred, G = Xc Xc^T = U diag(l) U^T, and the rows
// of U diag(sqrt l) (positive l only) have Gram matrix G, hence the same distances. Distances
// come out exact to rounding, about 1e-8 of the largest.
func Isometric(x []float64, p int) ([]float64, int) {
	n := len(x) / p
	mean := make([]float64, p)
	for i := range n {
		for j, v := range x[i*p : (i+1)*p] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	xc := make([]float64, len(x))
	for i, v := range x {
		xc[i] = v - mean[i%p]
	}
	g := mat.NewSymDense(n, nil)
	for a := range n {
		for b := a; b < n; b++ {
			g.SetSym(a, b, dot(xc[a*p:(a+1)*p], xc[b*p:(b+1)*p]))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(g, true) {
		// EigenSym fails only on non-finite input, which Read and the corrections refuse.
		panic("gene: eigendecomposition of a Gram matrix failed")
	}
	vals := eig.Values(nil)
	var u mat.Dense
	eig.VectorsTo(&u)
	var keep []int
	for c := n - 1; c >= 0; c-- {
		if vals[c] > rankTol*max(vals[n-1], 0) {
			keep = append(keep, c)
		}
	}
	d := max(len(keep), 1)
	y := make([]float64, n*d)
	for k, c := range keep {
		s := math.Sqrt(vals[c])
		for i := range n {
			y[i*d+k] = u.At(i, c) * s
		}
	}
	return y, d
}
