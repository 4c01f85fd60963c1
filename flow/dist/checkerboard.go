package dist

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// checkerboard is uniform on the 8 dark unit squares of a 4×4 board on
// [-2, 2]², dark meaning column+row even, counted from the lower left.
type checkerboard struct{}

func buildCheckerboard(p *params, d int) (drawer, error) {
	if err := p.needDim(d, "d = 2", d == 2); err != nil {
		return nil, err
	}
	return checkerboard{}, nil
}

func (checkerboard) draw(row []float64, rng *rand.Rand) {
	// The 8 dark squares have equal area, so picking one uniformly and then
	// a uniform point in it is uniform on their union.
	k := rng.IntN(8)
	rw := k / 2
	col := 2*(k%2) + rw%2
	u := distuv.Uniform{Min: 0, Max: 1, Src: rng}
	row[0] = -2 + float64(col) + u.Rand()
	row[1] = -2 + float64(rw) + u.Rand()
}

func (checkerboard) settings() []setting { return nil }
