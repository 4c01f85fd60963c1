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
	Copies          float64 `json:"copies"`            // share of samples nearer a target than copyRadius
}

// copyRadius: a sample within this pixel-space distance of a target is counted a copy
// (decoded targets themselves sit about 2-3 from their originals; real digits 6-9 apart).
const copyRadius = 1.5

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
// targets (pixels), with the classifier c and the reference figure nnTrain.
func Score(c *Classifier, samples []float32, labels []int32, targets []float32, nTargets int, nnTrain float64) Scores {
	rows := len(labels)
	s := Scores{NNTrainDistance: nnTrain, Agreement: math.NaN()}
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
	NearestDistances(samples, rows, targets, nTargets, d)
	copies := 0
	for _, v := range d {
		s.NNDistance += v
		if v < copyRadius {
			copies++
		}
	}
	s.NNDistance /= float64(rows)
	s.Copies = float64(copies) / float64(rows)
	return s
}
