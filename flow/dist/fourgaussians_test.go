package dist

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestFourGaussians(t *testing.T) {
	cases := []struct {
		spec    string
		d       int
		sd, gap float64
	}{
		{"four-gaussians", 2, 0.5, 4},
		{"four-gaussians(sd=1,gap=10)", 3, 1, 10},
		{"four-gaussians(sd=0.2)", 4, 0.2, 4},
	}
	const n = 40000
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			x := sample(t, c.spec, c.d, n, 13)
			centres := [4][2]float64{{0, 0}, {0, c.gap}, {c.gap, 0}, {c.gap, c.gap}}
			var dev [4][2][]float64 // offsets from the nearest centre
			for i := 0; i < len(x); i += c.d {
				best, bestD := 0, math.Inf(1)
				for k, ce := range centres {
					if dd := math.Hypot(x[i]-ce[0], x[i+1]-ce[1]); dd < bestD {
						best, bestD = k, dd
					}
				}
				for j := range 2 {
					dev[best][j] = append(dev[best][j], x[i+j]-centres[best][j])
				}
			}
			for k := range centres {
				m := len(dev[k][0])
				checkFrac(t, "cluster share", m, n, 0.25)
				for j := range 2 {
					mean, sd := meanSD(dev[k][j])
					// SE of a sample sd is about sd/√(2m).
					if se := c.sd / math.Sqrt(2*float64(m)); math.Abs(sd-c.sd) > 5*se {
						t.Errorf("centre %v coord %d: sd %.4f, want %.4f ± %.4f", centres[k], j, sd, c.sd, 5*se)
					}
					if se := c.sd / math.Sqrt(float64(m)); math.Abs(mean) > 5*se {
						t.Errorf("centre %v coord %d: offset mean %.4f, want 0 ± %.4f", centres[k], j, mean, 5*se)
					}
				}
			}
			for j := 2; j < c.d; j++ {
				if D := ksStat(column(x, c.d, j), distuv.Normal{Mu: 0, Sigma: c.sd}.CDF); D > ksCrit(n) {
					t.Errorf("extra coordinate %d: KS D = %.4f > %.4f", j, D, ksCrit(n))
				}
			}
		})
	}
}
