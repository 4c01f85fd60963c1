package render

import "math"

// Scale is a chart's y axis: linear, or symmetric-log (sign(v)*log10(1+|v|/C)) when the values span
// several decades. Lo and Hi are the shown bounds in transformed units.
type Scale struct {
	Sym    bool
	C      float64
	Lo, Hi float64
}

// Fwd maps a value to the scale's units.
func (s *Scale) Fwd(v float64) float64 {
	if !s.Sym {
		return v
	}
	if v < 0 {
		return -math.Log10(1 - v/s.C)
	}
	return math.Log10(1 + v/s.C)
}

// inv is the inverse of Fwd.
func (s *Scale) inv(u float64) float64 {
	if !s.Sym {
		return u
	}
	if u < 0 {
		return -s.C * (math.Pow(10, -u) - 1)
	}
	return s.C * (math.Pow(10, u) - 1)
}

// decadeHist counts |v| by decade, from 1e-300 to 1e308.
type decadeHist struct {
	counts [620]int32
	n      int
}

func (h *decadeHist) add(v float64) {
	a := math.Abs(v)
	if a == 0 || !isFinite(a) {
		return
	}
	k := int(math.Floor(math.Log10(a))) + 310
	if k < 0 {
		k = 0
	} else if k >= len(h.counts) {
		k = len(h.counts) - 1
	}
	h.counts[k]++
	h.n++
}

// quantileDecade is the power of ten at the bottom of the decade holding the q-quantile of |v|.
func (h *decadeHist) quantileDecade(q float64) float64 {
	target := int32(q * float64(h.n))
	var c int32
	for k, n := range h.counts {
		c += n
		if c > target {
			return math.Pow(10, float64(k-310))
		}
	}
	return 1
}

// SymlogDecades is the ratio (in decades) of the largest |value| to the 10th percentile of the
// nonzero |values| beyond which ChooseScale switches to symmetric-log.
const SymlogDecades = 3

// ChooseScale picks the y scale for the series (non-finite values are ignored), with 5% padding.
func ChooseScale(series ...[]float64) Scale {
	lo, hi := math.Inf(1), math.Inf(-1)
	var h decadeHist
	for _, s := range series {
		for _, v := range s {
			if !isFinite(v) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			h.add(v)
		}
	}
	if lo > hi {
		return Scale{Lo: 0, Hi: 1}
	}
	var s Scale
	amax := math.Max(math.Abs(lo), math.Abs(hi))
	if h.n > 0 {
		if q := h.quantileDecade(0.1); amax/q >= math.Pow(10, SymlogDecades) {
			s.Sym, s.C = true, q
		}
	}
	a, b := s.Fwd(lo), s.Fwd(hi)
	if b-a < 1e-12*math.Max(1, math.Abs(a)) {
		d := math.Max(math.Abs(a)*0.1, 1e-3)
		if a == 0 {
			d = 1
		}
		a, b = a-d, b+d
	}
	pad := 0.05 * (b - a)
	s.Lo, s.Hi = a-pad, b+pad
	return s
}

// Ticks appends the scale's tick values (original units) and tells whether they are decades (label
// with FormatLogTick) or a 1-2-5 sequence with the returned step (label with FormatTick).
func (s *Scale) Ticks(dst []float64, maxTicks int) ([]float64, bool, float64) {
	if !s.Sym {
		t, step := NiceTicks(dst, s.Lo, s.Hi, maxTicks)
		return t, false, step
	}
	in := func(v float64) bool { u := s.Fwd(v); return u >= s.Lo && u <= s.Hi }
	k0 := int(math.Round(math.Log10(s.C)))
	k1 := int(math.Ceil(math.Max(math.Abs(s.Lo), math.Abs(s.Hi)))) + k0 + 1
	stride := decadeStride(in, k0, k1, k1, maxTicks)
	return appendDecades(dst, in, k0, k1, k1, stride), true, 0
}

// Envelope appends to dst a polyline (x, y pairs) of the points (xs[i], ys[i]) mapped by fx and fy,
// reduced to at most four points (first, min, max, last) per pixel column, so that long series draw
// cheaply without losing spikes. A non-finite value breaks the line: it appends a NaN pair.
func Envelope(dst []float32, xs, ys []float64, fx, fy func(float64) float64) []float32 {
	n := min(len(xs), len(ys))
	col := math.MinInt
	var first, lo, hi, last [2]float64
	var loI, hiI int
	have := false
	flush := func() {
		if !have {
			return
		}
		dst = append(dst, float32(first[0]), float32(first[1]))
		a, b := lo, hi
		if hiI < loI {
			a, b = hi, lo
		}
		if a != first {
			dst = append(dst, float32(a[0]), float32(a[1]))
		}
		if b != a && b != first {
			dst = append(dst, float32(b[0]), float32(b[1]))
		}
		if last != b && last != a && last != first {
			dst = append(dst, float32(last[0]), float32(last[1]))
		}
		have = false
	}
	nan := float32(math.NaN())
	for i := 0; i < n; i++ {
		x, y := fx(xs[i]), fy(ys[i])
		if !isFinite(x) || !isFinite(y) {
			flush()
			if len(dst) > 0 && !math.IsNaN(float64(dst[len(dst)-1])) {
				dst = append(dst, nan, nan)
			}
			col = math.MinInt
			continue
		}
		c := int(math.Floor(x))
		p := [2]float64{x, y}
		if !have || c != col {
			flush()
			col, have = c, true
			first, lo, hi, last = p, p, p, p
			loI, hiI = i, i
			continue
		}
		if y < lo[1] {
			lo, loI = p, i
		}
		if y > hi[1] {
			hi, hiI = p, i
		}
		last = p
	}
	flush()
	return dst
}
