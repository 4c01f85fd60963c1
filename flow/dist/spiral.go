package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// spiralTurn is the largest angle of an arm, 1.5 turns; with r = θ/π the arms
// end at radius 3.
const spiralTurn = 3 * math.Pi

// spiral is two Archimedean arms ±(θ/π)(cos θ, sin θ), θ = 3π√U. Arc length
// grows like θ², so √U spreads points roughly evenly along each arm.
type spiral struct{ noise float64 }

func buildSpiral(p *params, d int) (drawer, error) {
	if err := p.needDim(d, "d = 2", d == 2); err != nil {
		return nil, err
	}
	noise, err := p.atLeast("noise", 0.05, 0)
	return &spiral{noise}, err
}

func (s *spiral) draw(row []float64, rng *rand.Rand) {
	sign := 1.0
	if rng.IntN(2) == 1 {
		sign = -1
	}
	u := distuv.Uniform{Min: 0, Max: 1, Src: rng}.Rand()
	th := spiralTurn * math.Sqrt(u)
	r := sign * th / math.Pi
	row[0], row[1] = r*math.Cos(th), r*math.Sin(th)
	addNoise(row, s.noise, rng)
}

func (s *spiral) settings() []setting { return []setting{{"noise", formatNum(s.noise)}} }
