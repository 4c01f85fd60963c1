package digits

import (
	"strconv"

	"lipflow/flow"
	"lipflow/flow/ae"
)

// MaxRuns is how many methods run side by side.
const MaxRuns = 3

// PerClassMax bounds per_class: M = 10 per_class targets.
const PerClassMax = 100

// ExtraTable describes the names Settings adds to the engine's vocabulary, for the page's form
// and URL; Validate checks the same options and range.
var ExtraTable = []flow.Setting{
	{Name: "method", Kind: "choice", Options: Methods, Default: DefaultSettings().Method,
		Help: "The run's method: GPA (generative particles), an (f, Lip)-GAN, or WGAN-GP."},
	{Name: "mobility", Kind: "choice", Options: Mobilities, Default: DefaultSettings().Mobility,
		Help: "Where a GPA run's discriminator lives: on the latent codes, or on the decoded pixels (the particles then move by the decoder's Jacobian transpose)."},
	{Name: "noise", Kind: "choice", Options: Noises, Default: DefaultSettings().Noise,
		Help: "Law of the particles at step 0 in the latent space: standard Gaussian or Logistic(0,1) noise per coordinate."},
	{Name: "per_class", Kind: "int", Min: 1, Max: PerClassMax, Range: "1.." + strconv.Itoa(PerClassMax),
		Default: strconv.Itoa(DefaultSettings().PerClass), Help: "Training digits (targets) per class: M = 10 x per_class."},
}

// Page is what the digits page reads beyond the engine's table (www/settings.js holds it as
// window.LIPFLOW_DIGITS): its own settings, the autoencoder's, and its limits.
type Page struct {
	Settings    []flow.Setting `json:"settings"`     // ExtraTable
	AE          []flow.Setting `json:"ae"`           // ae.ConfigTable; in the URL as ae_<name>
	PerRun      []string       `json:"per_run"`      // settings each run of a comparison has its own of
	Experiment  []string       `json:"experiment"`   // engine settings the experiment sets itself
	MaxRuns     int            `json:"max_runs"`     // runs side by side
	ImportLimit int            `json:"import_limit"` // bytes of a weights file
}

// PageTable is the digits page's Page.
var PageTable = Page{
	Settings:    ExtraTable,
	AE:          ae.ConfigTable,
	PerRun:      []string{"method", "mobility", "label"},
	Experiment:  []string{"dim", "source", "target", "m"},
	MaxRuns:     MaxRuns,
	ImportLimit: ae.MaxJSON,
}
