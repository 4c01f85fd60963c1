package ae

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"lipflow/flow"
	"lipflow/flow/dense"
	"lipflow/flow/mnist"
)

// Trainer trains an autoencoder one mini-batch at a time.
type Trainer struct {
	AE          *AE
	train, eval *mnist.Set
	evalIdx     []int // the held-out digits the curve is measured on
	rng         *rand.Rand
	enc, dec    *flow.Adam[float32]
	perm        []int
	pos         int // next index into perm
	epoch, step int
	perEpoch    int
	logEvery    int
	sum         float64 // training loss since the last log point
	sumN        int
	last        float64 // mean training loss at the last log point
	x, dlog, dz []float32
	err         error
}

// curveEval bounds the held-out digits measured at each log point.
const curveEval = 500

// NewTrainer prepares to train a on train, measuring the held-out loss on eval (may be nil).
func NewTrainer(a *AE, train, eval *mnist.Set) (*Trainer, error) {
	if train == nil || train.Count() == 0 {
		return nil, errors.New("autoencoder: no training digits")
	}
	c := a.Config
	t := &Trainer{AE: a, train: train, eval: eval, rng: rand.New(rand.NewPCG(c.Seed, 12)),
		enc: flow.NewAdam[float32](len(a.Enc.Params), c.LR), dec: flow.NewAdam[float32](len(a.Dec.Params), c.LR)}
	t.perEpoch = (train.Count() + c.Batch - 1) / c.Batch
	t.logEvery = max(1, t.perEpoch/4)
	if eval != nil {
		for i := range min(curveEval, eval.Count()) {
			t.evalIdx = append(t.evalIdx, i)
		}
	}
	t.perm = t.rng.Perm(train.Count())
	t.x = make([]float32, c.Batch*Pixels)
	t.dlog = make([]float32, c.Batch*Pixels)
	t.dz = make([]float32, c.Batch*c.Latent)
	return t, nil
}

// Steps is the number of mini-batches of the whole schedule; Step the number done.
func (t *Trainer) Steps() int { return t.perEpoch * t.AE.Config.Epochs }
func (t *Trainer) Step() int  { return t.step }

// Epoch is the number of whole epochs done.
func (t *Trainer) Epoch() int { return t.epoch }

// Done reports whether the schedule is complete (or training failed).
func (t *Trainer) Done() bool { return t.step >= t.Steps() || t.err != nil }

// Err is the error that stopped training (a loss that is not finite).
func (t *Trainer) Err() error { return t.err }

// LastLoss is the mean training loss at the last log point (NaN before the first).
func (t *Trainer) LastLoss() float64 {
	if len(t.AE.Curve) == 0 {
		return math.NaN()
	}
	return t.last
}

// TrainStep trains on one mini-batch and returns the batch's loss; at the end of each log
// period it appends to the curves (and measures the held-out loss).
func (t *Trainer) TrainStep() (float64, error) {
	if t.Done() {
		return 0, t.err
	}
	a, c := t.AE, t.AE.Config
	rows := min(c.Batch, len(t.perm)-t.pos)
	for r, i := range t.perm[t.pos : t.pos+rows] {
		t.train.Float(i, t.x[r*Pixels:(r+1)*Pixels])
	}
	x := t.x[:rows*Pixels]
	z := a.Enc.Logits(x, rows)
	logits := a.Dec.Logits(z, rows)
	loss := dense.BCEWithLogits(logits, x, rows, t.dlog[:rows*Pixels])
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		t.err = fmt.Errorf("autoencoder training diverged at step %d: the loss is %v (lower lr)", t.step+1, loss)
		return loss, t.err
	}
	clear(a.Enc.Grad)
	clear(a.Dec.Grad)
	a.Dec.BackwardLogits(t.dlog[:rows*Pixels], rows, true, t.dz[:rows*c.Latent])
	a.Enc.BackwardLogits(t.dz[:rows*c.Latent], rows, true, nil)
	dense.StepNet(t.enc, a.Enc)
	dense.StepNet(t.dec, a.Dec)
	t.sum += loss * float64(rows)
	t.sumN += rows
	t.pos += rows
	t.step++
	if t.pos >= len(t.perm) {
		t.epoch++
		t.pos = 0
		t.perm = t.rng.Perm(t.train.Count())
	}
	if t.step%t.logEvery == 0 || t.Done() {
		t.log()
	}
	return loss, nil
}

func (t *Trainer) log() {
	if t.sumN == 0 {
		return
	}
	t.last = t.sum / float64(t.sumN)
	t.sum, t.sumN = 0, 0
	a := t.AE
	a.Curve = append(a.Curve, t.last)
	if len(t.evalIdx) > 0 {
		a.HeldoutLoss = a.Loss(t.eval, t.evalIdx)
		a.HeldoutCurve = append(a.HeldoutCurve, a.HeldoutLoss)
	}
}
