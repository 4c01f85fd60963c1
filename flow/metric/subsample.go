package metric

import (
	"math/rand/v2"
	"slices"
)

// Subsample bounds the cost of the O(n·m) measures when they are called from
// a live page. It returns x itself (not a copy) when x has at most max rows;
// otherwise it returns a new slice holding max distinct rows of x drawn
// uniformly without replacement from rng, kept in their original order so
// that the result does not depend on anything but the chosen set.
//
// It panics if max < 0, or if rng is nil and sampling is needed.
func Subsample(x []float64, d, max int, rng *rand.Rand) []float64 {
	n := rows(x, d)
	if max < 0 {
		panic("metric: negative subsample size")
	}
	if n <= max {
		return x
	}
	if rng == nil {
		panic("metric: nil rng")
	}
	// A partial Fisher-Yates shuffle draws exactly max rows in O(n) time.
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := range max {
		j := i + rng.IntN(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	pick := idx[:max]
	slices.Sort(pick)
	out := make([]float64, 0, max*d)
	for _, i := range pick {
		out = append(out, x[i*d:(i+1)*d]...)
	}
	return out
}
