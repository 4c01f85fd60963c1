package ae

import (
	"fmt"
	"math"
)

// Config is the autoencoder's shape and training schedule.
// Its fields' ranges and help are in ConfigTable.
type Config struct {
	Latent int     `json:"latent"` // latent dimension
	Width  int     `json:"width"`  // units per hidden layer
	Depth  int     `json:"depth"`  // hidden layers on each side
	Epochs int     `json:"epochs"` // passes over the training digits
	Batch  int     `json:"batch"`  // digits per mini-batch
	LR     float64 `json:"lr"`     // Adam's learning rate
	Seed   uint64  `json:"seed"`   // initial weights and batch order
}

// Defaults: a 16-d latent space (the issue asks for 16 to 32) with one hidden layer of 256 on
// each side, 784-256-16-256-784, trained for 5 epochs of 10,000 digits in batches of 64.
func Defaults() Config {
	return Config{Latent: 16, Width: 256, Depth: 1, Epochs: 5, Batch: 64, LR: 1e-3, Seed: 1}
}

// Validate checks every field's range (ConfigTable's); the error names the field.
func (c Config) Validate() error {
	for _, k := range []struct {
		name string
		v    int
	}{{"latent", c.Latent}, {"width", c.Width}, {"depth", c.Depth}, {"epochs", c.Epochs}, {"batch", c.Batch}} {
		if f := field(k.name); float64(k.v) < f.Min || float64(k.v) > f.Max {
			return fmt.Errorf("%s = %v, want %s", k.name, k.v, f.Range)
		}
	}
	if f := field("lr"); !(c.LR > f.Min && c.LR <= f.Max) || math.IsNaN(c.LR) {
		return fmt.Errorf("lr = %v, want %s", c.LR, f.Range)
	}
	return nil
}

// encoderSizes and decoderSizes are the layer widths of E and D.
func (c Config) encoderSizes(pixels int) []int {
	s := []int{pixels}
	for range c.Depth {
		s = append(s, c.Width)
	}
	return append(s, c.Latent)
}

func (c Config) decoderSizes(pixels int) []int {
	s := []int{c.Latent}
	for range c.Depth {
		s = append(s, c.Width)
	}
	return append(s, pixels)
}
