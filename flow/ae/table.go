package ae

import (
	"strconv"

	"lipflow/flow"
)

// ConfigTable describes Config's fields for the forms and the URLs of the digits page (through
// www/settings.js) and holds the ranges Validate checks, so that both say the same.
var ConfigTable = []flow.Setting{
	intField("latent", "Latent dimension: the particles live in this many dimensions.", 2, 64, Defaults().Latent),
	intField("width", "Units per hidden layer of the encoder and of the decoder.", 16, 1024, Defaults().Width),
	intField("depth", "Hidden layers of the encoder and of the decoder.", 1, 4, Defaults().Depth),
	intField("epochs", "Passes over the training digits (the schedule).", 1, 1000, Defaults().Epochs),
	intField("batch", "Digits per Adam step.", 1, 1024, Defaults().Batch),
	{Name: "lr", Kind: "number", Min: 0, Max: 1, OpenMin: true, Range: "0 < lr <= 1",
		Default: strconv.FormatFloat(Defaults().LR, 'g', -1, 64), Help: "Adam's learning rate."},
	{Name: "seed", Kind: "seed", Default: strconv.FormatUint(Defaults().Seed, 10),
		Help: "Seed of the initial weights and of the batch order."},
}

func intField(name, help string, lo, hi float64, def int) flow.Setting {
	return flow.Setting{Name: name, Kind: "int", Min: lo, Max: hi, Help: help, Default: strconv.Itoa(def),
		Range: strconv.FormatFloat(lo, 'f', -1, 64) + ".." + strconv.FormatFloat(hi, 'f', -1, 64)}
}

func field(name string) flow.Setting {
	for _, f := range ConfigTable {
		if f.Name == name {
			return f
		}
	}
	panic("ae: no field " + name)
}
