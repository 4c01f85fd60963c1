package gene

import (
	"errors"
	"fmt"
	"math"
)

// Standardise is per-batch standardisation per class, mapped into the target's units: for each
// class c and probe g, the source values are standardised with the source's class mean and
// standard deviation and given the target's,
//
//	y*_ig = (y_ig - m^s_cg) / sd^s_cg * sd^t_cg + m^t_cg,
//
// standard deviations with 1/(n-1). A class with one sample in either batch has no standard
// deviation there: its values are only shifted (scale 1). Every source class must occur in the
// target.
func Standardise(xs []float64, ls []int32, xt []float64, lt []int32, p int) ([]float64, error) {
	ns, nt := len(xs)/p, len(xt)/p
	if len(ls) != ns || len(lt) != nt || ns == 0 || nt == 0 {
		return nil, errors.New("standardise: one label per sample, and samples in both batches")
	}
	out := make([]float64, len(xs))
	for c := range classCount(ls, lt) {
		ms, ss, ks := classMoments(xs, ls, int32(c), p)
		mt, st, kt := classMoments(xt, lt, int32(c), p)
		if ks == 0 {
			continue
		}
		if kt == 0 {
			return nil, fmt.Errorf("standardise: class %d is in the source but not in the target", c)
		}
		for i, l := range ls {
			if l != int32(c) {
				continue
			}
			for j := range p {
				scale := 1.0
				if ks > 1 && kt > 1 {
					scale = st[j] / math.Max(ss[j], math.Sqrt(varFloor))
				}
				out[i*p+j] = (xs[i*p+j]-ms[j])*scale + mt[j]
			}
		}
	}
	return out, nil
}

func classCount(ls, lt []int32) int {
	c := 0
	for _, l := range append(append([]int32(nil), ls...), lt...) {
		c = max(c, int(l)+1)
	}
	return c
}

// classMoments returns the per-probe mean and standard deviation (1/(k-1)) of the rows of
// class c, and their number k.
func classMoments(x []float64, l []int32, c int32, p int) (mean, sd []float64, k int) {
	mean = make([]float64, p)
	sd = make([]float64, p)
	for i, li := range l {
		if li != c {
			continue
		}
		k++
		for j, v := range x[i*p : (i+1)*p] {
			mean[j] += v
		}
	}
	if k == 0 {
		return
	}
	for j := range mean {
		mean[j] /= float64(k)
	}
	if k < 2 {
		return
	}
	for i, li := range l {
		if li != c {
			continue
		}
		for j, v := range x[i*p : (i+1)*p] {
			sd[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j] / float64(k-1))
	}
	return
}
