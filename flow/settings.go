package flow

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Settings are a run's whole description. Their names are the one vocabulary of the URL, the
// page's JS API, the native runner's flags and JSON files.
type Settings struct {
	Source     string  `json:"source"`     // spec of the particles' initial law (see package dist)
	Target     string  `json:"target"`     // spec of the target law
	Dim        int     `json:"dim"`        // dimension of the particles
	F          string  `json:"f"`          // divergence: kl, kl-dv, alpha, reverse-kl, js, chi2, hellinger
	Alpha      float64 `json:"alpha"`      // for f = alpha
	L          float64 `json:"L"`          // Lipschitz bound; 0 means unconstrained (L = inf)
	Lipschitz  string  `json:"lipschitz"`  // frobenius, spectral, penalty
	Lambda     float64 `json:"lambda"`     // weight of the gradient penalty
	N          int     `json:"n"`          // particles
	M          int     `json:"m"`          // target samples
	Width      int     `json:"width"`      // units per hidden layer
	Depth      int     `json:"depth"`      // hidden layers
	Activation string  `json:"activation"` // relu, leaky-relu, softplus, tanh, elu, sigmoid
	Inner      int     `json:"inner"`      // discriminator steps per particle step
	LR         float64 `json:"lr"`         // discriminator learning rate
	Optimizer  string  `json:"optimizer"`  // sgd, adam
	AdamReset  bool    `json:"adam_reset"` // reset Adam's moments at each particle step
	DT         float64 `json:"dt"`         // particle step size
	DTDecay    float64 `json:"dt_decay"`   // dt_k = dt / (1 + dt_decay * k)
	Integrator string  `json:"integrator"` // euler, heun, ab2
	Steps      int     `json:"steps"`      // particle steps of a run
	Seed       uint64  `json:"seed"`
}

// Defaults are the paper's heavy-tail experiment with alpha = 2.
func Defaults() Settings {
	return Settings{
		Source: "gaussian(mean=10;10)", Target: "student-t(nu=0.5)", Dim: 2,
		F: "alpha", Alpha: 2, L: 1, Lipschitz: "frobenius", Lambda: 10,
		N: 200, M: 200, Width: 32, Depth: 3, Activation: "relu",
		Inner: 5, LR: 0.01, Optimizer: "sgd", DT: 0.1, Integrator: "euler",
		Steps: 5000, Seed: 1,
	}
}

// memoryLimit bounds the network's batch buffers, so that a setting too large for the
// browser's memory is refused up front instead of crashing the page.
const memoryLimit = 1 << 30

// setting is one entry of the vocabulary.
type setting struct {
	name, help string
	get        func(*Settings) string
	set        func(*Settings, string) error
}

func str(name, help string, p func(*Settings) *string) setting {
	return setting{name, help,
		func(s *Settings) string { return *p(s) },
		func(s *Settings, v string) error { *p(s) = v; return nil }}
}

func integer(name, help string, p func(*Settings) *int) setting {
	return setting{name, help,
		func(s *Settings) string { return strconv.Itoa(*p(s)) },
		func(s *Settings, v string) error {
			x, err := parseInt(v)
			if err != nil {
				return fmt.Errorf("%s = %q %v", name, v, err)
			}
			*p(s) = x
			return nil
		}}
}

// parseInt reads an integer written in any of the forms a number may take in a URL, a JSON
// file or JavaScript's String(): 100000000, 1e8, 1e+08, 1.0E8.
func parseInt(v string) (int, error) {
	v = strings.TrimSpace(v)
	if x, err := strconv.Atoi(v); err == nil {
		return x, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, errors.New("is not a number")
	case math.IsNaN(x) || x != math.Trunc(x):
		return 0, errors.New("is not an integer")
	case math.Abs(x) > 1<<53:
		return 0, errors.New("is too large")
	}
	return int(x), nil
}

func number(name, help string, p func(*Settings) *float64) setting {
	return setting{name, help,
		func(s *Settings) string { return strconv.FormatFloat(*p(s), 'g', -1, 64) },
		func(s *Settings, v string) error {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return fmt.Errorf("%s = %q is not a number", name, v)
			}
			*p(s) = x
			return nil
		}}
}

var vocabulary = []setting{
	str("source", "initial law of the particles (a dist spec)", func(s *Settings) *string { return &s.Source }),
	str("target", "target law (a dist spec)", func(s *Settings) *string { return &s.Target }),
	integer("dim", "dimension of the particles", func(s *Settings) *int { return &s.Dim }),
	str("f", "divergence: "+strings.Join(DivergenceNames(), ", "), func(s *Settings) *string { return &s.F }),
	number("alpha", "alpha of f = alpha (alpha > 0, alpha != 1)", func(s *Settings) *float64 { return &s.Alpha }),
	{"L", "Lipschitz bound of phi; 0 or inf for none",
		func(s *Settings) string {
			if s.L == 0 {
				return "inf"
			}
			return strconv.FormatFloat(s.L, 'g', -1, 64)
		},
		func(s *Settings, v string) error {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				//lint:ignore ST1005 the setting is called L
				return fmt.Errorf("L = %q is not a number", v)
			}
			if math.IsInf(x, 1) {
				x = 0
			}
			s.L = x
			return nil
		}},
	str("lipschitz", "how phi is held L-Lipschitz: "+strings.Join(ConstraintNames(), ", "), func(s *Settings) *string { return &s.Lipschitz }),
	number("lambda", "weight of the gradient penalty", func(s *Settings) *float64 { return &s.Lambda }),
	integer("n", "number of particles", func(s *Settings) *int { return &s.N }),
	integer("m", "number of target samples", func(s *Settings) *int { return &s.M }),
	integer("width", "units per hidden layer", func(s *Settings) *int { return &s.Width }),
	integer("depth", "hidden layers", func(s *Settings) *int { return &s.Depth }),
	str("activation", "hidden activation: "+strings.Join(activationNames, ", "), func(s *Settings) *string { return &s.Activation }),
	integer("inner", "discriminator steps per particle step", func(s *Settings) *int { return &s.Inner }),
	number("lr", "discriminator learning rate", func(s *Settings) *float64 { return &s.LR }),
	str("optimizer", "discriminator optimizer: sgd, adam", func(s *Settings) *string { return &s.Optimizer }),
	{"adam_reset", "reset Adam's moments every particle step",
		func(s *Settings) string { return strconv.FormatBool(s.AdamReset) },
		func(s *Settings, v string) error {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("adam_reset = %q, want true or false", v)
			}
			s.AdamReset = b
			return nil
		}},
	number("dt", "particle step size", func(s *Settings) *float64 { return &s.DT }),
	number("dt_decay", "step-size decay: dt_k = dt / (1 + dt_decay k)", func(s *Settings) *float64 { return &s.DTDecay }),
	str("integrator", "particle integrator: "+strings.Join(integratorNames, ", "), func(s *Settings) *string { return &s.Integrator }),
	integer("steps", "particle steps of a run", func(s *Settings) *int { return &s.Steps }),
	{"seed", "random seed (data, network and source)",
		func(s *Settings) string { return strconv.FormatUint(s.Seed, 10) },
		func(s *Settings, v string) error {
			x, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return fmt.Errorf("seed = %q, want an integer 0..2^64-1", v)
			}
			s.Seed = x
			return nil
		}},
}

// SettingNames lists every setting's name, in a stable order.
func SettingNames() []string {
	names := make([]string, len(vocabulary))
	for i, v := range vocabulary {
		names[i] = v.name
	}
	return names
}

// SettingHelp describes the setting called name.
func SettingHelp(name string) string {
	for _, v := range vocabulary {
		if v.name == name {
			return v.help
		}
	}
	return ""
}

// Set parses value into the setting called name. It checks the syntax only; Validate checks
// ranges.
func (s *Settings) Set(name, value string) error {
	for _, v := range vocabulary {
		if v.name == name {
			return v.set(s, value)
		}
	}
	return fmt.Errorf("unknown setting %q, want one of %v", name, SettingNames())
}

// Get formats the setting called name as Set reads it.
func (s *Settings) Get(name string) string {
	for _, v := range vocabulary {
		if v.name == name {
			return v.get(s)
		}
	}
	return ""
}

// Validate checks every setting's range; the error names the setting and the allowed range.
func (s *Settings) Validate() error {
	if _, err := ParseDivergence(s.F, s.Alpha); err != nil {
		return err
	}
	if _, err := ParseActivation(s.Activation); err != nil {
		return err
	}
	if _, err := ParseIntegrator(s.Integrator); err != nil {
		return err
	}
	if _, err := ParseConstraint(s.Lipschitz); err != nil {
		return err
	}
	if s.Optimizer != "sgd" && s.Optimizer != "adam" {
		return fmt.Errorf("optimizer = %q, want sgd or adam", s.Optimizer)
	}
	for _, r := range settingRanges {
		if v := r.get(s); math.IsNaN(v) || v < r.lo || v > r.hi || (r.openLow && v == r.lo) {
			return fmt.Errorf("%s = %v, want %s", r.name, v, r.want)
		}
	}
	if mb := s.bufferBytes() >> 20; mb > memoryLimit>>20 {
		return fmt.Errorf("n = %d, m = %d at width %d, depth %d need about %d MB of network buffers, more than the %d MB limit: lower n, m or width",
			s.N, s.M, s.Width, s.Depth, mb, memoryLimit>>20)
	}
	return nil
}

// settingRange is the allowed range of a numeric setting.
type settingRange struct {
	name    string
	get     func(*Settings) float64
	lo, hi  float64
	openLow bool // lo itself is refused
	want    string
}

var settingRanges = []settingRange{
	{"dim", func(s *Settings) float64 { return float64(s.Dim) }, 1, 4096, false, "1..4096"},
	{"L", func(s *Settings) float64 { return s.L }, 0, math.MaxFloat64, false, "L >= 0 (0 or inf: unconstrained)"},
	{"lambda", func(s *Settings) float64 { return s.Lambda }, 0, 1e6, false, "0..1e6"},
	{"n", func(s *Settings) float64 { return float64(s.N) }, 1, 1e6, false, "1..1000000"},
	{"m", func(s *Settings) float64 { return float64(s.M) }, 1, 1e6, false, "1..1000000"},
	{"width", func(s *Settings) float64 { return float64(s.Width) }, 1, 1024, false, "1..1024"},
	{"depth", func(s *Settings) float64 { return float64(s.Depth) }, 1, 8, false, "1..8"},
	{"inner", func(s *Settings) float64 { return float64(s.Inner) }, 1, 1000, false, "1..1000"},
	{"lr", func(s *Settings) float64 { return s.LR }, 0, 10, true, "0 < lr <= 10"},
	{"dt", func(s *Settings) float64 { return s.DT }, 0, 1e4, true, "0 < dt <= 1e4"},
	{"dt_decay", func(s *Settings) float64 { return s.DTDecay }, 0, 1e3, false, "0..1000"},
	{"steps", func(s *Settings) float64 { return float64(s.Steps) }, 0, 1e8, false, "0..100000000"},
}

// bufferBytes estimates the network's batch buffers: z, h and dz per hidden layer, float32,
// doubled for the gradient penalty's tangents.
func (s *Settings) bufferBytes() int64 {
	per := int64(3*s.Width*s.Depth + 2*s.Dim)
	if s.Lipschitz == "penalty" {
		per *= 2
	}
	return int64(s.N+s.M) * per * 4
}
