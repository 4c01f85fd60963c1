package gene

import (
	"fmt"
	"slices"
	"strings"

	"lipflow/flow"
)

// Config is a merge's whole description: the engine's settings (the one vocabulary; dim is the
// latent dimension d', n and m are ignored since every sample of the two batches takes part)
// and the merge's own.
type Config struct {
	flow.Settings
	SourceBatch string `json:"source_batch"` // the batch moved, e.g. kidney or bladder-5
	TargetBatch string `json:"target_batch"` // the batch it is moved onto, e.g. bladder-2
	// Method is the correction the "after" projection and the samples CSV show: gpa (the
	// merge), standardisation, combat or none. The figures are computed for all of them.
	Method string `json:"method"`
}

// Methods lists the values of Config.Method.
var Methods = []string{"gpa", "standardisation", "combat", "none"}

// DefaultConfig merges the kidney set into bladder batch 2 (both hold Cancer and Normal
// samples) in a 20-dimensional PCA space, with the paper's settings but spectral normalisation
// (see Settings and the README for why).
func DefaultConfig() Config {
	s := Settings(20)
	s.Lipschitz = "spectral"
	return Config{Settings: s, SourceBatch: "kidney", TargetBatch: "bladder-2", Method: "gpa"}
}

var mergeNames = []string{"source_batch", "target_batch", "method"}

// ConfigNames lists every setting a Config takes: the engine's vocabulary, then the merge's.
// The merge's method (the correction shown) takes the place of the engine's (the particle
// method: the merge is GPA's).
func ConfigNames() []string {
	names := slices.DeleteFunc(flow.SettingNames(), func(n string) bool { return slices.Contains(mergeNames, n) })
	return append(names, mergeNames...)
}

// ConfigHelp describes the setting called name.
func ConfigHelp(name string) string {
	switch name {
	case "source_batch":
		return "the batch whose samples are moved (kidney, bladder-1..bladder-5)"
	case "target_batch":
		return "the batch they are moved onto"
	case "method":
		return "correction shown after: " + strings.Join(Methods, ", ")
	case "dim":
		return "latent dimension d' of the PCA (2..200, at most the samples' rank)"
	}
	return flow.SettingHelp(name)
}

// Set parses value into the setting called name.
func (c *Config) Set(name, value string) error {
	value = strings.TrimSpace(value)
	switch name {
	case "source_batch":
		c.SourceBatch = value
	case "target_batch":
		c.TargetBatch = value
	case "method":
		if !slices.Contains(Methods, value) {
			return fmt.Errorf("method = %q, want one of %s", value, strings.Join(Methods, ", "))
		}
		c.Method = value
	default:
		return c.Settings.Set(name, value)
	}
	return nil
}

// Get formats the setting called name as Set reads it.
func (c *Config) Get(name string) string {
	switch name {
	case "source_batch":
		return c.SourceBatch
	case "target_batch":
		return c.TargetBatch
	case "method":
		return c.Method
	}
	return c.Settings.Get(name)
}

// Validate checks what can be checked without the data (the batch names need them, see
// NewProblem).
func (c *Config) Validate() error {
	if c.Dim < 2 || c.Dim > 200 {
		return fmt.Errorf("dim = %d, want a latent dimension 2..200", c.Dim)
	}
	if !slices.Contains(Methods, c.Method) {
		return fmt.Errorf("method = %q, want one of %s", c.Method, strings.Join(Methods, ", "))
	}
	if c.SourceBatch == "" || c.TargetBatch == "" {
		return fmt.Errorf("source_batch and target_batch must both be set")
	}
	return c.Settings.Validate()
}
