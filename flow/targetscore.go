package flow

import (
	"fmt"
	"math"

	"lipflow/flow/dist"
)

// targetScore is the score grad log q of the target law q that SVGD and Langevin dynamics
// follow: the closed form where the target's spec names a law with a density (dist.Scorer) and
// the samples are its draws, else that of the Gaussian kernel density estimate of the m target
// samples,
//
//	q_h(y) = (1/m) sum_j N(y; x_j, h^2 I),   grad log q_h(y) = sum_j w_j(y) (x_j - y)/h^2,
//
// with the weights w_j(y) ∝ exp(-|y - x_j|^2/(2h^2)) normalised after shifting their exponents
// by the largest, so that a point far from every sample still gets a finite score. The
// bandwidth h is kde_bandwidth, or by Scott's rule h = sd m^(-1/(d+4)) with sd the robust
// spread of the samples (robustScale: a heavy tail has no standard deviation).
type targetScore struct {
	closed dist.Scorer // nil: the KDE
	x      []float64
	d      int
	h      float64
	desc   string // how the score is had, for the run's label
	w      []float64
}

func newTargetScore(s Settings, x []float64, fromTarget bool) (*targetScore, error) {
	ts := &targetScore{x: x, d: s.Dim}
	if s.Score != "kde" && fromTarget {
		if law, err := dist.Parse(s.Target, s.Dim); err == nil {
			if sc, ok := dist.AsScorer(law); ok {
				ts.closed, ts.desc = sc, "closed-form score"
				return ts, nil
			}
		}
	}
	ts.h = s.KDEBandwidth
	m := len(x) / s.Dim
	if ts.h == 0 {
		ts.h = robustScale(x, s.Dim) * math.Pow(float64(m), -1/float64(s.Dim+4))
		if !(ts.h > 0) || math.IsInf(ts.h, 0) {
			// Over half the samples coincide in every coordinate: no spread to scale by.
			ts.h = 1
		}
	}
	ts.w = make([]float64, m)
	ts.desc = fmt.Sprintf("KDE score, h=%.3g", ts.h)
	return ts, nil
}

// at writes the score at y (one row) to out.
func (ts *targetScore) at(y, out []float64) {
	if ts.closed != nil {
		ts.closed.Score(y, out)
		return
	}
	ts.kde(y, out, ts.w)
}

// kde writes the KDE's score at y to out, using w (m values) for the weights.
func (ts *targetScore) kde(y, out, w []float64) {
	d := ts.d
	inv := 1 / (2 * ts.h * ts.h)
	mx := math.Inf(-1)
	for j := range w {
		w[j] = -sqDist(y, ts.x[j*d:j*d+d]) * inv
		mx = math.Max(mx, w[j])
	}
	var sum float64
	for j := range w {
		w[j] = math.Exp(w[j] - mx)
		sum += w[j]
	}
	clear(out)
	for j, wj := range w {
		if wj == 0 {
			continue
		}
		for k, v := range ts.x[j*d : j*d+d] {
			out[k] += wj * v
		}
	}
	h2 := ts.h * ts.h
	for k := range out {
		out[k] = (out[k]/sum - y[k]) / h2
	}
}
