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

// The two forms of stretched-exp: the radial law exp(-|x|^beta) (the
// default) and the product law exp(-Σ|x_i|^beta) of the paper's reference
// code, whose coordinates are independent.
const (
	formRadial  = "radial"
	formProduct = "product"
)

func buildStretchedExp(p *params, d int) (drawer, error) {
	beta, err := p.atLeast("beta", 0.4, minBeta)
	if err != nil {
		return nil, err
	}
	form, err := p.choice("form", formRadial, formRadial, formProduct)
	if err != nil {
		return nil, err
	}
	if form == formProduct {
		return &stretchedExpProduct{beta: beta, g: distuv.Gamma{Alpha: 1 + 1/beta, Beta: 1}}, nil
	}
	return &stretchedExp{beta: beta, s: distuv.Gamma{Alpha: float64(d) / beta, Beta: 1}}, nil
}

// stretchedExp has density ∝ exp(-|x|^beta) on R^d.
type stretchedExp struct {
	beta float64
	s    distuv.Gamma // law of |x|^beta, Src set per draw
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

func (e *stretchedExp) settings() []setting {
	return []setting{{"beta", formatNum(e.beta)}, {"form", formRadial}}
}

// stretchedExpProduct has density ∝ exp(-Σ|x_i|^beta) on R^d: independent
// coordinates of density beta/(2Γ(1/beta)) exp(-|x|^beta) each.
type stretchedExpProduct struct {
	beta float64
	g    distuv.Gamma // Gamma(1 + 1/beta, 1), Src set per draw
}

func (e *stretchedExpProduct) draw(row []float64, rng *rand.Rand) {
	// |x_i|^beta ~ Gamma(1/beta, 1), drawn as G U^beta with G ~
	// Gamma(1 + 1/beta, 1) and U ~ U(0, 1) independent (the identity that
	// raises a Gamma shape by one), so |x_i| = U G^(1/beta). Forming the
	// Gamma(1/beta) variable itself and raising it to 1/beta would be the
	// same law, but for large beta that variable underflows to 0 (at
	// beta = 1000 about half the time) and x_i with it. 2U - 1 gives U and
	// an independent random sign in one uniform.
	g := e.g
	g.Src = rng
	for i := range row {
		row[i] = finite(func() float64 { return (2*rng.Float64() - 1) * math.Pow(g.Rand(), 1/e.beta) })
	}
}

func (e *stretchedExpProduct) settings() []setting {
	return []setting{{"beta", formatNum(e.beta)}, {"form", formProduct}}
}
