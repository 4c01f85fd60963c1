package digits

import (
	"math"

	"lipflow/flow/ae"
	"lipflow/flow/mnist"
)

// Space is the standardised latent space of an autoencoder: z' = (E(x) - Mu) / Sd.
type Space struct {
	AE     *ae.AE
	Mu, Sd []float32
	z      []float32 // scratch
}

// standardRows bounds the training digits over which Mu and Sd are measured.
const standardRows = 2000

// NewSpace measures Mu and Sd of the codes of (at most standardRows of) the training digits.
func NewSpace(a *ae.AE, train *mnist.Set) *Space {
	d := a.Latent()
	rows := min(standardRows, train.Count())
	codes := EncodeSet(a, train, firstN(rows))
	s := &Space{AE: a, Mu: make([]float32, d), Sd: make([]float32, d)}
	for j := range d {
		var m, v float64
		for i := range rows {
			m += float64(codes[i*d+j])
		}
		m /= float64(rows)
		for i := range rows {
			e := float64(codes[i*d+j]) - m
			v += e * e
		}
		sd := math.Sqrt(v / float64(rows))
		if !(sd > 1e-6) {
			sd = 1e-6 // a dead coordinate: keep the map invertible
		}
		s.Mu[j], s.Sd[j] = float32(m), float32(sd)
	}
	return s
}

func firstN(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// Dim is the latent dimension.
func (s *Space) Dim() int { return len(s.Mu) }

// EncodeSet returns the raw codes E(x) of the digits of set with the given indices.
func EncodeSet(a *ae.AE, set *mnist.Set, idx []int) []float32 {
	const batch = 250
	d := a.Latent()
	out := make([]float32, len(idx)*d)
	x := make([]float32, batch*mnist.Pixels)
	for lo := 0; lo < len(idx); lo += batch {
		hi := min(lo+batch, len(idx))
		for r, i := range idx[lo:hi] {
			set.Float(i, x[r*mnist.Pixels:(r+1)*mnist.Pixels])
		}
		a.Encode(x, hi-lo, out[lo*d:hi*d])
	}
	return out
}

// Encode returns the standardised codes of the digits of set with the given indices.
func (s *Space) Encode(set *mnist.Set, idx []int) []float64 {
	raw := EncodeSet(s.AE, set, idx)
	d := s.Dim()
	out := make([]float64, len(raw))
	for i, v := range raw {
		j := i % d
		out[i] = (float64(v) - float64(s.Mu[j])) / float64(s.Sd[j])
	}
	return out
}

// Decode writes the pixels in [0,1] of rows standardised codes z to pix (rows x 784).
func (s *Space) Decode(z []float64, rows int, pix []float32) {
	d := s.Dim()
	const batch = 250
	if len(s.z) < batch*d {
		s.z = make([]float32, batch*d)
	}
	for lo := 0; lo < rows; lo += batch {
		hi := min(lo+batch, rows)
		for i := lo * d; i < hi*d; i++ {
			j := i % d
			s.z[i-lo*d] = s.Mu[j] + s.Sd[j]*float32(z[i])
		}
		s.AE.Decode(s.z[:(hi-lo)*d], hi-lo, pix[lo*mnist.Pixels:hi*mnist.Pixels])
	}
}

// DecodeDigits returns D(E(x)) for the digits of set with the given indices (pixels in [0,1]).
func (s *Space) DecodeDigits(set *mnist.Set, idx []int) []float32 {
	out := make([]float32, len(idx)*mnist.Pixels)
	s.Decode(s.Encode(set, idx), len(idx), out)
	return out
}
