package dist

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// fourGaussians is the equal-weight mixture of N(c, sd² I) over the corners c
// of the square [0, gap]² in the first two coordinates.
type fourGaussians struct{ sd, gap float64 }

func buildFourGaussians(p *params, d int) (drawer, error) {
	if err := p.needDim(d, "d >= 2", d >= 2); err != nil {
		return nil, err
	}
	sd, err := p.positive("sd", 0.5)
	if err != nil {
		return nil, err
	}
	gap, err := p.positive("gap", 4)
	return &fourGaussians{sd, gap}, err
}

func (f *fourGaussians) draw(row []float64, rng *rand.Rand) {
	// Component k has centre (gap*(k>>1), gap*(k&1)): (0,0),(0,gap),(gap,0),(gap,gap).
	k := rng.IntN(4)
	centre := [2]float64{f.gap * float64(k>>1), f.gap * float64(k&1)}
	for i := range row {
		mu := 0.0
		if i < 2 {
			mu = centre[i]
		}
		row[i] = distuv.Normal{Mu: mu, Sigma: f.sd, Src: rng}.Rand()
	}
}

func (f *fourGaussians) settings() []setting {
	return []setting{{"sd", formatNum(f.sd)}, {"gap", formatNum(f.gap)}}
}
