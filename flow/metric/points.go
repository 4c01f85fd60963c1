package metric

import "math"

// rows validates the row-major layout up front so that a wrong d fails loudly
// instead of silently pairing coordinates of different points.
func rows(x []float64, d int) int {
	if d <= 0 {
		panic("metric: dimension must be positive")
	}
	if len(x)%d != 0 {
		panic("metric: slice length is not a multiple of the dimension")
	}
	return len(x) / d
}

// sqDist is the innermost kernel of every O(n·m) loop, so it must not allocate.
// Re-slicing b to len(a) lets the compiler drop the bounds check on b[k].
func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for k, v := range a {
		t := v - b[k]
		s += t * t
	}
	return s
}

// dist works on coordinate differences rather than |a|² + |b|² - 2a·b: the
// expanded form cancels catastrophically for points far from the origin.
func dist(a, b []float64) float64 {
	return math.Sqrt(sqDist(a, b))
}
