package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

const pointsName = "points"

// Points is a sampler over a fixed set of user-given points (name "points"):
// Sample returns the points themselves in order when asked for exactly their
// count, else draws rows uniformly with replacement, i.e. from the empirical
// distribution of the points.
type Points struct {
	d int
	x []float64 // row-major, owned
}

// NewPoints copies x, len(x)/d points of dimension d, row-major. It refuses
// d < 1, no points, a length that is not a whole number of rows, and NaN or
// Inf, naming the row (counted from 1).
func NewPoints(x []float64, d int) (*Points, error) {
	if d < 1 {
		return nil, fmt.Errorf("dist: points: d = %d, want d >= 1", d)
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("dist: points: no points, want at least one row of %d values", d)
	}
	if r := len(x) % d; r != 0 {
		return nil, fmt.Errorf("dist: points: row %d has %d values, want %d (%d values in all is not a multiple of d = %d)",
			len(x)/d+1, r, d, len(x), d)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("dist: points: row %d: coordinate %d is %v, NaN/Inf not allowed", i/d+1, i%d+1, v)
		}
	}
	return &Points{d: d, x: slices.Clone(x)}, nil
}

// parsePoints serves Parse("points(x=...)"); loc and scale are applied once
// here, so String writes the moved points and needs neither.
func parsePoints(p *params, d int, loc []float64, scale float64) (Sampler, error) {
	x, ok, err := p.numbers("x")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.errf("x is required: the points, row-major, d = %d values per point separated by ';'", d)
	}
	pts, err := NewPoints(x, d)
	if err != nil {
		return nil, err
	}
	for i := range pts.x {
		v := pts.x[i] * scale
		if loc != nil {
			v += loc[i%d]
		}
		if math.IsInf(v, 0) {
			return nil, p.errf("loc + scale*x overflows float64 in row %d", i/d+1)
		}
		pts.x[i] = v
	}
	return pts, nil
}

// Dim is the dimension of each point.
func (p *Points) Dim() int { return p.d }

// Len is the number of points.
func (p *Points) Len() int { return len(p.x) / p.d }

// Sample copies the points in order when len(dst) holds exactly Len() rows,
// so a flow can start from or compare against the data itself; otherwise it
// resamples rows uniformly with replacement. It panics if len(dst) is not a
// multiple of Dim().
func (p *Points) Sample(dst []float64, rng *rand.Rand) {
	checkLen(dst, p.d)
	if len(dst) == len(p.x) {
		copy(dst, p.x)
		return
	}
	n := p.Len()
	for i := 0; i < len(dst); i += p.d {
		j := rng.IntN(n) * p.d
		copy(dst[i:i+p.d], p.x[j:j+p.d])
	}
}

// String is "points(x=...)" with every coordinate in shortest round-trip
// form, so it can be long.
func (p *Points) String() string {
	return formatSpec(pointsName, []setting{{"x", formatList(p.x)}})
}
