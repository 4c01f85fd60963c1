package digits

import (
	"os"
	"sync"
	"testing"

	"lipflow/flow/ae"
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

// fixture is the data, a trained autoencoder and classifier, shared by the slow tests.
type fixture struct {
	data  *Data
	ae    *ae.AE
	space *Space
	clf   *Classifier
}

var (
	fixOnce sync.Once
	fix     fixture
)

// aeEpochs is the test autoencoder's schedule (the default config otherwise).
const aeEpochs = 5

func getFixture(t testing.TB) fixture {
	t.Helper()
	fixOnce.Do(func() {
		data, err := NewData(loadSet(t, "train.bin.gz"), loadSet(t, "heldout.bin.gz"))
		if err != nil {
			t.Fatal(err)
		}
		c := ae.Defaults()
		c.Epochs = aeEpochs
		a, err := ae.New(c)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := ae.NewTrainer(a, data.Train, nil)
		if err != nil {
			t.Fatal(err)
		}
		for !tr.Done() {
			if _, err := tr.TrainStep(); err != nil {
				t.Fatal(err)
			}
		}
		clf := NewClassifier(data.Heldout, data.ClassIdx, 1)
		clf.Train()
		fix = fixture{data: data, ae: a, space: NewSpace(a, data.Train), clf: clf}
	})
	if fix.data == nil {
		t.Fatal("fixture failed")
	}
	return fix
}

// reference measures 500 held-out digits against the targets.
func (f fixture) reference(tg *Targets) *Reference {
	idx := f.data.EvalIdx[:500]
	return NewReference(tg, f.space, Pixels(f.data.Heldout, idx), f.space.DecodeDigits(f.data.Heldout, idx), len(idx))
}
