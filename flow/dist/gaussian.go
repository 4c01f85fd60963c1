package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/distuv"
)

// gaussian is N(mean, diag(sd²)), or N(mean, cov) when cov is set.
type gaussian struct {
	mean, sd []float64
	cov      []float64    // as given, row-major, for String; nil when sd rules
	chol     mat.Cholesky // of cov, factorised once at Parse
}

func buildGaussian(p *params, d int) (drawer, error) {
	g := &gaussian{}
	var err error
	if g.mean, err = p.vector("mean", d, 0); err != nil {
		return nil, err
	}
	if g.sd, err = p.positiveVector("sd", d, 1); err != nil {
		return nil, err
	}
	g.cov, err = readCov(p, d, &g.chol)
	return g, err
}

// readCov reads and factorises cov; a nil slice means it was not given.
func readCov(p *params, d int, chol *mat.Cholesky) ([]float64, error) {
	v, ok, err := p.numbers("cov")
	if err != nil || !ok {
		return nil, err
	}
	// Dividing rather than forming d*d keeps a huge d from overflowing int.
	if len(v)%d != 0 || len(v)/d != d {
		return nil, p.errf("cov has %d entries, want d*d = %d*%d (row-major)", len(v), d, d)
	}
	for i := range d {
		for j := range i {
			a, b := v[i*d+j], v[j*d+i]
			// A little slack so that a matrix computed elsewhere and printed
			// in full still passes; only the upper triangle is used.
			if math.Abs(a-b) > 1e-12*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) {
				return nil, p.errf("cov[%d][%d] = %s but cov[%d][%d] = %s, want a symmetric positive definite matrix",
					j+1, i+1, formatNum(b), i+1, j+1, formatNum(a))
			}
		}
	}
	if !chol.Factorize(mat.NewSymDense(d, v)) {
		return nil, p.errf("cov = %s is not positive definite, want a symmetric positive definite matrix", p.raw["cov"])
	}
	return v, nil
}

func (g *gaussian) draw(row []float64, rng *rand.Rand) {
	if g.cov != nil {
		distmv.NormalRand(row, g.mean, &g.chol, rng)
		return
	}
	for i := range row {
		row[i] = distuv.Normal{Mu: g.mean[i], Sigma: g.sd[i], Src: rng}.Rand()
	}
}

func (g *gaussian) settings() []setting {
	s := []setting{{"mean", formatVec(g.mean)}}
	if g.cov != nil {
		return append(s, setting{"cov", formatList(g.cov)})
	}
	return append(s, setting{"sd", formatVec(g.sd)})
}
