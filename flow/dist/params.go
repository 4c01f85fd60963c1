package dist

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// params holds one spec's key=value settings, still as text, so that each
// shape reads the keys it knows with its own defaults and every error can
// name the shape and the setting.
type params struct {
	shape string
	raw   map[string]string
}

func (p *params) errf(format string, args ...any) error {
	return fmt.Errorf("dist: "+p.shape+": "+format, args...)
}

// rangeErr is the one form every out-of-range message takes:
// "dist: student-t: nu = -1, want nu >= 0.1".
func (p *params) rangeErr(key, want string) error {
	return p.errf("%s = %s, want %s", key, p.raw[key], want)
}

// numbers parses key's value as a ';'-separated list; ok is false when the
// key was not given.
func (p *params) numbers(key string) (v []float64, ok bool, err error) {
	s, ok := p.raw[key]
	if !ok {
		return nil, false, nil
	}
	fields := strings.Split(s, ";")
	v = make([]float64, len(fields))
	for i, f := range fields {
		f = strings.TrimSpace(f)
		x, perr := strconv.ParseFloat(f, 64)
		// ParseFloat turns an overflow such as 1e999 into ±Inf with an error;
		// both that and a literal inf/nan are reported as not finite.
		if perr != nil && !math.IsInf(x, 0) {
			if len(fields) == 1 {
				return nil, true, p.errf("%s = %q is not a number", key, f)
			}
			return nil, true, p.errf("%s: entry %d %q is not a number", key, i+1, f)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, true, p.errf("%s = %s, want a finite number", key, s)
		}
		v[i] = x
	}
	return v, true, nil
}

// scalar reads a single number, def when absent.
func (p *params) scalar(key string, def float64) (float64, error) {
	v, ok, err := p.numbers(key)
	if err != nil || !ok {
		return def, err
	}
	if len(v) != 1 {
		return 0, p.errf("%s has %d entries, want a single number", key, len(v))
	}
	return v[0], nil
}

// positive reads a scalar that must be > 0.
func (p *params) positive(key string, def float64) (float64, error) {
	x, err := p.scalar(key, def)
	if err == nil && !(x > 0) {
		err = p.rangeErr(key, key+" > 0")
	}
	return x, err
}

// atLeast reads a scalar that must be >= lo.
func (p *params) atLeast(key string, def, lo float64) (float64, error) {
	x, err := p.scalar(key, def)
	if err == nil && !(x >= lo) {
		err = p.rangeErr(key, key+" >= "+formatNum(lo))
	}
	return x, err
}

// vector reads a length-d vector, broadcasting a single number.
func (p *params) vector(key string, d int, def float64) ([]float64, error) {
	v, ok, err := p.numbers(key)
	if err != nil {
		return nil, err
	}
	out := make([]float64, d)
	switch {
	case !ok:
		v = []float64{def}
	case len(v) != 1 && len(v) != d:
		return nil, p.errf("%s has %d entries, want 1 or d = %d", key, len(v), d)
	}
	if len(v) == 1 {
		for i := range out {
			out[i] = v[0]
		}
		return out, nil
	}
	copy(out, v)
	return out, nil
}

// positiveVector reads a vector whose every entry must be > 0.
func (p *params) positiveVector(key string, d int, def float64) ([]float64, error) {
	v, err := p.vector(key, d, def)
	if err != nil {
		return nil, err
	}
	for _, x := range v {
		if !(x > 0) {
			return nil, p.rangeErr(key, key+" > 0")
		}
	}
	return v, nil
}

// integer reads a whole number in lo..hi.
func (p *params) integer(key string, def, lo, hi int) (int, error) {
	x, err := p.scalar(key, float64(def))
	if err != nil {
		return 0, err
	}
	if x != math.Trunc(x) || x < float64(lo) || x > float64(hi) {
		return 0, p.rangeErr(key, fmt.Sprintf("an integer %s in %d..%d", key, lo, hi))
	}
	return int(x), nil
}

// choice reads one of a fixed set of words, def when absent. Like shape
// names and keys the word is matched case-insensitively; it comes back in
// lower case, the spelling String writes.
func (p *params) choice(key, def string, words ...string) (string, error) {
	s, ok := p.raw[key]
	if !ok {
		return def, nil
	}
	if w := strings.ToLower(s); slices.Contains(words, w) {
		return w, nil
	}
	return "", p.rangeErr(key, "one of "+strings.Join(words, ", "))
}

// needDim refuses a dimension the shape has no meaning in.
func (p *params) needDim(d int, want string, ok bool) error {
	if ok {
		return nil
	}
	return p.errf("d = %d, want %s", d, want)
}
