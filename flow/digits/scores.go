package digits

import (
	"math"

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
}

// NewReference measures the held-out digits (pixels and their decodings, rows of each)
// against the targets.
func NewReference(tg *Targets, space *Space, heldout, heldoutDecoded []float32, rows int) *Reference {
	r := &Reference{Targets: tg.Pix, M: tg.M(), Decoded: make([]float32, len(tg.Pix))}
	space.Decode(tg.Codes, tg.M(), r.Decoded)
	d := make([]float64, rows)
	NearestDistances(heldout, rows, r.Targets, r.M, d)
	r.NNTrain = mean(d)
	NearestDistances(heldoutDecoded, rows, r.Decoded, r.M, d)
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

// NearestDistances writes, for each of rows digits a (rows x 784), the L2 distance to its
// nearest row of ref (refRows x 784), to out.
func NearestDistances(a []float32, rows int, ref []float32, refRows int, out []float64) {
	const P = mnist.Pixels
	// |a - r|^2 = |a|^2 + |r|^2 - 2 a.r, the dot products in float64 sums of float32 rows.
	rn := make([]float64, refRows)
	for j := range refRows {
		rn[j] = sqnorm(ref[j*P : (j+1)*P])
	}
	for i := range rows {
		ai := a[i*P : (i+1)*P]
		an := sqnorm(ai)
		best := math.Inf(1)
		for j := range refRows {
			rj := ref[j*P : (j+1)*P]
			rj = rj[:len(ai)]
			var dot float32
			for k, v := range ai {
				dot += v * rj[k]
			}
			d := an + rn[j] - 2*float64(dot)
			if d < best {
				best = d
			}
		}
		out[i] = math.Sqrt(math.Max(best, 0))
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
	NearestDistances(samples, rows, ref.Targets, ref.M, d)
	s.NNDistance = mean(d)
	NearestDistances(samples, rows, ref.Decoded, ref.M, d)
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
