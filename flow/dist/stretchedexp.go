package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat/distuv"
)

// minBeta keeps the radius s^(1/beta) finite: at beta = 0.05 and d = 1e5 the
// typical radius is still below 1e130.
const minBeta = 0.05

// stretchedExp has density ∝ exp(-|x|^beta) on R^d.
type stretchedExp struct {
	beta float64
	s    distuv.Gamma // law of |x|^beta, Src set per draw
}

func buildStretchedExp(p *params, d int) (drawer, error) {
	beta, err := p.atLeast("beta", 0.4, minBeta)
	return &stretchedExp{beta: beta, s: distuv.Gamma{Alpha: float64(d) / beta, Beta: 1}}, err
}

func (e *stretchedExp) draw(row []float64, rng *rand.Rand) {
	// Direction: a standard normal vector is rotation invariant, so
	// normalising it is uniform on the sphere. A zero vector has
	// probability zero but is redrawn rather than divided by.
	n := distuv.Normal{Mu: 0, Sigma: 1, Src: rng}
	norm := 0.0
	for norm == 0 {
		for i := range row {
			row[i] = n.Rand()
		}
		norm = floats.Norm(row, 2)
	}
	g := e.s
	g.Src = rng
	r := finite(func() float64 { return math.Pow(g.Rand(), 1/e.beta) })
	// Unit vector first, then r, so that a huge r cannot overflow r/norm.
	for i := range row {
		row[i] = r * (row[i] / norm)
	}
}

func (e *stretchedExp) settings() []setting { return []setting{{"beta", formatNum(e.beta)}} }
