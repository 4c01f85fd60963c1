package main

import "math"

// projection maps points of dimension d to the view's plane: the identity for d = 2, (x, 0) for
// d = 1, and for d > 2 the scores on the first two principal axes of the targets (fixed for a
// configuration, so that the picture does not turn while the particles flow).
type projection struct {
	d      int
	mean   []float64 // d > 2 only
	v1, v2 []float64
}

func newProjection(targets []float64, d int) projection {
	p := projection{d: d}
	if d <= 2 {
		return p
	}
	p.mean, p.v1, p.v2 = principalAxes(targets, d)
	return p
}

// project writes the 2D coordinates of the rows of x to out (grown as needed).
func (p *projection) project(x []float64, out []float32) []float32 {
	n := len(x) / p.d
	if cap(out) < 2*n {
		out = make([]float32, 2*n)
	}
	out = out[:2*n]
	for i := range n {
		row := x[i*p.d : i*p.d+p.d]
		switch {
		case p.d == 1:
			out[2*i], out[2*i+1] = float32(row[0]), 0
		case p.d == 2:
			out[2*i], out[2*i+1] = float32(row[0]), float32(row[1])
		default:
			var a, b float64
			for k, v := range row {
				c := v - p.mean[k]
				a += c * p.v1[k]
				b += c * p.v2[k]
			}
			out[2*i], out[2*i+1] = float32(a), float32(b)
		}
	}
	return out
}

// lift writes the point of dimension d at plane coordinates (a, b) to row.
func (p *projection) lift(a, b float64, row []float64) {
	switch {
	case p.d == 1:
		row[0] = a
	case p.d == 2:
		row[0], row[1] = a, b
	default:
		for k := range row {
			row[k] = p.mean[k] + a*p.v1[k] + b*p.v2[k]
		}
	}
}

// flatten returns the plane components of a vector g of dimension d.
func (p *projection) flatten(g []float64) (a, b float64) {
	switch {
	case p.d == 1:
		return g[0], 0
	case p.d == 2:
		return g[0], g[1]
	}
	for k, v := range g {
		a += v * p.v1[k]
		b += v * p.v2[k]
	}
	return a, b
}

// principalAxes returns the mean of the rows of x and the two leading eigenvectors of their
// covariance, by power iteration on C v = X_c^T (X_c v) / m (C is never formed, so that d can be
// large). The sign of each axis makes its largest component positive. Degenerate data fall back to
// the first two coordinate axes.
func principalAxes(x []float64, d int) (mean, v1, v2 []float64) {
	m := len(x) / d
	mean = make([]float64, d)
	for i := range m {
		for k := range d {
			mean[k] += x[i*d+k]
		}
	}
	for k := range mean {
		mean[k] /= float64(max(m, 1))
	}
	apply := func(v, out []float64) {
		clear(out)
		for i := range m {
			row := x[i*d : i*d+d]
			var s float64
			for k, c := range row {
				s += (c - mean[k]) * v[k]
			}
			for k, c := range row {
				out[k] += s * (c - mean[k])
			}
		}
	}
	// Enough iterations for a clear spectral gap, within ~1e8 multiply-adds for big data.
	iters := min(300, max(20, 30_000_000/max(m*d, 1)))
	axis := func(against []float64, fallback int) []float64 {
		v, w := make([]float64, d), make([]float64, d)
		for k := range v {
			v[k] = 1 + 0.01*float64(k%7) // a fixed, generic start
		}
		for range iters {
			if against != nil {
				orthogonalize(v, against)
			}
			if normalize(v) == 0 {
				break
			}
			apply(v, w)
			if against != nil {
				orthogonalize(w, against)
			}
			if normalize(w) == 0 {
				break
			}
			var diff float64
			for k := range v {
				diff += math.Abs(w[k] - v[k])
			}
			v, w = w, v
			if diff < 1e-10 {
				break
			}
		}
		if !finiteVec(v) || normalize(v) == 0 {
			v = make([]float64, d)
			v[fallback] = 1
			if against != nil && math.Abs(against[fallback]) > 0.9 {
				clear(v)
				v[1-fallback] = 1
			}
		}
		best := 0
		for k := range v {
			if math.Abs(v[k]) > math.Abs(v[best]) {
				best = k
			}
		}
		if v[best] < 0 {
			for k := range v {
				v[k] = -v[k]
			}
		}
		return v
	}
	v1 = axis(nil, 0)
	v2 = axis(v1, 1)
	return mean, v1, v2
}

func orthogonalize(v, u []float64) {
	var s float64
	for k := range v {
		s += v[k] * u[k]
	}
	for k := range v {
		v[k] -= s * u[k]
	}
}

func normalize(v []float64) float64 {
	var s float64
	for _, c := range v {
		s += c * c
	}
	s = math.Sqrt(s)
	if s == 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		return 0
	}
	for k := range v {
		v[k] /= s
	}
	return s
}

func finiteVec(v []float64) bool {
	for _, c := range v {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return false
		}
	}
	return true
}
