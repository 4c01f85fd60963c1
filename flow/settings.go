package flow

import (
	"errors"
	"fmt"
	"math"
	"slices"
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
	// The particle method (particleflow.go) and the settings of GPA's peers.
	Method       string  `json:"method"`        // gpa, svgd, mmd, langevin, sinkhorn ("" reads as gpa)
	SVGDAdagrad  bool    `json:"svgd_adagrad"`  // SVGD: the authors' AdaGrad-with-momentum step
	Score        string  `json:"score"`         // svgd, langevin: auto (closed form, else KDE) or kde
	KDEBandwidth float64 `json:"kde_bandwidth"` // the KDE score's bandwidth; 0: Scott's rule
	MMDSigma     float64 `json:"mmd_sigma"`     // mmd: the Gaussian kernel's width sigma
	MMDNoise     float64 `json:"mmd_noise"`     // mmd: the noise level beta of the noise injection
	Epsilon      float64 `json:"epsilon"`       // sinkhorn: the entropic regularization epsilon
}

// Defaults are the paper's heavy-tail experiment with alpha = 2.
func Defaults() Settings {
	return Settings{
		Source: "gaussian(mean=10;10)", Target: "student-t(nu=0.5)", Dim: 2,
		F: "alpha", Alpha: 2, L: 1, Lipschitz: "frobenius", Lambda: 10,
		N: 200, M: 200, Width: 32, Depth: 3, Activation: "relu",
		Inner: 5, LR: 0.01, Optimizer: "sgd", DT: 0.1, Integrator: "euler",
		Steps: 5000, Seed: 1,
		Method: "gpa", Score: "auto", MMDSigma: 1, Epsilon: 0.1,
	}
}

// memoryLimit bounds the network's batch buffers, so that a setting too large for the
// browser's memory is refused up front instead of crashing the page.
const memoryLimit = 1 << 30

// Setting describes one entry of Settings. The table of them (SettingTable) is the one place a
// setting is defined: Set and Validate read it, the runners make their flags from it, and the
// pages build their forms from it (www/settings.js, written from it by tools/settingsjs).
type Setting struct {
	Name    string   `json:"name"`              // in the URL, the JS API, the flags and JSON
	Kind    string   `json:"kind"`              // spec (a dist spec), choice, int, number, bool, seed
	Options []string `json:"options,omitempty"` // a choice's values
	Range   string   `json:"range,omitempty"`   // the allowed range, as errors say it
	Min     float64  `json:"min"`               // int and number: the bounds (Max 0: none)
	Max     float64  `json:"max"`
	OpenMin bool     `json:"open_min,omitempty"` // Min itself is refused
	Default string   `json:"default"`            // as Get writes it
	Help    string   `json:"help"`
	Group   string   `json:"group"`          // the form's section
	Shared  bool     `json:"shared"`         // the same for every run of a comparison (the data)
	When    *When    `json:"when,omitempty"` // shown only then
	get     func(*Settings) string
	set     func(*Settings, string) error
	value   func(*Settings) float64 // int and number: for the range check
}

// When makes a setting matter only while another one has one of some values.
type When struct {
	Setting string   `json:"setting"`
	Values  []string `json:"values"`
}

// SettingError is a setting that was refused: the setting's name as data, and why.
type SettingError struct {
	Name string
	Err  error
}

func (e *SettingError) Error() string { return e.Err.Error() }
func (e *SettingError) Unwrap() error { return e.Err }

// SettingOf returns the name of the setting err refuses, or "".
func SettingOf(err error) string {
	var se *SettingError
	if errors.As(err, &se) {
		return se.Name
	}
	return ""
}

func refuse(name string, format string, args ...any) error {
	return &SettingError{name, fmt.Errorf(format, args...)}
}

func str(name, kind, group, help string, p func(*Settings) *string) Setting {
	return Setting{Name: name, Kind: kind, Group: group, Help: help,
		get: func(s *Settings) string { return *p(s) },
		set: func(s *Settings, v string) error { *p(s) = strings.TrimSpace(v); return nil }}
}

func choice(name, group, help string, options []string, p func(*Settings) *string) Setting {
	c := str(name, "choice", group, help, p)
	c.Options = options
	return c
}

func integer(name, group, help string, lo, hi float64, p func(*Settings) *int) Setting {
	return Setting{Name: name, Kind: "int", Group: group, Help: help, Min: lo, Max: hi,
		Range: strconv.FormatFloat(lo, 'f', -1, 64) + ".." + strconv.FormatFloat(hi, 'f', -1, 64),
		get:   func(s *Settings) string { return strconv.Itoa(*p(s)) },
		set: func(s *Settings, v string) error {
			x, err := parseInt(v)
			if err != nil {
				return refuse(name, "%s = %q %v", name, v, err)
			}
			*p(s) = x
			return nil
		},
		value: func(s *Settings) float64 { return float64(*p(s)) }}
}

func number(name, group, help string, lo, hi float64, openLow bool, rng string, p func(*Settings) *float64) Setting {
	return Setting{Name: name, Kind: "number", Group: group, Help: help, Min: lo, Max: hi, OpenMin: openLow, Range: rng,
		get: func(s *Settings) string { return strconv.FormatFloat(*p(s), 'g', -1, 64) },
		set: func(s *Settings, v string) error {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return refuse(name, "%s = %q is not a number", name, v)
			}
			*p(s) = x
			return nil
		},
		value: func(s *Settings) float64 { return *p(s) }}
}

// The form's sections.
const (
	groupData          = "Data"
	groupDivergence    = "Divergence"
	groupLipschitz     = "Lipschitz constraint"
	groupDiscriminator = "Discriminator"
	groupParticles     = "Particles"
	groupMethod        = "Method"
)

// SettingTable is every setting, in the order of the forms.
var SettingTable = settingTable()

func settingTable() []Setting {
	shared := func(st Setting) Setting { st.Shared = true; return st }
	when := func(st Setting, setting string, values ...string) Setting {
		st.When = &When{setting, values}
		return st
	}
	L := number("L", groupLipschitz, "Lipschitz bound of the discriminator phi: the particles' speed limit. inf (or 0) = no constraint.",
		0, math.MaxFloat64, false, "L >= 0 (0 or inf: unconstrained)", func(s *Settings) *float64 { return &s.L })
	L.get = func(s *Settings) string {
		if s.L == 0 {
			return "inf"
		}
		return strconv.FormatFloat(s.L, 'g', -1, 64)
	}
	L.set = func(s *Settings, v string) error {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return refuse("L", "L = %q is not a number", v)
		}
		if math.IsInf(x, 1) {
			x = 0
		}
		s.L = x
		return nil
	}
	seed := Setting{Name: "seed", Kind: "seed", Group: groupData, Shared: true, Range: "0..2^64-1",
		Help: "Random seed of the data, the source and the network: the same seed gives the same run.",
		get:  func(s *Settings) string { return strconv.FormatUint(s.Seed, 10) },
		set: func(s *Settings, v string) error {
			x, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return refuse("seed", "seed = %q, want an integer 0..2^64-1", v)
			}
			s.Seed = x
			return nil
		}}
	adamReset := Setting{Name: "adam_reset", Kind: "bool", Group: groupDiscriminator,
		Help: "Reset Adam's moments at every particle step (as the reference code does).",
		get:  func(s *Settings) string { return strconv.FormatBool(s.AdamReset) },
		set: func(s *Settings, v string) error {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return refuse("adam_reset", "adam_reset = %q, want true or false", v)
			}
			s.AdamReset = b
			return nil
		}}
	method := choice("method", groupMethod, "The particle method: gpa (this paper: the (f, Lip_L) generative particles algorithm), svgd (Stein variational gradient descent, Liu and Wang 2016), mmd (the MMD gradient flow, Arbel et al. 2019), langevin (unadjusted Langevin dynamics), sinkhorn (the gradient flow of the debiased Sinkhorn divergence). svgd and langevin follow the target's score; the others use its samples only. The discriminator and divergence settings are GPA's.",
		Methods, func(s *Settings) *string { return &s.Method })
	method.get = func(s *Settings) string {
		if s.Method == "" {
			return MethodGPA // settings written before there were peers
		}
		return s.Method
	}
	svgdAdagrad := Setting{Name: "svgd_adagrad", Kind: "bool", Group: groupMethod,
		Help: "SVGD's step as in the authors' code: AdaGrad with momentum 0.9 per coordinate, so that a particle moves about dt per coordinate and step. false: plain steps Y <- Y + dt phi*(Y).",
		get:  func(s *Settings) string { return strconv.FormatBool(s.SVGDAdagrad) },
		set: func(s *Settings, v string) error {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return refuse("svgd_adagrad", "svgd_adagrad = %q, want true or false", v)
			}
			s.SVGDAdagrad = b
			return nil
		}}
	t := []Setting{
		shared(str("source", "spec", groupData, "Law of the particles at step 0, e.g. gaussian(mean=10;10), gaussian(sd=0.5), four-gaussians. Vectors separate entries with \";\".",
			func(s *Settings) *string { return &s.Source })),
		shared(str("target", "spec", groupData, "Law of the target samples: gaussian, student-t(nu=0.5), four-gaussians, stretched-exp(beta=0.4), swiss-roll, moons, spiral, sierpinski, checkerboard, or points(x=x1;y1;x2;y2...).",
			func(s *Settings) *string { return &s.Target })),
		shared(integer("dim", groupData, "Dimension of the particles and targets. The view shows the first two coordinates, or for dim > 2 the targets' two principal axes.",
			1, 4096, func(s *Settings) *int { return &s.Dim })),
		integer("n", groupData, "Number of particles N.", 1, 1e6, func(s *Settings) *int { return &s.N }),
		shared(integer("m", groupData, "Number of target samples M.", 1, 1e6, func(s *Settings) *int { return &s.M })),
		seed,
		method,
		when(svgdAdagrad, "method", MethodSVGD),
		when(choice("score", groupMethod, "Where SVGD and Langevin take the target's score grad log q: auto (the closed form where the target law has a density: gaussian, four-gaussians, student-t, stretched-exp; else a Gaussian KDE of the target samples) or kde (the KDE always).",
			[]string{"auto", "kde"}, func(s *Settings) *string { return &s.Score }), "method", MethodSVGD, MethodLangevin),
		when(number("kde_bandwidth", groupMethod, "Bandwidth of the KDE score (a Gaussian kernel on the target samples). 0: Scott's rule, sd m^(-1/(d+4)).",
			0, 1e6, false, "0..1e6", func(s *Settings) *float64 { return &s.KDEBandwidth }), "method", MethodSVGD, MethodLangevin),
		when(number("mmd_sigma", groupMethod, "Width sigma of the MMD flow's Gaussian kernel exp(-|x-y|^2/(2 sigma^2)).",
			0, 1e6, true, "0 < mmd_sigma <= 1e6", func(s *Settings) *float64 { return &s.MMDSigma }), "method", MethodMMD),
		when(number("mmd_noise", groupMethod, "Noise injection of the MMD flow (Arbel et al. 2019): the witness's gradient is taken at Y + beta U, U ~ N(0, I), beta this level. 0: the plain flow, which can stall on some targets.",
			0, 1e6, false, "0..1e6", func(s *Settings) *float64 { return &s.MMDNoise }), "method", MethodMMD),
		when(number("epsilon", groupMethod, "Entropic regularization epsilon of the Sinkhorn flow's debiased Sinkhorn divergence S_epsilon (cost |x-y|^2/2): small epsilon is close to W2^2/2 and slower to compute.",
			0, 1e6, true, "0 < epsilon <= 1e6", func(s *Settings) *float64 { return &s.Epsilon }), "method", MethodSinkhorn),
		choice("f", groupDivergence, "The f of the (f, Lip_L)-divergence: kl (x log x), kl-dv (KL in Donsker-Varadhan form), alpha, reverse-kl, js (Jensen-Shannon), chi2, hellinger.",
			DivergenceNames(), func(s *Settings) *string { return &s.F }),
		when(noRangeCheck(number("alpha", groupDivergence, "alpha of f = alpha: f(x) = (x^a - 1)/(a(a-1)). Larger alpha is gentler on heavy tails (alpha -> 1 is KL).",
			0, 1000, true, "0 < alpha <= 1000, alpha != 1", func(s *Settings) *float64 { return &s.Alpha })), "f", "alpha"),
		L,
		choice("lipschitz", groupLipschitz, "How phi is held L-Lipschitz: frobenius (rescale each weight matrix, as the reference code), spectral (spectral normalization), penalty (soft gradient penalty on |grad phi| at every sample), penalty-ref (the reference code's soft penalty: each partial derivative, at the particles only).",
			ConstraintNames(), func(s *Settings) *string { return &s.Lipschitz }),
		when(number("lambda", groupLipschitz, "Weight of the gradient penalty: lambda * mean relu(|grad phi|^2/L^2 - 1) (penalty), or per coordinate at the particles (penalty-ref).",
			0, 1e6, false, "0..1e6", func(s *Settings) *float64 { return &s.Lambda }), "lipschitz", "penalty", "penalty-ref"),
		integer("width", groupDiscriminator, "Units per hidden layer of phi.", 1, 1024, func(s *Settings) *int { return &s.Width }),
		integer("depth", groupDiscriminator, "Hidden layers of phi.", 1, 8, func(s *Settings) *int { return &s.Depth }),
		choice("activation", groupDiscriminator, "Activation of the hidden layers (all 1-Lipschitz).", activationNames, func(s *Settings) *string { return &s.Activation }),
		integer("inner", groupDiscriminator, "Discriminator ascent steps per particle step.", 1, 1000, func(s *Settings) *int { return &s.Inner }),
		number("lr", groupDiscriminator, "Learning rate of the discriminator.", 0, 10, true, "0 < lr <= 10", func(s *Settings) *float64 { return &s.LR }),
		choice("optimizer", groupDiscriminator, "Optimizer of the discriminator.", []string{"sgd", "adam"}, func(s *Settings) *string { return &s.Optimizer }),
		when(adamReset, "optimizer", "adam"),
		number("dt", groupParticles, "Particle step size: Y <- Y - dt grad phi(Y); each move is at most dt * L. The step size of the other methods too: svgd Y <- Y + dt phi*(Y), mmd Y <- Y - dt grad witness, langevin Y <- Y + dt score + sqrt(2 dt) xi, sinkhorn Y <- Y - dt grad S_epsilon (per particle, the barycentric form).", 0, 1e4, true, "0 < dt <= 1e4", func(s *Settings) *float64 { return &s.DT }),
		number("dt_decay", groupParticles, "Step-size decay: dt_k = dt / (1 + dt_decay * k). 0 keeps dt fixed.", 0, 1e3, false, "0..1000", func(s *Settings) *float64 { return &s.DTDecay }),
		choice("integrator", groupParticles, "Time stepping of the particles: forward Euler; Heun (as the reference: phi is trained again at the predicted positions before the corrector, twice the cost of a step, second order); Adams-Bashforth 2.",
			integratorNames, func(s *Settings) *string { return &s.Integrator }),
		integer("steps", groupParticles, "The run stops after this many particle steps (0: never).", 0, 1e8, func(s *Settings) *int { return &s.Steps }),
	}
	d := Defaults()
	for i := range t {
		t[i].Default = t[i].get(&d)
	}
	return t
}

// noRangeCheck leaves a setting's range to the form: alpha is checked, by ParseDivergence, only
// where f = alpha reads it.
func noRangeCheck(st Setting) Setting { st.value = nil; return st }

func lookup(name string) *Setting {
	for i := range SettingTable {
		if SettingTable[i].Name == name {
			return &SettingTable[i]
		}
	}
	return nil
}

// SettingNames lists every setting's name, in the table's order.
func SettingNames() []string {
	names := make([]string, len(SettingTable))
	for i, st := range SettingTable {
		names[i] = st.Name
	}
	return names
}

// SettingHelp describes the setting called name.
func SettingHelp(name string) string {
	if st := lookup(name); st != nil {
		return st.Help
	}
	return ""
}

// Set parses value into the setting called name. It checks the syntax only; Validate checks
// ranges.
func (s *Settings) Set(name, value string) error {
	if st := lookup(name); st != nil {
		return st.set(s, value)
	}
	return refuse(name, "unknown setting %q, want one of %v", name, SettingNames())
}

// Get formats the setting called name as Set reads it.
func (s *Settings) Get(name string) string {
	if st := lookup(name); st != nil {
		return st.get(s)
	}
	return ""
}

// Validate checks every setting's range; the error is a *SettingError naming the setting and
// saying the allowed values.
func (s *Settings) Validate() error {
	for _, st := range SettingTable {
		if st.Kind == "choice" && !slices.Contains(st.Options, st.get(s)) {
			return refuse(st.Name, "%s = %q, want one of %v", st.Name, st.get(s), st.Options)
		}
	}
	if s.F == "alpha" {
		if _, err := ParseDivergence(s.F, s.Alpha); err != nil {
			return &SettingError{"alpha", err}
		}
	}
	for _, st := range SettingTable {
		if st.value == nil {
			continue
		}
		if v := st.value(s); math.IsNaN(v) || v < st.Min || v > st.Max || (st.OpenMin && v == st.Min) {
			return refuse(st.Name, "%s = %v, want %s", st.Name, v, st.Range)
		}
	}
	if s.method() != MethodGPA {
		// GPA's peers have no network; their cost is their pairwise sums.
		if s.N+s.M > maxPeerRows {
			return refuse("n", "n + m = %d: the %s flow sums over every pair of points, want n + m <= %d", s.N+s.M, s.method(), maxPeerRows)
		}
		return nil
	}
	if mb := s.bufferBytes() >> 20; mb > memoryLimit>>20 {
		return refuse("n", "n = %d, m = %d at width %d, depth %d need about %d MB of network buffers, more than the %d MB limit: lower n, m or width",
			s.N, s.M, s.Width, s.Depth, mb, memoryLimit>>20)
	}
	return nil
}

// bufferBytes estimates the network's batch buffers: z, h and dz per hidden layer, float32,
// doubled for the gradient penalty's tangents.
func (s *Settings) bufferBytes() int64 {
	per := int64(3*s.Width*s.Depth + 2*s.Dim)
	if s.Lipschitz == "penalty" || s.Lipschitz == "penalty-ref" {
		per *= 2
	}
	return int64(s.N+s.M) * per * 4
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
