package ae

import (
	"fmt"
	"math"
)

// Config is the autoencoder's shape and training schedule.
type Config struct {
	Latent int     `json:"latent"` // latent dimension, 2..64
	Width  int     `json:"width"`  // units per hidden layer, 16..1024
	Depth  int     `json:"depth"`  // hidden layers on each side, 1..4
	Epochs int     `json:"epochs"` // passes over the training digits, 1..1000
	Batch  int     `json:"batch"`  // digits per mini-batch, 1..1024
	LR     float64 `json:"lr"`     // Adam's learning rate, (0, 1]
	Seed   uint64  `json:"seed"`   // initial weights and batch order
}

// Defaults: a 16-d latent space (the issue asks for 16 to 32) with one hidden layer of 256 on
// each side, 784-256-16-256-784, trained for 5 epochs of 10,000 digits in batches of 64.
func Defaults() Config {
	return Config{Latent: 16, Width: 256, Depth: 1, Epochs: 5, Batch: 64, LR: 1e-3, Seed: 1}
}

// Validate checks every field's range; the error names the field.
func (c Config) Validate() error {
	type check struct {
		name   string
		v      float64
		lo, hi float64
		want   string
	}
	for _, k := range []check{
		{"latent", float64(c.Latent), 2, 64, "2..64"},
		{"width", float64(c.Width), 16, 1024, "16..1024"},
		{"depth", float64(c.Depth), 1, 4, "1..4"},
		{"epochs", float64(c.Epochs), 1, 1000, "1..1000"},
		{"batch", float64(c.Batch), 1, 1024, "1..1024"},
	} {
		if k.v < k.lo || k.v > k.hi {
			return fmt.Errorf("%s = %v, want %s", k.name, k.v, k.want)
		}
	}
	if !(c.LR > 0 && c.LR <= 1) || math.IsNaN(c.LR) {
		return fmt.Errorf("lr = %v, want 0 < lr <= 1", c.LR)
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
