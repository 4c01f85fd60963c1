package ae

import (
	"math/rand/v2"

	"lipflow/flow"
	"lipflow/flow/dense"
	"lipflow/flow/mnist"
)

// Pixels is the data dimension (28 x 28 digits).
const Pixels = mnist.Pixels

// AE is an autoencoder: Enc maps pixels in [0,1] to the latent space, Dec maps latent codes to
// the logits of the pixels.
type AE struct {
	Config Config
	Enc    *flow.Net[float32]
	Dec    *flow.Net[float32]
	// Curve and HeldoutCurve are the training and held-out losses at each logged point;
	// HeldoutLoss is the last held-out figure (0 before any).
	Curve, HeldoutCurve []float64
	HeldoutLoss         float64
}

// New returns an untrained autoencoder with weights seeded by c.Seed.
func New(c Config) (*AE, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(c.Seed, 11))
	enc, err := flow.NewLayers[float32](c.encoderSizes(Pixels), flow.ReLU, rng)
	if err != nil {
		return nil, err
	}
	dec, err := flow.NewLayers[float32](c.decoderSizes(Pixels), flow.ReLU, rng)
	if err != nil {
		return nil, err
	}
	return &AE{Config: c, Enc: enc, Dec: dec}, nil
}

// Latent is the latent dimension.
func (a *AE) Latent() int { return a.Config.Latent }

// Encode writes the codes of rows digits x (rows x Pixels, in [0,1]) to z (rows x Latent).
func (a *AE) Encode(x []float32, rows int, z []float32) {
	copy(z[:rows*a.Latent()], a.Enc.Logits(x, rows))
}

// Decode writes the pixels D(z) in [0,1] of rows codes to pix (rows x Pixels).
func (a *AE) Decode(z []float32, rows int, pix []float32) {
	logits := a.Dec.Logits(z, rows)
	for i, v := range logits {
		pix[i] = float32(dense.Sigmoid(float64(v)))
	}
}

// Loss returns the mean reconstruction loss (nats per digit) over the digits of set with the
// given indices (all when idx is nil), in batches of 250.
func (a *AE) Loss(set *mnist.Set, idx []int) float64 {
	if idx == nil {
		idx = make([]int, set.Count())
		for i := range idx {
			idx[i] = i
		}
	}
	const batch = 250
	x := make([]float32, batch*Pixels)
	var sum float64
	for lo := 0; lo < len(idx); lo += batch {
		hi := min(lo+batch, len(idx))
		rows := hi - lo
		for r, i := range idx[lo:hi] {
			set.Float(i, x[r*Pixels:(r+1)*Pixels])
		}
		z := a.Enc.Logits(x, rows)
		logits := a.Dec.Logits(z, rows)
		sum += dense.BCEWithLogits(logits, x[:rows*Pixels], rows, nil) * float64(rows)
	}
	return sum / float64(len(idx))
}
