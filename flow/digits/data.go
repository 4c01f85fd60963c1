package digits

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"lipflow/flow/mnist"
)

// Data are the experiment's digits: Train (the autoencoder's digits, from which the targets
// are drawn) and Heldout, split into the classifier's training digits (ClassIdx) and the
// digits that measure held-out figures (EvalIdx).
type Data struct {
	Train, Heldout    *mnist.Set
	ClassIdx, EvalIdx []int
}

// classifierShare is the share of the held-out digits the classifier trains on.
const classifierShare = 2.0 / 3

// NewData splits heldout: the first two thirds train the classifier, the rest measure.
func NewData(train, heldout *mnist.Set) (*Data, error) {
	if train == nil || heldout == nil {
		return nil, errors.New("digits: both the training and the held-out digits are needed")
	}
	if heldout.Count() < 30 {
		return nil, fmt.Errorf("digits: %d held-out digits, want at least 30", heldout.Count())
	}
	d := &Data{Train: train, Heldout: heldout}
	k := int(float64(heldout.Count()) * classifierShare)
	for i := range heldout.Count() {
		if i < k {
			d.ClassIdx = append(d.ClassIdx, i)
		} else {
			d.EvalIdx = append(d.EvalIdx, i)
		}
	}
	return d, nil
}

// Targets draws perClass training digits of each class (a seeded choice without replacement)
// and returns their indices into Train, class by class.
func (d *Data) Targets(perClass int, seed uint64) ([]int, error) {
	if perClass < 1 || perClass > 1000 {
		return nil, fmt.Errorf("per_class = %d, want 1..1000", perClass)
	}
	byClass := make([][]int, mnist.Classes)
	for i, c := range d.Train.Labels {
		byClass[c] = append(byClass[c], i)
	}
	rng := rand.New(rand.NewPCG(seed, 31))
	var idx []int
	for c, all := range byClass {
		if len(all) < perClass {
			return nil, fmt.Errorf("per_class = %d, but class %d has %d training digits", perClass, c, len(all))
		}
		p := rng.Perm(len(all))
		for _, j := range p[:perClass] {
			idx = append(idx, all[j])
		}
	}
	return idx, nil
}

// Pixels returns the digits of set with the given indices, scaled to [0,1].
func Pixels(set *mnist.Set, idx []int) []float32 {
	out := make([]float32, len(idx)*mnist.Pixels)
	for r, i := range idx {
		set.Float(i, out[r*mnist.Pixels:(r+1)*mnist.Pixels])
	}
	return out
}

// Labels returns the classes of the digits of set with the given indices.
func Labels(set *mnist.Set, idx []int) []int32 {
	out := make([]int32, len(idx))
	for r, i := range idx {
		out[r] = int32(set.Labels[i])
	}
	return out
}
