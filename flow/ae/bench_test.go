package ae

import "testing"

// BenchmarkTrainStep is one mini-batch (64 digits) of the default autoencoder; an epoch of the
// 10,000 training digits is 157 of them.
func BenchmarkTrainStep(b *testing.B) {
	train := loadSet(b, "train.bin.gz")
	a, err := New(Defaults())
	if err != nil {
		b.Fatal(err)
	}
	tr, err := NewTrainer(a, train, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if tr.Done() {
			b.StopTimer()
			tr, _ = NewTrainer(a, train, nil)
			b.StartTimer()
		}
		if _, err := tr.TrainStep(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)*float64(tr.perEpoch)/1000, "s/epoch")
}
