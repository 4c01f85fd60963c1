package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// rollRadius is the largest radius of the swiss roll; the raw roll t(cos t,
// sin t) reaches t = 4.5π and is shrunk to it.
const rollRadius = 3

// swissRoll is the planar roll (t cos t, t sin t)·3/(4.5π), t ~ U(1.5π, 4.5π),
// with a uniform height in the middle when d = 3.
type swissRoll struct {
	dim   int
	noise float64
}

func buildSwissRoll(p *params, d int) (drawer, error) {
	if err := p.needDim(d, "d = 2 or d = 3", d == 2 || d == 3); err != nil {
		return nil, err
	}
	noise, err := p.atLeast("noise", 0.05, 0)
	return &swissRoll{d, noise}, err
}

func (s *swissRoll) draw(row []float64, rng *rand.Rand) {
	t := distuv.Uniform{Min: 1.5 * math.Pi, Max: 4.5 * math.Pi, Src: rng}.Rand()
	r := t * rollRadius / (4.5 * math.Pi)
	x, y := r*math.Cos(t), r*math.Sin(t)
	if s.dim == 2 {
		row[0], row[1] = x, y
	} else {
		h := distuv.Uniform{Min: -rollRadius, Max: rollRadius, Src: rng}.Rand()
		row[0], row[1], row[2] = x, h, y
	}
	addNoise(row, s.noise, rng)
}

func (s *swissRoll) settings() []setting { return []setting{{"noise", formatNum(s.noise)}} }

// addNoise adds N(0, sd²) to every coordinate; sd = 0 draws nothing, so a
// noiseless shape lies exactly on its curve.
func addNoise(row []float64, sd float64, rng *rand.Rand) {
	if sd == 0 {
		return
	}
	n := distuv.Normal{Mu: 0, Sigma: sd, Src: rng}
	for i := range row {
		row[i] += n.Rand()
	}
}
