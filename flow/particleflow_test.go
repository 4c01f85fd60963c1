package flow

import (
	"errors"
	"math"
	"testing"
)

// Every method of a comparison starts from the same particles and flows to the same targets
// as GPA with the same settings, and GPA is the Flow that New makes.
func TestMethodsShareData(t *testing.T) {
	s := Defaults()
	s.N, s.M = 50, 60
	g, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range Methods {
		s.Method = m
		r, err := NewParticleFlow(s)
		if err != nil {
			t.Fatal(err)
		}
		if m == MethodGPA {
			if _, ok := r.(*Flow); !ok {
				t.Fatalf("gpa made a %T", r)
			}
		}
		if !equal(r.Particles(), g.Particles()) || !equal(r.Targets(), g.Targets()) {
			t.Errorf("%s: not GPA's particles and targets", m)
		}
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		if st := r.Stats(); st.Step != 1 || (m == MethodGPA) != (st.Objective == "") {
			t.Errorf("%s: stats %+v after a step", m, st)
		}
	}
}

// GPA's velocity field is -grad phi.
func TestFlowVelocity(t *testing.T) {
	fl, err := New(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	pts := []float64{1, 2, -3, 4}
	g, v := make([]float64, 4), make([]float64, 4)
	fl.Gradient(pts, 0, g)
	fl.Velocity(pts, v)
	for i := range g {
		if v[i] != -g[i] {
			t.Fatalf("velocity %v, gradient %v", v, g)
		}
	}
}

func TestMethodSetting(t *testing.T) {
	var s Settings
	if got := s.Get("method"); got != MethodGPA {
		t.Errorf("empty method reads as %q, want gpa", got)
	}
	s = Defaults()
	if err := s.Set("method", "bogus"); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); SettingOf(err) != "method" {
		t.Errorf("method = bogus: %v", err)
	}
	s = Defaults()
	s.Method, s.N, s.M = MethodSVGD, 15000, 15000
	if err := s.Validate(); SettingOf(err) != "n" {
		t.Errorf("svgd with n + m = 30000: %v, want refused as n", err)
	}
	s.N, s.M = 10, 10
	if _, err := NewParticleFlowWithData(s, Data{X: make([]float64, 20), XLabels: make([]int32, 10), Classes: 1}); SettingOf(err) != "method" {
		t.Errorf("svgd with labels: %v, want refused as method", err)
	}
}

// Numerical safety: at the ends of every peer setting's range, on a heavy-tailed target, a
// step either succeeds with finite particles, stats and field, or stops the run with
// ErrDiverged; no NaN or Inf gets out.
func TestPeersStayFinite(t *testing.T) {
	type tweak func(*Settings)
	cases := map[string][]tweak{
		MethodSVGD: {
			func(s *Settings) { s.DT = 1e4 },
			func(s *Settings) { s.DT, s.SVGDAdagrad = 1e4, true },
			func(s *Settings) { s.Score, s.KDEBandwidth = "kde", 1e-6 },
			func(s *Settings) { s.Target = "stretched-exp(beta=0.05)" },
		},
		MethodMMD: {
			func(s *Settings) { s.MMDSigma, s.DT = 1e-6, 1e4 },
			func(s *Settings) { s.MMDSigma, s.DT = 1e6, 1e4 },
			func(s *Settings) { s.MMDNoise = 1e6 },
		},
		MethodLangevin: {
			func(s *Settings) { s.DT = 1e4 },
			func(s *Settings) { s.Target, s.DT = "stretched-exp(beta=0.05,form=product)", 10 },
			func(s *Settings) { s.Score, s.KDEBandwidth, s.DT = "kde", 1e-6, 1 },
			func(s *Settings) { s.Target = "gaussian(sd=1e-3)" },
		},
		MethodSinkhorn: {
			func(s *Settings) { s.Epsilon = 1e-6 },
			func(s *Settings) { s.Epsilon, s.DT = 1e6, 1e4 },
		},
	}
	for m, tweaks := range cases {
		for i, tw := range tweaks {
			s := Defaults()
			s.Method, s.N, s.M = m, 40, 40
			tw(&s)
			r, err := NewParticleFlow(s)
			if err != nil {
				t.Fatalf("%s case %d: %v", m, i, err)
			}
			for range 10 {
				err = r.Step()
				if err != nil {
					break
				}
			}
			if err != nil && !errors.Is(err, ErrDiverged) {
				t.Errorf("%s case %d: %v, want ErrDiverged or none", m, i, err)
			}
			st := r.Stats()
			for _, v := range append(append([]float64(nil), r.Particles()...), st.Divergence, st.KE, st.Speed) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s case %d: %v in the particles or stats %+v (err %v)", m, i, v, st, err)
				}
			}
			if err == nil {
				out := make([]float64, 4)
				r.Velocity([]float64{0, 0, 1e3, -1e3}, out)
				for _, v := range out {
					if math.IsNaN(v) {
						t.Errorf("%s case %d: field %v", m, i, out)
					}
				}
			}
			t.Logf("%s case %d: step %d, err %v", m, i, st.Step, err)
		}
	}
}
