package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Arch is the shape of a dense discriminator: In inputs, Depth hidden layers of Width units with
// activation Act, and Heads linear outputs (one per class for a class-conditional discriminator,
// else 1). The reference network ReLU 32-32-32 is Arch{In: 2, Width: 32, Depth: 3, Heads: 1}.
type Arch struct {
	In, Width, Depth, Heads int
	Act                     Activation
}

// Net is a dense network phi: R^In -> R^Heads with hand-written backpropagation for the weights
// and for the input. Layer l maps h_{l-1} to z_l = h_{l-1} W_l + b_l, with h_l = sigma(z_l) for
// the hidden layers and phi = z_D for the last. A sample with label c reads head c.
//
// Params holds every weight matrix (row-major, fan-in by fan-out) and bias, followed by the
// extra scalars the caller asked for (nu); Grad has the same layout, so that an optimizer sees
// one flat vector.
type Net[T Float] struct {
	Arch
	Params, Grad []T

	sizes []int
	w, b  [][]T // views of Params
	gw    [][]T // views of Grad
	gb    [][]T
	eff   [][]T // the weights the forward pass uses: w itself, or w rescaled by spectral normalization
	effT  [][]T // eff transposed, for input gradients
	lip   *lipschitz[T]

	rows int   // batch capacity of the buffers
	x    []T   // the last forward pass's input (not owned)
	z, h [][]T // per layer, rows x fan-out
	dz   [][]T
	ones []T
	tan  *tangent[T] // buffers of the gradient penalty, allocated on first use
}

// NewNet returns a network with weights drawn with std sqrt(2/fan_in) (He), biases 0, as the
// reference does, and `extra` trailing scalar parameters set to 0.
func NewNet[T Float](a Arch, extra int, rng *rand.Rand) (*Net[T], error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	n := &Net[T]{Arch: a}
	n.sizes = []int{a.In}
	for range a.Depth {
		n.sizes = append(n.sizes, a.Width)
	}
	n.sizes = append(n.sizes, a.Heads)
	total := extra
	for l := 1; l < len(n.sizes); l++ {
		total += n.sizes[l-1]*n.sizes[l] + n.sizes[l]
	}
	n.Params = make([]T, total)
	n.Grad = make([]T, total)
	off := 0
	for l := 1; l < len(n.sizes); l++ {
		in, out := n.sizes[l-1], n.sizes[l]
		n.w = append(n.w, n.Params[off:off+in*out])
		n.gw = append(n.gw, n.Grad[off:off+in*out])
		off += in * out
		n.b = append(n.b, n.Params[off:off+out])
		n.gb = append(n.gb, n.Grad[off:off+out])
		off += out
		std := math.Sqrt(2 / float64(in))
		for i := range n.w[l-1] {
			n.w[l-1][i] = T(rng.NormFloat64() * std)
		}
		n.effT = append(n.effT, make([]T, in*out))
	}
	n.eff = n.w
	n.refresh()
	return n, nil
}

func (a Arch) validate() error {
	switch {
	case a.In < 1 || a.In > 1<<16:
		return fmt.Errorf("input dimension = %d, want 1..65536", a.In)
	case a.Width < 1 || a.Width > 4096:
		return fmt.Errorf("width = %d, want 1..4096", a.Width)
	case a.Depth < 1 || a.Depth > 16:
		return fmt.Errorf("depth = %d, want 1..16", a.Depth)
	case a.Heads < 1 || a.Heads > 1024:
		return fmt.Errorf("heads = %d, want 1..1024", a.Heads)
	case a.Act < 0 || int(a.Act) >= len(activationNames):
		return fmt.Errorf("activation = %d, want one of %v", a.Act, activationNames)
	}
	return nil
}

// Layers is the number D of weight matrices.
func (n *Net[T]) Layers() int { return len(n.w) }

// Weights returns weight matrix l (fan-in x fan-out, row-major) as stored, before any
// normalization; it aliases Params.
func (n *Net[T]) Weights(l int) []T { return n.w[l] }

// refresh recomputes the transposed weights after Params change.
func (n *Net[T]) refresh() {
	for l, w := range n.eff {
		in, out := n.sizes[l], n.sizes[l+1]
		t := n.effT[l]
		for i := range in {
			for j := range out {
				t[j*in+i] = w[i*out+j]
			}
		}
	}
}

// reserve makes the batch buffers hold at least rows samples. It allocates only when the batch
// grows, so that steps in the steady state allocate nothing.
func (n *Net[T]) reserve(rows int) {
	if rows <= n.rows {
		return
	}
	n.rows = rows
	n.z, n.h, n.dz = nil, nil, nil
	for l := 1; l < len(n.sizes); l++ {
		n.z = append(n.z, make([]T, rows*n.sizes[l]))
		n.h = append(n.h, make([]T, rows*n.sizes[l]))
		n.dz = append(n.dz, make([]T, rows*n.sizes[l]))
	}
	n.ones = make([]T, rows)
	for i := range n.ones {
		n.ones[i] = 1
	}
	n.tan = nil
}

// Forward evaluates phi on the rows rows of x (row-major, rows x In) and writes to phi[i] the
// head labels[i] of row i (head 0 when labels is nil). It keeps the activations for Backward.
func (n *Net[T]) Forward(x []T, rows int, labels []int32, phi []T) {
	n.reserve(rows)
	n.x = x[:rows*n.In]
	in := n.x
	D := len(n.w)
	for l := range D {
		out := n.sizes[l+1]
		z := n.z[l][:rows*out]
		b := n.b[l]
		for i := range rows {
			copy(z[i*out:i*out+out], b)
		}
		gemmNN(rows, n.sizes[l], out, in, n.eff[l], z)
		if l == D-1 {
			break
		}
		h := n.h[l][:rows*out]
		forwardAct(n.Act, z, h)
		in = h
	}
	z := n.z[D-1]
	H := n.Heads
	for i := range rows {
		c := 0
		if labels != nil {
			c = int(labels[i])
		}
		phi[i] = z[i*H+c]
	}
}

// Backward back-propagates dphi (d loss / d phi for each row of the last Forward). With
// weights set it adds d loss / d Params to Grad; with dx non-nil it writes d loss / d x
// (rows x In) to dx. The gradient is with respect to the weights the forward pass used; see
// finishGrad for spectral normalization.
func (n *Net[T]) Backward(rows int, labels []int32, dphi []T, weights bool, dx []T) {
	D := len(n.w)
	H := n.Heads
	dz := n.dz[D-1][:rows*H]
	clear(dz)
	for i := range rows {
		c := 0
		if labels != nil {
			c = int(labels[i])
		}
		dz[i*H+c] = dphi[i]
	}
	for l := D - 1; l >= 0; l-- {
		in, out := n.sizes[l], n.sizes[l+1]
		var hin []T
		if l == 0 {
			hin = n.x
		} else {
			hin = n.h[l-1][:rows*in]
		}
		if weights {
			gemmTN(rows, in, out, hin, dz, n.gw[l])
			gb := n.gb[l][:out]
			for i := range rows {
				row := dz[i*out : i*out+out]
				for j, v := range row {
					gb[j] += v
				}
			}
		}
		if l == 0 && dx == nil {
			break
		}
		var dh []T
		if l == 0 {
			dh = dx[:rows*in]
		} else {
			dh = n.dz[l-1][:rows*in]
		}
		clear(dh)
		gemmNN(rows, out, in, dz, n.effT[l], dh)
		if l == 0 {
			break
		}
		backwardAct(n.Act, n.z[l-1][:rows*in], n.h[l-1][:rows*in], dh)
		dz = dh
	}
}

// InputGrad writes grad_x phi (the head of each row's label) of the last Forward to dx.
func (n *Net[T]) InputGrad(rows int, labels []int32, dx []T) {
	n.Backward(rows, labels, n.ones[:rows], false, dx)
}
