package render

import (
	"math"
	"strconv"
	"strings"
)

// NiceTicks appends to dst the multiples of a 1-2-5 step lying in [lo, hi], choosing the smallest
// such step that gives at most maxTicks ticks, and returns them with the step.
func NiceTicks(dst []float64, lo, hi float64, maxTicks int) ([]float64, float64) {
	if !isFinite(lo) || !isFinite(hi) {
		return dst, 0
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if maxTicks < 2 {
		maxTicks = 2
	}
	span := hi - lo
	if span <= 0 || span < 1e-12*math.Max(math.Abs(lo), math.Abs(hi)) {
		return append(dst, lo), 0
	}
	raw := span / float64(maxTicks)
	base := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 0.0
	for _, m := range [...]float64{0.5, 1, 2, 5, 10, 20} {
		s := m * base
		if tickCount(lo, hi, s) <= maxTicks {
			step = s
			break
		}
	}
	if step == 0 {
		step = 50 * base
	}
	i0, i1 := math.Ceil(lo/step-1e-9), math.Floor(hi/step+1e-9)
	for i := i0; i <= i1; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		dst = append(dst, v)
	}
	return dst, step
}

func tickCount(lo, hi, step float64) int {
	return int(math.Floor(hi/step+1e-9)-math.Ceil(lo/step-1e-9)) + 1
}

// LogTicks appends to dst the tick values (original data values) for the plot-space interval
// [ulo, uhi] of the log-compressed view: 0, ±1, ±10, ±100, ... (every 2nd, 3rd... decade if there are
// more than maxTicks); with fewer than 5 of those in view, also ±2 and ±5 times the decades when
// they fit in maxTicks; with fewer than 3 ticks still, nice ticks of the data interval. It also appends unlabelled minor ticks (2..9 times each
// decade) to minor when the decades are all shown. The boolean is true when the ticks are decades
// (label with FormatLogTick), false for the nice-tick fallback (label with FormatTick and step).
func LogTicks(dst, minor []float64, ulo, uhi float64, maxTicks int) (ticks, minorTicks []float64, decades bool, step float64) {
	if ulo > uhi {
		ulo, uhi = uhi, ulo
	}
	if maxTicks < 3 {
		maxTicks = 3
	}
	in := func(v float64) bool { w := Warp(v, true); return w >= ulo && w <= uhi }
	// Decade exponents in view on each side: 10^k for k in [0, kmax].
	kmax := int(math.Ceil(math.Max(math.Abs(ulo), math.Abs(uhi))/math.Ln10)) + 1
	if kmax > 308 {
		kmax = 308
	}
	stride := decadeStride(in, 0, kmax, 0, maxTicks)
	if c := countDecades(in, 0, kmax, 0, stride); c >= 5 || (c >= 3 && count125(in, kmax) > maxTicks) {
		start := len(dst)
		dst = appendDecades(dst, in, 0, kmax, 0, stride)
		if stride == 1 && len(dst)-start <= maxTicks {
			for k := 0; k <= kmax; k++ {
				p := math.Pow(10, float64(k))
				for m := 2.0; m <= 9; m++ {
					if in(m * p) {
						minor = append(minor, m*p)
					}
					if in(-m * p) {
						minor = append(minor, -m*p)
					}
				}
			}
		}
		return dst, minor, true, 0
	}
	// Few decades in view: 1-2-5 multiples of them, when they fit.
	start := len(dst)
	for k := kmax; k >= 0; k-- {
		p := math.Pow(10, float64(k))
		for _, m := range [...]float64{5, 2, 1} {
			if in(-m * p) {
				dst = append(dst, -m*p)
			}
		}
	}
	if in(0) {
		dst = append(dst, 0)
	}
	for k := 0; k <= kmax; k++ {
		p := math.Pow(10, float64(k))
		for _, m := range [...]float64{1, 2, 5} {
			if in(m * p) {
				dst = append(dst, m*p)
			}
		}
	}
	if n := len(dst) - start; n >= 3 && n <= maxTicks {
		return dst, minor, true, 0
	}
	dst = dst[:start]
	dst, step = NiceTicks(dst, Unwarp(ulo, true), Unwarp(uhi, true), maxTicks)
	return dst, minor, false, step
}

// count125 counts 0 and the ±1, 2, 5 multiples of the decades 10^0..10^kmax in view.
func count125(in func(float64) bool, kmax int) int {
	n := 0
	if in(0) {
		n++
	}
	for k := 0; k <= kmax; k++ {
		p := math.Pow(10, float64(k))
		for _, m := range [...]float64{1, 2, 5} {
			if in(m * p) {
				n++
			}
			if in(-m * p) {
				n++
			}
		}
	}
	return n
}

// FormatTick formats a tick value v of a 1-2-5 sequence with the given step: as many decimals as the
// step needs, or an exponent form (1.5e6, 2e-5) for very large or very small values.
func FormatTick(v, step float64) string {
	if v == 0 || (step != 0 && math.Abs(v) < step*1e-6) {
		return "0"
	}
	a := math.Abs(v)
	if a >= 1e6 || a < 1e-4 || (step > 0 && step < 1e-4) {
		return FormatSig(v, 3)
	}
	dec := 0
	if step > 0 {
		dec = int(math.Max(0, math.Ceil(-math.Log10(step)-1e-9)))
	}
	if dec > 8 {
		dec = 8
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if s == "-0" {
		s = "0"
	}
	return s
}

// FormatLogTick formats a tick of the log view: 0, 1, 10, 100, then 1e3, 2e4, ...; and 0.1, 0.01,
// then 1e-3 below one.
func FormatLogTick(v float64) string {
	if v == 0 {
		return "0"
	}
	a := math.Abs(v)
	if a >= 1e3 || a < 0.01 {
		return expForm(v, 2)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// FormatSig formats v with at most sig significant digits, using a compact exponent (1.5e6, -3e-5)
// outside [1e-3, 1e5).
func FormatSig(v float64, sig int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	a := math.Abs(v)
	if a >= 1e-3 && a < 1e5 {
		s := strconv.FormatFloat(v, 'g', sig, 64)
		if strings.ContainsRune(s, 'e') {
			s = strconv.FormatFloat(v, 'f', 0, 64)
		}
		return s
	}
	return expForm(v, sig)
}

// expForm formats v as a compact exponent form: 1.5e6, -3e-5.
func expForm(v float64, sig int) string {
	s := strconv.FormatFloat(v, 'e', sig-1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if strings.Contains(mant, ".") {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(strings.TrimLeft(exp, "+-"), "0")
	if exp == "" {
		exp = "0"
	}
	if neg {
		exp = "-" + exp
	}
	return mant + "e" + exp
}

// The decades ±10^k for k0 <= k <= k1 with k ≡ anchor (mod stride), and 0, that lie in view
// (in): the ticks of a log-compressed axis, thinned by stride to fit.

// countDecades counts them.
func countDecades(in func(float64) bool, k0, k1, anchor, stride int) int {
	n := 0
	if in(0) {
		n++
	}
	for k := k0; k <= k1; k++ {
		if onStride(k, anchor, stride) {
			p := math.Pow(10, float64(k))
			if in(p) {
				n++
			}
			if in(-p) {
				n++
			}
		}
	}
	return n
}

// decadeStride is the smallest stride (below 400) at which at most maxTicks of them are in view.
func decadeStride(in func(float64) bool, k0, k1, anchor, maxTicks int) int {
	stride := 1
	for countDecades(in, k0, k1, anchor, stride) > maxTicks && stride < 400 {
		stride++
	}
	return stride
}

// appendDecades appends them in increasing order.
func appendDecades(dst []float64, in func(float64) bool, k0, k1, anchor, stride int) []float64 {
	for k := k1; k >= k0; k-- {
		if p := -math.Pow(10, float64(k)); onStride(k, anchor, stride) && in(p) {
			dst = append(dst, p)
		}
	}
	if in(0) {
		dst = append(dst, 0)
	}
	for k := k0; k <= k1; k++ {
		if p := math.Pow(10, float64(k)); onStride(k, anchor, stride) && in(p) {
			dst = append(dst, p)
		}
	}
	return dst
}

func onStride(k, anchor, stride int) bool { return ((k-anchor)%stride+stride)%stride == 0 }
