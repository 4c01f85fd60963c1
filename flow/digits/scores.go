package digits

import (
	"math"

	"lipflow/flow"

	"lipflow/flow/mnist"
)

// Scores are the figures of a set of generated digits.
type Scores struct {
	Agreement       float64 `json:"agreement"`         // share the classifier assigns to the requested class
	NNDistance      float64 `json:"nn_distance"`       // mean L2 distance to the nearest target (pixels in [0,1])
	NNTrainDistance float64 `json:"nn_train_distance"` // the same for real held-out digits
	// The decoder blurs: even a sample sitting on a target's code is about 3.5 from the target
	// itself. In the decoder's own image, copies show plainly: NNDecoded is the mean distance to
	// the nearest decoded target D(E(x_j)), NNDecodedRef the same for decoded held-out digits
	// D(E(x)), and Copies the share of samples nearer a decoded target than CopyRadius.
	NNDecoded    float64 `json:"nn_decoded"`
	NNDecodedRef float64 `json:"nn_decoded_ref"`
	Copies       float64 `json:"copies"`
}

// CopyRadius is the decoded-space distance under which a sample counts as a copy of a target
// (real held-out digits, decoded, sit about 5 from their nearest decoded target).
const CopyRadius = 1.0

// Reference holds what the scores compare with: the targets' pixels and decodings and the
// figures of held-out digits.
type Reference struct {
	Targets, Decoded   []float32 // M x 784
	M                  int
	NNTrain, NNDecoded float64
	nt, nd             *nearest
}

// NewReference measures the held-out digits (pixels and their decodings, rows of each)
// against the targets.
func NewReference(tg *Targets, space *Space, heldout, heldoutDecoded []float32, rows int) *Reference {
	r := &Reference{Targets: tg.Pix, M: tg.M(), Decoded: make([]float32, len(tg.Pix))}
	space.Decode(tg.Codes, tg.M(), r.Decoded)
	r.nt, r.nd = newNearest(r.Targets, r.M), newNearest(r.Decoded, r.M)
	d := make([]float64, rows)
	r.nt.distances(heldout, rows, d)
	r.NNTrain = mean(d)
	r.nd.distances(heldoutDecoded, rows, d)
	r.NNDecoded = mean(d)
	return r
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// nearestDistances writes, for each of rows digits a (rows x 784), the L2 distance to its
// nearest row of ref (refRows x 784), to out.
func nearestDistances(a []float32, rows int, ref []float32, refRows int, out []float64) {
	newNearest(ref, refRows).distances(a, rows, out)
}

// nearest finds nearest rows by |a - r|^2 = |a|^2 + |r|^2 - 2 a.r, the dot products as one
// matrix product with the engine's kernel against the transposed reference.
type nearest struct {
	refT  []float32 // 784 x refRows
	norms []float64
	rows  int
	dots  []float32
}

func newNearest(ref []float32, refRows int) *nearest {
	const P = mnist.Pixels
	n := &nearest{refT: make([]float32, P*refRows), norms: make([]float64, refRows), rows: refRows}
	for j := range refRows {
		r := ref[j*P : (j+1)*P]
		n.norms[j] = sqnorm(r)
		for k, v := range r {
			n.refT[k*refRows+j] = v
		}
	}
	return n
}

func (n *nearest) distances(a []float32, rows int, out []float64) {
	const P, chunk = mnist.Pixels, 64
	if len(n.dots) < chunk*n.rows {
		n.dots = make([]float32, chunk*n.rows)
	}
	for lo := 0; lo < rows; lo += chunk {
		hi := min(lo+chunk, rows)
		dots := n.dots[:(hi-lo)*n.rows]
		clear(dots)
		flow.GemmNN(hi-lo, P, n.rows, a[lo*P:hi*P], n.refT, dots)
		for i := lo; i < hi; i++ {
			an := sqnorm(a[i*P : (i+1)*P])
			best := math.Inf(1)
			for j, d := range dots[(i-lo)*n.rows : (i-lo+1)*n.rows] {
				best = math.Min(best, an+n.norms[j]-2*float64(d))
			}
			out[i] = math.Sqrt(math.Max(best, 0))
		}
	}
}

func sqnorm(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

// Score scores rows samples (pixels in [0,1]) generated for the given classes against the
// reference, with the classifier c (agreement NaN when c is nil).
func Score(c *Classifier, samples []float32, labels []int32, ref *Reference) Scores {
	rows := len(labels)
	s := Scores{NNTrainDistance: ref.NNTrain, NNDecodedRef: ref.NNDecoded, Agreement: math.NaN()}
	if c != nil {
		pred := make([]int32, rows)
		c.Predict(samples, rows, pred)
		ok := 0
		for i, p := range pred {
			if p == labels[i] {
				ok++
			}
		}
		s.Agreement = float64(ok) / float64(rows)
	}
	d := make([]float64, rows)
	ref.nt.distances(samples, rows, d)
	s.NNDistance = mean(d)
	ref.nd.distances(samples, rows, d)
	s.NNDecoded = mean(d)
	copies := 0
	for _, v := range d {
		if v < CopyRadius {
			copies++
		}
	}
	s.Copies = float64(copies) / float64(rows)
	return s
}
