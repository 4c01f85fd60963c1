package dist

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// carpetKept are the 8 sub-squares (column, row) of a 3×3 split that the
// carpet keeps: all but the centre.
var carpetKept = [8][2]int{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {2, 1}, {0, 2}, {1, 2}, {2, 2}}

// sierpinski is uniform on the level-L Sierpinski carpet on [-2, 2]².
type sierpinski struct{ level int }

func buildSierpinski(p *params, d int) (drawer, error) {
	if err := p.needDim(d, "d = 2", d == 2); err != nil {
		return nil, err
	}
	level, err := p.integer("level", 4, 1, 8)
	return &sierpinski{level}, err
}

func (s *sierpinski) draw(row []float64, rng *rand.Rand) {
	// Descend one level at a time, picking one of the 8 kept sub-squares with
	// equal probability: all 8^L kept cells then have the same area and the
	// same probability, which is what uniform on the carpet means.
	var col, rw int // cell indices in the 3^L grid
	for range s.level {
		k := carpetKept[rng.IntN(8)]
		col, rw = 3*col+k[0], 3*rw+k[1]
	}
	u := distuv.Uniform{Min: 0, Max: 1, Src: rng}
	cell := 1.0
	for range s.level {
		cell /= 3
	}
	const side = 4 // [-2, 2]
	row[0] = -2 + side*cell*(float64(col)+u.Rand())
	row[1] = -2 + side*cell*(float64(rw)+u.Rand())
}

func (s *sierpinski) settings() []setting { return []setting{{"level", formatNum(float64(s.level))}} }
