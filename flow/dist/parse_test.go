package dist

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// specs covers every shape with defaults and with non-default settings.
var specs = []struct {
	spec string
	d    int
}{
	{"gaussian", 1},
	{"gaussian", 5},
	{"gaussian(mean=10;10,sd=1)", 2},
	{"gaussian(mean=1;2,sd=0.5;3,loc=-1;1,scale=2)", 2},
	{"gaussian(cov=2;0.5;0.5;1)", 2},
	{"gaussian(mean=1,sd=7,cov=2;0.5;0.5;1)", 2},
	{"student-t", 3},
	{"student-t(nu=0.5)", 1},
	{"student-t(nu=4,loc=1e6)", 2},
	{"four-gaussians", 2},
	{"four-gaussians(sd=0.1,gap=8)", 4},
	{"stretched-exp", 2},
	{"stretched-exp(beta=0.4)", 10},
	{"stretched-exp(beta=0.7,form=product)", 3},
	{"stretched-exp(form=Product,beta=2,loc=1;-1,scale=0.5)", 2},
	{"swiss-roll", 2},
	{"swiss-roll(noise=0.2)", 3},
	{"sierpinski", 2},
	{"sierpinski(level=8,scale=0.25)", 2},
	{"moons", 2},
	{"moons(noise=0.1)", 2},
	{"spiral", 2},
	{"spiral(noise=0,loc=1;-1)", 2},
	{"checkerboard", 2},
	{"checkerboard(loc=0.5,scale=3)", 2},
	{"points(x=1;2;3;4;5;6)", 2},
	{"points(x=1;2;3;4;5;6,loc=1,scale=2)", 3},
	{"  Gaussian ( mean = 1 ; 2 , SD = 2 ) ", 2},
}

func bitsEqual(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

func TestSeedsAndRoundTrip(t *testing.T) {
	const n = 64
	for _, c := range specs {
		t.Run(c.spec, func(t *testing.T) {
			s, err := Parse(c.spec, c.d)
			if err != nil {
				t.Fatal(err)
			}
			if s.Dim() != c.d {
				t.Fatalf("Dim() = %d, want %d", s.Dim(), c.d)
			}
			draw := func(s Sampler, seed uint64) []float64 {
				x := make([]float64, n*c.d)
				s.Sample(x, newRNG(seed))
				return x
			}
			a, b, other := draw(s, 1), draw(s, 1), draw(s, 2)
			if !bitsEqual(a, b) {
				t.Error("same seed gave different points")
			}
			if bitsEqual(a, other) {
				t.Error("different seeds gave the same points")
			}
			for i, v := range a {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("x[%d] = %v", i, v)
				}
			}
			spec := s.String()
			s2, err := Parse(spec, c.d)
			if err != nil {
				t.Fatalf("Parse(String() = %q): %v", spec, err)
			}
			if got := s2.String(); got != spec {
				t.Errorf("String not canonical: %q then %q", spec, got)
			}
			if !bitsEqual(a, draw(s2, 1)) {
				t.Errorf("Parse(%q) draws differently from %q", spec, c.spec)
			}
		})
	}
}

func TestCanonicalString(t *testing.T) {
	cases := []struct {
		spec string
		d    int
		want string
	}{
		{"gaussian", 2, "gaussian(mean=0,sd=1)"},
		{"gaussian(mean=10;10,sd=1)", 2, "gaussian(mean=10,sd=1)"},
		{"gaussian(mean=1;2,cov=1;0;0;1,sd=3)", 2, "gaussian(mean=1;2,cov=1;0;0;1)"},
		{"student-t(nu=0.5)", 3, "student-t(nu=0.5)"},
		{"STUDENT-T(NU=2, loc=0, scale=1)", 3, "student-t(nu=2)"},
		{"four-gaussians(scale=2,loc=1;2)", 2, "four-gaussians(sd=0.5,gap=4,loc=1;2,scale=2)"},
		{"stretched-exp", 4, "stretched-exp(beta=0.4,form=radial)"},
		{"stretched-exp(FORM=Product,beta=1)", 4, "stretched-exp(beta=1,form=product)"},
		{"swiss-roll", 3, "swiss-roll(noise=0.05)"},
		{"sierpinski(level=2.0)", 2, "sierpinski(level=2)"},
		{"moons", 2, "moons(noise=0.05)"},
		{"spiral(noise=0.1)", 2, "spiral(noise=0.1)"},
		{"checkerboard()", 2, "checkerboard"},
		{"points(x=1;2;3;4)", 2, "points(x=1;2;3;4)"},
		{"points(x=1;2;3;4,loc=1;0,scale=0.5)", 2, "points(x=1.5;1;2.5;2)"},
		{"gaussian(mean=0.1;1e300,sd=1e-300)", 2, "gaussian(mean=0.1;1e+300,sd=1e-300)"},
	}
	for _, c := range cases {
		s, err := Parse(c.spec, c.d)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.spec, err)
			continue
		}
		if got := s.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.spec, got, c.want)
		}
	}
}

func TestNames(t *testing.T) {
	want := []string{"gaussian", "student-t", "four-gaussians", "stretched-exp", "swiss-roll",
		"sierpinski", "moons", "spiral", "checkerboard", "points"}
	got := Names()
	if !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	got[0] = "mutated"
	if Names()[0] != "gaussian" {
		t.Error("Names returns shared state")
	}
	for _, name := range want[:len(want)-1] {
		d := 2
		if _, err := Parse(name, d); err != nil {
			t.Errorf("Parse(%q, %d) with defaults: %v", name, d, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		spec string
		d    int
		want string // the whole message
	}{
		{"gaussian", 0, `dist: d = 0, want d >= 1`},
		{"", 2, `dist: spec "": missing shape name, want one of gaussian, student-t, four-gaussians, stretched-exp, swiss-roll, sierpinski, moons, spiral, checkerboard, points`},
		{"cauchy", 2, `dist: unknown shape "cauchy", want one of gaussian, student-t, four-gaussians, stretched-exp, swiss-roll, sierpinski, moons, spiral, checkerboard, points`},
		{"gaussian(mean=1", 2, `dist: spec "gaussian(mean=1": missing closing ')'`},
		{"gaussian)", 2, `dist: spec "gaussian)": malformed shape name "gaussian)"`},
		{"gaussian(mean=(1))", 2, `dist: spec "gaussian(mean=(1))": unexpected parenthesis inside the settings`},
		{"gaussian(mean)", 2, `dist: gaussian: setting "mean" is not key=value`},
		{"gaussian(=1)", 2, `dist: gaussian: setting "=1" has no key`},
		{"gaussian(mean=)", 2, `dist: gaussian: mean has no value`},
		{"gaussian(mean=1,,sd=1)", 2, `dist: gaussian: setting "" is not key=value`},
		{"gaussian(mean=1,mean=2)", 2, `dist: gaussian: mean given twice`},
		{"gaussian(nu=1)", 2, `dist: gaussian: unknown key "nu", want one of mean, sd, cov, loc, scale`},
		{"checkerboard(noise=1)", 2, `dist: checkerboard: unknown key "noise", want one of loc, scale`},
		{"gaussian(mean=abc)", 2, `dist: gaussian: mean = "abc" is not a number`},
		{"gaussian(mean=1;x)", 2, `dist: gaussian: mean: entry 2 "x" is not a number`},
		{"gaussian(mean=nan)", 2, `dist: gaussian: mean = nan, want a finite number`},
		{"gaussian(mean=1e999)", 2, `dist: gaussian: mean = 1e999, want a finite number`},
		{"gaussian(mean=1;2;3)", 2, `dist: gaussian: mean has 3 entries, want 1 or d = 2`},
		{"gaussian(sd=0)", 2, `dist: gaussian: sd = 0, want sd > 0`},
		{"gaussian(sd=1;-2)", 2, `dist: gaussian: sd = 1;-2, want sd > 0`},
		{"gaussian(cov=1;0;0)", 2, `dist: gaussian: cov has 3 entries, want d*d = 2*2 (row-major)`},
		{"gaussian(cov=1;0.5;0.4;1)", 2, `dist: gaussian: cov[1][2] = 0.5 but cov[2][1] = 0.4, want a symmetric positive definite matrix`},
		{"gaussian(cov=1;2;2;1)", 2, `dist: gaussian: cov = 1;2;2;1 is not positive definite, want a symmetric positive definite matrix`},
		{"gaussian(cov=1;1;1;1)", 2, `dist: gaussian: cov = 1;1;1;1 is not positive definite, want a symmetric positive definite matrix`},
		{"gaussian(cov=-1)", 1, `dist: gaussian: cov = -1 is not positive definite, want a symmetric positive definite matrix`},
		{"gaussian(scale=0)", 2, `dist: gaussian: scale = 0, want scale > 0`},
		{"gaussian(scale=1;2)", 2, `dist: gaussian: scale has 2 entries, want a single number`},
		{"gaussian(loc=1;2;3)", 2, `dist: gaussian: loc has 3 entries, want 1 or d = 2`},
		{"student-t(nu=-1)", 2, `dist: student-t: nu = -1, want nu >= 0.1`},
		{"student-t(nu=0.05)", 2, `dist: student-t: nu = 0.05, want nu >= 0.1`},
		{"four-gaussians", 1, `dist: four-gaussians: d = 1, want d >= 2`},
		{"four-gaussians(sd=-0.5)", 2, `dist: four-gaussians: sd = -0.5, want sd > 0`},
		{"four-gaussians(gap=0)", 2, `dist: four-gaussians: gap = 0, want gap > 0`},
		{"stretched-exp(beta=0)", 2, `dist: stretched-exp: beta = 0, want beta >= 0.05`},
		{"stretched-exp(beta=0.01,form=product)", 2, `dist: stretched-exp: beta = 0.01, want beta >= 0.05`},
		{"stretched-exp(form=cube)", 2, `dist: stretched-exp: form = cube, want one of radial, product`},
		{"stretched-exp(form=1)", 2, `dist: stretched-exp: form = 1, want one of radial, product`},
		{"stretched-exp(form=radial;product)", 2, `dist: stretched-exp: form = radial;product, want one of radial, product`},
		{"stretched-exp(shape=product)", 2, `dist: stretched-exp: unknown key "shape", want one of beta, form, loc, scale`},
		{"student-t(form=product)", 2, `dist: student-t: unknown key "form", want one of nu, loc, scale`},
		{"swiss-roll", 4, `dist: swiss-roll: d = 4, want d = 2 or d = 3`},
		{"swiss-roll(noise=-1)", 2, `dist: swiss-roll: noise = -1, want noise >= 0`},
		{"sierpinski", 3, `dist: sierpinski: d = 3, want d = 2`},
		{"sierpinski(level=0)", 2, `dist: sierpinski: level = 0, want an integer level in 1..8`},
		{"sierpinski(level=9)", 2, `dist: sierpinski: level = 9, want an integer level in 1..8`},
		{"sierpinski(level=2.5)", 2, `dist: sierpinski: level = 2.5, want an integer level in 1..8`},
		{"moons", 1, `dist: moons: d = 1, want d = 2`},
		{"moons(noise=-0.1)", 2, `dist: moons: noise = -0.1, want noise >= 0`},
		{"spiral", 3, `dist: spiral: d = 3, want d = 2`},
		{"checkerboard", 3, `dist: checkerboard: d = 3, want d = 2`},
		{"points", 2, `dist: points: x is required: the points, row-major, d = 2 values per point separated by ';'`},
		{"points(x=1;2;3)", 2, `dist: points: row 2 has 1 values, want 2 (3 values in all is not a multiple of d = 2)`},
		{"points(x=1;2,scale=1e308)", 1, `dist: points: loc + scale*x overflows float64 in row 2`},
	}
	for _, c := range cases {
		s, err := Parse(c.spec, c.d)
		if err == nil {
			t.Errorf("Parse(%q, %d) = %v, want error %q", c.spec, c.d, s, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("Parse(%q, %d) error\n got %q\nwant %q", c.spec, c.d, err, c.want)
		}
	}
}

func TestSampleBadLengthPanics(t *testing.T) {
	for _, spec := range []string{"gaussian", "points(x=1;2)"} {
		s, err := Parse(spec, 2)
		if err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "not a multiple of Dim() = 2") {
					t.Errorf("%s: Sample(len 3) recovered %v, want a panic naming Dim", spec, r)
				}
			}()
			s.Sample(make([]float64, 3), newRNG(1))
		}()
	}
}

func TestLocScaleExact(t *testing.T) {
	// loc + scale*x, computed the same way, must match bit for bit the draw
	// of the same seed without loc and scale, for every shape.
	const n = 16
	for _, name := range Names() {
		if name == pointsName {
			continue
		}
		base, moved := name, name+"(loc=1.5;-2,scale=0.3)"
		if name == "gaussian" {
			base, moved = "gaussian(mean=1,sd=2)", "gaussian(mean=1,sd=2,loc=1.5;-2,scale=0.3)"
		}
		x := sample(t, base, 2, n, 3)
		y := sample(t, moved, 2, n, 3)
		for i := range x {
			want := x[i]*0.3 + []float64{1.5, -2}[i%2]
			if math.Float64bits(y[i]) != math.Float64bits(want) {
				t.Errorf("%s: y[%d] = %.17g, want loc + scale*x = %.17g", moved, i, y[i], want)
				break
			}
		}
	}
}
