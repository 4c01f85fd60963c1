package dist

import (
	"strings"
	"testing"
)

// FuzzParse checks Parse never panics, every refusal is a dist: error, and
// any accepted spec samples, and round-trips through String to an identical
// sampler.
func FuzzParse(f *testing.F) {
	for _, c := range specs {
		f.Add(c.spec, uint8(c.d))
	}
	for _, s := range []string{"", "(", ")", "()", "gaussian(", "gaussian(,)", "a(b=c)(", "gaussian(cov=1;0;0;1;0)",
		"sierpinski(level=1e300)", "stretched-exp(beta=1e308)", "student-t(nu=1e308)", "gaussian(sd=1e-320)",
		"gaussian(cov=1e300;0;0;1e300)", "points(x=1e308;-1e308,scale=1e10)", "moons(noise=1e308)",
		"stretched-exp(beta=1e308,form=product)", "stretched-exp(beta=0.05,form=product)", "stretched-exp(form=cube)"} {
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, spec string, dd uint8) {
		d := int(dd%6) + 1 // keep d small: cost, not correctness, grows with it
		s, err := Parse(spec, d)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dist: ") {
				t.Errorf("Parse(%q, %d) error without dist: prefix: %v", spec, d, err)
			}
			return
		}
		if s.Dim() != d {
			t.Fatalf("Dim() = %d, want %d", s.Dim(), d)
		}
		a := make([]float64, 3*d)
		s.Sample(a, newRNG(1))
		s2, err := Parse(s.String(), d)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", spec, s.String(), err)
		}
		if s2.String() != s.String() {
			t.Fatalf("String not canonical: %q then %q", s.String(), s2.String())
		}
		b := make([]float64, 3*d)
		s2.Sample(b, newRNG(1))
		if !bitsEqual(a, b) {
			t.Fatalf("%q and %q draw differently: %v vs %v", spec, s.String(), a, b)
		}
	})
}
