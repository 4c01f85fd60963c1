package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// minNu keeps the chi-square variable inside a Student-t draw from
// underflowing to 0, which would make the draw ±Inf: at nu = 0.1 that happens
// with probability about 1e-16 per coordinate.
const minNu = 0.1

// studentT has independent standard Student-t(nu) coordinates.
type studentT struct{ nu float64 }

func buildStudentT(p *params, d int) (drawer, error) {
	nu, err := p.atLeast("nu", 0.5, minNu)
	return &studentT{nu}, err
}

func (s *studentT) draw(row []float64, rng *rand.Rand) {
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: s.nu, Src: rng}
	for i := range row {
		row[i] = finite(t.Rand)
	}
}

func (s *studentT) settings() []setting { return []setting{{"nu", formatNum(s.nu)}} }

// finite redraws the rare value that overflowed float64, so a heavy tail is
// truncated at the edge of float64 rather than handing a particle ±Inf.
func finite(draw func() float64) float64 {
	for {
		if x := draw(); !math.IsInf(x, 0) && !math.IsNaN(x) {
			return x
		}
	}
}
