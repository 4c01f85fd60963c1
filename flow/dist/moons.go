package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// moons is scikit-learn's make_moons, shifted by (-1/2, -1/4), the centre of
// its bounding box [-1, 2] × [-1/2, 1], and scaled by 4/3 onto [-2, 2] × [-1, 1].
type moons struct{ noise float64 }

func buildMoons(p *params, d int) (drawer, error) {
	if err := p.needDim(d, "d = 2", d == 2); err != nil {
		return nil, err
	}
	noise, err := p.atLeast("noise", 0.05, 0)
	return &moons{noise}, err
}

func (m *moons) draw(row []float64, rng *rand.Rand) {
	inner := rng.IntN(2) == 1
	th := distuv.Uniform{Min: 0, Max: math.Pi, Src: rng}.Rand()
	x, y := math.Cos(th), math.Sin(th)
	if inner {
		x, y = 1-x, 0.5-y
	}
	row[0], row[1] = (x-0.5)*4/3, (y-0.25)*4/3
	addNoise(row, m.noise, rng)
}

func (m *moons) settings() []setting { return []setting{{"noise", formatNum(m.noise)}} }
