package ae

import (
	"math"
	"os"
	"testing"

	"lipflow/flow/mnist"
)

func loadSet(t testing.TB, name string) *mnist.Set {
	t.Helper()
	f, err := os.Open("../../assets/mnist/data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := mnist.Read(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// heldoutBound is the held-out reconstruction loss (nats per digit, binary cross-entropy
// summed over 784 pixels) the default network must beat after 2 epochs of the 10,000 training
// digits. Measured: about 103 (an untrained network scores about 589; the best constant
// output, the training digits' mean, scores meanDigitLoss, printed by the test).
const heldoutBound = 110

// TestHeldoutLoss trains the default autoencoder for 2 epochs and checks the loss on the 1,000
// held-out digits the classifier does not train on.
func TestHeldoutLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("trains an autoencoder (about 7 s natively)")
	}
	train, held := loadSet(t, "train.bin.gz"), loadSet(t, "heldout.bin.gz")
	eval := &mnist.Set{Pix: held.Pix[2000*mnist.Pixels:], Labels: held.Labels[2000:]}
	c := Defaults()
	c.Epochs = 2
	a, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	before := a.Loss(eval, nil)
	tr, err := NewTrainer(a, train, eval)
	if err != nil {
		t.Fatal(err)
	}
	for !tr.Done() {
		if _, err := tr.TrainStep(); err != nil {
			t.Fatal(err)
		}
	}
	after := a.Loss(eval, nil)
	t.Logf("held-out loss %.1f -> %.1f nats per digit after %d steps (mean digit: %.1f); curve %.1f",
		before, after, tr.Step(), meanDigitLoss(train, eval), a.HeldoutCurve)
	if !(after < heldoutBound) {
		t.Fatalf("held-out loss %.1f after 2 epochs, want < %d", after, heldoutBound)
	}
	if len(a.Curve) < 4 || len(a.HeldoutCurve) != len(a.Curve) {
		t.Fatalf("curves of %d and %d points, want at least 4 each, equal", len(a.Curve), len(a.HeldoutCurve))
	}
}

// meanDigitLoss is the held-out loss of the constant output p_j = the training digits' mean
// pixel j: the reference a model that learned nothing of each digit would reach.
func meanDigitLoss(train, eval *mnist.Set) float64 {
	p := make([]float64, mnist.Pixels)
	for i := range train.Count() {
		for j, v := range train.Digit(i) {
			p[j] += float64(v) / 255 / float64(train.Count())
		}
	}
	var s float64
	for i := range eval.Count() {
		for j, v := range eval.Digit(i) {
			x, q := float64(v)/255, math.Min(math.Max(p[j], 1e-7), 1-1e-7)
			s -= x*math.Log(q) + (1-x)*math.Log(1-q)
		}
	}
	return s / float64(eval.Count())
}
