package digits

import (
	"fmt"
	"strconv"
	"strings"

	"lipflow/flow"
)

// Settings are a run's settings: the engine's vocabulary (flow.Settings; dim, source, target
// and m are set by the experiment) plus the experiment's own names.
type Settings struct {
	flow.Settings
	Method   string `json:"method"`    // gpa, gan, wgan-gp
	Mobility string `json:"mobility"`  // latent (phi on the codes) or decoder (phi on the pixels)
	Noise    string `json:"noise"`     // the particles' (or the generator's) noise: gaussian, logistic
	PerClass int    `json:"per_class"` // targets per digit: M = 10 per_class
	Label    string `json:"label"`
}

// Methods, mobilities and noises offered.
var (
	Methods    = []string{"gpa", "gan", "wgan-gp"}
	Mobilities = []string{"latent", "decoder"}
	Noises     = []string{"gaussian", "logistic"}
)

// MaxN bounds the particles (each is decoded for every frame and score).
const MaxN = 4000

// DefaultSettings: latent GPA with f = KL-DV, L = 1 (the paper's MNIST settings) held by
// spectral normalization, a ReLU 64-64-64 class-conditional discriminator trained by Adam
// (5 steps per particle step), dt = 1, N = M = 200, 800 steps. (Measured on the 16-d latent
// space: the Frobenius projection with the same dt moves the particles a third as fast.)
func DefaultSettings() Settings {
	s := flow.Defaults()
	s.F, s.L, s.Lipschitz = "kl-dv", 1, "spectral"
	s.Width, s.Depth, s.Activation = 64, 3, "relu"
	s.Inner, s.LR, s.Optimizer = 5, 0.002, "adam"
	s.DT, s.Integrator, s.Steps = 1, "euler", 800
	s.N, s.M = 200, 200
	s.Source, s.Target = "gaussian", "gaussian"
	return Settings{Settings: s, Method: "gpa", Mobility: "latent", Noise: "gaussian", PerClass: 20}
}

// ExtraNames are the names Settings adds to the engine's vocabulary.
var ExtraNames = []string{"method", "mobility", "noise", "per_class", "label"}

// Set parses value into the setting called name (an extra name or the engine's).
func (s *Settings) Set(name, value string) error {
	switch name {
	case "method":
		s.Method = strings.TrimSpace(value)
	case "mobility":
		s.Mobility = strings.TrimSpace(value)
	case "noise":
		s.Noise = strings.TrimSpace(value)
	case "label":
		s.Label = value
	case "per_class":
		x, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return fmt.Errorf("per_class = %q is not an integer", value)
		}
		s.PerClass = x
	default:
		return s.Settings.Set(name, value)
	}
	return nil
}

// Get formats the setting called name.
func (s *Settings) Get(name string) string {
	switch name {
	case "method":
		return s.Method
	case "mobility":
		return s.Mobility
	case "noise":
		return s.Noise
	case "label":
		return s.Label
	case "per_class":
		return strconv.Itoa(s.PerClass)
	}
	return s.Settings.Get(name)
}

// Validate checks the experiment's names and the engine's; the error names the setting.
func (s *Settings) Validate() error {
	if err := oneOf("method", s.Method, Methods); err != nil {
		return err
	}
	if err := oneOf("mobility", s.Mobility, Mobilities); err != nil {
		return err
	}
	if err := oneOf("noise", s.Noise, Noises); err != nil {
		return err
	}
	if s.PerClass < 1 || s.PerClass > PerClassMax {
		return fmt.Errorf("per_class = %d, want 1..%d", s.PerClass, PerClassMax)
	}
	if s.N < 1 || s.N > MaxN {
		return fmt.Errorf("n = %d, want 1..%d", s.N, MaxN)
	}
	return s.Settings.Validate()
}

func oneOf(name, v string, allowed []string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%s = %q, want one of %s", name, v, strings.Join(allowed, ", "))
}

// SettingName returns the setting an error message names (the text before " = "), or "".
func SettingName(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	i := strings.Index(msg, " = ")
	if i <= 0 || strings.ContainsAny(msg[:i], " :") {
		return ""
	}
	return msg[:i]
}
