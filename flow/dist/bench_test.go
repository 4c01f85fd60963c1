package dist

import "testing"

func BenchmarkSample(b *testing.B) {
	for _, c := range []struct {
		spec string
		d    int
	}{{"gaussian", 2}, {"gaussian(cov=2;0.5;0.5;1)", 2}, {"student-t", 2}, {"stretched-exp", 2}, {"stretched-exp(form=product)", 2}, {"sierpinski", 2}, {"moons", 2}} {
		b.Run(c.spec, func(b *testing.B) {
			s, err := Parse(c.spec, c.d)
			if err != nil {
				b.Fatal(err)
			}
			dst := make([]float64, 1000*c.d)
			rng := newRNG(1)
			b.ReportAllocs()
			for b.Loop() {
				s.Sample(dst, rng)
			}
		})
	}
}
