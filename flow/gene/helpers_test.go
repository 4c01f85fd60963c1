package gene

import (
	"math/rand/v2"
	"os"
	"sync"
	"testing"
)

// committed reads the committed data sets once per test binary.
var committed = sync.OnceValues(func() ([]*Set, error) {
	var sets []*Set
	for _, n := range []string{"bladder", "kidney"} {
		b, err := os.ReadFile("../../assets/gene/data/" + n + ".bin")
		if err != nil {
			return nil, err
		}
		s, err := Read(b)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	return sets, nil
})

func loadSets(t *testing.T) []*Set {
	t.Helper()
	sets, err := committed()
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

func randMatrix(rng *rand.Rand, n, p int) []float64 {
	x := make([]float64, n*p)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += (v - b[i]) * (v - b[i])
	}
	return s
}
